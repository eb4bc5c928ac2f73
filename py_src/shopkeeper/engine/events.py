"""Events as the loader records them, and the context of the page asking for decisions.

Parsing is lenient on purpose: a malformed stored event is dropped, never raised,
because a decision must not fail on what an older loader version wrote.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from itertools import groupby
from operator import attrgetter

from shopkeeper import contract

EVENT_TYPES = contract.EVENT_TYPES   # what each type carries: docs/events.md
_EVENTS = contract.CONTRACT["events"]
_CONTEXT = contract.CONTRACT["context"]


# Events and items are slotted: a worker parses each stored record once and the engine
# reads its fields thousands of times per decision, and a slot is read about twice as fast
# as a __dict__ entry in Pyodide's Python. Frozen, as a parsed event is shared by decisions.
@dataclass(frozen=True, slots=True)
class Item:
    product: str
    quantity: int = 1
    price: float = 0.0


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    ts_ms: float
    page: str = ""
    product: str = ""
    category: str = ""
    quantity: int = 1
    price: float = 0.0
    items: tuple[Item, ...] = ()
    value: float = 0.0
    discount: bool = False
    query: str = ""
    placement: str = ""
    campaign: str = ""
    dwell_ms: float = 0.0
    scroll_pct: float = 0.0
    question: str = ""
    answer: str = ""
    url: str = ""
    referrer: str = ""


@dataclass(frozen=True)
class PageContext:
    page: str = ""
    product: str = ""
    category: str = ""
    slots: tuple[str, ...] = ()
    placements: tuple[tuple[str, int], ...] = ()   # (name, count) of shelves on the page
    url: str = ""
    referrer: str = ""
    user_agent: str = ""
    viewport_width: int = 0
    tz_offset_minutes: int = 0      # minutes to add to UTC for local time (JS: -getTimezoneOffset())
    locale: str = ""
    visitor_id: str = ""
    listing: tuple[str, ...] = ()   # product ids of a category or search result, for re-ranking


def _text(value: object, limit: int = _CONTEXT["text"]) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _number(value: object, default: float = 0.0) -> float:
    """A finite number, else the default (JSON has no infinity, but a hand-edited store may)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    try:
        number = float(value)
    except OverflowError:   # an int beyond any float
        return default
    return number if math.isfinite(number) else default


def _amount(value: object) -> float:
    """A price, value or duration: finite and not negative, as the loader keeps them."""
    number = _number(value)
    return number if number >= 0 else 0.0


def _quantity(value: object) -> int:
    return max(1, min(_EVENTS["max_quantity"], int(_number(value, 1))))


def _items(raw: object) -> tuple[Item, ...]:
    if not isinstance(raw, list):
        return ()
    items = []
    for entry in raw[:_EVENTS["max_items"]]:
        if isinstance(entry, dict):
            product = _text(entry.get("product"), _EVENTS["text"]["product"])
            if product:
                items.append(Item(product, _quantity(entry.get("quantity")), _amount(entry.get("price"))))
    return tuple(items)


# How each optional field is read from a stored record: text fields by their length
# limit, the others by a reader. Each turns a value of the wrong kind into the field's
# default, so a record is read key by key (the few it has) on top of the defaults.
_TEXT_LIMITS = _EVENTS["text"]
_READERS = {
    **dict.fromkeys(_EVENTS["numbers"], _amount),
    "scroll_pct": lambda value: min(_EVENTS["max_scroll_pct"], _amount(value)),
    "quantity": _quantity, "items": _items, "discount": lambda value: value is True,
}
_EVENT_DEFAULTS = {"type": "", "ts_ms": 0.0, **{field.name: field.default for field in fields(Event)[2:]}}


def parse_event(record: object) -> Event | None:
    if not isinstance(record, dict) or not isinstance(record.get("type"), str) or record["type"] not in EVENT_TYPES:
        return None   # a hand-edited store may hold anything, a list for a type included
    ts = _number(record.get("ts"), math.nan)
    if ts != ts:   # no time, or not a finite one
        return None
    values = _EVENT_DEFAULTS.copy()
    values["type"], values["ts_ms"] = record["type"], ts
    for key, value in record.items():
        if key in _TEXT_LIMITS:
            values[key] = value[:_TEXT_LIMITS[key]] if isinstance(value, str) else ""
        elif key in _READERS:
            values[key] = _READERS[key](value)
    return Event(**values)


by_time = attrgetter("ts_ms")   # sort keys for events, read in C
by_type = attrgetter("type")


def events_by_type(events: list[Event]) -> dict[str, list[Event]]:
    """Each type's events, in their order: one sort and one grouping, both in C, where a
    pass over the whole history per question would run hundreds of Python steps each."""
    return {kind: list(group) for kind, group in groupby(sorted(events, key=by_type), key=by_type)}


def parse_events(raw: object) -> list[Event]:
    """Turn stored event records into Events, oldest first, skipping unusable ones."""
    if not isinstance(raw, list):
        return []
    events = [event for event in map(parse_event, raw) if event is not None]
    events.sort(key=by_time)
    return events


def parse_context(raw: object) -> PageContext:
    if not isinstance(raw, dict):
        return PageContext()
    slots = raw.get("slots")
    placements = raw.get("placements")
    listing = raw.get("listing")
    return PageContext(
        page=_text(raw.get("page")), product=_text(raw.get("product")), category=_text(raw.get("category")),
        slots=tuple(name for name in slots if isinstance(name, str)) if isinstance(slots, list) else (),
        placements=tuple(
            (entry["name"], max(1, min(_CONTEXT["max_count"], int(_number(entry.get("count"), _CONTEXT["default_count"])))))
            for entry in placements if isinstance(entry, dict) and _text(entry.get("name"))
        ) if isinstance(placements, list) else (),
        url=_text(raw.get("url"), _CONTEXT["url"]), referrer=_text(raw.get("referrer"), _CONTEXT["referrer"]),
        user_agent=_text(raw.get("user_agent"), _CONTEXT["user_agent"]), viewport_width=int(_number(raw.get("viewport_width"))),
        tz_offset_minutes=int(_number(raw.get("tz_offset_minutes"))), locale=_text(raw.get("locale"), _CONTEXT["locale"]),
        visitor_id=_text(raw.get("visitor_id"), _CONTEXT["visitor_id"]),
        listing=tuple(item for item in listing[:_CONTEXT["max_listing"]] if isinstance(item, str)) if isinstance(listing, list) else (),
    )
