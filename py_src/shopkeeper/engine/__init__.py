"""The engine: pure functions of (model, config, events, context, now) that return decisions.

Runs unchanged on CPython and on Pyodide, so it imports nothing CPython-only and never
touches the browser (no `js`, no I/O). Modules: events and sessions (input), profile and
its parts (affinity, lifecycle, mindset), rules and config (the merchant's settings),
traffic (the visit), experiments, slots, recommend/candidates/shelves, popups/timing,
and decide, which calls them all.
"""

from shopkeeper.engine.config import ConfigError, SiteConfig, parse_config
from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.events import Event, PageContext, parse_context, parse_events
from shopkeeper.engine.types import Decisions

__all__ = [
    "ConfigError",
    "Decisions",
    "Event",
    "PageContext",
    "SiteConfig",
    "decide_page",
    "parse_config",
    "parse_context",
    "parse_events",
]
