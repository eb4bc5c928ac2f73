"""One call that returns every decision a page needs.

The walking skeleton decides a single thing: greet a shopper who has viewed a product
before with that product, in every slot named "hero". The full engine grows here.
"""

from __future__ import annotations



from shopkeeper.engine.events import Event, PageContext
from shopkeeper.engine.markup import escape_html
from shopkeeper.engine.types import Decisions, SlotDecision

GREETING_SLOT = "hero"


def last_viewed_product(events: list[Event], now_ms: float, exclude: str = "") -> str:
    """The most recent product view at or before now, other than the one on screen."""
    for event in reversed(events):
        if event.type == "product_view" and event.product and event.ts_ms <= now_ms and event.product != exclude:
            return event.product
    return ""


def decide_page(events: list[Event], context: PageContext, now_ms: float) -> Decisions:
    slots: dict[str, SlotDecision] = {}
    if GREETING_SLOT in context.slots:
        product = last_viewed_product(events, now_ms, exclude=context.product)
        if product:
            slots[GREETING_SLOT] = SlotDecision(
                variant="returning-viewer",
                html=f'<p class="sk-greeting">Welcome back! Still thinking about <b>{escape_html(product)}</b>?</p>',
                reason="viewed_product",
            )
    return Decisions(made_at_ms=now_ms, slots=slots)
