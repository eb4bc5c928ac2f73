"""Prices and sale prices, exactly as given.

Almost every catalog prices in whole cents, so the section normally holds one packed
record per product: price in cents | (sale price in cents + 1, or 0 for none). If any
price is not a whole number of cents (or is negative or huge), the section falls back to two
float64 per product (NaN for no sale price) rather than round anything.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

from shopkeeper.model.format import ModelFormatError
from shopkeeper.model.packed import PackedInts, pack_ints, read_packed

CENTS, FLOATS = 0, 1
_HEADER = struct.Struct("<IBBB")
_PAIR = struct.Struct("<dd")


def _cents(price: float) -> int | None:
    cents = round(price * 100)
    return cents if 0 <= cents < 1 << 53 and cents / 100 == price else None


def _codes(price: float, sale: float | None) -> tuple[int, int] | None:
    """(price in cents, sale in cents + 1 or 0), or None when either is not whole cents."""
    cents, sale_cents = _cents(price), 0 if sale is None else _cents(sale)
    if cents is None or sale_cents is None:
        return None
    return cents, 0 if sale is None else sale_cents + 1


def pack_prices(prices: list[tuple[float, float | None]]) -> bytes:
    codes = [_codes(price, sale) for price, sale in prices]
    if None not in codes:
        price_bits = max((price for price, _ in codes), default=0).bit_length()
        sale_bits = max((sale for _, sale in codes), default=0).bit_length()
        records = [price | sale << price_bits for price, sale in codes]
        return _HEADER.pack(len(prices), CENTS, price_bits, sale_bits) + pack_ints(records, price_bits + sale_bits)
    body = b"".join(_PAIR.pack(price, math.nan if sale is None else sale) for price, sale in prices)
    return _HEADER.pack(len(prices), FLOATS, 0, 0) + body


@dataclass(frozen=True, eq=False)
class PriceTable:
    mode: int
    price_bits: int
    records: PackedInts | memoryview

    def __getitem__(self, index: int) -> tuple[float, float | None]:
        if self.mode == FLOATS:
            price, sale = _PAIR.unpack_from(self.records, index * _PAIR.size)
            return price, None if sale != sale else sale
        code = self.records[index]
        sale = code >> self.price_bits
        return (code & ((1 << self.price_bits) - 1)) / 100, None if sale == 0 else (sale - 1) / 100


    def reader(self):
        """self.__getitem__ as a closure over the table's fields, the packed read inlined."""
        if self.mode == FLOATS:
            return self.__getitem__
        records = self.records
        data, width, mask, price_bits, from_bytes = records.data, records.width, records.mask, self.price_bits, int.from_bytes
        price_mask = (1 << price_bits) - 1

        def price_at(index: int) -> tuple[float, float | None]:
            bit = index * width
            code = (from_bytes(data[bit >> 3:(bit + width + 7) >> 3], "little") >> (bit & 7)) & mask
            sale = code >> price_bits
            return (code & price_mask) / 100, None if sale == 0 else (sale - 1) / 100

        return price_at


def read_prices(data: memoryview, products: int) -> PriceTable:
    what = "section 'prices'"
    if len(data) < _HEADER.size:
        raise ModelFormatError(f"{what}: expected a {_HEADER.size}-byte header, found {len(data)} bytes")
    count, mode, price_bits, sale_bits = _HEADER.unpack_from(data)
    if count != products or mode not in (CENTS, FLOATS):
        raise ModelFormatError(f"{what}: expected {products} products in mode 0 or 1, found {count} in mode {mode}")
    body = data[_HEADER.size:]
    if mode == CENTS:
        return PriceTable(mode, price_bits, read_packed(body, count, price_bits + sale_bits, what))
    if len(body) != count * _PAIR.size:
        raise ModelFormatError(f"{what}: expected {count * _PAIR.size} bytes of float64 pairs, found {len(body)}")
    return PriceTable(mode, 0, body)
