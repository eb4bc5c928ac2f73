import json

from shopkeeper.browser import decide_json
from shopkeeper.engine import PageContext, decide_page, parse_context, parse_events
from shopkeeper.engine.decide import last_viewed_product
from shopkeeper.engine.markup import escape_html


def view(product, ts):
    return {"type": "product_view", "ts": ts, "page": "product", "product": product}


def test_thousands_of_events_pick_the_latest_view():
    raw = [view(f"SKU-{i}", 1000 + i) for i in range(5000)]
    events = parse_events(list(reversed(raw)))
    assert last_viewed_product(events, now_ms=10_000) == "SKU-4999"


def test_page_views_alone_do_not_greet():
    events = parse_events([{"type": "page_view", "ts": 1, "page": "home"}])
    decisions = decide_page(events, PageContext(page="home", slots=("hero",)), now_ms=2)
    assert decisions.slots == {}


def test_context_ignores_non_string_slot_names():
    context = parse_context({"page": "home", "slots": ["hero", 3, None], "product": 7})
    assert context == PageContext(page="home", product="", slots=("hero",))


def test_unparseable_shapes_give_empty_inputs():
    assert parse_events({"not": "a list"}) == []
    assert parse_context("nope") == PageContext()


def test_boolean_timestamps_are_not_numbers():
    assert parse_events([{"type": "product_view", "ts": True, "product": "A"}]) == []


def test_escape_html_covers_attribute_and_text_contexts():
    assert escape_html("""<a href="x" title='y'>&</a>""") == "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"


def test_json_entry_point_round_trips():
    result = json.loads(decide_json(json.dumps([view("A", 1)]), json.dumps({"slots": ["hero"]}), 5))
    assert result["slots"]["hero"]["reason"] == "viewed_product"
    assert result["made_at_ms"] == 5
