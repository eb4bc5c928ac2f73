"""What scoring needs to know about a product, in a few bits: category, brand, price band, flags.

One packed record per product: category id | brand id | price band | in stock | replenishable.
Category and brand ids point into the display tables, so filters, diversity and
affinities compare small integers and never decode a string.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

from shopkeeper.model.data import Product
from shopkeeper.model.format import ModelFormatError
from shopkeeper.model.packed import PackedInts, pack_ints, read_packed

PRICE_BAND_BITS = 6
_HEADER = struct.Struct("<IBB")
_HALF_OCTAVE = math.sqrt(0.5)


def price_band(price: float) -> int:
    """Half-octave band of a price: 0 for none (<= 0), 1 below 1.41, 2 up to 2, 3 up to 2.83 ...,
    63 at the top. Computed from frexp and one comparison, exact on every platform."""
    if not price > 0:
        return 0
    mantissa, exponent = math.frexp(price)
    half_octaves = 2 * (exponent - 1) + (1 if mantissa >= _HALF_OCTAVE else 0)
    return max(1, min((1 << PRICE_BAND_BITS) - 1, 1 + half_octaves))


@dataclass(frozen=True)
class Facets:
    category: int
    brand: int
    price_band: int
    in_stock: bool
    replenishable: bool


def product_facets(products: list[Product]) -> tuple[list[tuple[str, ...]], list[str], list[Facets]]:
    """(distinct category paths, distinct brands, each product's facets), the tables sorted
    so that equal catalogs give equal ids: what a model file stores and InMemoryModel answers."""
    categories = sorted({tuple(product.category) for product in products})
    brands = sorted({product.brand for product in products})
    category_id = {path: i for i, path in enumerate(categories)}
    brand_id = {brand: i for i, brand in enumerate(brands)}
    facets = [
        Facets(category_id[tuple(product.category)], brand_id[product.brand], price_band(product.current_price),
               bool(product.in_stock), bool(product.replenishable))
        for product in products
    ]
    return categories, brands, facets


def pack_facets(facets: list[Facets]) -> bytes:
    category_bits = max((facet.category for facet in facets), default=0).bit_length()
    brand_bits = max((facet.brand for facet in facets), default=0).bit_length()
    records = [
        facet.category
        | facet.brand << category_bits
        | facet.price_band << (category_bits + brand_bits)
        | facet.in_stock << (category_bits + brand_bits + PRICE_BAND_BITS)
        | facet.replenishable << (category_bits + brand_bits + PRICE_BAND_BITS + 1)
        for facet in facets
    ]
    width = category_bits + brand_bits + PRICE_BAND_BITS + 2
    return _HEADER.pack(len(facets), category_bits, brand_bits) + pack_ints(records, width)


@dataclass(frozen=True, eq=False)
class FacetTable:
    category_bits: int
    brand_bits: int
    records: PackedInts

    def __getitem__(self, index: int) -> Facets:
        return Facets(*self.unpack(index))

    def unpack(self, index: int) -> tuple[int, int, int, bool, bool]:
        """(category, brand, price band, in stock, replenishable) of one product, as a plain tuple."""
        record = self.records[index]
        band_shift = self.category_bits + self.brand_bits
        return (
            record & ((1 << self.category_bits) - 1),
            (record >> self.category_bits) & ((1 << self.brand_bits) - 1),
            (record >> band_shift) & ((1 << PRICE_BAND_BITS) - 1),
            bool(record >> (band_shift + PRICE_BAND_BITS) & 1),
            bool(record >> (band_shift + PRICE_BAND_BITS + 1) & 1),
        )


def read_facets(data: memoryview, products: int) -> FacetTable:
    if len(data) < _HEADER.size:
        raise ModelFormatError(f"section 'facets': expected a {_HEADER.size}-byte header, found {len(data)} bytes")
    count, category_bits, brand_bits = _HEADER.unpack_from(data)
    if count != products:
        raise ModelFormatError(f"section 'facets': expected {products} products, found {count}")
    width = category_bits + brand_bits + PRICE_BAND_BITS + 2
    return FacetTable(category_bits, brand_bits, read_packed(data[_HEADER.size:], count, width, "section 'facets'"))
