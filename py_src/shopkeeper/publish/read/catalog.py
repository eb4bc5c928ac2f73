"""Reading the product catalog: CSV, TSV, JSON Lines, and Merchant Center feeds.

A Merchant Center feed (`id, title, link, image_link, price "12.99 EUR", availability,
product_type "A > B > C", ...`) is recognised by its column names, so the file a
merchant already exports for shopping ads reads as it is. Columns that are no product
field become attributes. Every problem is an InputError naming the file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from os import PathLike

from shopkeeper.contract import TEXT_LIMITS
from shopkeeper.model.data import Product
from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.catalog_formats import (
    ALIASES,
    EXPECTED,
    REQUIRED,
    attribute_text,
    parse_category,
    parse_flag,
    parse_price,
    parse_stock,
)
from shopkeeper.publish.read.columns import missing_column, require, resolve_columns
from shopkeeper.publish.read.sources import json_record, open_text, read_error, sniff

__all__ = ["CatalogResult", "read_catalog"]

Row = tuple[int, dict[str, object], list[tuple[str, object]]]

ID_LIMIT = TEXT_LIMITS["product"]   # what the loader keeps of the product id it records
OPTION = "--catalog-columns"


@dataclass(frozen=True)
class CatalogResult:
    products: list[Product]
    warnings: list[str] = field(default_factory=list)


def read_catalog(path: str | PathLike, *, columns: Mapping[str, str] | None = None) -> CatalogResult:
    """Products in file order. `columns` names the column of a field where ours are not
    recognised, e.g. {"id": "Artikelnummer", "price": "Preis"} (--catalog-columns)."""
    sniffed = sniff(path)
    if sniffed.kind == "parquet":
        raise InputError(path, None, "a catalog must be CSV, TSV or JSON Lines (Parquet is read for event logs only)")
    builder = _Builder(path)
    with open_text(path) as handle:
        try:
            rows = (_json_rows(path, handle, columns, builder.columns_found) if sniffed.kind == "jsonl"
                    else _delimited_rows(path, handle, sniffed.delimiter, columns, builder.columns_found))
            for line, values, extras in rows:
                builder.add(line, values, extras)
        except (UnicodeDecodeError, OSError, EOFError, csv.Error) as error:
            raise read_error(path, error) from None
    return builder.result()


def _delimited_rows(path, handle, delimiter: str, columns, columns_found: set[str]) -> Iterator[Row]:
    reader = csv.reader(handle, delimiter=delimiter)
    header = next(reader, [])
    found = resolve_columns(path, header, ALIASES, columns, OPTION)
    for name, why in REQUIRED.items():
        require(path, found, name, why, ALIASES, header, OPTION)
    columns_found.update(found)
    extras = [(header[i], i) for i in range(len(header)) if i not in found.values() and header[i].strip()]
    previous_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(path, previous_end + 1, f"cannot read this row: {error}"
                             " (a quote that is never closed, or a value far longer than a catalog holds)") from None
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(path, line, f"expected {len(header)} fields as in the header, found {len(row)}")
        yield line, {name: row[i] for name, i in found.items()}, [(name, row[i]) for name, i in extras]


def _json_rows(path, handle, columns, columns_found: set[str]) -> Iterator[Row]:
    layouts: dict[tuple[str, ...], dict[str, int]] = {}
    for line, text in enumerate(handle, 1):
        if not text.strip():
            continue
        record = json_record(path, line, text)
        keys = tuple(record)
        if keys not in layouts:
            layouts[keys] = resolve_columns(path, keys, ALIASES, columns, OPTION)
            columns_found.update(layouts[keys])
        found = layouts[keys]
        for name, why in REQUIRED.items():
            if name not in found:
                raise InputError(path, line, missing_column(name, why, ALIASES, OPTION, kind="key"))
        values = {name: record[keys[i]] for name, i in found.items()}
        mapped = {keys[i] for i in found.values()}
        extras: list[tuple[str, object]] = []
        for key, value in record.items():
            if key in mapped:
                continue
            extras.extend(value.items() if key == "attributes" and isinstance(value, dict) else [(key, value)])
        yield line, values, extras


class _Builder:
    def __init__(self, path):
        self.path = path
        self.products: list[Product] = []
        self.first_line: dict[str, int] = {}
        self.currencies: set[str] = set()
        self.columns_found: set[str] = set()
        self.without: dict[str, list[int]] = {name: [] for name in EXPECTED}   # lines of products lacking it
        self.odd_sales: list[int] = []

    def add(self, line: int, values: dict[str, object], extras: list[tuple[str, object]]) -> None:
        product_id = attribute_text(values["id"])
        if not product_id:
            raise InputError(self.path, line, "empty id: every product needs one")
        if len(product_id) > ID_LIMIT:
            raise InputError(self.path, line, f"id of {len(product_id):,} characters: the browser keeps {ID_LIMIT} of a product id "
                                              "(docs/events.md), so this product could never be matched")
        if product_id in self.first_line:
            raise InputError(self.path, line, f"duplicate id {product_id!r}, first on line {self.first_line[product_id]}")
        self.first_line[product_id] = line
        try:
            price, currency = parse_price(values["price"]) if attribute_text(values.get("price")) else (0.0, "")
            sale = values.get("sale_price")
            sale_price = parse_price(sale, "sale_price")[0] if attribute_text(sale) else None
            availability = attribute_text(values.get("in_stock"))
            in_stock = parse_stock(availability) if availability else True
            replenishable = attribute_text(values.get("replenishable"))
            replenishable_flag = parse_flag(replenishable, "replenishable") if replenishable else False
        except ValueError as error:
            raise InputError(self.path, line, str(error)) from None
        if currency:
            self.currencies.add(currency)
        if sale_price is not None and sale_price >= price:
            self.odd_sales.append(line)
        title, url = attribute_text(values.get("title")), attribute_text(values.get("url"))
        present = {"title": bool(title), "url": bool(url), "price": price > 0}
        for name in EXPECTED:
            if not present[name]:
                self.without[name].append(line)
        attributes = tuple((str(name), text) for name, value in extras if (text := attribute_text(value)))
        if availability.lower() in ("preorder", "backorder"):
            attributes += (("availability", availability.lower()),)
        category = parse_category(values["category"]) if attribute_text(values.get("category")) else _google_category(attributes)
        self.products.append(Product(
            id=product_id, title=title, url=url, image=attribute_text(values.get("image")),
            price=price, sale_price=sale_price, category=category, brand=attribute_text(values.get("brand")),
            in_stock=in_stock, replenishable=replenishable_flag, attributes=attributes,
        ))

    def result(self) -> CatalogResult:
        if not self.products:
            raise InputError(self.path, None, "no products: the catalog has a header but no rows")
        warnings = []
        for name, lines in self.without.items():
            if name not in self.columns_found:
                warnings.append(f"{self.path}: {missing_column(name, EXPECTED[name], ALIASES, OPTION)}")
            elif lines:
                what = "no price (empty or 0)" if name == "price" else f"no {name}"
                warnings.append(f"{self.path}: {len(lines):,} products have {what}, first on line {lines[0]}: {EXPECTED[name]}")
        if self.odd_sales:
            warnings.append(f"{self.path}: {len(self.odd_sales)} sale prices are not below the price and are ignored "
                            f"(first on line {self.odd_sales[0]})")
        if len(self.currencies) > 1:
            warnings.append(f"{self.path}: prices in several currencies ({', '.join(sorted(self.currencies))}) are compared as plain numbers")
        return CatalogResult(self.products, warnings)


def _google_category(attributes: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Merchant Center's own taxonomy path stands in when product_type is empty; a numeric
    taxonomy id says nothing to a shopper, so it is not used as a category."""
    for name, value in attributes:
        if name.lower().removeprefix("g:") == "google_product_category" and not value.isdigit():
            return parse_category(value)
    return ()
