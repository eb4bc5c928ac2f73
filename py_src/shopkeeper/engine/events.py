"""Events as the loader records them, and the context of the page asking for decisions.

Parsing is lenient on purpose: a malformed stored event is dropped, never raised,
because a decision must not fail on what an older loader version wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import groupby
from operator import attrgetter

EVENT_TYPES = frozenset({
    "page_view",        # page: home, category, product, search, cart, checkout, order; url, referrer
    "product_view",     # product
    "add_to_cart",      # product, quantity, price
    "remove_from_cart",  # product, quantity
    "purchase",         # items [(product, quantity, price)], value, discount (a code or sale price used)
    "search",           # query
    "rec_impression",   # placement, items shown
    "rec_click",        # placement, product
    "popup_shown",      # campaign
    "popup_dismissed",  # campaign
    "popup_converted",  # campaign
    "engagement",       # page, dwell_ms, scroll_pct: sent when the shopper leaves a page
    "quiz_answer",      # question, answer (zero-party data the shopper chose to give)
})


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


def _text(value: object, limit: int = 500) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _number(value: object, default: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return default
    return float(value)


def _items(raw: object) -> tuple[Item, ...]:
    if not isinstance(raw, list):
        return ()
    items = []
    for entry in raw:
        if isinstance(entry, dict):
            product = _text(entry.get("product"))
            if product:
                quantity = max(1, int(_number(entry.get("quantity"), 1)))
                items.append(Item(product, quantity, _number(entry.get("price"))))
    return tuple(items)


# How each optional field is read from a stored record: text fields by their length
# limit, the others by a reader. Each turns a value of the wrong kind into the field's
# default, so a record is read key by key (the few it has) on top of the defaults.
_TEXT_LIMITS = {**dict.fromkeys(("page", "product", "placement", "campaign", "question", "answer"), 500),
                "query": 200, "url": 2000, "referrer": 2000}
_READERS = {
    **dict.fromkeys(("price", "value", "dwell_ms", "scroll_pct"), _number),
    "quantity": lambda value: max(1, int(_number(value, 1))), "items": _items, "discount": lambda value: value is True,
}
_EVENT_DEFAULTS = {"type": "", "ts_ms": 0.0, **{field.name: field.default for field in fields(Event)[2:]}}


def parse_event(record: object) -> Event | None:
    if not isinstance(record, dict) or record.get("type") not in EVENT_TYPES:
        return None
    ts = record.get("ts")
    if isinstance(ts, bool) or not isinstance(ts, (int, float)) or ts != ts:
        return None
    values = _EVENT_DEFAULTS.copy()
    values["type"], values["ts_ms"] = record["type"], float(ts)
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
            (entry["name"], max(1, min(50, int(_number(entry.get("count"), 4)))))
            for entry in placements if isinstance(entry, dict) and _text(entry.get("name"))
        ) if isinstance(placements, list) else (),
        url=_text(raw.get("url"), 2000), referrer=_text(raw.get("referrer"), 2000),
        user_agent=_text(raw.get("user_agent")), viewport_width=int(_number(raw.get("viewport_width"))),
        tz_offset_minutes=int(_number(raw.get("tz_offset_minutes"))), locale=_text(raw.get("locale"), 35),
        visitor_id=_text(raw.get("visitor_id"), 100),
        listing=tuple(item for item in listing[:500] if isinstance(item, str)) if isinstance(listing, list) else (),
    )
