"""Candidate products for each recommendation strategy, scored, with the reason behind each.

A candidate's score sums what every seed (the product on screen, the cart, recent views)
contributes through the model's neighbour lists; its reason is the largest contribution,
so "because you viewed X" names the product that actually drove it.
"""

from __future__ import annotations

from functools import partial
from operator import itemgetter
from typing import NamedTuple

from shopkeeper.engine.events import PageContext
from shopkeeper.engine.recs.similar import similar_of
from shopkeeper.engine.shopper.affinity import affinity_scorer
from shopkeeper.engine.shopper.profile import Profile
from shopkeeper.model import Model

STRATEGIES = frozenset({
    "bought_together", "viewed_together", "similar", "complementary", "upsell",
    "recently_viewed", "trending", "bestsellers", "personalized", "rerank",
})
# (list, weight, reason) per strategy that asks its own question of the seed; the shelves
# that answer "what will this shopper open next" rank with engine.next_item instead.
# "similar" is computed from content (shopkeeper.engine.recs.similar), the other lists are the model's.
NEIGHBOUR_MIX = {
    "bought_together": (("bought_together", 1.0, "bought_together"), ("viewed_together", 0.3, "viewed_together")),
    "similar": (("similar", 1.0, "similar"), ("viewed_together", 0.2, "similar")),
    "complementary": (("bought_together", 1.0, "complementary"), ("viewed_together", 0.3, "complementary")),
    "upsell": (("similar", 1.0, "upsell"), ("viewed_together", 0.5, "upsell")),
}
RECENT_DECAY = 0.7
NEIGHBOUR_DEPTH = 20   # neighbours a seed of weight 1 contributes: what the model keeps per product
MIN_DEPTH = 4
POOL = 200
AFFINITY_POOL = 30   # per favourite category: its most popular products are the ones worth weighing
AFFINITY_CATEGORIES = 3


class Candidate(NamedTuple):
    """A product a shelf may show (immutable; a NamedTuple, as hundreds are made per decision)."""

    index: int
    score: float
    reason: str
    seed: int | None = None


# Candidate from a ready (index, score, reason, seed) tuple, made in C: NamedTuple's own
# constructor is a Python function, and a page makes hundreds of candidates.
candidate = partial(tuple.__new__, Candidate)


def seeds(strategy: str, model: Model, profile: Profile, context: PageContext) -> list[tuple[int, float]]:
    """Seed products with weights: the page's product, else the cart, else recent views."""
    ids: list[str] = []
    if context.product and strategy != "complementary":
        ids = [context.product]
    if not ids and strategy in ("complementary", "bought_together") and profile.cart:
        ids = [item.product for item in profile.cart]
    if not ids:
        ids = list(profile.recent_products[:5])
    weighted = []
    for position, product_id in enumerate(ids):
        index = model.index_of(product_id)
        if index is not None:
            weighted.append((index, 1.0 if strategy == "complementary" else RECENT_DECAY ** position))
    return weighted


def from_neighbours(strategy: str, model: Model, seed_list: list[tuple[int, float]]) -> list[Candidate]:
    best: Contributions = {}
    for seed, seed_weight in seed_list:
        for kind, kind_weight, reason in NEIGHBOUR_MIX[strategy]:
            listed = similar_of(model, seed) if kind == "similar" else model.neighbours(kind, seed)
            add_contributions(best, listed, seed_weight * kind_weight, reason, seed)
    return [candidate((index, total, reason, seed)) for index, (total, _, reason, seed) in best.items()]


Contributions = dict   # index -> (total, strongest contribution, its reason, its seed)


def add_contributions(best: Contributions, listed: list[tuple[int, float]], weight: float, reason: str,
                      seed: int) -> None:
    """Add `weight` times a neighbour list to the candidates in `best`; a candidate's reason
    and seed are those of its strongest contribution (the first of equals), so "because
    you viewed X" names the product that actually drove it. A list that weighs less (an
    older seed's, a secondary kind's, one two steps on) can only reach a shelf with its
    head: it contributes its strongest entries in proportion to its weight (all of them
    at weight 1, a quarter for the fifth recent view's co-views, at least MIN_DEPTH)."""
    for index, strength in listed[:max(MIN_DEPTH, round(NEIGHBOUR_DEPTH * min(weight, 1.0)))]:
        contribution = weight * strength
        found = best.get(index)
        if found is None:
            best[index] = (contribution, contribution, reason, seed)
        elif contribution > found[1]:
            best[index] = (found[0] + contribution, contribution, reason, seed)
        else:
            best[index] = (found[0] + contribution, found[1], found[2], found[3])


def from_popularity(model: Model, limit: int, trending: bool = False, category: str = "") -> list[Candidate]:
    ranked = model.popular(limit, category=category, trending=trending)
    reason = "trending" if trending else "bestseller"
    return [Candidate(index, 1.0 / (1 + rank), reason) for rank, index in enumerate(ranked)]


def from_recent(model: Model, profile: Profile) -> list[Candidate]:
    indexes = [model.index_of(product_id) for product_id in profile.recent_products]
    return [Candidate(index, RECENT_DECAY ** rank, "recently_viewed") for rank, index in enumerate(indexes) if index is not None]


def from_affinity(model: Model, profile: Profile, limit: int) -> list[Candidate]:
    """Popular products of the shopper's strongest categories, scored by how well they match:
    `limit` of the strongest category, fewer of the next ones, which score lower."""
    top = sorted(profile.affinities.categories.items())
    top.sort(key=itemgetter(1), reverse=True)   # stable: strongest first, ties by name
    leaf_first = sorted(top[:6], key=lambda item: (-item[0].count(" > "), -item[1], item[0]))[:AFFINITY_CATEGORIES]
    found: dict[int, Candidate] = {}
    score_of, brief = affinity_scorer(profile.affinities), model.brief
    for rank, (category, _) in enumerate(leaf_first):
        for index in model.popular(limit * (AFFINITY_CATEGORIES - rank) // AFFINITY_CATEGORIES, category=category):
            if index not in found:   # the same product scores the same from every category it is popular in
                found[index] = candidate((index, 0.5 * score_of(brief(index)), "affinity", None))
    return list(found.values())


def from_listing(model: Model, profile: Profile, listing: tuple[str, ...]) -> list[Candidate]:
    """The page's own list, re-ordered: the merchant's order is the prior, affinity the nudge."""
    candidates = []
    score_of = affinity_scorer(profile.affinities)
    for position, product_id in enumerate(listing):
        index = model.index_of(product_id)
        if index is None:
            continue
        prior = 1.0 / (1.0 + 0.1 * position)
        candidates.append(Candidate(index, prior + score_of(model.brief(index)), "listing"))
    return candidates


def same_leaf(model: Model, index: int, others: list[int]) -> bool:
    key = model.brief(index).category_key
    return bool(key) and any(model.brief(other).category_key == key for other in others)
