"""The engine: pure functions of (model, events, context, now) that return decisions.

Runs unchanged on CPython and on Pyodide, so it imports nothing CPython-only and
never touches the browser (no `js`, no I/O).
"""

from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.events import Event, PageContext, parse_context, parse_events
from shopkeeper.engine.types import Decisions, SlotDecision

__all__ = [
    "Decisions",
    "Event",
    "PageContext",
    "SlotDecision",
    "decide_page",
    "parse_context",
    "parse_events",
]
