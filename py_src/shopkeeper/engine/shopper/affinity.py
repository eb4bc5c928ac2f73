"""Category, brand and price-band affinities: what the shopper keeps coming back to.

Each interaction adds its weight (a purchase counts more than a view) decayed by age with
a half-life, so last month's obsession fades behind this week's. Category affinity is
credited to every level of the path, so 'Shoes' gathers what 'Shoes > Trail' earns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from shopkeeper.engine.events import Event
from shopkeeper.engine.remembered import remembered
from shopkeeper.model import Model, ProductBrief, category_key

HALF_LIFE_DAYS = 30.0
DAY_MS = 86_400_000
WEIGHTS = {"product_view": 1.0, "rec_click": 1.0, "add_to_cart": 3.0, "purchase": 5.0}
DEFAULT_PRICE_BANDS = (25.0, 100.0)  # budget below the first, premium from the second


@dataclass(frozen=True)
class Affinities:
    categories: dict[str, float]
    brands: dict[str, float]
    price_bands: dict[str, float]


def price_band(price: float, bands: tuple[float, float] = DEFAULT_PRICE_BANDS) -> str:
    if price < bands[0]:
        return "budget"
    return "mid" if price < bands[1] else "premium"


def decay(age_ms: float, half_life_days: float = HALF_LIFE_DAYS) -> float:
    return 0.5 ** (max(0.0, age_ms) / (half_life_days * DAY_MS))


def interacted_products(event: Event) -> list[str]:
    if event.type == "purchase":
        return [item.product for item in event.items]
    return [event.product] if event.product else []


def compute_affinities(events: list[Event], model: Model, now_ms: float) -> Affinities:
    """Each product's decayed interaction weight first, then credited once per product:
    a shopper's hundreds of events name far fewer products."""
    weights: dict[str, float] = {}
    for event in events:
        weight = WEIGHTS.get(event.type)
        if weight is None or event.ts_ms > now_ms:
            continue
        weight *= decay(now_ms - event.ts_ms)
        for product_id in interacted_products(event):
            weights[product_id] = weights.get(product_id, 0.0) + weight
    categories: dict[str, float] = {}
    brands: dict[str, float] = {}
    price_bands: dict[str, float] = {}
    for product_id, weight in weights.items():
        index = model.index_of(product_id)
        if index is None:
            continue  # a product the current catalog no longer has
        brief = model.brief(index)
        for key in category_levels(brief.category):
            categories[key] = categories.get(key, 0.0) + weight
        if brief.brand:
            brands[brief.brand] = brands.get(brief.brand, 0.0) + weight
        band = price_band(brief.current_price)
        price_bands[band] = price_bands.get(band, 0.0) + weight
    return Affinities(categories, brands, price_bands)


@remembered(maxsize=4096)
def category_levels(path: tuple[str, ...]) -> tuple[str, ...]:
    """The key of every level of a category path, top first: what an interaction credits."""
    return tuple(category_key(path[:depth]) for depth in range(1, len(path) + 1))


def strongest(scores: dict[str, float]) -> str:
    """The top key, ties broken alphabetically so both runtimes agree; '' when empty."""
    return max(sorted(scores.items()), key=itemgetter(1))[0] if scores else ""   # max keeps the first of equals


def top_leaf_category(categories: dict[str, float]) -> str:
    """The strongest of the deepest paths: 'Shoes > Trail' beats its parent 'Shoes'."""
    depth = max((key.count(" > ") for key in categories), default=0)
    return strongest({key: score for key, score in categories.items() if key.count(" > ") == depth})


def affinity_scorer(affinities: Affinities) -> Callable[[ProductBrief], float]:
    """How well each product matches the shopper, 0..1 (its category path, brand and price band),
    with the strongest affinities found once, not per product."""
    categories, brands, price_bands = affinities.categories, affinities.brands, affinities.price_bands
    total_category = max(categories.values(), default=0.0)
    total_brand = max(brands.values(), default=0.0)
    total_band = max(price_bands.values(), default=0.0)

    def score_of(product: ProductBrief) -> float:
        score = 0.0
        if total_category and product.category:
            score += 0.6 * categories.get(product.category_key, 0.0) / total_category
        if total_brand and product.brand:
            score += 0.25 * brands.get(product.brand, 0.0) / total_brand
        if total_band:
            score += 0.15 * price_bands.get(price_band(product.current_price), 0.0) / total_band
        return score

    return score_of
