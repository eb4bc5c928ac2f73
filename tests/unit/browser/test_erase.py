"""The shopper's erase leaves nothing remembered that was derived from them: every cache
registers itself (engine/remembered.py) and worker_entry.forget clears the registry."""

import importlib
import json
import pkgutil

from catalog import NOW, model, page, purchase, view

import shopkeeper.browser
import shopkeeper.engine
from shopkeeper.browser import worker_entry
from shopkeeper.engine import remembered
from shopkeeper.model import encode_model

CONFIG = {
    "shop": {"name": "Outfitters", "currency": "EUR"},
    "traits": {"explorer": {"categories": ["Outdoor > Camping"], "words": ["summit"]}},
    "placements": [{"name": "for-you", "strategy": "personalized", "count": 3}],
    "slots": [{"name": "hero", "variants": [{"name": "back", "rule": "product_views >= 1", "template": "<p>{{ last_viewed.title }}</p>"}]}],
}
CONTEXT = {"page": "product", "product": "tent", "slots": ["hero"], "locale": "de_at", "viewport_width": 390,
           "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148",
           "url": "https://shop.example/p/tent?utm_source=newsletter&utm_medium=email",
           "referrer": "https://mail.example/inbox", "placements": [{"name": "for-you", "count": 3}, {"name": "bought-together", "count": 2}]}
SHOPPER = [page("home", 2), view("boots", 2), view("stove", 1), {"type": "search", "ts": NOW - 3600_000, "query": "summit tent"},
           purchase([("mug", 12.0)], 1), view("tent", 0)]


def engine_modules():
    for package in (shopkeeper.engine, shopkeeper.browser):
        yield package
        for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            yield importlib.import_module(found.name)


def test_every_lru_cache_of_the_engine_is_in_the_registry():
    registered = {id(cache) for cache in remembered.registered()}
    # The sandboxed Jinja2 environment is made once and keeps nothing per call.
    allowed = {"shopkeeper.engine.content.templates.sandbox_environment"}
    unregistered = set()
    for module in engine_modules():
        for name, value in vars(module).items():
            if hasattr(value, "cache_info") and id(value) not in registered and getattr(value, "__module__", "") == module.__name__:
                unregistered.add(f"{module.__name__}.{name}")
    assert unregistered <= allowed, f"caches an erase would miss: {sorted(unregistered - allowed)}"


def test_erase_leaves_every_cache_empty():
    worker_entry.load_model(encode_model(model(CONFIG).data))   # the published file, as the worker loads it
    keys, records = worker_entry.as_store(SHOPPER)
    decisions = json.loads(worker_entry.decide_json(keys, records, json.dumps(CONTEXT), NOW))
    assert decisions["slots"]["hero"]["html"] == "<p>Camp Stove</p>" and decisions["recs"]["for-you"]["items"]
    held = {name: size for name, size in remembered.remembered_sizes().items() if size}
    for expected in ("browser.worker_entry stored events", "shopkeeper.engine.visit.traffic.arrival",
                     "shopkeeper.engine.visit.traffic.device_class", "shopkeeper.engine.shopper.mindset.words_of",
                     "shopkeeper.engine.shopper.affinity.category_levels"):
        assert expected in held, f"{expected} held nothing: the test would prove nothing ({held})"
    assert any(name.startswith("view ") for name in held)

    worker_entry.forget()

    assert {name: size for name, size in remembered.remembered_sizes().items() if size} == {}
    again = json.loads(worker_entry.decide_json(keys, records, json.dumps(CONTEXT), NOW))
    assert again == decisions, "the model is kept: the same store decides the same after an erase of the caches"
