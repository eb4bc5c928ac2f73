"""Identity and display data: ids, the texts a product card shows, prices, attributes.

Sections: 'ids' (index order) and 'id_order' (indexes sorted by id, for bisection);
'titles', 'urls', 'images'; 'prices'; 'categories' (distinct paths as JSON arrays) and
'brands', which the scoring facets point into; 'attr_names', 'attr_values' and
'attributes' (per product, packed (name, value) id pairs behind packed offsets).

Scoring never reads these, only rendering and `product()` do. That keeps a later move
into lazily fetched shards simple: cut these sections by index range into content-hashed
files ('display-<hash>.skm', each an ordinary model file holding only display sections
for, say, 1024 consecutive products), list them in the manifest, and let the worker
fetch the one shard a card needs. A shard is fetched only for a product the page is about
to show, so the request reveals no more than the rendered page does. 'ids' and
'id_order' would stay in the main file, since `index_of` serves scoring.
"""

from __future__ import annotations

import json
import struct
from bisect import bisect_right
from dataclasses import dataclass, field

from shopkeeper.model.data import Product, category_key
from shopkeeper.model.facets import Facets
from shopkeeper.model.format import ModelFormatError
from shopkeeper.model.packed import PackedInts, pack_array, pack_ints, read_array, read_packed
from shopkeeper.model.prices import PriceTable, pack_prices, read_prices
from shopkeeper.model.strings import StringTable, pack_strings, read_strings

_PAIR_BITS = struct.Struct("<BB")
# index_of keeps every SAMPLE_STEP-th id in sorted order, read once at its first call, so a
# lookup bisects a Python list and then decodes at most log2(SAMPLE_STEP) ids, not log2(n).
SAMPLE_STEP = 16
TEXT_SECTIONS = ("ids", "titles", "urls", "images", "categories", "brands", "attr_names", "attr_values")


def encode_path(path: tuple[str, ...]) -> str:
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":"))


def pack_display(products: list[Product], categories: list[tuple[str, ...]], brands: list[str]) -> list[tuple[str, bytes]]:
    """Display sections in file order; `categories` and `brands` are the tables facets use."""
    names = sorted({name for product in products for name, _ in product.attributes})
    values = sorted({value for product in products for _, value in product.attributes})
    name_id = {name: i for i, name in enumerate(names)}
    value_id = {value: i for i, value in enumerate(values)}
    name_bits, value_bits = max(len(names) - 1, 0).bit_length(), max(len(values) - 1, 0).bit_length()
    starts, pairs = [0], []
    for product in products:
        pairs += [name_id[name] | value_id[value] << name_bits for name, value in product.attributes]
        starts.append(len(pairs))
    order = sorted(range(len(products)), key=lambda i: products[i].id.encode("utf-8"))
    return [
        ("ids", pack_strings([product.id for product in products])),
        ("id_order", pack_array(order)),
        ("titles", pack_strings([product.title for product in products])),
        ("urls", pack_strings([product.url for product in products])),
        ("images", pack_strings([product.image for product in products])),
        ("prices", pack_prices([(product.price, product.sale_price) for product in products])),
        ("categories", pack_strings([encode_path(path) for path in categories])),
        ("brands", pack_strings(brands)),
        ("attr_names", pack_strings(names)),
        ("attr_values", pack_strings(values)),
        ("attributes", _PAIR_BITS.pack(name_bits, value_bits) + pack_array(starts) + pack_ints(pairs, name_bits + value_bits)),
    ]


@dataclass(frozen=True, eq=False)
class Display:
    texts: dict[str, StringTable]
    id_order: PackedInts
    prices: PriceTable
    attribute_starts: PackedInts
    attribute_pairs: PackedInts
    name_bits: int
    # Small tables read on demand and kept: category paths and keys, brands, attribute
    # names and values (a catalog has few), and the sorted-id sample of find().
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def find(self, product_id: str) -> int | None:
        ids, order = self.texts["ids"], self.id_order
        sample = self.memo.get("id_sample")
        if sample is None:
            sample = self.memo["id_sample"] = [bytes(ids.raw(order[at])) for at in range(0, len(ids), SAMPLE_STEP)]
        after = bisect_right(sample, product_id.encode("utf-8"))   # the first sampled id above the wanted one
        if after == 0:
            return None
        start = (after - 1) * SAMPLE_STEP
        return ids.bisect(product_id, order, start, min(start + SAMPLE_STEP, len(ids)))

    def category(self, category_id: int) -> tuple[tuple[str, ...], str]:
        """The category path with that id, and its key ('Shoes > Trail')."""
        table = self.memo.setdefault("categories", {})
        found = table.get(category_id)
        if found is None:
            path = tuple(json.loads(self.texts["categories"][category_id]))
            found = table[category_id] = (path, category_key(path))
        return found

    def text(self, section: str, number: int) -> str:
        """A string of a small table (brands, attr_names, attr_values), decoded once."""
        table = self.memo.setdefault(section, {})
        found = table.get(number)
        if found is None:
            found = table[number] = self.texts[section][number]
        return found

    def product(self, index: int, facets: Facets) -> Product:
        price, sale_price = self.prices[index]
        start, stop = self.attribute_starts.slice(index, index + 2)
        mask, text, texts = (1 << self.name_bits) - 1, self.text, self.texts
        return Product(
            id=texts["ids"][index], title=texts["titles"][index], url=texts["urls"][index], image=texts["images"][index],
            price=price, sale_price=sale_price, category=self.category(facets.category)[0], brand=text("brands", facets.brand),
            in_stock=facets.in_stock, replenishable=facets.replenishable,
            attributes=tuple((text("attr_names", pair & mask), text("attr_values", pair >> self.name_bits))
                             for pair in self.attribute_pairs.slice(start, stop)),
        )


def read_display(sections: dict[str, memoryview], products: int) -> Display:
    texts = {name: read_strings(sections[name], f"section '{name}'") for name in TEXT_SECTIONS}
    for name in ("ids", "titles", "urls", "images"):
        if len(texts[name]) != products:
            raise ModelFormatError(f"section '{name}': expected {products} strings, found {len(texts[name])}")
    id_order, _ = read_array(sections["id_order"], "section 'id_order'")
    data = sections["attributes"]
    if len(data) < _PAIR_BITS.size:
        raise ModelFormatError(f"section 'attributes': expected a header, found {len(data)} bytes")
    name_bits, value_bits = _PAIR_BITS.unpack_from(data)
    starts, rest = read_array(data[_PAIR_BITS.size:], "section 'attributes'")
    if id_order.count != products or starts.count != products + 1:
        raise ModelFormatError(f"sections 'id_order', 'attributes': expected {products} products, found {id_order.count} and {starts.count - 1}")
    pairs = read_packed(rest, starts[products], name_bits + value_bits, "section 'attributes'")
    return Display(texts, id_order, read_prices(sections["prices"], products), starts, pairs, name_bits)
