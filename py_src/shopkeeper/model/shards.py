"""A model in page-keyed shards: what a page fetches does not grow with the catalog.

A sharded model is a main file and three kinds of shard, each an ordinary model file
(shopkeeper.model.format) named by its content hash, so an unchanged shard keeps its
name from one publish to the next and a changed one is a new URL:

    main            settings, site config, timing models, the shop-wide most popular and
                    trending lists with their products' cards, and the directory: each
                    category's shard, each bucket's index (every page fetches it)
    product shard   one product's neighbour lists and content-similar list, with the
                    cards of every product they name (fetched on that product's page)
    category shard  a category's most popular and trending lists with their cards
                    (fetched on that category's page)
    index           the product shards of one bucket of products, by product id
                    (fetched on a product page of the bucket: it names the bucket, which
                    holds about BUCKET_SIZE products, and so reveals less than the page)

A product's bucket is crc32(id) mod the bucket count. Every file is self-contained (its
products' cards, the fixed weight levels), so a shard kept from an earlier publish still
reads. docs/shards.md says what each request can reveal and how the worker keeps shards.
The 'shard' section of each file says what it is: {"role": "main", "buckets": [...],
"categories": {...}, "products": n}, {"role": "product", "owner": id, "similar":
[[index, score], ...]}, {"role": "category", "category": key}, {"role": "index",
"bucket": b, "products": {id: name}}.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

from shopkeeper.model.data import NEIGHBOUR_KINDS, ModelData, TimingModel, category_key, model_version
from shopkeeper.model.encode import encode_model
from shopkeeper.model.popular import DEFAULT_DEPTH, category_prefixes, ranked_lists

SHARD_FORMAT = 1
BUCKET_SIZE = 256
FOLDER = "shards"
ROLE_PREFIX = {"product": "p", "category": "c", "index": "i"}


def bucket_of(product_id: str, buckets: int) -> int:
    return zlib.crc32(product_id.encode("utf-8")) % buckets


def bucket_count(products: int) -> int:
    return max(1, -(-products // BUCKET_SIZE))


def shard_name(role: str, blob: bytes) -> str:
    """shards/p-HASH.skm: the first 12 hex digits of the file's SHA-256, as every published
    name carries (shopkeeper.publish.output.HASHED_NAME)."""
    return f"{FOLDER}/{ROLE_PREFIX[role]}-{hashlib.sha256(blob).hexdigest()[:12]}.skm"


def name_matches(name: str, blob: bytes) -> bool:
    """Whether `blob` is the file `name` names (its hash prefix)."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    prefix = stem.rsplit("-", 1)[1] if "-" in stem else ""
    return len(prefix) == 12 and hashlib.sha256(blob).hexdigest().startswith(prefix)


@dataclass(frozen=True)
class ShardedFiles:
    main: bytes
    shards: dict[str, bytes]   # by name, shards/...


def encode_sharded(data: ModelData, similar: list[list[tuple[int, float]]], *, created_at: str = "",
                   popular_depth: int = DEFAULT_DEPTH) -> ShardedFiles:
    """The main file and every shard of `data`. `similar[i]`: product i's content-similar
    (index, score) list, best first, as the engine derives it over the whole catalog
    (shopkeeper.engine.recs.similar.similar_products); publishing computes it, since the
    model package does not import the engine."""
    products = data.products
    prefixes = sorted({prefix for product in products for prefix in category_prefixes(category_key(product.category))})
    popular = ranked_lists(products, data.popularity, prefixes, popular_depth)
    trending = ranked_lists(products, data.trending, prefixes, popular_depth)
    shards: dict[str, bytes] = {}

    def part(members: set[int], lists: dict[int, dict[str, list[tuple[int, float]]]], shard, *, depth: int = 1,
             config: dict | None = None, timing: TimingModel | None = None, version: str = "") -> bytes:
        """A model file of `members` (global indexes, kept in catalog order) with the
        neighbour lists of `lists` (owner -> kind -> global pairs) remapped to them;
        `shard(local)` is its 'shard' section, given each member's index in the file."""
        order = sorted(members)
        local = {index: position for position, index in enumerate(order)}
        neighbours = {
            kind: [[(local[other], weight) for other, weight in lists.get(index, {}).get(kind, [])] for index in order]
            for kind in NEIGHBOUR_KINDS if any(kind in kinds for kinds in lists.values())
        }
        sub = ModelData(
            products=[products[index] for index in order], neighbours=neighbours,
            popularity=[data.popularity[index] if index < len(data.popularity) else 0.0 for index in order],
            trending=[data.trending[index] if index < len(data.trending) else 0.0 for index in order],
            config=config or {}, timing=timing or TimingModel(),
        )
        return encode_model(sub, created_at=created_at, popular_depth=depth, shard=shard(local), version=version)

    product_names: dict[str, str] = {}
    for index, product in enumerate(products):
        own = {kind: list(data.neighbours.get(kind, [])[index]) if index < len(data.neighbours.get(kind, [])) else []
               for kind in NEIGHBOUR_KINDS if kind in data.neighbours}
        similar_list = similar[index] if index < len(similar) else []
        members = {index} | {other for pairs in own.values() for other, _ in pairs} | {other for other, _ in similar_list}
        blob = part(members, {index: own}, lambda local, product=product, similar_list=similar_list: {
            "role": "product", "format": SHARD_FORMAT, "owner": product.id,
            "similar": [[local[other], score] for other, score in similar_list]})
        product_names[product.id] = add(shards, "product", blob)

    category_names = {}
    for slot, prefix in enumerate(prefixes, start=1):
        members = set(popular[slot]) | set(trending[slot])
        blob = part(members, {}, lambda local, prefix=prefix: {"role": "category", "format": SHARD_FORMAT, "category": prefix},
                    depth=popular_depth)
        category_names[prefix] = add(shards, "category", blob)

    buckets = bucket_count(len(products))
    by_bucket: list[dict[str, str]] = [{} for _ in range(buckets)]
    for product_id, name in product_names.items():
        by_bucket[bucket_of(product_id, buckets)][product_id] = name
    index_names = [
        add(shards, "index", encode_model(ModelData(products=[]), shard={
            "role": "index", "format": SHARD_FORMAT, "bucket": bucket, "products": dict(sorted(members.items()))}))
        for bucket, members in enumerate(by_bucket)
    ]
    main = part(set(popular[0]) | set(trending[0]), {}, lambda local: {
        "role": "main", "format": SHARD_FORMAT, "products": len(products), "buckets": index_names, "categories": category_names},
        depth=popular_depth, config=data.config, timing=data.timing, version=model_version(data))
    return ShardedFiles(main, shards)


def add(shards: dict[str, bytes], role: str, blob: bytes) -> str:
    name = shard_name(role, blob)
    shards[name] = blob
    return name
