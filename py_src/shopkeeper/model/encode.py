"""ModelData -> model file bytes: validate once, then write every section.

Pure Python with nothing CPython-only, so the same code can write a small model inside
Pyodide for tests. Equal data always gives equal bytes: tables are sorted, JSON keys
are sorted and nothing depends on the clock unless `created_at` says so.
"""

from __future__ import annotations

import json
import math

from shopkeeper.model.data import NEIGHBOUR_KINDS, ModelData, Product, model_version
from shopkeeper.model.display import pack_display
from shopkeeper.model.facets import pack_facets, product_facets
from shopkeeper.model.format import ModelFormatError, frame
from shopkeeper.model.neighbours import pack_neighbours
from shopkeeper.model.popular import DEFAULT_DEPTH, pack_popular
from shopkeeper.model.quantize import canonical_list, pack_levels

MAX_NEIGHBOURS = 0xFFFF


def _json(value: object, what: str) -> bytes:
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ModelFormatError(f"{what}: expected plain JSON data, found {error}") from None
    if json.loads(text) != value:
        raise ModelFormatError(f"{what}: expected plain JSON data, found values JSON changes (a tuple or a non-string key)")
    return text.encode("utf-8")


def _check_products(products: list[Product]) -> None:
    seen: dict[str, int] = {}
    for index, product in enumerate(products):
        if not isinstance(product.id, str) or product.id in seen:
            raise ModelFormatError(f"product {index}: expected a unique string id, found {product.id!r} (also product {seen.get(product.id)})")
        seen[product.id] = index
        if not math.isfinite(product.price) or not (product.sale_price is None or math.isfinite(product.sale_price)):
            raise ModelFormatError(f"product {product.id!r}: expected finite prices, found {product.price!r} and {product.sale_price!r}")


def _neighbour_levels(kind: str, lists: list[list[tuple[int, float]]], products: int) -> list[list[tuple[int, int]]]:
    """Each list as (index, level) sorted by index, padded to one list per product."""
    if len(lists) > products:
        raise ModelFormatError(f"neighbours '{kind}': expected at most {products} lists, found {len(lists)}")
    result = []
    for owner, pairs in enumerate(lists):
        for index, weight in pairs:
            if not (isinstance(index, int) and 0 <= index < products and isinstance(weight, (int, float)) and 0 < weight <= 1):
                raise ModelFormatError(
                    f"neighbours '{kind}' of product {owner}: expected an index below {products} with a weight in (0, 1], "
                    f"found ({index!r}, {weight!r})"
                )
        if len({index for index, _ in pairs}) != len(pairs) or len(pairs) > MAX_NEIGHBOURS:
            raise ModelFormatError(f"neighbours '{kind}' of product {owner}: "
                                   f"expected at most {MAX_NEIGHBOURS} distinct indexes, found {len(pairs)} entries")
        result.append(sorted(canonical_list(pairs)))
    return result + [[] for _ in range(products - len(lists))]


def encode_model(data: ModelData, *, created_at: str = "", popular_depth: int = DEFAULT_DEPTH, shard: dict | None = None,
                 version: str = "") -> bytes:
    """The model file for `data`; raises ModelFormatError naming what cannot be stored.

    `created_at` is stored as given (the clock never is, so equal data gives equal bytes);
    `popular_depth` is how many products each popular list keeps; `shard` is the JSON
    'shard' section of a file of a sharded model (shopkeeper.model.shards), and `version`
    the version it stores when it is not the data's own (the whole model's, for its main file). Give products in
    category-path order, as publishing does (shopkeeper.publish.train.pipeline): neighbours and
    popular lists then sit in narrow index ranges and cost a sixth less
    (benchmarks/model_size.py measures both orders).
    """
    products = data.products
    _check_products(products)
    unknown = [kind for kind in data.neighbours if kind not in NEIGHBOUR_KINDS]
    if unknown:
        raise ModelFormatError(f"neighbours: expected kinds among {', '.join(NEIGHBOUR_KINDS)}, found {unknown[0]!r}")
    if not (isinstance(popular_depth, int) and 1 <= popular_depth < 1 << 32):
        raise ModelFormatError(f"popular_depth: expected a positive integer, found {popular_depth!r}")
    categories, brands, facets = product_facets(products)
    meta = {"version": version or model_version(data), "created_at": created_at, "products": len(products), "popular_depth": popular_depth}
    timing = {"features": list(data.timing.features), "leave_soon": list(data.timing.leave_soon), "buy_anyway": list(data.timing.buy_anyway)}
    sections = [
        ("meta", _json(meta, "meta")),
        ("config", _json(data.config, "config")),
        ("timing", _json(timing, "timing model")),
        ("weights", pack_levels()),
        ("facets", pack_facets(facets)),
        ("popular", pack_popular(products, data.popularity, data.trending, popular_depth)),
    ]
    for kind in NEIGHBOUR_KINDS:
        if kind in data.neighbours:
            sections.append((f"nbr.{kind}", pack_neighbours(_neighbour_levels(kind, data.neighbours[kind], len(products)), len(products))))
    if shard is not None:
        sections.append(("shard", _json(shard, "shard")))
    return frame(sections + pack_display(products, categories, brands))
