"""A published model file read lazily: opening costs O(sections), each answer decodes only itself.

`decode_model` checks the header and hash, parses the small JSON sections (meta, config,
timing) and the few-byte headers of the others; `neighbours`, `product` and `popular`
then touch only the bytes they answer from, so a 100k-product model opens as fast as a
small one. Answers equal InMemoryModel's over `quantize_weights(data)` for the data the
file was written from.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

from shopkeeper.model.brief import ProductBrief
from shopkeeper.model.data import Product, TimingModel
from shopkeeper.model.display import TEXT_SECTIONS, Display, read_display
from shopkeeper.model.facets import PRICE_BAND_BITS, Facets, FacetTable, read_facets
from shopkeeper.model.format import ModelFormatError, unframe
from shopkeeper.model.neighbours import NeighbourLists, read_neighbours
from shopkeeper.model.popular import PopularLists, read_popular
from shopkeeper.model.quantize import read_levels

# What decoding damaged bytes can raise (an index past a table, bytes that are not UTF-8,
# a width that does not fit).
DAMAGE = (IndexError, ValueError, KeyError, OverflowError, TypeError, struct.error)
REQUIRED = ("meta", "config", "timing", "weights", "facets", "popular", "id_order", "prices", "attributes") + TEXT_SECTIONS
KIND_PREFIX = "nbr."


@dataclass(frozen=True, eq=False)
class BinaryModel:
    version: str
    created_at: str
    config: dict
    timing: TimingModel
    levels: tuple[float, ...]
    facet_table: FacetTable
    popular_lists: PopularLists
    kinds: dict[str, NeighbourLists]
    display: Display
    shard: dict   # the 'shard' section of a file of a sharded model (shopkeeper.model.shards), else {}

    def __len__(self) -> int:
        return self.facet_table.records.count

    # Sections are decoded lazily, so a file whose bytes are damaged behind a matching hash
    # (a writer's bug, a forger) can fail when asked: every answer turns such a failure
    # into a ModelFormatError, which the worker treats as a refused model. The try blocks
    # cost nothing until something raises.
    def index_of(self, product_id: str) -> int | None:
        """Bisection over ids in sorted order: a sample of every 16th id (read at the first
        call) narrows it down, then at most four small decodes; no id table is built."""
        try:
            return self.display.find(product_id)
        except DAMAGE as error:
            raise damaged("index_of", error) from None

    def product(self, index: int) -> Product:
        facets = self.facets(index)
        try:
            return self.display.product(index, facets)
        except DAMAGE as error:
            raise damaged(f"product {index}", error) from None

    def brief(self, index: int) -> ProductBrief:
        """The scoring fields of a product: its facets and prices, no display text decoded."""
        read = self.display.memo.get("brief")
        if read is None:
            read = self.display.memo["brief"] = _brief_reader(self.facet_table, self.display)
        return read(index)

    def category_paths(self) -> list[tuple[str, ...]]:
        """Every product's category path in file order, reading only the category bits of
        each facet record (the sharded model orders a file's products by it)."""
        table, category = self.facet_table, self.display.category
        mask = (1 << table.category_bits) - 1
        try:
            return [category(table.records[index] & mask)[0] for index in range(table.records.count)]
        except DAMAGE as error:
            raise damaged("category paths", error) from None

    def facets(self, index: int) -> Facets:
        """The scoring fields of a product, without touching display sections."""
        index = self._checked(index)
        try:
            return self.facet_table[index]
        except DAMAGE as error:
            raise damaged(f"facets of product {index}", error) from None

    def neighbours(self, kind: str, index: int) -> list[tuple[int, float]]:
        lists = self.kinds.get(kind)
        if lists is None or not 0 <= index < len(self):
            return []
        try:
            ranked = sorted([(level, neighbour) for neighbour, level in lists.pairs(index)])
            levels = self.levels
            return [(neighbour, levels[level]) for level, neighbour in ranked]
        except DAMAGE as error:
            raise damaged(f"neighbours '{kind}' of product {index}", error) from None

    def popular(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        try:
            return self.popular_lists.top(limit, category, trending)
        except DAMAGE as error:
            raise damaged("popular", error) from None

    def _checked(self, index: int) -> int:
        if not 0 <= index < len(self):
            raise IndexError(f"product index {index} outside 0..{len(self) - 1}")
        return index


def _brief_reader(facets: FacetTable, display: Display):
    """brief() with its two packed reads inlined (FacetTable.unpack, PriceTable's cents
    records): shelves weigh hundreds of candidates per decision, each read once."""
    records = facets.records
    data, width, mask, count, from_bytes = records.data, records.width, records.mask, records.count, int.from_bytes
    category_mask, brand_shift, brand_mask = (1 << facets.category_bits) - 1, facets.category_bits, (1 << facets.brand_bits) - 1
    flag_shift = facets.category_bits + facets.brand_bits + PRICE_BAND_BITS
    category, text, texts, price_of = display.category, display.text, display.texts, display.prices.reader()

    def read(index: int) -> ProductBrief:
        if not 0 <= index < count:
            raise IndexError(f"product index {index} outside 0..{count - 1}")
        bit = index * width
        record = (from_bytes(data[bit >> 3:(bit + width + 7) >> 3], "little") >> (bit & 7)) & mask
        try:
            path, key = category(record & category_mask)
            price, sale_price = price_of(index)
            brand = text("brands", (record >> brand_shift) & brand_mask)
        except DAMAGE as error:
            raise damaged(f"brief of product {index}", error) from None
        return ProductBrief(index, path, key, brand, price, sale_price,
                            bool(record >> flag_shift & 1), bool(record >> (flag_shift + 1) & 1), texts)

    return read


def _json(payload: memoryview, what: str) -> object:
    try:
        return json.loads(str(payload, "utf-8"))
    except ValueError as error:
        raise ModelFormatError(f"section '{what}': expected UTF-8 JSON, found {error}") from None


def decode_model(blob: bytes, *, verify: bool = True) -> BinaryModel:
    """Open a model file. `verify=False` skips only the SHA-256 (for a caller that already
    checked the whole file against the manifest); every structural check still runs."""
    sections = unframe(blob, verify)
    missing = [name for name in REQUIRED if name not in sections]
    if missing:
        raise ModelFormatError(f"model file: expected sections {', '.join(REQUIRED)}, found none named {', '.join(missing)}")
    meta, config, timing = _json(sections["meta"], "meta"), _json(sections["config"], "config"), _json(sections["timing"], "timing")
    if not (isinstance(meta, dict) and isinstance(meta.get("products"), int) and isinstance(config, dict) and isinstance(timing, dict)):
        raise ModelFormatError("sections 'meta', 'config', 'timing': expected JSON objects, meta with a product count")
    products = meta["products"]
    try:
        timing_model = TimingModel(**{key: tuple(value) for key, value in timing.items()})
    except TypeError:
        raise ModelFormatError(f"section 'timing': expected features, leave_soon and buy_anyway lists, found keys {sorted(timing)}") from None
    kinds = {
        name[len(KIND_PREFIX):]: read_neighbours(payload, products, f"section '{name}'")
        for name, payload in sections.items() if name.startswith(KIND_PREFIX)
    }
    shard = _json(sections["shard"], "shard") if "shard" in sections else {}
    if not isinstance(shard, dict):
        raise ModelFormatError("section 'shard': expected a JSON object")
    return BinaryModel(
        version=str(meta.get("version", "")), created_at=str(meta.get("created_at", "")), config=config, timing=timing_model,
        levels=read_levels(sections["weights"]), facet_table=read_facets(sections["facets"], products),
        popular_lists=read_popular(sections["popular"]), kinds=kinds, display=read_display(sections, products), shard=shard,
    )


def damaged(what: str, error: Exception) -> ModelFormatError:
    return ModelFormatError(f"model file: {what} could not be read ({type(error).__name__}: {error}); the file is damaged")
