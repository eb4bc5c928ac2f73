"""What the worker keeps between page views changes how fast a decision is, never what it is."""

import importlib
import json
import sys
import zipfile

from catalog import NOW, model, page, purchase, view
from without_jinja2 import jinja2_hidden

from shopkeeper.browser import worker_entry
from shopkeeper.engine import decide_page, parse_config, parse_context, parse_events
from shopkeeper.engine.lookup import remembering
from shopkeeper.engine.visit.traffic import arrival
from shopkeeper.model import encode_model

CONFIG = {
    "shop": {"name": "Outfitters", "currency": "EUR"},
    "placements": [{"name": "for-you", "strategy": "personalized", "count": 3}],
    "slots": [{"name": "hero", "variants": [{"name": "back", "rule": "product_views >= 2",
                                             "template": "<p>{{ last_viewed.title }}</p>"}]}],
}
CONTEXT = {"page": "product", "product": "tent", "slots": ["hero"],
           "placements": [{"name": "bought-together", "count": 2}, {"name": "for-you", "count": 3}]}


class Store:
    """The store as worker.mjs passes it: every key (as runs), and the records of keys not passed before
    (a key whose record changed, as after the browser dropped and recreated the store, again)."""

    def __init__(self):
        self.records: dict[int, dict] = {}
        self.passed: dict[int, float] = {}
        self.next_key = 1

    def add(self, *records):
        for record in records:
            self.records[self.next_key] = record
            self.next_key += 1

    def drop(self, key):
        del self.records[key]

    def arguments(self):
        fresh = {key: record for key, record in self.records.items() if self.passed.get(key) != record.get("ts")}
        self.passed = {key: record.get("ts") for key, record in self.records.items()}
        runs = []
        for key in sorted(self.records):
            if runs and key == runs[-1][1] + 1:
                runs[-1][1] = key
            else:
                runs.append([key, key])
        return json.dumps(runs), json.dumps(fresh)


def test_stored_events_equal_parse_events_and_skip_bad_records():
    worker_entry.forget()
    records = [view("boots", 2), page("home", 3), view("boots", 2), {"type": "nonsense", "ts": 1}, view("tent", 1)]
    store = Store()
    store.add(*records)
    assert worker_entry.stored_events(*store.arguments()) == parse_events(records)
    assert worker_entry.stored_events(*store.arguments()) == parse_events(records)   # nothing new: all from memory
    assert worker_entry.stored_events("not json", "{}") == []


def test_records_are_parsed_once_and_dropped_with_their_keys():
    worker_entry.forget()
    store = Store()
    store.add(view("boots", 2), view("tent", 1))
    worker_entry.stored_events(*store.arguments())
    store.drop(1)
    store.add(view("mug", 0))
    keys, fresh = store.arguments()
    assert json.loads(fresh) == {"3": view("mug", 0)}
    assert [event.product for event in worker_entry.stored_events(keys, fresh)] == ["tent", "mug"]
    assert sorted(worker_entry._stored) == [2, 3]
    worker_entry.decide_json(keys, "{}", json.dumps({"page": "search", "url": "https://shop.test/?utm_source=news"}), NOW)
    worker_entry.forget()
    assert worker_entry._stored == {} and arrival.cache_info().currsize == 0


def test_a_key_reused_for_another_record_is_read_again():
    worker_entry.forget()
    store = Store()
    store.add(view("boots", 2))
    worker_entry.stored_events(*store.arguments())
    store.records = {1: view("socks", 1)}   # the browser dropped the database; keys start again
    assert [event.product for event in worker_entry.stored_events(*store.arguments())] == ["socks"]


def test_a_warm_worker_decides_exactly_as_a_fresh_one_page_after_page():
    worker_entry.forget()
    history = [page("home", 40), view("boots", 40), purchase([("boots", 120.0)], 39), view("socks", 2), view("stove", 1)]
    store = Store()
    store.add(*history)
    worker_entry.load_model(encode_model(model(CONFIG).data))
    shown = []
    for step, product in enumerate(["tent", "mug", "book", "tent"]):
        history.append(view(product, 0.5 - step * 0.1))
        store.add(history[-1])
        context = {**CONTEXT, "product": product}
        warm = json.loads(worker_entry.decide_json(*store.arguments(), json.dumps(context), NOW))
        fresh = decide_page(model(CONFIG), parse_config(CONFIG), parse_events(history), parse_context(context), NOW).to_json_dict()
        assert warm == fresh, f"page {step}"
        shown.append(bool(warm["recs"]["for-you"]["items"] and warm["slots"]["hero"]))
    assert any(shown), "the pages exercise shelves and slots"


def test_a_remembering_model_answers_as_the_model_does_and_forgets_on_request():
    plain = model()
    kept = remembering(plain)
    assert remembering(kept) is kept
    for product in ("tent", "boots", "unknown"):
        index = plain.index_of(product)
        assert kept.index_of(product) == index
        if index is not None:
            assert kept.product(index) == plain.product(index)
            assert kept.neighbours("viewed_together", index) == plain.neighbours("viewed_together", index)
    assert kept.popular(3, "Outdoor") == plain.popular(3, "Outdoor")
    assert kept._ids
    kept.forget()
    assert not kept._ids and not kept._products


def test_without_jinja2_a_page_asks_for_the_templates_zip_and_then_decides_as_ever():
    worker_entry.forget()
    history = [page("home", 40), view("boots", 3), view("socks", 2)]
    store = Store()
    store.add(*history)
    keys, fresh = store.arguments()
    plain = {**CONFIG, "slots": [{"name": "hero", "variants": [{"name": "back", "rule": "product_views >= 2",
                                                               "template": "<p>Welcome back</p>\n"}]}]}
    filtered = {**CONFIG, "slots": [{"name": "hero", "variants": [{"name": "back", "rule": "product_views >= 2",
                                                                  "template": "<p>{{ last_viewed.title | e }}</p>"}]}]}
    with jinja2_hidden():
        worker_entry.load_model(encode_model(model(filtered).data))
        assert json.loads(worker_entry.decide_json(keys, fresh, json.dumps(CONTEXT), NOW)) == {"needs": "templates"}
        worker_entry.load_model(encode_model(model(plain).data))
        without = json.loads(worker_entry.decide_json(keys, "{}", json.dumps(CONTEXT), NOW))
    assert without["slots"]["hero"]["html"] == "<p>Welcome back</p>" and without["recs"]["for-you"]["items"]
    worker_entry.load_model(encode_model(model(filtered).data))
    decided = json.loads(worker_entry.decide_json(keys, "{}", json.dumps(CONTEXT), NOW))
    expected = decide_page(model(filtered), parse_config(filtered), parse_events(history), parse_context(CONTEXT), NOW).to_json_dict()
    assert decided == expected and decided["slots"]["hero"]["html"] == "<p>Wool Socks</p>"


def test_add_archive_puts_a_zip_on_the_import_path_once(tmp_path):
    archive = tmp_path / "later.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("shopkeeper_later_module.py", "ANSWER = 42\n")
    try:
        worker_entry.add_archive(str(archive))
        worker_entry.add_archive(str(archive))
        assert sys.path.count(str(archive)) == 1
        assert importlib.import_module("shopkeeper_later_module").ANSWER == 42
    finally:
        sys.path.remove(str(archive))
        sys.modules.pop("shopkeeper_later_module", None)
