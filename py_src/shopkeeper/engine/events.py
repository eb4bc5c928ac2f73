"""Events as the loader records them, and the context of the page asking for decisions.

Parsing is lenient on purpose: a malformed stored event is dropped, never raised,
because a decision must not fail on what an older loader version wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

EVENT_TYPES = frozenset({"page_view", "product_view", "add_to_cart", "remove_from_cart", "purchase", "search"})


@dataclass(frozen=True)
class Event:
    type: str
    ts_ms: float
    page: str = ""
    product: str = ""


@dataclass(frozen=True)
class PageContext:
    page: str = ""
    product: str = ""
    slots: tuple[str, ...] = ()


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def parse_events(raw: object) -> list[Event]:
    """Turn stored event records into Events, oldest first, skipping unusable ones."""
    if not isinstance(raw, list):
        return []
    events = []
    for record in raw:
        if not isinstance(record, dict) or record.get("type") not in EVENT_TYPES:
            continue
        ts = record.get("ts")
        if isinstance(ts, bool) or not isinstance(ts, (int, float)):
            continue
        events.append(Event(record["type"], float(ts), _text(record.get("page")), _text(record.get("product"))))
    events.sort(key=lambda event: event.ts_ms)
    return events


def parse_context(raw: object) -> PageContext:
    if not isinstance(raw, dict):
        return PageContext()
    slots = raw.get("slots")
    slot_names = tuple(name for name in slots if isinstance(name, str)) if isinstance(slots, list) else ()
    return PageContext(_text(raw.get("page")), _text(raw.get("product")), slot_names)
