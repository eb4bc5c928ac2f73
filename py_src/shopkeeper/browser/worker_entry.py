"""The functions the worker calls through Pyodide.

Strings and bytes cross the JS/Python boundary instead of proxies: one copy each way, no
JsProxy lifetimes to manage, and the same functions run under CPython in tests. The
loaded model is the one piece of state, kept here at the edge, not in the engine.
"""

from __future__ import annotations

import json

from shopkeeper.engine.config import SiteConfig, parse_config
from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.events import parse_context, parse_events
from shopkeeper.engine.profile import build_profile, profile_values
from shopkeeper.model import InMemoryModel, Model, ModelData, decode_model

_EMPTY = InMemoryModel(ModelData(products=[]))
_loaded: dict[str, object] = {"model": _EMPTY, "config": SiteConfig()}


def load_model(blob, verified: bool = False) -> str:
    """Decode and keep a published model; raises ModelFormatError for a corrupt one, and
    the worker then keeps deciding with the empty model (the page's default content).

    `verified`: the worker already matched the file's SHA-256 to the manifest with the
    browser's own crypto, so the slower pure-Python digest is skipped (the structure is
    still checked). `blob` is bytes, or a JS Uint8Array proxy from the worker."""
    _loaded.update(model=_EMPTY, config=SiteConfig())
    data = blob.to_py() if hasattr(blob, "to_py") else blob
    model = decode_model(bytes(data), verify=not verified)
    config = parse_config(model.config, check_templates=False)  # publishing compiled them
    _loaded.update(model=model, config=config)
    return model.version


def current() -> tuple[Model, SiteConfig]:
    return _loaded["model"], _loaded["config"]  # type: ignore[return-value]


def decide_json(events_json: str, context_json: str, now_ms: float) -> str:
    model, config = current()
    events = parse_events(json.loads(events_json))
    context = parse_context(json.loads(context_json))
    decisions = decide_page(model, config, events, context, float(now_ms))
    return json.dumps(decisions.to_json_dict(), separators=(",", ":"), sort_keys=True)


def profile_json(events_json: str, context_json: str, now_ms: float) -> str:
    """What the engine derives from the shopper's events, for the shopper's own eyes."""
    model, config = current()
    context = parse_context(json.loads(context_json))
    profile = build_profile(parse_events(json.loads(events_json)), model, context, float(now_ms), config)
    values = profile_values(profile)
    values["recent_products"] = list(profile.recent_products)
    return json.dumps(values, separators=(",", ":"), sort_keys=True)
