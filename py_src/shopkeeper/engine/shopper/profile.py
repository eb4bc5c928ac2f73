"""The shopper's profile: everything the engine knows, derived from local events only."""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.engine.config.site import SiteConfig
from shopkeeper.engine.events import Event, Item, PageContext, by_time, events_by_type
from shopkeeper.engine.shopper.affinity import WEIGHTS, Affinities, compute_affinities, price_band, strongest, top_leaf_category
from shopkeeper.engine.shopper.lifecycle import engagement_level, lifecycle_stage, session_intent
from shopkeeper.engine.shopper.mindset import mindset_of, trait_scores
from shopkeeper.engine.shopper.sessions import is_new_session, split_sessions
from shopkeeper.model import Model

__all__ = ["Profile", "build_profile", "price_band", "profile_values"]

DAY_MS = 86_400_000
NEVER_DAYS = 9999.0
RECENT_LIMIT = 20


@dataclass(frozen=True)
class Profile:
    orders: int
    total_spend: float
    days_since_last_order: float
    days_since_last_visit: float
    sessions: int
    page_views: int
    product_views: int
    cart_adds: int
    lifecycle: str
    engagement: str
    intent: str
    mindset: str
    price_sensitivity: float
    affinities: Affinities
    traits: dict[str, float]
    quiz: dict[str, str]
    recent_products: tuple[str, ...]   # most recent first, unique, the current product included
    purchased: frozenset[str]
    cart: tuple[Item, ...]
    new_session: bool
    ignored: dict[str, dict[str, int]]   # placement -> product -> impressions never clicked

    @property
    def average_order_value(self) -> float:
        return self.total_spend / self.orders if self.orders else 0.0


def build_profile(events: list[Event], model: Model, context: PageContext, now_ms: float, config: SiteConfig = SiteConfig(),
                  sessions: list[list[Event]] | None = None) -> Profile:
    """`sessions`: split_sessions(events, now_ms, config.shop.session_gap_minutes), when the caller has it already."""
    shop = config.shop
    if sessions is None:
        sessions = split_sessions(events, now_ms, shop.session_gap_minutes)
    past = [event for session in sessions for event in session]
    of = events_by_type(past)
    purchases, searches = of.get("purchase", []), of.get("search", [])
    interactions = sorted([event for kind in WEIGHTS for event in of.get(kind, ())], key=by_time)
    affinities = compute_affinities(interactions, model, now_ms)
    texts = [event.query for event in searches]
    recent = recent_products(past)
    orders = len(purchases)
    last_order = purchases[-1].ts_ms if purchases else None
    previous_visit = sessions[-2][-1].ts_ms if len(sessions) >= 2 else None
    categories_of = {product: category_of(model, product) for product in recent}
    page_views, product_views = len(of.get("page_view", ())), len(of.get("product_view", ()))
    return Profile(
        orders=orders,
        total_spend=round(sum(order_value(event) for event in purchases), 2),
        days_since_last_order=days_between(last_order, now_ms),
        days_since_last_visit=days_between(previous_visit, now_ms),
        sessions=len(sessions),
        page_views=page_views,
        product_views=product_views,
        cart_adds=len(of.get("add_to_cart", ())),
        lifecycle=lifecycle_stage(
            orders, sum(map(order_value, purchases)), days_between(last_order, now_ms), len(sessions), product_views, shop,
        ),
        engagement=engagement_level(len(sessions), page_views, of.get("engagement", [])),
        intent=session_intent(sessions[-1] if sessions else [], context.page, categories_of),
        mindset=mindset_of(texts),
        price_sensitivity=round(sum(event.discount for event in purchases) / orders, 6) if orders else 0.0,
        affinities=affinities,
        traits=trait_scores(config.traits, affinities.categories, texts),
        quiz=latest_answers(of.get("quiz_answer", [])),
        recent_products=recent,
        purchased=frozenset(item.product for event in purchases for item in event.items),
        cart=cart_from_events(sorted(of.get("add_to_cart", []) + of.get("remove_from_cart", []) + purchases, key=by_time)),
        new_session=is_new_session(sessions),
        ignored=ignored_recommendations(of.get("rec_impression", []) + of.get("rec_click", [])),
    )


def order_value(event: Event) -> float:
    return event.value if event.value > 0 else sum(item.price * item.quantity for item in event.items)


def days_between(then_ms: float | None, now_ms: float) -> float:
    return NEVER_DAYS if then_ms is None else round(max(0.0, now_ms - then_ms) / DAY_MS, 6)


def category_of(model: Model, product_id: str) -> str:
    index = model.index_of(product_id)
    return model.brief(index).category_key if index is not None else ""


def recent_products(events: list[Event]) -> tuple[str, ...]:
    seen: list[str] = []
    for event in reversed(events):
        if event.type in ("product_view", "add_to_cart", "rec_click") and event.product and event.product not in seen:
            seen.append(event.product)
            if len(seen) == RECENT_LIMIT:
                break
    return tuple(seen)


def latest_answers(events: list[Event]) -> dict[str, str]:
    return {event.question: event.answer for event in events if event.type == "quiz_answer" and event.question}


def cart_from_events(events: list[Event]) -> tuple[Item, ...]:
    """The cart as add/remove events left it since the last purchase."""
    quantities: dict[str, int] = {}
    prices: dict[str, float] = {}
    for event in events:
        if event.type == "purchase":
            quantities.clear()
        elif event.type == "add_to_cart" and event.product:
            quantities[event.product] = quantities.get(event.product, 0) + event.quantity
            prices[event.product] = event.price
        elif event.type == "remove_from_cart" and event.product in quantities:
            quantities[event.product] -= event.quantity
            if quantities[event.product] <= 0:
                del quantities[event.product]
    return tuple(Item(product, quantity, prices.get(product, 0.0)) for product, quantity in quantities.items())


def ignored_recommendations(events: list[Event]) -> dict[str, dict[str, int]]:
    """Per placement, impressions per product for products never clicked there."""
    shown: dict[str, dict[str, int]] = {}
    clicked: set[tuple[str, str]] = set()
    for event in events:
        if event.type == "rec_impression":
            counts = shown.setdefault(event.placement, {})
            for item in event.items:
                counts[item.product] = counts.get(item.product, 0) + 1
        elif event.type == "rec_click":
            clicked.add((event.placement, event.product))
    return {placement: {product: count for product, count in counts.items() if (placement, product) not in clicked}
            for placement, counts in shown.items()}


def profile_values(profile: Profile) -> dict:
    """The names rules may use that come from the profile (docs/site-config.md)."""
    affinities = profile.affinities
    values = {
        "orders": profile.orders, "total_spend": profile.total_spend,
        "average_order_value": round(profile.average_order_value, 2),
        "days_since_last_order": profile.days_since_last_order, "days_since_last_visit": profile.days_since_last_visit,
        "sessions": profile.sessions, "page_views": profile.page_views, "product_views": profile.product_views,
        "cart_adds": profile.cart_adds, "lifecycle": profile.lifecycle, "engagement": profile.engagement,
        "intent": profile.intent, "mindset": profile.mindset, "price_sensitivity": profile.price_sensitivity,
        "top_category": top_leaf_category(affinities.categories), "top_brand": strongest(affinities.brands),
        "price_band": strongest(affinities.price_bands),
        "categories": sorted(affinities.categories), "brands": sorted(affinities.brands),
        "traits": sorted(name for name, score in profile.traits.items() if score >= 0.3),
        "cart_items": sum(item.quantity for item in profile.cart),
        "cart_value": round(sum(item.quantity * item.price for item in profile.cart), 2),
        "new_session": profile.new_session,
    }
    values.update({f"trait_{name}": score for name, score in profile.traits.items()})
    values.update({f"quiz_{question}": answer for question, answer in profile.quiz.items()})
    return values

