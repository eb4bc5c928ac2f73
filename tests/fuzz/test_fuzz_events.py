"""Fuzz: stored records and page contexts of any shape are parsed, never raised on."""

from conftest import tried
from hypothesis import given
from hypothesis import strategies as st
from strategies import contexts, records

from shopkeeper.contract import TEXT_LIMITS
from shopkeeper.engine.events import Event, PageContext, parse_context, parse_event, parse_events


@given(records)
def test_parse_event_answers_an_event_or_none(record):
    event = parse_event(record)
    tried("parse_event", refused=event is None)
    if event is not None:
        assert isinstance(event, Event) and event.ts_ms == event.ts_ms and abs(event.ts_ms) != float("inf")
        for field, limit in TEXT_LIMITS.items():
            assert isinstance(getattr(event, field), str) and len(getattr(event, field)) <= limit


@given(st.lists(records, max_size=12))
def test_parse_events_keeps_the_usable_records_in_time_order(raw):
    tried("parse_events")
    events = parse_events(raw)
    assert [event.ts_ms for event in events] == sorted(event.ts_ms for event in events)
    assert len(events) == sum(parse_event(record) is not None for record in raw)


@given(contexts)
def test_parse_context_answers_a_context(raw):
    tried("parse_context")
    context = parse_context(raw)
    assert isinstance(context, PageContext)
    assert all(isinstance(name, str) for name in context.slots) and all(1 <= count <= 50 for _, count in context.placements)
