"""Fuzz: whatever the store holds and whatever the page sends, the worker's Python answers
with decisions (docs/decisions.md), never an exception that would cost the page view.

The store is as worker.mjs passes it (key runs, records by key) but with records of any
shape (a hand-edited or older store), any run lists, any page context and any clock."""

import json

from catalog import NOW, model
from conftest import tried
from hypothesis import given
from hypothesis import strategies as st
from strategies import contexts, json_values, records

from shopkeeper.browser import worker_entry
from shopkeeper.model import encode_model

CONFIG = {
    "shop": {"name": "Outfitters", "currency": "EUR"},
    "placements": [{"name": "for-you", "strategy": "personalized", "count": 3}],
    "slots": [{"name": "hero", "variants": [{"name": "back", "rule": "product_views >= 1", "template": "<p>{{ last_viewed.title }}</p>"}]}],
    "campaigns": [{"name": "exit", "trigger": "exit_intent", "template": "<p>Wait</p>"}],
}
worker_entry.load_model(encode_model(model(CONFIG).data))
DECISION_KEYS = {"made_at_ms", "model_version", "slots", "slots_elsewhere", "recs", "rerank", "popups", "exposures"}
runs = st.one_of(st.lists(st.lists(st.integers(-5, 40), min_size=0, max_size=3), max_size=4), json_values)
clocks = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -1.0, NOW, NOW * 1000, 8.64e15, -8.64e15]))


@given(st.dictionaries(st.integers(1, 40).map(str), records, max_size=12), runs, contexts, clocks)
def test_decide_json_answers_decisions_for_any_store_page_and_clock(stored, key_runs, context, now_ms):
    tried("worker_entry.decide_json")
    worker_entry.forget()
    answer = json.loads(worker_entry.decide_json(as_sent(key_runs), as_sent(stored), as_sent(context), now_ms))
    assert set(answer) == DECISION_KEYS
    assert all(isinstance(slot["html"], str) for slot in answer["slots"].values())


@given(st.lists(records, max_size=10), contexts, clocks)
def test_profile_json_answers_for_any_store(raw, context, now_ms):
    tried("worker_entry.profile_json")
    worker_entry.forget()
    keys, stored = worker_entry.as_store(json.loads(as_sent(raw)))
    profile = json.loads(worker_entry.profile_json(keys, stored, as_sent(context), now_ms))
    assert isinstance(profile, dict) and isinstance(profile["recent_products"], list)


def as_sent(value) -> str:
    """JSON as the worker's JSON.stringify sends it: NaN and the infinities become null."""
    def finite(item):
        if isinstance(item, float) and item - item != 0:
            return None
        if isinstance(item, list):
            return [finite(entry) for entry in item]
        if isinstance(item, dict):
            return {key: finite(entry) for key, entry in item.items()}
        return item
    return json.dumps(finite(value), allow_nan=False)
