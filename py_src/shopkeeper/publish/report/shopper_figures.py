"""The report's shoppers: the log replayed through the engine, each shopper at their last event.

A shopper is the log's visitor (or, without one, the session). Their events become the
records the loader would have stored (a page_view and a product_view per view, a
page_view per search, with the page's address and referrer when the log has them, cart
additions and removals, orders),
and the engine decides the home page a second after their last event, with every slot of
the site config, as the worker would (decide_page's audience and decisions_for): what
lifecycle stage and segments they are in, where their last visit came from, which variant
of each slot they see, which popups arm, which experiment arm their id falls in. Logs
with many shoppers are sampled by a hash of the shopper's number in the log (the same
ones every run), and the page says how many.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from shopkeeper.engine.audience import audience_of
from shopkeeper.engine.decide import decisions_for
from shopkeeper.engine.events import parse_context, parse_events
from shopkeeper.engine.experiments import assign
from shopkeeper.engine.lookup import remembering
from shopkeeper.engine.shopper.sessions import split_sessions
from shopkeeper.publish.lift import SRM_P, experiment_splits, sample_ratio_p
from shopkeeper.publish.read.eventlog import CART, PURCHASE, REMOVE, SEARCH, VIEW, EventChunk

__all__ = ["ShopperFigures", "replay_warnings", "shopper_figures"]

MAX_SHOPPERS = 5_000
MAX_RECORDS = 2_000        # what the loader keeps of a shopper's history (contract max_events)
KINDS = {VIEW: "view", CART: "add_to_cart", REMOVE: "remove_from_cart", PURCHASE: "purchase"}
OUTSIDE = "not in the experiment"


@dataclass
class ShopperFigures:
    shoppers: int = 0                    # replayed
    of: int = 0                          # in the log
    sessions: int = 0                    # the replayed shoppers' sessions in the log
    lifecycle: Counter = field(default_factory=Counter)
    lifecycle_sessions: Counter = field(default_factory=Counter)      # stage -> sessions of its shoppers
    segments: Counter = field(default_factory=Counter)
    segment_sessions: Counter = field(default_factory=Counter)        # segment -> sessions of its shoppers
    sources: Counter = field(default_factory=Counter)                 # traffic source of the last visit -> shoppers
    addresses_known: bool = False        # the log has page addresses or referrers, so sources mean something
    slot_variants: dict[str, Counter] = field(default_factory=dict)   # slot -> variant (or "default") -> shoppers
    popups: Counter = field(default_factory=Counter)                  # (campaign, trigger) -> shoppers it arms for
    arms: dict[str, Counter] = field(default_factory=dict)            # experiment -> arm -> shoppers
    arm_srm_p: dict[str, float | None] = field(default_factory=dict)  # experiment -> sample-ratio p of its arms
    warnings: list[str] = field(default_factory=list)


def shopper_figures(model, config, chunks: Iterable[EventChunk], sessions_in_log: int,
                    limit: int = MAX_SHOPPERS) -> ShopperFigures:
    """Replay (a sample of) the log's shoppers; `sessions_in_log` bounds how many there are."""
    rate = min(1.0, limit / max(sessions_in_log, 1))
    histories, sessions, seen, addresses = _histories(chunks, rate)
    model = remembering(model)
    home = parse_context({"page": "home", "slots": [slot.name for slot in config.slots]})
    figures = ShopperFigures(of=seen, addresses_known=addresses)
    for shopper, records in list(histories.items())[:limit]:
        events = parse_events(records[-MAX_RECORDS:])
        if not events:
            continue
        now_ms = events[-1].ts_ms + 1000.0
        landing = next((record["url"] for record in reversed(records) if record.get("url")), "")
        # A click on the shop's own link from their last page: the visit keeps its landing page's source.
        context = replace(home, visitor_id=str(shopper), url=landing, referrer=landing)
        split = split_sessions(events, now_ms, config.shop.session_gap_minutes)
        audience = audience_of(model, config, events, split, context, now_ms)
        decisions = decisions_for(model, config, events, split[-1] if split else [], audience, context)
        figures.shoppers += 1
        figures.sessions += sessions[shopper]
        figures.lifecycle[audience.values["lifecycle"]] += 1
        figures.lifecycle_sessions[audience.values["lifecycle"]] += sessions[shopper]
        figures.segments.update(audience.segments)
        figures.segment_sessions.update(dict.fromkeys(audience.segments, sessions[shopper]))
        figures.sources[audience.visit.traffic_source] += 1
        for slot in config.slots:
            chosen = decisions.slots.get(slot.name)
            figures.slot_variants.setdefault(slot.name, Counter())[chosen["variant"] if chosen else "default"] += 1
        figures.popups.update((popup["campaign"], popup["trigger"]) for popup in decisions.popups)
        for experiment in config.experiments:
            assignment = assign(experiment, str(shopper))
            arm = "holdout" if assignment.holdout else assignment.arm or OUTSIDE
            figures.arms.setdefault(experiment.name, Counter())[arm] += 1
    splits = experiment_splits(config)
    figures.arm_srm_p = {name: sample_ratio_p(dict(arms), splits.get(name, {})) for name, arms in figures.arms.items()}
    figures.warnings = replay_warnings(config, figures)
    return figures


def replay_warnings(config, figures: ShopperFigures) -> list[str]:
    """What the merchant configured that no replayed shopper would meet."""
    if not figures.shoppers:
        return ["no shopper of the log could be replayed"]
    who = f"none of the {figures.shoppers:,} shoppers replayed"
    warnings = [f"segment {segment.name}: {who} is in it"
                for segment in config.segments if not figures.segments[segment.name]]
    for slot in config.slots:
        shown = figures.slot_variants.get(slot.name, Counter())
        warnings += [f"slot {slot.name}, variant {variant.name}: {who} would see it" for variant in slot.variants
                     if not shown[variant.name]]
    armed = {campaign for campaign, _ in figures.popups}
    warnings += [f"popup {campaign.name}: it would arm for {who} on the home page"
                 for campaign in config.campaigns if campaign.name not in armed]
    for name, p in figures.arm_srm_p.items():
        if p is not None and p < SRM_P:
            warnings.append(f"experiment {name}: its arms are not the sizes its split asks for (p = {p:.2g})")
    return warnings


def _histories(chunks: Iterable[EventChunk], rate: float) -> tuple[dict[str, list[dict]], Counter, int, bool]:
    """Each sampled shopper's records in log order, their number of sessions, how many
    shoppers the log has, and whether it has page addresses. Rows are picked with numpy
    and only the sampled ones are visited: a 10M-event log samples a few thousand."""
    histories: dict[str, list[dict]] = {}
    session_sets: dict[str, set] = {}
    everyone: list[np.ndarray] = []
    addresses = False
    for chunk in chunks:
        key = np.where(chunk.visitor >= 0, chunk.visitor * 2, chunk.session * 2 + 1)   # one number per shopper
        everyone.append(np.unique(key))
        for i in np.flatnonzero(sampled(key, rate)).tolist():
            visitor, session = int(chunk.visitor[i]), int(chunk.session[i])
            shopper = f"v{visitor}" if visitor >= 0 else f"s{session}"
            code, product, ts = int(chunk.kind[i]), chunk.product[i], float(chunk.ts[i]) * 1000.0
            kind = "search" if code == SEARCH else KINDS.get(code)
            if kind is None or not product and kind != "search":
                continue
            session_sets.setdefault(shopper, set()).add(session)
            records = histories.setdefault(shopper, [])
            if kind in ("view", "search"):
                page = {"type": "page_view", "ts": ts, "page": "product" if kind == "view" else "search", "product": product}
                if chunk.url is not None or chunk.referrer is not None:
                    page.update(url=chunk.url[i] if chunk.url is not None else "",
                                referrer=chunk.referrer[i] if chunk.referrer is not None else "")
                    addresses = addresses or bool(page["url"] or page["referrer"])
                records += [page, {"type": "product_view", "ts": ts, "product": product}] if kind == "view" else [page]
            elif kind == "purchase":
                price = float(chunk.price[i]) if chunk.price[i] == chunk.price[i] else 0.0
                records.append({"type": "purchase", "ts": ts, "items": [
                    {"product": product, "quantity": int(chunk.quantity[i]), "price": price}]})
            else:
                records.append({"type": kind, "ts": ts, "product": product, "quantity": int(chunk.quantity[i])})
    shoppers = len(np.unique(np.concatenate(everyone))) if everyone else 0
    return histories, Counter({shopper: len(found) for shopper, found in session_sets.items()}), shoppers, addresses


def sampled(key: np.ndarray, rate: float) -> np.ndarray:
    """Whether each shopper number is in a sample of about `rate` of them: a splitmix64
    hash of the number, so the same shoppers are drawn every run, in any chunking."""
    if rate >= 1.0:
        return np.ones(len(key), dtype=bool)
    with np.errstate(over="ignore"):
        z = key.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53) < rate
