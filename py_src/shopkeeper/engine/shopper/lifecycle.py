"""Lifecycle stage, engagement level and session intent: coarse labels merchants target."""

from __future__ import annotations

from shopkeeper.engine.config.site import Shop
from shopkeeper.engine.events import Event

CHECKOUT_PAGES = frozenset({"cart", "checkout"})


def lifecycle_stage(
    orders: int, total_spend: float, days_since_last_order: float, sessions: int, product_views: int, shop: Shop
) -> str:
    if orders == 0:
        if sessions <= 1:
            return "new"
        return "browser" if sessions >= 3 and product_views >= 5 else "returning"
    if days_since_last_order > shop.lapsed_after_days:
        return "lapsed"
    if orders >= shop.vip_orders or total_spend >= shop.vip_spend:
        return "vip"
    return "loyal" if orders >= 2 else "customer"


def engagement_level(sessions: int, page_views: int, readings: list[Event]) -> str:
    """From pages per session and how long and how far shoppers read what they open
    (`readings`: the engagement events)."""
    if not sessions:
        return "low"
    pages_per_session = page_views / sessions
    dwell_s = sum(event.dwell_ms for event in readings) / len(readings) / 1000 if readings else 0.0
    scroll = sum(event.scroll_pct for event in readings) / len(readings) if readings else 0.0
    points = (pages_per_session >= 3) + (pages_per_session >= 6) + (dwell_s >= 30) + (scroll >= 60) + (sessions >= 3)
    return "high" if points >= 3 else "medium" if points >= 1 else "low"


def session_intent(session: list[Event], current_page: str, categories_of: dict[str, str]) -> str:
    """What the current session looks like: buying, comparing, researching or browsing."""
    if current_page in CHECKOUT_PAGES or any(event.type == "add_to_cart" for event in session):
        return "buying"
    viewed = [event.product for event in session if event.type == "product_view"]
    per_category: dict[str, int] = {}
    for product in set(viewed):
        category = categories_of.get(product, "")
        if category:
            per_category[category] = per_category.get(category, 0) + 1
    if max(per_category.values(), default=0) >= 3:
        return "comparing"
    long_reads = sum(event.type == "engagement" and event.dwell_ms >= 45_000 for event in session)
    if any(event.type == "search" for event in session) or long_reads >= 2:
        return "researching"
    return "browsing"
