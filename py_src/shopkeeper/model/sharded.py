"""A sharded model as the engine reads it: the main file and the shards loaded so far.

The worker loads the shards of the page being viewed (`page_shards` names them) and the
ones this browser kept from the shopper's earlier pages (`missing_keys` names those it
may look up locally); `ShardedModel` answers over their union. A product no loaded file
holds is unknown (index_of is None), a product's neighbour and similar lists are those
of its own shard, a category's popular lists those of the category's shard.

The known products are indexed in the order publishing gives every product (category
path, then id: shopkeeper.publish.train.pipeline.in_category_order), so wherever the
engine breaks a tie by index it breaks it as the one-file model of the same data does,
whichever files arrived first, and a shard kept from an earlier publish fits in. With
every shard a decision reads loaded, its answers are the one-file model's.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.model.binary import DAMAGE, BinaryModel, damaged, decode_model
from shopkeeper.model.brief import ProductBrief
from shopkeeper.model.data import Product, TimingModel
from shopkeeper.model.facets import Facets
from shopkeeper.model.format import ModelFormatError
from shopkeeper.model.shards import bucket_of, name_matches

MAX_SHARDS = 1000   # loaded at once, by default: past it, the loaded ones are dropped and loading starts again


@dataclass(frozen=True)
class Reindexing:
    """What settle() changed: the new index of every product known before (`moved`, None
    when some product is no longer known, and every answer must go), the products whose
    own shard came (their lists changed) and the categories whose shard came."""

    moved: dict[int, int] | None
    owners: frozenset[int]
    categories: frozenset[str]


class _Texts:
    """A product text by global index, read from the file that holds the product."""

    def __init__(self, model: ShardedModel, name: str):
        self.model, self.name = model, name

    def __getitem__(self, index: int) -> str:
        file, local = self.model._where[index]
        return file.display.texts[self.name][local]


class ShardedModel:
    def __init__(self, main: BinaryModel, max_shards: int = MAX_SHARDS):
        directory = main.shard
        buckets, categories = directory.get("buckets"), directory.get("categories")
        if not (isinstance(buckets, list) and buckets and all(isinstance(name, str) for name in buckets)
                and isinstance(categories, dict) and all(isinstance(name, str) for name in categories.values())):
            raise ModelFormatError("section 'shard' of the main file: expected a list of bucket indexes and categories by name")
        self.main, self.max_shards = main, max_shards
        self.version, self.config, self.timing = main.version, main.config, main.timing
        self.buckets: list[str] = buckets
        self.category_names: dict[str, str] = categories
        self.shards: dict[str, BinaryModel] = {}   # by key: 'product:ID', 'category:KEY', 'index:B'
        self.names: dict[str, str] = {}            # key -> the name of the file loaded for it
        self.refused: dict[str, str] = {}          # key -> why, for this model's life
        self._texts = {name: _Texts(self, name) for name in ("ids", "titles", "urls", "images")}
        self._changed = True
        self._new_owners: set[str] = set()
        self._new_categories: set[str] = set()
        self._interned: dict[str, int] = {}
        self._ids: dict[str, int] = {}
        self._file_keys: dict[BinaryModel, list[tuple[tuple[tuple[str, ...], str], int]]] = {}
        self.settle()

    def settle(self) -> Reindexing | None:
        """Index every product of the loaded files again if files came or went since the
        last time, and say how (an answer remembered from before is stale then unless
        moved to the new indexes; see engine.lookup.RememberingModel.reindex)."""
        if not self._changed:
            return None
        self._changed = False
        before = self._ids
        files = [self.main, *(shard for key, shard in self.shards.items() if not key.startswith("index:"))]
        self._file_keys = {file: self._file_keys.get(file) or _sort_keys(file) for file in files}
        where: dict[tuple[tuple[str, ...], str], tuple[BinaryModel, int]] = {}
        for file in files:
            for key, local in self._file_keys[file]:
                where.setdefault(key, (file, local))
        order = sorted(where)
        self._ids = {product_id: index for index, (_, product_id) in enumerate(order)}
        self._where = [where[key] for key in order]
        ids = self._ids
        self._global = {id(file): [ids[key[1]] for key, _ in self._file_keys[file]] for file in files}
        moved = {index: ids[product_id] for product_id, index in before.items() if product_id in ids}
        owners = frozenset(ids[product_id] for product_id in self._new_owners if product_id in ids)
        change = Reindexing(moved if len(moved) == len(before) else None, owners, frozenset(self._new_categories))
        self._new_owners, self._new_categories = set(), set()
        return change

    # What to fetch and what to look up ------------------------------------------------

    def page_shards(self, page: str, product: str, category: str) -> list[tuple[str, str]]:
        """(key, name) of the shards this page view may fetch and has not loaded: its
        product's (after its bucket's index) or its category's."""
        wanted = []
        if product and page == "product" and f"product:{product}" not in self.refused:
            bucket = bucket_of(product, len(self.buckets))
            index_key = f"index:{bucket}"
            if self.names.get(index_key) == self.buckets[bucket]:
                name = self.shards[index_key].shard.get("products", {}).get(product)
                wanted += self._unless_loaded(f"product:{product}", name)
            else:
                wanted += self._unless_loaded(index_key, self.buckets[bucket])
        if category and page == "category":
            wanted += self._unless_loaded(f"category:{category}", self.category_names.get(category))
        return wanted

    def _unless_loaded(self, key: str, name: object) -> list[tuple[str, str]]:
        """[(key, name)] unless that very file is loaded (a shard kept from an earlier
        publish is replaced on its own page) or refused."""
        return [(key, name)] if isinstance(name, str) and self.names.get(key) != name and key not in self.refused else []

    def missing_keys(self, products: list[str], categories: list[str]) -> list[str]:
        """Keys of the shards of these products and categories (the shopper's earlier pages)
        that are not loaded: the worker looks them up in its own storage, never online."""
        keys = [f"product:{product}" for product in products] + [f"category:{category}" for category in categories]
        return [key for key in dict.fromkeys(keys) if key not in self.shards and key not in self.refused]

    def page_refusal(self, page: str, product: str, category: str) -> str:
        """Why this page's own shard could not be used ('' when it could or it has none)."""
        keys = [f"product:{product}", f"index:{bucket_of(product, len(self.buckets))}"] if product and page == "product" else []
        keys += [f"category:{category}"] if category and page == "category" else []
        return next((self.refused[key] for key in keys if key in self.refused), "")

    def add_shard(self, key: str, name: str, blob: bytes | None, problem: str = "", kept: bool = False) -> str:
        """Load a shard (or note that it could not be had); returns '' or why it was refused.
        A refused shard of a page is not asked for again in this model's life; one `kept`
        by the browser from an earlier page that is refused is only skipped (its page
        fetches it again). Call settle() before asking the model anything again."""
        if blob is not None and not problem:
            try:
                if not name_matches(name, blob):
                    raise ModelFormatError(f"{name}: its SHA-256 does not start with the hash its name carries")
                shard = decode_model(blob)
                role = shard.shard.get("role")
                expected = key.split(":", 1)[0]
                if role != expected or (role == "product" and shard.shard.get("owner") != key.split(":", 1)[1]):
                    raise ModelFormatError(f"{name}: a {role} shard, expected the {expected} shard of {key.split(':', 1)[1]}")
            except ModelFormatError as error:
                problem = str(error)
        if problem:
            if not kept:
                self.refused[key] = problem
            return problem
        if len(self.shards) >= self.max_shards:
            self.shards.clear()
            self.names.clear()
        self.shards[key], self.names[key] = shard, name
        if role != "index":
            self._changed = True
            (self._new_owners if role == "product" else self._new_categories).add(key.split(":", 1)[1])
        return ""

    def forget_shards(self) -> None:
        """Back to the main file alone (the shopper erased their data)."""
        self.shards.clear()
        self.names.clear()
        self.refused.clear()
        self._changed = True
        self.settle()

    # The Model interface ------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._where)

    def index_of(self, product_id: str) -> int | None:
        return self._ids.get(product_id)

    def product(self, index: int) -> Product:
        file, local = self._where[index]
        return file.product(local)

    def brief(self, index: int) -> ProductBrief:
        file, local = self._where[index]
        found = file.brief(local)
        return ProductBrief(index, found.category, found.category_key, found.brand, found.price, found.sale_price,
                            found.in_stock, found.replenishable, self._texts)

    def facets(self, index: int) -> Facets:
        """Category and brand ids interned across files (each file numbers its own)."""
        file, local = self._where[index]
        own, brief = file.facets(local), file.brief(local)
        return Facets(self._intern("c " + brief.category_key), self._intern("b " + brief.brand), own.price_band,
                      own.in_stock, own.replenishable)

    def _intern(self, text: str) -> int:
        return self._interned.setdefault(text, len(self._interned))

    def neighbours(self, kind: str, index: int) -> list[tuple[int, float]]:
        owner = self._owner(index)
        if owner is None:
            return []
        file, local = owner
        table = self._global[id(file)]
        return [(table[other], weight) for other, weight in file.neighbours(kind, local)]

    def stored_similar(self, index: int) -> list[tuple[int, float]]:
        """The product's content-similar list as publishing derived it over the whole catalog."""
        owner = self._owner(index)
        if owner is None:
            return []
        file, _ = owner
        table = self._global[id(file)]
        try:
            return [(table[other], float(score)) for other, score in file.shard.get("similar", [])]
        except DAMAGE as error:
            raise damaged(f"similar list of {file.shard.get('owner')!r}", error) from None

    def _owner(self, index: int) -> tuple[BinaryModel, int] | None:
        if not 0 <= index < len(self._where):
            return None
        file, local = self._where[index]
        product_id = file.display.texts["ids"][local]
        shard = self.shards.get(f"product:{product_id}")
        if shard is None:
            return None
        return shard, shard.index_of(product_id)

    def popular(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        file = self.shards.get(f"category:{category}") if category else self.main
        if file is None:
            return []
        table = self._global[id(file)]
        return [table[local] for local in file.popular(limit, "", trending)]


def _sort_keys(file: BinaryModel) -> list[tuple[tuple[tuple[str, ...], str], int]]:
    """((category path, id), index in the file) of each of a file's products, read once per file."""
    ids = file.display.texts["ids"]
    return [((path, ids[local]), local) for local, path in enumerate(file.category_paths())]


def is_sharded(model: BinaryModel) -> bool:
    return model.shard.get("role") == "main"


__all__ = ["MAX_SHARDS", "ShardedModel", "TimingModel", "is_sharded"]
