"""Ranked recommendations for one shelf, with the merchant's business rules applied.

Order of work: candidates from the strategy; drop what may not be shown (out of stock,
already bought unless replenishable, outside the price range, on screen or in the cart);
apply boosts and sink what the shopper keeps ignoring; pinned products first; spread
across categories or brands; top up with bestsellers so a cold start never shows an
empty shelf.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

from shopkeeper.engine.events import PageContext
from shopkeeper.engine.lookup import remembering
from shopkeeper.engine.recs import candidates as found
from shopkeeper.engine.recs.candidates import Candidate, same_leaf, seeds
from shopkeeper.engine.recs.next_item import NEXT_ITEM_STRATEGIES, next_item_candidates, next_item_params
from shopkeeper.engine.recs.reasons import reason_text
from shopkeeper.engine.shopper.profile import Profile
from shopkeeper.model import Model, ProductBrief

IGNORED_AFTER = 3       # impressions without a click before a product starts to sink
IGNORED_FACTOR = 0.5    # each further ignored impression halves its score
OWN_ITEMS = frozenset({"recently_viewed", "rerank"})   # shelves of the shopper's or the page's own products


@dataclass(frozen=True)
class ShelfRules:
    strategy: str
    count: int = 4
    exclude_out_of_stock: bool = True
    exclude_purchased: bool = True
    pinned: tuple[str, ...] = ()
    boosts: tuple[tuple[Callable[[ProductBrief], bool], float], ...] = ()   # predicates see a product's brief
    min_price: float | None = None
    max_price: float | None = None
    diversity: str = "none"   # none | category | brand
    max_per_group: int = 2
    show_viewed: bool = True   # False: every product this shopper viewed is left out


@dataclass(frozen=True)
class Recommendation:
    product: ProductBrief   # what a card shows; the whole Product is not decoded for it
    score: float
    reason_code: str
    reason: str
    seed: str = ""


def rank_recommendations(model: Model, profile: Profile, context: PageContext, placement: str, rules: ShelfRules,
                         shown_elsewhere: frozenset[int] = frozenset()) -> list[Recommendation]:
    """`shown_elsewhere`: products a shelf higher on the page already shows, left out here.

    Candidates are filtered, scored and grouped by their briefs; only the products shown
    are decoded whole. Pinned and purchased products are compared by index."""
    model = remembering(model)
    pool = strategy_candidates(model, profile, context, rules)
    blocked = blocked_products(model, profile, context, rules) | shown_elsewhere
    purchased = {index for index in map(model.index_of, profile.purchased) if index is not None}
    admit = admission(rules, purchased)
    ignored = ignored_here(model, profile, placement)
    if rules.boosts or ignored:   # scores change: weigh every candidate, then rank
        scored: Iterable[Candidate] = by_rank(list(weighed(model, pool, blocked, purchased, rules, ignored)))
    else:                         # scores stay: rank, then weigh only as many as the shelf reads
        scored = weighed(model, by_rank(list(pool)), blocked, purchased, rules, ignored)
    pinned = {index for index in map(model.index_of, rules.pinned) if index is not None}
    ranked = chain(pinned_first(model, rules, blocked, admit), (c for c in scored if c.index not in pinned))
    ranked = spread(model, unique(ranked), rules, None if rules.strategy == "rerank" else rules.count)
    if len(ranked) < rules.count and rules.strategy not in OWN_ITEMS:
        taken = {candidate.index for candidate in ranked} | blocked
        fill = [c for c in found.from_popularity(model, rules.count * 4 + len(taken)) if c.index not in taken]
        ranked += [c for c in fill if admit(model.brief(c.index))][: rules.count - len(ranked)]
    limit = len(ranked) if rules.strategy == "rerank" else rules.count
    return [recommendation(model, candidate) for candidate in ranked[:limit]]


def strategy_candidates(model: Model, profile: Profile, context: PageContext, rules: ShelfRules) -> list[Candidate]:
    strategy = rules.strategy
    if strategy in NEXT_ITEM_STRATEGIES:
        pool = next_item_pool(model, profile, context, rules)   # shared: never changed in place
        if strategy == "personalized":
            pool = pool + found.from_affinity(model, profile, found.AFFINITY_POOL)
            if not pool:
                pool = found.from_popularity(model, found.POOL, trending=True)
        return pool
    seed_list = seeds(strategy, model, profile, context)
    if strategy in ("trending", "bestsellers"):
        return found.from_popularity(model, found.POOL, trending=strategy == "trending")
    if strategy == "recently_viewed":
        return found.from_recent(model, profile)
    if strategy == "rerank":
        return found.from_listing(model, profile, context.listing)
    pool = found.from_neighbours(strategy, model, seed_list)
    seed_indexes = [index for index, _ in seed_list]
    if strategy == "complementary":
        pool = [c for c in pool if not same_leaf(model, c.index, seed_indexes)]
    elif strategy == "upsell":
        pool = upsell_only(model, pool + same_category_popular(model, seed_indexes, "upsell"), seed_indexes)
    elif strategy == "similar" and len(pool) < rules.count:
        pool += same_category_popular(model, seed_indexes, "similar")
    return pool


def next_item_pool(model: Model, profile: Profile, context: PageContext, rules: ShelfRules) -> list[Candidate]:
    """The evaluated next-item ranking, seeded by the product on screen, the shopper's
    recent views and the cart."""
    recent = [index for index in map(model.index_of, profile.recent_products) if index is not None]
    on_screen = model.index_of(context.product) if context.product else None
    if on_screen is not None and recent[:1] != [on_screen]:
        recent = [on_screen] + [index for index in recent if index != on_screen]
    cart = [index for index in (model.index_of(item.product) for item in profile.cart) if index is not None]
    kept = model.table("next_item")   # the model's settings, and the last pool: a page's two next-item shelves share it
    if "params" not in kept:
        kept["params"] = next_item_params(model)
    key = (tuple(recent), on_screen, tuple(cart), rules.show_viewed)
    if kept.get("key") != key:
        kept["key"], kept["pool"] = key, next_item_candidates(
            model, recent, kept["params"], on_screen=on_screen, cart=cart, remind=rules.show_viewed)
    return kept["pool"]


def same_category_popular(model: Model, seed_indexes: list[int], reason: str) -> list[Candidate]:
    pool = []
    for seed in seed_indexes[:1]:
        category = model.brief(seed).category_key
        ranked = model.popular(found.POOL, category=category) if category else []
        pool += [Candidate(index, 0.1 / (1 + rank), reason, seed) for rank, index in enumerate(ranked)]
    return pool


def upsell_only(model: Model, pool: list[Candidate], seed_indexes: list[int]) -> list[Candidate]:
    """A step up: the same kind of product (its top-level category), pricier than the seed
    but not more than twice its price."""
    if not seed_indexes:
        return []
    seed = model.brief(seed_indexes[0])
    kind = seed.category[:1]

    def step_up(product: ProductBrief) -> bool:
        return product.category[:1] == kind and seed.current_price < product.current_price <= 2 * seed.current_price

    return [c for c in pool if step_up(model.brief(c.index))]


def blocked_products(model: Model, profile: Profile, context: PageContext, rules: ShelfRules) -> set[int]:
    """The product on screen, the cart, the seeds a shelf asks its question of (the
    similar products *of* X never include X), and with show_viewed off every product
    the shopper viewed. The next-item shelves may bring an earlier view back: re-opening
    one is among the likeliest next steps."""
    strategy = rules.strategy
    on_screen = [context.product] if strategy != "rerank" else []
    in_cart = [item.product for item in profile.cart] if strategy not in OWN_ITEMS else []
    blocked = {index for index in map(model.index_of, on_screen + in_cart) if index is not None}
    if not rules.show_viewed and strategy not in OWN_ITEMS:
        blocked.update(index for index in map(model.index_of, profile.recent_products) if index is not None)
    if strategy not in OWN_ITEMS | NEXT_ITEM_STRATEGIES | {"trending", "bestsellers"}:
        blocked.update(index for index, _ in seeds(strategy, model, profile, context))
    return blocked


def admits(rules: ShelfRules, product: ProductBrief) -> bool:
    """What a shelf's rules say about a product whoever is shopping: stock and price range."""
    if rules.exclude_out_of_stock and not product.in_stock:
        return False
    price = product.current_price
    return (rules.min_price is None or price >= rules.min_price) and (rules.max_price is None or price <= rules.max_price)


def bought_already(rules: ShelfRules, purchased: set[int], product: ProductBrief) -> bool:
    """Whether the shelf leaves the product out as bought (`purchased`: the indexes of
    profile.purchased, so no id is decoded)."""
    return rules.exclude_purchased and product.index in purchased and not product.replenishable


def admission(rules: ShelfRules, purchased: set[int]) -> Callable[[ProductBrief], bool]:
    """Whether the shelf may show a product to this shopper."""

    def admit(product: ProductBrief) -> bool:
        return not bought_already(rules, purchased, product) and admits(rules, product)

    return admit


def boost_factors(rules: ShelfRules, product: ProductBrief) -> tuple[float, ...] | None:
    """The factors of the boosts that match the product, in order; None when the shelf's
    rules exclude it for everyone."""
    if not admits(rules, product):
        return None
    return tuple(factor for predicate, factor in rules.boosts if predicate(product))


def ignored_here(model: Model, profile: Profile, placement: str) -> dict[int, int]:
    """Unclicked impressions on this placement, by product index."""
    ignored = {}
    for product_id, times in profile.ignored.get(placement, {}).items():
        index = model.index_of(product_id) if times >= IGNORED_AFTER else None
        if index is not None:
            ignored[index] = times
    return ignored


def by_rank(candidates: list[Candidate]) -> list[Candidate]:
    """Best score first, ties by index; sorted in place with keys read in C."""
    candidates.sort(key=_index)
    candidates.sort(key=_score, reverse=True)
    return candidates


def weighed(model: Model, pool: Iterable[Candidate], blocked: set[int], purchased: set[int], rules: ShelfRules,
            ignored: dict[int, int]) -> Iterator[Candidate]:
    """The candidates a shelf may show, boosted, and sunk when ignored (`ignored`: unclicked
    impressions by index), lazily: a shelf stops reading once full. What the rules say
    about a product alone is kept with the model's answers for the shelf's rules: the
    worker's next pages weigh mostly the same products, and Pyodide pays for every call."""
    brief = model.brief
    factors = model.table(rules)
    for candidate in pool:
        index = candidate.index
        if index in blocked:
            continue
        if index in factors:
            boosts = factors[index]
        else:
            boosts = factors[index] = boost_factors(rules, brief(index))
        if boosts is None or (index in purchased and bought_already(rules, purchased, brief(index))):
            continue
        score = candidate.score
        for factor in boosts:
            score *= factor
        if index in ignored:
            score *= IGNORED_FACTOR ** (ignored[index] - IGNORED_AFTER + 1)
        yield candidate if score == candidate.score else Candidate(index, score, candidate.reason, candidate.seed)


def pinned_first(model: Model, rules: ShelfRules, blocked: set[int], admit: Callable[[ProductBrief], bool]) -> list[Candidate]:
    pinned = [model.index_of(product_id) for product_id in rules.pinned]
    return [
        Candidate(index, float("inf"), "pinned") for index in pinned
        if index is not None and index not in blocked and admit(model.brief(index))
    ]


def unique(ranked: list[Candidate]) -> Iterator[Candidate]:
    """Each product once, where it ranks best; lazily, so a shelf stops reading once full."""
    seen: set[int] = set()
    for candidate in ranked:
        if candidate.index not in seen:
            seen.add(candidate.index)
            yield candidate


def spread(model: Model, ranked: Iterable[Candidate], rules: ShelfRules, needed: int | None = None) -> list[Candidate]:
    """At most max_per_group per category or brand among the first `needed` (all when None);
    the ones held back follow. Once `needed` are chosen the rest is not read: the caller
    takes that many from the front."""
    if rules.diversity not in ("category", "brand"):
        return list(ranked)
    group_of = (lambda p: p.category_key) if rules.diversity == "category" else (lambda p: p.brand)
    counts: dict[str, int] = {}
    chosen, deferred = [], []
    for candidate in ranked:
        if needed is not None and len(chosen) >= needed:
            break
        group = group_of(model.brief(candidate.index))
        if counts.get(group, 0) < rules.max_per_group:
            counts[group] = counts.get(group, 0) + 1
            chosen.append(candidate)
        else:
            deferred.append(candidate)
    return chosen + deferred


_index, _score = itemgetter(0), itemgetter(1)   # Candidate fields, read in C when sorting


def recommendation(model: Model, candidate: Candidate) -> Recommendation:
    seed = model.brief(candidate.seed) if candidate.seed is not None else None
    seed_title = (seed.title or seed.id) if seed else ""
    if candidate.reason == "affinity":
        category = model.brief(candidate.index).category
        seed_title = category[-1] if category else ""
    score = candidate.score if candidate.score != float("inf") else 1e9
    return Recommendation(
        product=model.brief(candidate.index), score=round(score, 6), reason_code=candidate.reason,
        reason=reason_text(candidate.reason, seed_title), seed=seed.id if seed else "",
    )
