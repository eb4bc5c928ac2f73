"""Which popup campaigns to arm on this page view, and how soon they may fire.

The loader watches the triggers (exit intent, dwell, scroll, inactivity...) and shows at
most one armed popup per page view; the engine decides eligibility: audience, frequency
caps per session and per day, cool-down after a dismissal, suppression after a purchase,
and, for discount offers, whether the shopper is likely to buy at full price anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopkeeper.engine.content.templates import render_template
from shopkeeper.engine.events import Event
from shopkeeper.engine.popups.timing import TimingOdds, timing_odds
from shopkeeper.engine.shopper.profile import Profile
from shopkeeper.model import Model

if TYPE_CHECKING:
    from shopkeeper.engine.audience import Audience
    from shopkeeper.engine.config.site import SiteConfig

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
BUY_ANYWAY_LIMIT = 0.6     # above this, a discount would mostly give margin away
EARLIER_WHEN_LEAVING = 0.5  # a shopper certain to leave sees a timed popup at half the delay
TIMED_TRIGGERS = frozenset({"dwell", "inactivity", "cart_abandonment"})
POPUP_HISTORY = frozenset({"popup_shown", "popup_dismissed", "popup_converted", "purchase"})  # the history popup_block reads


def popup_block(campaign, profile: Profile, history: list[Event], session: list[Event], odds: TimingOdds, now_ms: float) -> str:
    """Why the campaign may not be armed now, or '' when it may (a closed set of reasons)."""
    session_start = session[0].ts_ms if session else now_ms
    shown = [e for e in history if e.type == "popup_shown" and e.campaign == campaign.name]
    if sum(e.ts_ms >= session_start for e in shown) >= campaign.max_per_session:
        return "session_cap"
    if sum(e.ts_ms > now_ms - DAY_MS for e in shown) >= campaign.max_per_day:
        return "daily_cap"
    dismissed = [e.ts_ms for e in history if e.type == "popup_dismissed" and e.campaign == campaign.name]
    if dismissed and now_ms - dismissed[-1] < campaign.cooldown_hours * HOUR_MS:
        return "cooldown"
    if any(e.type == "popup_converted" and e.campaign == campaign.name and e.ts_ms >= session_start for e in history):
        return "converted"
    purchases = [e.ts_ms for e in history if e.type == "purchase"]
    if purchases and now_ms - purchases[-1] < campaign.suppress_after_purchase_days * DAY_MS:
        return "recent_purchase"
    if campaign.trigger == "cart_abandonment" and not profile.cart:
        return "empty_cart"
    if campaign.trigger == "page_count" and sum(e.type == "page_view" for e in session) < campaign.threshold:
        return "too_few_pages"
    if campaign.offers_discount and odds.buy_anyway > BUY_ANYWAY_LIMIT:
        return "likely_to_buy_anyway"
    return ""


def armed_threshold(campaign, odds: TimingOdds) -> float:
    if campaign.trigger in TIMED_TRIGGERS:
        return round(campaign.threshold * (1.0 - EARLIER_WHEN_LEAVING * odds.leave_soon), 3)
    return float(campaign.threshold)


def armed_popups(model: Model, config: SiteConfig, audience: Audience, events: list[Event], session: list[Event]) -> list[dict]:
    """The campaigns the loader may show on this page view, each with its trigger's threshold and markup."""
    odds = timing_odds(model.timing, session)
    history = [event for event in events if event.type in POPUP_HISTORY]   # all popup_block reads of it, in order
    armed = []
    for campaign in config.campaigns:
        if not audience.admits(campaign.segment, campaign.rule):
            continue
        if popup_block(campaign, audience.profile, history, session, odds, audience.now_ms):
            continue
        html = render_template(campaign.template, audience.template_values)
        if html is not None:
            armed.append({"campaign": campaign.name, "trigger": campaign.trigger,
                          "threshold": armed_threshold(campaign, odds), "html": html})
    return armed
