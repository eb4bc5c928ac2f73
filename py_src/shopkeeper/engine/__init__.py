"""The engine: pure functions of (model, config, events, context, now) that return decisions.

Runs unchanged on CPython and on Pyodide, so it imports nothing CPython-only and never
touches the browser (no `js`, no I/O). `events` is its input and `decide` calls the rest:
`audience` (who the page is for: the `shopper/` profile, the `visit/`, segments, experiment
arms), `config/` and `rules/` (the merchant's settings), `content/` (slots), `recs/`
(shelves) and `popups/`. `lookup` reads the model once per product; `decisions` is the output.
"""

from shopkeeper.engine.config.site import ConfigError, SiteConfig, parse_config
from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.decisions import Decisions
from shopkeeper.engine.events import Event, PageContext, parse_context, parse_events

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
