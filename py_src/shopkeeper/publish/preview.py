"""What a given shopper would see on a given page, decided by the browser worker's own entry.

The shopper is a story ("view SKU-1, view SKU-2, cart SKU-2") or events as the browser
stores them (the privacy panel's export, or a JSON list). Either becomes the records the
loader would have stored, page by page, and each page a story walks through is decided in
turn with browser/worker_entry (load_model, decide_json), as worker.mjs calls it: so the
shards a sharded model's earlier pages fetched are the ones the browser would hold, and
the last page's decisions are exactly the worker's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shopkeeper.browser import worker_entry
from shopkeeper.engine.audience import Audience, audience_of
from shopkeeper.engine.config.site import SiteConfig
from shopkeeper.engine.events import Event, PageContext, parse_context
from shopkeeper.engine.shopper.sessions import split_sessions
from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.sources import read_json

__all__ = ["PreviewPage", "exported_records", "preview", "preview_text", "shopper_audience", "story_records"]

STEP_S = 60.0          # between the steps of a story
WAITS = {"m": 60.0, "h": 3600.0, "d": 86400.0}
SHARD_STEPS = 3        # a product page asks for its bucket's index first, then its shard


@dataclass(frozen=True)
class PreviewPage:
    page: str = "home"
    product: str = ""
    category: str = ""
    slots: tuple[str, ...] | None = None              # None: every slot of the site config
    shelves: tuple[tuple[str, int], ...] | None = None  # None: every placement, 4 items each
    visitor: str = ""
    url: str = ""
    referrer: str = ""


def story_records(story: str, end_ms: float) -> list[dict]:
    """The records the loader stores for a story of steps separated by commas, the last one
    STEP_S before end_ms: `view ID`, `category NAME`, `cart ID`, `remove ID`, `buy ID [ID ...]`,
    `search WORDS`, `home`, `wait N(m|h|d)`."""
    steps, offsets, at = [], [], 0.0
    for step in (step.strip() for step in story.split(",")):
        if not step:
            continue
        verb, _, rest = step.partition(" ")
        if verb == "wait":
            wait = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([mhd])", rest.strip())
            if not wait:
                raise InputError("--story", None, f"{step!r}: write a wait as 'wait 30m', 'wait 2h' or 'wait 3d'")
            at += float(wait.group(1)) * WAITS[wait.group(2)]
            continue
        at += STEP_S
        steps.append((step, verb, rest.strip()))
        offsets.append(at)
    start = end_ms - at * 1000.0 - STEP_S * 1000.0   # a wait at the end is time before the page
    records: list[dict] = []
    for (step, verb, rest), offset in zip(steps, offsets):
        ts = start + offset * 1000.0
        if verb == "view" and rest:
            records += [{"type": "page_view", "ts": ts, "page": "product", "product": rest},
                        {"type": "product_view", "ts": ts, "product": rest}]
        elif verb == "category" and rest:
            records.append({"type": "page_view", "ts": ts, "page": "category", "category": rest})
        elif verb == "home" and not rest:
            records.append({"type": "page_view", "ts": ts, "page": "home"})
        elif verb in ("cart", "remove") and rest:
            kind = "add_to_cart" if verb == "cart" else "remove_from_cart"
            records.append({"type": kind, "ts": ts, "product": rest, "quantity": 1})
        elif verb == "buy" and rest:
            items = [{"product": product, "quantity": 1} for product in rest.split()]
            records += [{"type": "page_view", "ts": ts, "page": "order"}, {"type": "purchase", "ts": ts, "items": items}]
        elif verb == "search" and rest:
            records += [{"type": "page_view", "ts": ts, "page": "search"}, {"type": "search", "ts": ts, "query": rest}]
        else:
            raise InputError("--story", None, f"{step!r}: steps are view ID, category NAME, cart ID, remove ID, "
                                              "buy ID [ID ...], search WORDS, home, wait N(m|h|d)")
    return records


def exported_records(path: str | Path) -> list[dict]:
    """The events of a privacy panel export ({"events": [...]}) or of a JSON list of them."""
    data = read_json(path)
    events = data.get("events") if isinstance(data, dict) else data
    if not isinstance(events, list):
        raise InputError(path, None, "expected the privacy panel's export (an object with events) or a JSON list of events")
    return events


def preview(published: Path, model_blob: bytes, records: list[dict], page: PreviewPage, now_ms: float) -> dict:
    """The decisions of `page` for a shopper with these stored records, as the worker makes them."""
    worker_entry.load_model(model_blob, verified=True)
    try:
        _, config = worker_entry.current()
        for visited in _pages_visited(records):
            _fetch_page_shards(published, visited)
        context = {
            "page": page.page, "product": page.product, "category": page.category, "visitor_id": page.visitor,
            "url": page.url, "referrer": page.referrer,
            "slots": list(page.slots) if page.slots is not None else [slot.name for slot in config.slots],
            "placements": [{"name": name, "count": count} for name, count in page.shelves] if page.shelves is not None
            else [{"name": placement.name, "count": 4} for placement in config.placements],
        }
        _fetch_page_shards(published, context)
        keys, stored = worker_entry.as_store(records)
        decisions = json.loads(worker_entry.decide_json(keys, stored, json.dumps(context), now_ms))
        model, config = worker_entry.current()
        audience = shopper_audience(model, config, worker_entry.stored_events(keys, stored), parse_context(context), now_ms)
        names = ("lifecycle", "intent", "orders", "sessions", "segments", "top_category")
        return {"context": context, "audience": {name: audience.values[name] for name in names}, "decisions": decisions}
    finally:
        worker_entry.forget()


def shopper_audience(model, config: SiteConfig, events: list[Event], context: PageContext, now_ms: float) -> Audience:
    """Who a page's decisions are made for (profile, segments, arms), worked out as
    decide_page works it out: the events split into sessions at the shop's gap."""
    sessions = split_sessions(events, now_ms, config.shop.session_gap_minutes)
    return audience_of(model, config, events, sessions, context, now_ms)


def _pages_visited(records: list[dict]) -> list[dict]:
    """Each product and category page the records show the shopper opened, oldest first."""
    seen, pages = set(), []
    for record in records:
        if not isinstance(record, dict) or record.get("type") != "page_view":
            continue
        key = (record.get("page"), record.get("product", ""), record.get("category", ""))
        if key[0] in ("product", "category") and key not in seen:
            seen.add(key)
            pages.append({"page": key[0], "product": key[1], "category": key[2]})
    return pages


def _fetch_page_shards(published: Path, context: dict) -> None:
    """The shards this page would fetch, read from the published directory, as worker.mjs fetches them."""
    for _ in range(SHARD_STEPS):
        wanted = json.loads(worker_entry.page_shards(json.dumps(context)))
        if not wanted:
            return
        for key, name in wanted:
            path = published / name
            try:
                blob, problem = path.read_bytes(), ""
            except OSError as error:
                blob, problem = None, f"{path}: {(error.strerror or str(error)).lower()}"
            worker_entry.add_shard(key, name, blob, problem, False)


def preview_text(result: dict) -> str:
    """The decisions as a merchant reads them."""
    context, audience, decisions = result["context"], result["audience"], result["decisions"]
    when = datetime.fromtimestamp(decisions["made_at_ms"] / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = context["page"] + "".join(f" {context[key]}" for key in ("product", "category") if context[key])
    visitor = f", visitor {context['visitor_id']}" if context["visitor_id"] else ""
    lines = [f"{where} page at {when}{visitor}"]
    lines.append(f"shopper: {audience['lifecycle']}, intent {audience['intent']}, {audience['sessions']} sessions, "
                 f"{audience['orders']} orders; segments: {', '.join(audience['segments']) or 'none'}")
    if decisions.get("warning"):
        lines.append(f"warning: {decisions['warning']}")
    for name in context["slots"]:
        slot = decisions.get("slots", {}).get(name)
        lines.append(f"slot {name}: " + (f"{slot['variant']} ({slot['reason']})" if slot else "default content"))
    for name, shelf in decisions.get("recs", {}).items():
        lines.append(f"shelf {name} ({shelf['strategy']}):" + ("" if shelf["items"] else " nothing to show"))
        for rank, item in enumerate(shelf["items"], 1):
            lines.append(f"  {rank}. {item['id']} {item['title']}: {item['reason']}")
    for name, order in decisions.get("rerank", {}).items():
        lines.append(f"re-ranked {name}: {', '.join(order)}")
    popups = decisions.get("popups", [])
    lines.append("popups armed: " + (", ".join(f"{p['campaign']} ({p['trigger']}, threshold {p['threshold']:g})" for p in popups)
                                      if popups else "none"))
    exposures = decisions.get("exposures", [])
    lines.append("experiments: " + (", ".join(f"{e['experiment']} arm {e['arm']}" + (" (holdout)" if e["holdout"] else "")
                                             for e in exposures) if exposures else "none"))
    return "\n".join(lines)
