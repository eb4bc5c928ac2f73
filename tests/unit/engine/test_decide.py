import json

from catalog import NOW, model, view

from shopkeeper.browser import as_store, decide_json, load_model, profile_json
from shopkeeper.browser.exercise import exercise_engine
from shopkeeper.engine import decide_page, parse_config, parse_context, parse_events
from shopkeeper.model import encode_model

CONFIG = {
    "shop": {"name": "Outfitters", "currency": "EUR"},
    "segments": [{"name": "from_social", "rule": "traffic_source == 'social'"}],
    "slots": [{"name": "hero", "variants": [
        {"name": "social", "segment": "from_social", "priority": 5, "template": "<p>Hello from {{ visit.utm_source }}</p>"},
        {"name": "empty", "rule": "orders == 0", "template": "{% if false %}x{% endif %}  "},
    ]}],
    "campaigns": [{"name": "exit", "trigger": "exit_intent", "offers_discount": True, "template": "<p>10% off</p>"}],
}


def decide(raw_events, context, config=CONFIG):
    m = model(config)
    return decide_page(m, parse_config(m.config), parse_events(raw_events), parse_context(context), NOW).to_json_dict()


def test_traffic_source_of_the_landing_page_carries_through_the_session():
    landing = {"type": "page_view", "ts": NOW - 60_000, "page": "home", "url": "https://shop.test/?utm_source=insta&utm_medium=social"}
    context = {"page": "category", "slots": ["hero"], "url": "https://shop.test/c", "referrer": "https://shop.test/"}
    assert decide([landing], context)["slots"]["hero"] == {"variant": "social", "html": "<p>Hello from insta</p>", "reason": "segment"}


def test_utm_values_are_escaped_in_templates():
    context = {"page": "home", "slots": ["hero"], "url": "https://shop.test/?utm_source=%3Cb%3E&utm_medium=social"}
    assert decide([], context)["slots"]["hero"]["html"] == "<p>Hello from &lt;b&gt;</p>"


def test_a_variant_that_renders_nothing_keeps_the_default():
    assert decide([], {"page": "home", "slots": ["hero"]})["slots"] == {}


def test_discount_popup_is_armed_then_capped_after_it_was_shown():
    context = {"page": "home"}
    assert [p["campaign"] for p in decide([], context)["popups"]] == ["exit"]
    shown = [{"type": "popup_shown", "ts": NOW - 1000, "campaign": "exit"}, {"type": "page_view", "ts": NOW - 2000}]
    assert decide(shown, context)["popups"] == []


def test_unknown_placements_and_slots_are_ignored():
    decisions = decide([view("tent", 1)], {"page": "home", "slots": ["nope"], "placements": [{"name": "nothing-here", "count": 3}]})
    assert decisions["slots"] == {} and decisions["recs"] == {}


def test_placements_named_after_a_strategy_need_no_config():
    decisions = decide([], {"page": "product", "product": "tent", "placements": [{"name": "bought-together", "count": 2}]})
    assert [item["id"] for item in decisions["recs"]["bought-together"]["items"]] == ["stove", "mug"]


def test_json_entry_point_with_a_published_model_and_the_privacy_profile():
    m = model(CONFIG)
    load_model(encode_model(m.data))
    events = as_store([view("tent", 1), view("boots", 0.5)])
    context = json.dumps({"page": "home", "placements": [{"name": "recently-viewed", "count": 5}]})
    result = json.loads(decide_json(*events, context, NOW))
    assert [item["id"] for item in result["recs"]["recently-viewed"]["items"]] == ["boots", "tent"]
    assert json.loads(profile_json(*events, context, NOW))["recent_products"] == ["boots", "tent"]


def test_exercise_touches_every_kind_of_decision():
    decisions = exercise_engine()
    assert decisions["slots"] and decisions["recs"] and decisions["popups"] and decisions["exposures"]
