"""Every decision path once, on a tiny published model: the runtime build runs this
inside Pyodide to learn which stdlib modules the browser needs, and tests run it too.

With `jinja=False` every template is plain text (no Jinja2 syntax), so the decisions run
without importing Jinja2: the modules imported then are the runtime's core zip, and
what the Jinja2 templates add is its templates zip."""

from __future__ import annotations

import json
import re

from shopkeeper.browser.worker_entry import (
    add_shard,
    as_store,
    decide_json,
    forget,
    history_shards,
    load_model,
    page_shards,
    profile_json,
)
from shopkeeper.model import InMemoryModel, ModelData, Product, TimingModel, encode_model
from shopkeeper.model.shards import encode_sharded

NOW_MS = 1_800_000_000_000.0
CONFIG = {
    "shop": {"name": "Exercise", "currency": "EUR"},
    "segments": [{"name": "viewers", "rule": "product_views >= 1 and traffic_source != 'paid'"}],
    "experiments": [{"name": "copy", "arms": [{"name": "a"}, {"name": "b"}]}],
    "slots": [{"name": "hero", "variants": [
        {"name": "welcome", "segment": "viewers",
         "template": "<p>{{ last_viewed.title }} for {{ shop.name | default('you') }}{{ ' \\u2014 ' ~ visit.device }}</p>"},
        {"name": "test", "experiment": "copy", "arm": "b", "priority": 1, "template": "<p>B</p>"},
    ]}],
    "placements": [{"name": "shelf", "strategy": "viewed_together", "card_template": "<a href='{{ product.url }}'>{{ product.title }}</a>"}],
    "campaigns": [{"name": "exit", "trigger": "exit_intent", "template": "<p>{{ profile.lifecycle ~ '!' }}</p>"}],
}


def plain_config() -> dict:
    """CONFIG with every template's Jinja2 syntax taken out."""
    return json.loads(re.sub(r"\{[{%#].*?[}%#]\}", "x", json.dumps(CONFIG)))


def exercise_engine(jinja: bool = True) -> dict:
    products = [Product("A", "Alpha", "/a", price=10.0, category=("X", "Y")), Product("B", "Beta", "/b", price=20.0, category=("X",))]
    data = ModelData(
        products=products, neighbours={"viewed_together": [[(1, 0.5)], [(0, 0.5)]], "bought_together": [[(1, 1.0)], []]},
        popularity=[1.0, 0.5], trending=[0.5, 1.0], config=CONFIG if jinja else plain_config(),
        timing=TimingModel(("pages",), (0.1, 0.2), (-1.0, 0.1)),
    )
    InMemoryModel(data)
    load_model(encode_model(data))
    events = as_store([
        {"type": "page_view", "ts": NOW_MS - 5000, "page": "product", "url": "https://shop.test/a?utm_medium=email"},
        {"type": "product_view", "ts": NOW_MS - 5000, "product": "A"},
        {"type": "search", "ts": NOW_MS - 3000, "query": "best tents"},
    ])
    context = json.dumps({"page": "home", "slots": ["hero"], "placements": [{"name": "shelf", "count": 2}],
                          "url": "https://shop.test/", "referrer": "https://shop.test/a", "visitor_id": "v-1"})
    decisions = json.loads(decide_json(*events, context, NOW_MS))
    json.loads(profile_json(*events, context, NOW_MS))
    forget()
    exercise_shards(data, events)
    return decisions


def exercise_shards(data: ModelData, events: tuple[str, str]) -> None:
    """The same store as a sharded model: a product page fetches its index and shard."""
    files = encode_sharded(data, [[(1, 0.5)], [(0, 0.5)]])
    load_model(files.main)
    context = json.dumps({"page": "product", "product": "A", "slots": ["hero"], "visitor_id": "v-1",
                          "placements": [{"name": "shelf", "count": 2}]})
    json.loads(history_shards(*events))
    for _ in range(2):
        for key, name in json.loads(page_shards(context)):
            add_shard(key, name, files.shards[name])
    json.loads(decide_json(*events, context, NOW_MS))
    forget()
