"""Shelves replayed from an event log through the decision function the browser worker calls.

A case is what the worker is given on one page view: the records the loader stored (a
page_view and a product_view for each product page, an add_to_cart for each cart line),
the page context it sends and the time. `ShelfReplay.ranked` parses them as
browser/worker_entry.decide_json does, calls engine.decide.decide_page with the model and
site config the worker would hold, and reads the placement's products from the decisions.
A test holds this to decide_json's own output for the same case.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.engine.config.site import SiteConfig, parse_config
from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.events import parse_context, parse_events
from shopkeeper.engine.lookup import remembering
from shopkeeper.model import Model

__all__ = ["ShelfCase", "ShelfReplay", "cart_page_case", "product_page_case"]

THINK_MS = 1000.0   # the decision comes a moment after the page's own records


@dataclass(frozen=True)
class ShelfCase:
    records: tuple[dict, ...]   # as the loader stores them (docs: web/README.md)
    context: dict               # as the loader sends it
    now_ms: float

    @property
    def placement(self) -> str:
        return self.context["placements"][0]["name"]


def product_page_case(viewed: list[str], times_s: list[float], placement: str, count: int) -> ShelfCase:
    """A shopper who opened these product pages in turn (Unix seconds), on the last of them."""
    records = []
    for product, ts in zip(viewed, times_s):
        records.append({"type": "page_view", "ts": ts * 1000.0, "page": "product", "product": product})
        records.append({"type": "product_view", "ts": ts * 1000.0, "product": product})
    context = {"page": "product", "product": viewed[-1], "placements": [{"name": placement, "count": count}]}
    return ShelfCase(tuple(records), context, times_s[-1] * 1000.0 + THINK_MS)


def cart_page_case(cart: list[str], time_s: float, placement: str, count: int) -> ShelfCase:
    """A shopper on the cart page with these products in the cart, added a moment before."""
    ts = time_s * 1000.0
    records = [{"type": "add_to_cart", "ts": ts - THINK_MS, "product": product, "quantity": 1} for product in cart]
    records.append({"type": "page_view", "ts": ts, "page": "cart"})
    context = {"page": "cart", "placements": [{"name": placement, "count": count}]}
    return ShelfCase(tuple(records), context, ts + THINK_MS)


class ShelfReplay:
    """One worker's view of one model: its answers remembered across cases, as in the browser."""

    def __init__(self, model: Model, config: SiteConfig | None = None):
        self.model = remembering(model)
        self.config = config if config is not None else parse_config(model.config, check_templates=False)

    def ranked(self, case: ShelfCase) -> list[str]:
        """The product ids the case's placement shows, in order."""
        decisions = decide_page(self.model, self.config, parse_events(list(case.records)),
                                parse_context(case.context), case.now_ms)
        shelf = decisions.recs.get(case.placement)
        return [item["id"] for item in shelf["items"]] if shelf else []
