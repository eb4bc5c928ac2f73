"""Entry point the worker calls through Pyodide.

Strings cross the JS/Python boundary instead of proxies: one copy each way, no
JsProxy lifetimes to manage, and the same function runs under CPython in tests.
"""

from __future__ import annotations

import json

from shopkeeper.engine import decide_page, parse_context, parse_events


def decide_json(events_json: str, context_json: str, now_ms: float) -> str:
    events = parse_events(json.loads(events_json))
    context = parse_context(json.loads(context_json))
    return json.dumps(decide_page(events, context, now_ms).to_json_dict(), separators=(",", ":"))
