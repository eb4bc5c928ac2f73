"""What the worker keeps between page views changes how fast a decision is, never what it is."""

import json

from catalog import NOW, model, page, purchase, view
from shopkeeper.browser import worker_entry
from shopkeeper.engine import decide_page, parse_config, parse_context, parse_events
from shopkeeper.engine.lookup import remembering
from shopkeeper.model import encode_model

CONFIG = {
    "shop": {"name": "Outfitters", "currency": "EUR"},
    "placements": [{"name": "for-you", "strategy": "personalized", "count": 3}],
    "slots": [{"name": "hero", "variants": [{"name": "back", "rule": "product_views >= 2",
                                             "template": "<p>{{ last_viewed.title }}</p>"}]}],
}
CONTEXT = {"page": "product", "product": "tent", "slots": ["hero"],
           "placements": [{"name": "bought-together", "count": 2}, {"name": "for-you", "count": 3}]}


def lines(records):
    return "\n".join(map(json.dumps, records))


def test_stored_events_equal_parse_events_and_keep_duplicates_and_skip_bad_lines():
    records = [view("boots", 2), page("home", 3), view("boots", 2), {"type": "nonsense", "ts": 1}, view("tent", 1)]
    text = lines(records) + "\n{not json\n\n"
    assert worker_entry.stored_events(text) == parse_events(records)
    assert len(worker_entry.stored_events(text)) == 4


def test_only_the_latest_calls_records_are_kept_and_forget_drops_them():
    worker_entry.stored_events(lines([view("boots", 2), view("tent", 1)]))
    worker_entry.stored_events(lines([view("tent", 1), view("mug", 0)]))   # the store dropped the boots view
    assert sorted(worker_entry._parsed) == sorted(map(json.dumps, [view("tent", 1), view("mug", 0)]))
    worker_entry.forget()
    assert worker_entry._parsed == {}


def test_a_warm_worker_decides_exactly_as_a_fresh_one_page_after_page():
    history = [page("home", 40), view("boots", 40), purchase([("boots", 120.0)], 39), view("socks", 2), view("stove", 1)]
    worker_entry.load_model(encode_model(model(CONFIG).data))
    shown = []
    for step, product in enumerate(["tent", "mug", "book", "tent"]):
        history.append(view(product, 0.5 - step * 0.1))
        context = {**CONTEXT, "product": product}
        warm = json.loads(worker_entry.decide_json(lines(history), json.dumps(context), NOW))
        fresh_model = model(CONFIG)
        fresh = decide_page(fresh_model, parse_config(CONFIG), parse_events(history), parse_context(context), NOW).to_json_dict()
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
