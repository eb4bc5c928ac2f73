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
import sys

from shopkeeper.contract import CONTRACT
from shopkeeper.engine.config.site import SiteConfig, parse_config
from shopkeeper.engine.content.templates import TemplatesUnavailable
from shopkeeper.engine.decide import decide_page
from shopkeeper.engine.events import Event, by_time, parse_context, parse_event
from shopkeeper.engine.lookup import RememberingModel, remembering
from shopkeeper.engine.remembered import forget_all, register
from shopkeeper.engine.shopper.profile import build_profile, profile_values
from shopkeeper.model import InMemoryModel, ModelData, ModelFormatError, decode_model
from shopkeeper.model.sharded import ShardedModel, is_sharded

_EMPTY = InMemoryModel(ModelData(products=[]))
_loaded: dict[str, object] = {"model": remembering(_EMPTY), "config": SiteConfig()}
_stored: dict[int, Event | None] = {}   # store key -> its record's Event (None: unusable), for the store's current keys
register("browser.worker_entry stored events", _stored)


def load_model(blob, verified: bool = False) -> str:
    """Decode and keep a published model; raises ModelFormatError for a corrupt one, and
    the worker then keeps deciding with the empty model (the page's default content).

    `verified`: the worker already matched the file's SHA-256 to the manifest with the
    browser's own crypto, so the slower pure-Python digest is skipped (the structure is
    still checked). `blob` is bytes, or a JS Uint8Array proxy from the worker."""
    _loaded.update(model=remembering(_EMPTY), config=SiteConfig())
    model = decode_model(_bytes(blob), verify=not verified)
    if is_sharded(model):
        model = ShardedModel(model)
    config = parse_config(model.config, check_templates=False)  # publishing compiled them
    _loaded.update(model=remembering(model), config=config)
    return model.version


def _bytes(blob) -> bytes:
    return bytes(blob.to_py() if hasattr(blob, "to_py") else blob)


def _sharded() -> ShardedModel | None:
    model = _loaded["model"].model  # type: ignore[attr-defined]
    return model if isinstance(model, ShardedModel) else None


def _settled() -> ShardedModel | None:
    """The loaded sharded model with the shards added since the last request indexed, and
    what the worker remembers of it moved to the new indexes; None for a one-file model."""
    sharded = _sharded()
    change = sharded.settle() if sharded is not None else None
    if change is not None:
        _loaded["model"].reindex(change)  # type: ignore[attr-defined]
    return sharded


def page_shards(context_json: str) -> str:
    """[[key, name], ...]: the shards of a sharded model this page view may fetch and has not
    loaded (docs/shards.md); [] for a one-file model. Ask again after adding them: a
    product page needs its bucket's index first."""
    model, context = _sharded(), parse_context(json.loads(context_json))
    return json.dumps(model.page_shards(context.page, context.product, context.category) if model else [])


HISTORY_SHARDS = CONTRACT["shard_cache"]["history_products"]


def history_shards(keys_json: str, records_json: str) -> str:
    """[key, ...]: the shards of the shopper's newest products and categories that are not
    loaded, for the worker to look up in its own storage only (never online)."""
    model = _sharded()
    if model is None:
        return "[]"
    products, categories = [], []
    for event in reversed(stored_events(keys_json, records_json)):
        if event.product and event.product not in products:
            products.append(event.product)
        for item in event.items:
            if item.product not in products:
                products.append(item.product)
        if event.category and event.category not in categories:
            categories.append(event.category)
        if len(products) + len(categories) >= HISTORY_SHARDS:
            break
    return json.dumps(model.missing_keys(products, categories)[:HISTORY_SHARDS])


def add_shard(key: str, name: str, blob, problem: str = "", kept: bool = False) -> str:
    """Load a shard the worker fetched, or `kept` from an earlier page (blob None with
    `problem` when it could not have it): '' when loaded, else why it was refused. A
    refused shard of the page being viewed leaves that page its default content
    (decide_json)."""
    model = _sharded()
    if model is None:
        return "the model is not in shards"
    return model.add_shard(key, name, None if blob is None else _bytes(blob), problem, kept)


def current() -> tuple[RememberingModel, SiteConfig]:
    return _loaded["model"], _loaded["config"]  # type: ignore[return-value]


def stored_events(keys_json: str, records_json: str) -> list[Event]:
    """The store's events, oldest first, unusable records skipped.

    `keys_json`: every key of the store's records, in key order, as a JSON array of
    [first, last] runs (IndexedDB numbers records 1, 2, 3 ... and drops the oldest);
    `records_json`: a JSON object of the records this worker has not been given before,
    by key (worker.mjs keeps track; all of them after `forget`). A page view adds a few
    records to the hundreds parsed for the pages before, so each is parsed once per
    worker, and a record the store no longer has (expired, erased) is dropped here too.
    A key given without its record, never given before, is skipped."""
    keys = [key for run in _json_value(keys_json, list) if _is_run(run) for key in range(run[0], run[1] + 1)]
    for key, record in _json_value(records_json, dict).items():
        _stored[int(key)] = parse_event(record) if key.isdigit() else None
    if len(_stored) > len(keys):
        kept = {key: _stored[key] for key in keys if key in _stored}
        _stored.clear()
        _stored.update(kept)
    events = [event for event in map(_stored.get, keys) if event is not None]
    events.sort(key=by_time)
    return events


def _is_run(run: object) -> bool:
    return isinstance(run, list) and len(run) == 2 and all(type(key) is int for key in run) and 0 <= run[1] - run[0] < 1_000_000


def _json_value(text: str, kind: type):
    try:
        value = json.loads(text)
    except ValueError:
        return kind()
    return value if isinstance(value, kind) else kind()


NEEDS_TEMPLATES = json.dumps({"needs": "templates"})


def decide_json(keys_json: str, records_json: str, context_json: str, now_ms: float) -> str:
    """Every decision of the page, as docs/decisions.md describes, from the store's events
    (see stored_events) and the page's context; or {"needs": "templates"} when a decision
    renders a template and Jinja2's archive is not loaded yet (add_archive, then ask again)."""
    model, config = current()
    context = parse_context(json.loads(context_json))
    events = stored_events(keys_json, records_json)
    sharded = _settled()
    refusal = sharded.page_refusal(context.page, context.product, context.category) if sharded is not None else ""
    if refusal:
        model, config = remembering(_EMPTY), SiteConfig()
    try:
        try:
            answer = decide_page(model, config, events, context, float(now_ms)).to_json_dict()
        except ModelFormatError as error:
            # The file passed its checks but a section failed while answering (damaged behind a
            # matching hash): refused for the rest of this worker's life, as if it never loaded.
            _loaded.update(model=remembering(_EMPTY), config=SiteConfig())
            answer = decide_page(*current(), events, context, float(now_ms)).to_json_dict()
            answer["warning"] = f"the model was refused: {error}"
    except TemplatesUnavailable:
        return NEEDS_TEMPLATES
    if refusal:
        answer["warning"] = f"a model shard of this page was refused, so it keeps its default content: {refusal}"
    return json.dumps(answer, separators=(",", ":"), sort_keys=True)


def add_archive(path: str) -> None:
    """Put a zip of modules the worker fetched later (Jinja2's) on the import path. A new
    entry has no cached finder, so nothing needs invalidating (importlib.invalidate_caches
    would import importlib.metadata, which the runtime does not ship)."""
    if path not in sys.path:
        sys.path.append(path)


def profile_json(keys_json: str, records_json: str, context_json: str, now_ms: float) -> str:
    """What the engine derives from the shopper's events, for the shopper's own eyes."""
    model, config = current()
    context = parse_context(json.loads(context_json))
    _settled()
    profile = build_profile(stored_events(keys_json, records_json), model, context, float(now_ms), config)
    values = profile_values(profile)
    values["recent_products"] = list(profile.recent_products)
    return json.dumps(values, separators=(",", ":"), sort_keys=True)


def as_store(records: list) -> tuple[str, str]:
    """(keys_json, records_json) for records not given to this worker before, keyed by
    position: what worker.mjs passes for a new shopper's store, for callers outside it."""
    return json.dumps([[1, len(records)]] if records else []), json.dumps(dict(enumerate(records, start=1)))


def forget() -> None:
    """The shopper erased their data: drop everything remembered (engine/remembered.py),
    from the parsed events to the URLs and queries the engine remembers parsing, and the
    shards loaded for the shopper's pages (which pages they were says what they viewed)."""
    sharded = _sharded()
    if sharded is not None:
        sharded.forget_shards()
    forget_all()
