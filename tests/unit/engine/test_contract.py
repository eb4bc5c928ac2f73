"""The contract (py_src/shopkeeper/contract.py) is the only place its names and limits live:
the engine parses by it, the JavaScript reads it, and neither side keeps a copy that could drift."""

import dataclasses
import json
import pathlib
import re

import pytest

from shopkeeper.contract import CONTRACT, EVENT_TYPES, TEXT_LIMITS, contract_json
from shopkeeper.engine.events import Event, parse_context, parse_event

ROOT = pathlib.Path(__file__).resolve().parents[3]
WEB = ROOT / "web"
SCHEMA = CONTRACT["events"]
STRUCTURED = {"quantity", "items", "discount"}


def web(name: str) -> str:
    return (WEB / name).read_text()


def test_an_event_has_exactly_the_fields_the_contract_lists():
    fields = {field.name for field in dataclasses.fields(Event)} - {"type", "ts_ms"}
    assert fields == set(TEXT_LIMITS) | set(SCHEMA["numbers"]) | STRUCTURED


@pytest.mark.parametrize("field", sorted(TEXT_LIMITS))
def test_the_engine_cuts_each_text_field_at_the_contracts_limit(field):
    limit = TEXT_LIMITS[field]
    event = parse_event({"type": "page_view", "ts": 1.0, field: "x" * (limit + 7)})
    assert len(getattr(event, field)) == limit
    assert getattr(parse_event({"type": "page_view", "ts": 1.0, field: "y" * limit}), field) == "y" * limit


def test_the_engine_bounds_quantities_and_items_as_the_contract_says():
    many = [{"product": f"P{i}", "quantity": 10**6} for i in range(SCHEMA["max_items"] + 5)]
    event = parse_event({"type": "purchase", "ts": 1.0, "items": many, "quantity": 10**9})
    assert len(event.items) == SCHEMA["max_items"] and {item.quantity for item in event.items} == {SCHEMA["max_quantity"]}
    assert event.quantity == SCHEMA["max_quantity"]


def test_every_contract_type_parses_and_nothing_else_does():
    assert {kind for kind in EVENT_TYPES if parse_event({"type": kind, "ts": 1.0})} == EVENT_TYPES
    assert parse_event({"type": "page_vieww", "ts": 1.0}) is None


def test_the_page_context_is_bounded_by_the_contract():
    limits = CONTRACT["context"]
    context = parse_context({"url": "u" * 5000, "locale": "l" * 99, "visitor_id": "v" * 999, "listing": ["p"] * 900,
                             "placements": [{"name": "a", "count": 999}, {"name": "b"}]})
    assert (len(context.url), len(context.locale), len(context.visitor_id)) == (limits["url"], limits["locale"], limits["visitor_id"])
    assert len(context.listing) == limits["max_listing"]
    assert context.placements == (("a", limits["max_count"]), ("b", limits["default_count"]))


@pytest.mark.parametrize("name", ["shopkeeper.js", "worker.mjs", "privacy.mjs"])
def test_each_web_file_reads_the_contract_once_and_keeps_no_copy_of_it(name):
    source = web(name)
    assert source.count("/*@CONTRACT@*/null") == 1
    assert "indexedDB.open(\"" not in source and "indexedDB.open('" not in source, "the database name comes from the contract"
    for literal in ["page_view: ", "Pages viewed", "2000", "9999", "365 * 24"]:   # the tables, the limits
        assert literal not in source, f"web/{name} writes {literal!r} itself"


def test_requests_sent_and_handled_are_the_contracts():
    requests = set(CONTRACT["worker"]["requests"])
    handlers = web("worker.mjs").split("const handlers = {", 1)[1].split("\n};", 1)[0]
    assert set(re.findall(r"^  async (\w+)\(", handlers, flags=re.M)) == requests
    sent = set()
    for name in ["shopkeeper.js", "privacy.mjs", "render.mjs"]:
        sent |= set(re.findall(r"\brequest\(\"(\w+)\"", web(name)))
    assert sent and sent <= requests, sent - requests


def test_every_migration_starts_from_an_older_format_and_names_a_known_step():
    for old, step in CONTRACT["migrations"].items():
        assert 0 < int(old) < CONTRACT["stored_format"] and step == "clean"
    assert CONTRACT["database"]["version"] == CONTRACT["stored_format"]


def test_the_contract_as_written_into_the_javascript_is_plain_json():
    assert json.loads(contract_json()) == json.loads(json.dumps(CONTRACT))


def test_numbers_are_kept_as_the_loader_keeps_them():
    event = parse_event({"type": "engagement", "ts": 1.0, "dwell_ms": -5, "scroll_pct": 150, "price": float("inf"),
                         "items": [{"product": "A", "price": -2}]})
    assert (event.dwell_ms, event.scroll_pct, event.price, event.items[0].price) == (0.0, SCHEMA["max_scroll_pct"], 0.0, 0.0)
