"""The functions the worker calls through Pyodide.

Strings and bytes cross the JS/Python boundary instead of proxies: one copy each way, no
JsProxy lifetimes to manage, and the same functions run under CPython in tests. The
state kept here, at the edge and not in the engine, is what a long-lived worker should
not redo on every page view: the loaded model with the answers read from it
(engine/lookup.py), and the stored events already parsed. `forget` drops all of it but
the model.
"""

from __future__ import annotations

import json

from shopkeeper.engine.config import SiteConfig, parse_config
from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.events import Event, by_time, parse_context, parse_event
from shopkeeper.engine.lookup import RememberingModel, remembering
from shopkeeper.engine.profile import build_profile, profile_values
from shopkeeper.model import InMemoryModel, ModelData, decode_model

_EMPTY = InMemoryModel(ModelData(products=[]))
_loaded: dict[str, object] = {"model": remembering(_EMPTY), "config": SiteConfig()}
_parsed: dict[str, Event | None] = {}   # stored record's JSON text -> its Event, for the latest call's records


def load_model(blob, verified: bool = False) -> str:
    """Decode and keep a published model; raises ModelFormatError for a corrupt one, and
    the worker then keeps deciding with the empty model (the page's default content).

    `verified`: the worker already matched the file's SHA-256 to the manifest with the
    browser's own crypto, so the slower pure-Python digest is skipped (the structure is
    still checked). `blob` is bytes, or a JS Uint8Array proxy from the worker."""
    _loaded.update(model=remembering(_EMPTY), config=SiteConfig())
    data = blob.to_py() if hasattr(blob, "to_py") else blob
    model = decode_model(bytes(data), verify=not verified)
    config = parse_config(model.config, check_templates=False)  # publishing compiled them
    _loaded.update(model=remembering(model), config=config)
    return model.version


def current() -> tuple[RememberingModel, SiteConfig]:
    return _loaded["model"], _loaded["config"]  # type: ignore[return-value]


def stored_events(lines: str) -> list[Event]:
    """The stored records, one JSON object per line, as Events oldest first (unusable ones
    skipped). A page view adds a few records to the hundreds parsed for the page before,
    so each line is parsed once per worker; only the latest call's lines are kept, and a
    record the store dropped (expired, erased) is forgotten with it."""
    global _parsed
    previous, kept = _parsed, {}
    events = []
    for line in lines.split("\n"):
        if line in kept:
            event = kept[line]
        else:
            event = kept[line] = previous[line] if line in previous else _parse_line(line)
        if event is not None:
            events.append(event)
    _parsed = kept
    events.sort(key=by_time)
    return events


def _parse_line(line: str) -> Event | None:
    try:
        return parse_event(json.loads(line))
    except ValueError:
        return None


def decide_json(events_lines: str, context_json: str, now_ms: float) -> str:
    """Every decision of the page, as docs/decisions.md describes; `events_lines` is the
    store's records as JSON Lines."""
    model, config = current()
    context = parse_context(json.loads(context_json))
    decisions = decide_page(model, config, stored_events(events_lines), context, float(now_ms))
    return json.dumps(decisions.to_json_dict(), separators=(",", ":"), sort_keys=True)


def profile_json(events_lines: str, context_json: str, now_ms: float) -> str:
    """What the engine derives from the shopper's events, for the shopper's own eyes."""
    model, config = current()
    context = parse_context(json.loads(context_json))
    profile = build_profile(stored_events(events_lines), model, context, float(now_ms), config)
    values = profile_values(profile)
    values["recent_products"] = list(profile.recent_products)
    return json.dumps(values, separators=(",", ":"), sort_keys=True)


def forget() -> None:
    """The shopper erased their data: drop what the worker derived from it."""
    global _parsed
    _parsed = {}
    current()[0].forget()
