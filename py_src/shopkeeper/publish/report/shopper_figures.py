"""The report's shoppers: the log replayed through the engine, each shopper at their last event.

A shopper is the log's visitor (or, without one, the session). Their events become the
records the loader would have stored (a page_view and a product_view per view, cart
additions and removals, orders), and engine.decide_page decides the home page a second
after their last event, with every slot and placement of the site config, as the worker
would: what lifecycle stage and segments they are in, which variant of each slot they see,
which popups arm, which experiment arm their id falls in. Logs with many shoppers are
sampled by a hash of the shopper (the same ones every run), and the page says how many.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.events import parse_context, parse_events
from shopkeeper.engine.experiments import assign, unit
from shopkeeper.engine.lookup import remembering
from shopkeeper.publish.preview import shopper_audience
from shopkeeper.publish.read.eventlog import CART, PURCHASE, REMOVE, VIEW, EventChunk

__all__ = ["ShopperFigures", "shopper_figures"]

MAX_SHOPPERS = 5_000
MAX_RECORDS = 2_000        # what the loader keeps of a shopper's history (contract max_events)
KINDS = {VIEW: "view", CART: "add_to_cart", REMOVE: "remove_from_cart", PURCHASE: "purchase"}


@dataclass
class ShopperFigures:
    shoppers: int = 0                    # replayed
    of: int = 0                          # in the log
    lifecycle: Counter = field(default_factory=Counter)
    segments: Counter = field(default_factory=Counter)
    slot_variants: dict[str, Counter] = field(default_factory=dict)   # slot -> variant (or "default") -> shoppers
    popups: Counter = field(default_factory=Counter)                  # (campaign, trigger) -> shoppers it arms for
    arms: dict[str, Counter] = field(default_factory=dict)            # experiment -> arm -> shoppers


def shopper_figures(model, config, chunks: Iterable[EventChunk], sessions_in_log: int,
                    limit: int = MAX_SHOPPERS) -> ShopperFigures:
    """Replay (a sample of) the log's shoppers; `sessions_in_log` bounds how many there are."""
    rate = min(1.0, limit / max(sessions_in_log, 1))
    histories, seen = _histories(chunks, rate)
    model = remembering(model)
    context = parse_context({"page": "home", "slots": [slot.name for slot in config.slots],
                             "placements": [{"name": placement.name, "count": 4} for placement in config.placements]})
    figures = ShopperFigures(of=seen)
    for shopper, records in list(histories.items())[:limit]:
        events = parse_events(records[-MAX_RECORDS:])
        if not events:
            continue
        now_ms = events[-1].ts_ms + 1000.0
        visitor = str(shopper)
        decisions = decide_page(model, config, events, replace(context, visitor_id=visitor), now_ms)
        audience = shopper_audience(model, config, events, context, now_ms).values
        figures.shoppers += 1
        figures.lifecycle[audience["lifecycle"]] += 1
        figures.segments.update(audience["segments"])
        for slot in config.slots:
            chosen = decisions.slots.get(slot.name)
            figures.slot_variants.setdefault(slot.name, Counter())[chosen["variant"] if chosen else "default"] += 1
        figures.popups.update((popup["campaign"], popup["trigger"]) for popup in decisions.popups)
        for experiment in config.experiments:
            assignment = assign(experiment, visitor)
            arm = "holdout" if assignment.holdout else assignment.arm or "not in the experiment"
            figures.arms.setdefault(experiment.name, Counter())[arm] += 1
    return figures


def _histories(chunks: Iterable[EventChunk], rate: float) -> tuple[dict[str, list[dict]], int]:
    """Each sampled shopper's records, in log order, and how many shoppers the log has."""
    histories: dict[str, list[dict]] = {}
    everyone: set = set()
    for chunk in chunks:
        visitors, sessions = chunk.visitor.tolist(), chunk.session.tolist()
        for i, (visitor, session) in enumerate(zip(visitors, sessions)):
            shopper = f"v{visitor}" if visitor >= 0 else f"s{session}"
            everyone.add(shopper)
            if rate < 1.0 and unit(f"report:{shopper}") >= rate:
                continue
            kind = KINDS.get(int(chunk.kind[i]))
            product, ts = chunk.product[i], float(chunk.ts[i]) * 1000.0
            if kind is None or not product:
                continue
            records = histories.setdefault(shopper, [])
            if kind == "view":
                records += [{"type": "page_view", "ts": ts, "page": "product", "product": product},
                            {"type": "product_view", "ts": ts, "product": product}]
            elif kind == "purchase":
                price = float(chunk.price[i]) if chunk.price[i] == chunk.price[i] else 0.0
                records.append({"type": "purchase", "ts": ts, "items": [
                    {"product": product, "quantity": int(chunk.quantity[i]), "price": price}]})
            else:
                records.append({"type": kind, "ts": ts, "product": product, "quantity": int(chunk.quantity[i])})
    return histories, len(everyone)
