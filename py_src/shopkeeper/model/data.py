"""Plain data a model holds: products, neighbour lists, popularity, the site config."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

# Neighbour lists a model may hold, each best first with weights in (0, 1]:
#   viewed_together  co-viewed within a session, time-decayed and normalised, a product
#                    viewed *after* this one counting more than one viewed before it, so
#                    one list serves next-item scoring and the co-view shelves alike
#   bought_together  co-purchased within an order or session
# Content similarity (category, brand, price band) is not stored: the engine derives it
# from the facets and the per-category popular lists (shopkeeper.engine.recs.similar).
NEIGHBOUR_KINDS = ("viewed_together", "bought_together")
CATEGORY_SEPARATOR = " > "


def category_key(path: tuple[str, ...]) -> str:
    """'Shoes > Trail' for ('Shoes', 'Trail'): the form segment rules and configs use."""
    return CATEGORY_SEPARATOR.join(path)


@dataclass(frozen=True)
class Product:
    id: str
    title: str = ""
    url: str = ""
    image: str = ""
    price: float = 0.0
    sale_price: float | None = None
    category: tuple[str, ...] = ()
    brand: str = ""
    in_stock: bool = True
    replenishable: bool = False
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def current_price(self) -> float:
        return self.sale_price if self.sale_price is not None and self.sale_price < self.price else self.price


@dataclass(frozen=True)
class TimingModel:
    """Two logistic models over session features, trained at publish time.

    `leave_soon`: probability the shopper leaves the site within the next minute;
    `buy_anyway`: probability the session ends in a purchase without any incentive.
    Each weight tuple is the intercept followed by one weight per name in `features`.
    """

    features: tuple[str, ...] = ()
    leave_soon: tuple[float, ...] = (0.0,)
    buy_anyway: tuple[float, ...] = (0.0,)


@dataclass
class ModelData:
    products: list[Product]
    neighbours: dict[str, list[list[tuple[int, float]]]] = field(default_factory=dict)
    popularity: list[float] = field(default_factory=list)
    trending: list[float] = field(default_factory=list)
    config: dict = field(default_factory=dict)
    timing: TimingModel = field(default_factory=TimingModel)


def model_version(data: ModelData) -> str:
    """A model's version when the publisher gives none: a hash of the data's JSON, the same
    for the in-memory and the binary model, without asdict's deep copy of every tuple."""
    plain = {
        "products": [vars(product) for product in data.products], "neighbours": data.neighbours,
        "popularity": data.popularity, "trending": data.trending, "config": data.config, "timing": vars(data.timing),
    }
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()[:16]
