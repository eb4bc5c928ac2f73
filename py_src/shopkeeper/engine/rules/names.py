"""The names rules may use (docs/site-config.md, "Rules"), with their kinds and values.

One table, so publishing rejects `order >= 1` or `lifecycle == 'vipp'` with a message,
and the engine knows which value a name has when the page does not supply one.
Boost rules also see the product being ranked (PRODUCT_NAMES).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopkeeper.engine.rules.checks import Vocabulary
from shopkeeper.engine.rules.values import BOOL, LIST, NUMBER, STRING

if TYPE_CHECKING:   # only for annotations: rules and their names need nothing from the model package
    from shopkeeper.model import Product

__all__ = ["CHOICES", "PAGE_TYPES", "PRODUCT_NAMES", "RULE_NAMES", "SHOPPER_NAMES", "TRAFFIC_SOURCES",
           "product_readers", "product_values", "site_vocabulary"]

PAGE_TYPES = ("home", "category", "product", "search", "cart", "checkout", "order")
TRAFFIC_SOURCES = ("search", "social", "email", "paid", "direct", "referral")
DEVICES = ("mobile", "tablet", "desktop")
TRAIT_PREFIX, QUIZ_PREFIX = "trait_", "quiz_"

SHOPPER_NAMES: dict[str, str] = {
    **dict.fromkeys(("orders", "total_spend", "average_order_value", "days_since_last_order", "days_since_last_visit",
                     "sessions", "page_views", "product_views", "cart_adds", "price_sensitivity", "cart_items",
                     "cart_value", "hour", "weekday"), NUMBER),
    **dict.fromkeys(("lifecycle", "engagement", "intent", "mindset", "top_category", "top_brand", "price_band",
                     "traffic_source", "utm_source", "utm_medium", "utm_campaign", "device", "locale", "page"), STRING),
    **dict.fromkeys(("categories", "brands", "segments", "traits"), LIST),
    "new_session": BOOL,
    QUIZ_PREFIX + "*": STRING,
}
RULE_NAMES = frozenset(SHOPPER_NAMES)   # plus trait_<name> for each declared trait

CHOICES: dict[str, frozenset[str]] = {
    "lifecycle": frozenset({"new", "returning", "browser", "customer", "loyal", "vip", "lapsed"}),
    "engagement": frozenset({"low", "medium", "high"}),
    "intent": frozenset({"browsing", "researching", "comparing", "buying"}),
    "mindset": frozenset({"outcome", "growth", "neutral"}),
    "price_band": frozenset({"", "budget", "mid", "premium"}),   # engine/shopper/affinity.py price_band
    "traffic_source": frozenset(TRAFFIC_SOURCES),
    "device": frozenset(DEVICES),
    "page": frozenset(PAGE_TYPES),
}

PRODUCT_NAMES: dict[str, str] = {
    "id": STRING, "title": STRING, "brand": STRING, "category": STRING,
    "price": NUMBER, "on_sale": BOOL, "in_stock": BOOL, "replenishable": BOOL,
}


def site_vocabulary(traits=(), segments=None, products: bool = False) -> Vocabulary:
    """What a site's rules may name: the shopper and page names, one trait_<name> per
    declared trait, and for boost rules the product too. Declared trait and segment
    names are the values `'x' in traits` and `'x' in segments` may test (segments=None:
    not yet known, while the segment rules themselves are read)."""
    kinds = {**SHOPPER_NAMES, **{TRAIT_PREFIX + name: NUMBER for name in traits}}
    choices = {**CHOICES, "traits": frozenset(traits)}
    if segments is not None:
        choices["segments"] = frozenset(segments)
    if products:
        kinds.update(PRODUCT_NAMES)
    defaults = {QUIZ_PREFIX + "*": "", **{TRAIT_PREFIX + name: 0.0 for name in traits}}
    return Vocabulary(kinds, choices, defaults)


_PRODUCT_VALUES = {
    "id": lambda product: product.id, "title": lambda product: product.title, "brand": lambda product: product.brand,
    "category": lambda product: " > ".join(product.category), "price": lambda product: product.current_price,
    "on_sale": lambda product: product.current_price < product.price, "in_stock": lambda product: product.in_stock,
    "replenishable": lambda product: product.replenishable,
}


def product_values(product: Product) -> dict:
    """The names a boost rule reads about the product being ranked (a Product or its
    ProductBrief); `category` is the path as model.category_key writes it ('Shoes > Trail')."""
    return {name: get(product) for name, get in _PRODUCT_VALUES.items()}


def product_readers(names) -> tuple:
    """(name, reader) for the product names among `names` (a rule's), so a rule evaluated
    for many products reads only what it uses: {name: read(product) for name, read in ...}."""
    return tuple((name, get) for name, get in _PRODUCT_VALUES.items() if name in names)

