"""Model data for the model-file tests: a hand-made catalog with every awkward case, random
catalogs from a seed, and the check that a BinaryModel answers exactly as InMemoryModel."""

from __future__ import annotations

import hashlib
import random
import struct

from shopkeeper.model import FORMAT_VERSION, MAGIC, NEIGHBOUR_KINDS, InMemoryModel, ModelData, Product, TimingModel, category_key, quantize_weights
from shopkeeper.model.popular import DEFAULT_DEPTH, category_prefixes


def awkward_data() -> ModelData:
    """Unicode, empty lists, products without category, separators inside segments,
    prices with cents and without, sale prices above the price, attributes."""
    products = [
        Product("SKU-1", "Wanderschuh «Gipfel» 🥾", "https://shop.example/p/1", "/img/1.jpg", 129.99, 99.5,
                ("Schuhe", "Trail"), "Bergfuß", True, False, (("Farbe", "Grün"), ("Größe", "42"))),
        Product("SKU-2", "Sock", price=4.0, category=("Schuhe",), brand="Acme", replenishable=True),
        Product("ärmel-3", "", price=0.0, category=(), in_stock=False),
        Product("SKU-10", "A > B in one", price=10.01, sale_price=12.0, category=("A > B",), brand="Acme"),
        Product("SKU-11", "A then B", price=1e6 + 0.05, category=("A", "B"), attributes=(("k", ""),)),
        Product("", "empty id", price=0.01, category=("", "x")),
        Product("日本-7", "Kimono", price=59.0, category=("Schuhe", "Trail", "Ultra"), brand="和"),
    ]
    neighbours = {
        "viewed_together": [[(1, 1.0), (6, 0.5), (3, 0.5)], [], [(0, 0.0001)], [(4, 0.9999), (2, 1e-9)], [], [(5, 1.0)], []],
        "bought_together": [[(6, 0.3)], [(0, 0.7), (2, 0.7), (6, 0.7)]],
    }
    popularity = [5.0, 1.0, 5.0, 0.0, 2.5, 7.0]
    trending = [0.0, 3.0, 3.0, 9.0, 1.0, 0.5, 2.0]
    config = {"shop": {"name": "Démo", "currency": "EUR"}, "slots": [{"name": "hero", "priority": 2.5}], "none": None}
    return ModelData(products, neighbours, popularity, trending, config, TimingModel(("dwell", "scroll"), (0.5, -1.25, 3e-5), (-2.0, 0.0, 1.0)))


def random_data(seed: int, products: int, kinds: tuple[str, ...] = ("viewed_together", "bought_together"), longest: int = 25) -> ModelData:
    rng = random.Random(seed)
    tops = ["Home", "Outdoor", "Shoes", "Kitchen"]
    catalog = []
    for i in range(products):
        depth = rng.choice([0, 1, 2, 2, 3])
        path = tuple([rng.choice(tops)] + [f"Sub {rng.randrange(4)}" for _ in range(depth - 1)]) if depth else ()
        price = rng.choice([round(rng.uniform(0, 500), 2), float(rng.randrange(100))])
        catalog.append(Product(
            f"P{rng.randrange(10**6)}-{i}", f"Item {i}", f"/p/{i}", f"/i/{i}.jpg", price,
            rng.choice([None, round(price * 0.7, 2)]), path, rng.choice(["", "Acme", "Bergfuß", "Zed"]),
            rng.random() < 0.9, rng.random() < 0.1,
        ))
    neighbours = {}
    for kind in kinds:
        lists = []
        for _ in range(products):
            count = min(products, rng.choice([0, 1, 5, longest, rng.randrange(longest + 1)]))
            chosen = rng.sample(range(products), count)
            lists.append([(j, rng.choice([1.0, rng.random() or 1.0, 10 ** rng.uniform(-4, 0)])) for j in chosen])
        neighbours[kind] = lists
    popularity = [float(rng.randrange(20)) for _ in range(products)]
    trending = [rng.random() for _ in range(products - products // 4)]
    return ModelData(catalog, neighbours, popularity, trending, {"seed": seed})


def preview(data: ModelData) -> InMemoryModel:
    """InMemoryModel of what the file stores: quantized weights, the original data's version."""
    return InMemoryModel(quantize_weights(data), version=InMemoryModel(data).version)


def assert_same_answers(binary, memory: InMemoryModel, depth: int = DEFAULT_DEPTH) -> None:
    products = memory.data.products
    assert (binary.version, binary.config, binary.timing, len(binary)) == (memory.version, memory.config, memory.timing, len(memory))
    for i, product in enumerate(products):
        assert binary.product(i) == product
        assert binary.index_of(product.id) == memory.index_of(product.id) == i
        for kind in NEIGHBOUR_KINDS + ("unknown",):
            assert binary.neighbours(kind, i) == memory.neighbours(kind, i), (kind, i)
    for missing in ("nope", "SKU", "SKU-1 ", "\uffff", "P"):
        assert binary.index_of(missing) == memory.index_of(missing)
    assert binary.neighbours("viewed_together", len(products)) == memory.neighbours("viewed_together", len(products)) == []
    categories = {prefix for product in products for prefix in category_prefixes(category_key(product.category))}
    for category in sorted(categories) + ["", "Sch", "Schuhe > ", "nowhere", " > "]:
        for trending in (False, True):
            full = memory.popular(len(products) + 1, category, trending)
            for limit in (0, 1, 3, min(depth, len(full) + 2)):
                assert binary.popular(limit, category, trending) == memory.popular(limit, category, trending), (category, limit)


def rehash(body: bytes) -> bytes:
    """A header that matches `body`: what a buggy writer or a careful forger would produce."""
    return MAGIC + struct.pack("<HHI", FORMAT_VERSION, 0, len(body)) + hashlib.sha256(body).digest() + body
