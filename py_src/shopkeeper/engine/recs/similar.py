"""Content-similar products, derived from the model's facets instead of stored in it.

    similarity(seed, other) = 0.5  * shared category depth / the seed's depth
                            + 0.25 * [same brand, and not none]
                            + 0.25 * max(0, 1 - price band gap / 2)

Price bands are half octaves (shopkeeper.model.price_band), so the price term is 1 in the
same band, 0.5 one band apart and 0 from twice the price on: the shape of the
1 - |ln a - ln b| / ln 2 that publishing used when it stored these lists. Products
without a price get no price term.

Candidates are the most popular products of the seed's category, then of each parent
category in turn, never beyond its top-level category (a bag is not similar to a shoe of
the same brand); a product first met in a parent's list shares exactly that parent's
depth, since a product popular enough for the parent's list is in its own category's list
too. Widening stops once `limit` candidates score at least what the next parent level
could reach. A seed without a category is compared with the other products without one.
Pairs below MIN_SIMILARITY are left out; ties go to the more popular product.

This costs one model.brief() (the seed's path and brand) and one facets() read per
candidate, and needs no stored list: a new product without any history gets similar
products from its first day, and the model file saves a K-long list per product.
"""

from __future__ import annotations

from shopkeeper.model import Model, category_key

WEIGHTS = {"category": 0.5, "brand": 0.25, "price": 0.25}
MIN_SIMILARITY = 0.3
LIMIT = 20
CANDIDATES_PER_CATEGORY = 50


def similar_of(model: Model, index: int) -> list[tuple[int, float]]:
    """A product's similar list: the one a sharded model's product shard stores (publishing
    derived it with similar_products over the whole catalog, whose category lists a
    browser holds only for the categories it opened), else derived here."""
    stored = getattr(model, "stored_similar", None)
    return stored(index) if stored is not None else similar_products(model, index)


def similar_products(model: Model, index: int, limit: int = LIMIT) -> list[tuple[int, float]]:
    """Up to `limit` (product index, similarity in (0, 1]) pairs, most similar first."""
    if limit <= 0 or not 0 <= index < len(model):
        return []
    seed = model.brief(index)
    facets = model.facets(index)
    path = tuple(seed.category)
    branded = bool(seed.brand)
    depth = len(path)
    found: list[tuple[float, int, int]] = []  # (-score, order met, index)
    seen = {index}
    for shared in range(depth, -1, -1):
        if shared == 0 and depth:
            break
        ranked = model.popular(CANDIDATES_PER_CATEGORY, category=category_key(path[:shared]))
        for other in ranked:
            if other in seen:
                continue
            seen.add(other)
            candidate = model.facets(other)
            if not shared and candidate.category != facets.category:
                continue  # a seed without a category: only others without one
            score = WEIGHTS["category"] * shared / depth if depth else 0.0
            if branded and candidate.brand == facets.brand:
                score += WEIGHTS["brand"]
            if facets.price_band and candidate.price_band:
                score += WEIGHTS["price"] * max(0.0, 1.0 - abs(candidate.price_band - facets.price_band) / 2)
            if score >= MIN_SIMILARITY:
                found.append((-score, len(seen), other))
        reachable = WEIGHTS["category"] * (shared - 1) / depth + WEIGHTS["brand"] + WEIGHTS["price"] if depth else 0.0
        if sum(1 for negative, _, _ in found if -negative >= reachable) >= limit:
            break
    found.sort()
    return [(other, min(1.0, -negative)) for negative, _, other in found[:limit]]
