"""The report's first section: what the model learned about the catalog.

Computed from the ModelData that publish writes (the same training), so the figures are
those of the file shoppers download: how many products have neighbours of each kind, the
strongest pairs, the most popular and trending products, the products no shopper
touched (which only content similarity and bestsellers can recommend), and the bytes:
of the one-file model, and of what a page fetches when publish cuts it into shards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shopkeeper.model import ModelData, Product

__all__ = ["CatalogFigures", "Downloads", "Pair", "catalog_figures", "download_figures"]

TOP = 10


@dataclass(frozen=True)
class Pair:
    first: Product
    second: Product
    weight: float


@dataclass(frozen=True)
class CatalogFigures:
    products: int
    with_neighbours: dict[str, int]      # neighbour kind -> products holding a list of it
    strongest_pairs: dict[str, list[Pair]]
    most_popular: list[Product]
    trending: list[Product]
    cold: int                            # products with no popularity at all
    cold_examples: list[Product]
    model_bytes: int


@dataclass(frozen=True)
class Downloads:
    """What a shopper's page fetches of the model, in bytes before compression: the one
    file, or (from SHARD_FROM_PRODUCTS products on, as publish cuts it) the main file plus
    the page's shards, each the median of its kind."""

    sharded: bool
    home_page: int
    product_page: int
    category_page: int
    shards: int = 0


def download_figures(data: ModelData, blob: bytes) -> Downloads:
    """The model as publish would write it (publish.sharding), measured page by page."""
    from shopkeeper.publish.sharding import sharded_files, wants_shards

    if not wants_shards(len(data.products)):
        return Downloads(False, len(blob), len(blob), len(blob))
    files = sharded_files(data, blob)

    def median(prefix: str) -> int:
        sizes = sorted(len(shard) for name, shard in files.shards.items() if name.startswith(f"shards/{prefix}-"))
        return sizes[len(sizes) // 2] if sizes else 0

    main = len(files.main)
    return Downloads(True, main, main + median("i") + median("p"), main + median("c"), len(files.shards))


def catalog_figures(data: ModelData, model_bytes: int) -> CatalogFigures:
    products = data.products
    with_neighbours = {kind: sum(1 for listed in lists if listed) for kind, lists in data.neighbours.items()}
    popularity = data.popularity or [0.0] * len(products)
    pairs = {kind: strongest_pairs(products, lists, popularity) for kind, lists in data.neighbours.items()}
    trending = data.trending or [0.0] * len(products)
    cold = [product for product, score in zip(products, popularity) if score <= 0]
    return CatalogFigures(
        products=len(products), with_neighbours=with_neighbours, strongest_pairs=pairs,
        most_popular=_top(products, popularity), trending=_top(products, trending),
        cold=len(cold), cold_examples=cold[:TOP], model_bytes=model_bytes,
    )


def strongest_pairs(products: list[Product], lists: list[list[tuple[int, float]]], popularity: list[float] | None = None,
                    limit: int = TOP) -> list[Pair]:
    """A kind's strongest pairs, each unordered pair once (its heavier direction). A list's
    weights are relative to its own head (every product's first neighbour weighs about the
    same), so pairs rank by weight times the geometric mean of the two products'
    popularity: a pair many shoppers made beats one a few did."""
    popularity = popularity or [1.0] * len(products)
    best: dict[tuple[int, int], float] = {}
    for index, listed in enumerate(lists):
        for other, weight in listed:
            key = (min(index, other), max(index, other))
            if weight > best.get(key, float("-inf")):
                best[key] = weight

    def evidence(item) -> float:
        (a, b), weight = item
        return weight * math.sqrt(max(popularity[a], 0.0) * max(popularity[b], 0.0))

    ranked = sorted(best.items(), key=lambda item: (-evidence(item), item[0]))[:limit]
    return [Pair(products[a], products[b], weight) for (a, b), weight in ranked]


def _top(products: list[Product], scores: list[float], limit: int = TOP) -> list[Product]:
    order = sorted((index for index, score in enumerate(scores) if score > 0), key=lambda index: (-scores[index], index))
    return [products[index] for index in order[:limit]]
