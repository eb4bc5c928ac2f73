"""Capture: every way an action reaches the loader is stored once, in the engine's schema.

Events are read straight from IndexedDB and parsed with the engine's own parser, so a
field the loader names differently from the contract (py_src/shopkeeper/contract.py) and
engine/events.py fails here.
"""

from __future__ import annotations

import dataclasses
import re

from conftest import wait_until
from stored_events import READ_EVENTS, events_until, of_type, stored_events, without_ts  # noqa: F401 (others import them from here)

from shopkeeper.engine.events import Event, PageContext, parse_context, parse_events

# The fields of an Event ("ts" is Event.ts_ms).
STORED_FIELDS = {field.name for field in dataclasses.fields(Event)} - {"ts_ms"} | {"ts"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

def assert_engine_reads(events: list[dict]) -> None:
    for event in events:
        assert set(event) <= STORED_FIELDS, f"fields the engine does not read: {set(event) - STORED_FIELDS} in {event}"
    assert len(parse_events(events)) == len(events), "the engine dropped some stored events"


def test_page_markup_and_existing_datalayer_entries_are_recorded_once(page, server, log):
    page.goto(f"{server.origin}/t/capture.html")
    events = events_until(page, lambda events: len(events) >= 3)

    assert without_ts(events) == [
        {"type": "page_view", "page": "product", "product": "SKU-1", "category": "Outdoor > Trail", "url": page.url},
        {"type": "product_view", "page": "product", "product": "SKU-1"},
        {"type": "product_view", "page": "product", "product": "SKU-7"},  # gtag view_item of another product
    ]
    assert_engine_reads(events)


def test_search_page_records_the_query_clipped_and_once(page, server, log):
    page.goto(f"{server.origin}/t/search.html")
    events = events_until(page, lambda events: len(events) >= 2)

    query = ("<b>waterproof</b> trail shoes " + "x" * 300)[:200]
    assert without_ts(events) == [
        {"type": "page_view", "page": "search", "url": page.url},
        {"type": "search", "page": "search", "query": query},
    ]
    assert_engine_reads(events)


def test_add_to_cart_clicks_record_product_price_and_quantity(page, server, log):
    page.goto(f"{server.origin}/t/capture.html")
    events_until(page, lambda events: len(events) >= 3)
    page.click("#add-label")  # a child of the marked button
    page.click("#add-plain")
    events = events_until(page, lambda events: len(of_type(events, "add_to_cart")) == 2)

    assert of_type(events, "add_to_cart") == [
        {"type": "add_to_cart", "page": "product", "product": "SKU-1", "price": 89.5, "quantity": 2},
        {"type": "add_to_cart", "page": "product", "product": "SKU-2", "quantity": 1},
    ]
    assert_engine_reads(events)


def test_an_action_both_marked_up_and_pushed_to_the_datalayer_counts_once(page, server, log):
    page.goto(f"{server.origin}/t/capture.html")
    events_until(page, lambda events: len(events) >= 3)
    page.click("#add-and-push")  # the store pushes add_to_cart to GA4 in the same click
    page.click("#add-and-push-later")  # ... or 300 ms later
    wait_until(page, "window.pushedLater === 1")
    page.click("#add-and-push")  # a second add of the same product is a second add
    page.evaluate(
        "window.shopkeeper.track('purchase', {items: [{product: 'SKU-3', quantity: 2, price: 20}], value: 40});"
        "window.dataLayer.push({event: 'purchase', ecommerce: {transaction_id: 'T-9', value: 40,"
        " items: [{item_id: 'SKU-3', quantity: 2, price: 20}]}});"
    )
    events = stored_events(page)

    assert [(event["product"], event["price"]) for event in of_type(events, "add_to_cart")] == [
        ("SKU-3", 20), ("SKU-4", 5), ("SKU-3", 20),
    ]
    assert of_type(events, "purchase") == [
        {"type": "purchase", "page": "product", "items": [{"product": "SKU-3", "quantity": 2, "price": 20}], "value": 40},
    ]
    assert len(of_type(events, "product_view")) == 2, "the markup's product and GA4's view_item of it are one view"


def test_ga4_events_pushed_later_are_mapped(page, server, log):
    page.goto(f"{server.origin}/t/capture.html")
    events_until(page, lambda events: len(events) >= 3)
    page.evaluate(
        """() => {
        gtag('event', 'add_to_cart', {currency: 'EUR', items: [{item_id: 'SKU-8', price: '7.25', quantity: '3'}]});
        dataLayer.push({ecommerce: null});
        dataLayer.push({event: 'remove_from_cart', ecommerce: {items: [{item_id: 'SKU-8', quantity: 1}, {item_name: 'no id'}]}});
        dataLayer.push({event: 'purchase', ecommerce: {transaction_id: 'T-1', value: 193.5, currency: 'EUR', coupon: 'SAVE10',
            items: [{item_id: 'SKU-1', price: 89.5, quantity: 2}, {item_id: 'SKU-8', price: 7.25, quantity: 2}]}});
        gtag('event', 'search', {search_term: 'rain jacket'});
        dataLayer.push({event: 'select_item', ecommerce: {items: [{item_id: 'SKU-2'}]}});
        dataLayer.push(null, 'a string', 42, {event: 'purchase', ecommerce: 'not an object'}, ['event']);
        gtag('config', 'G-XXXX');
    }"""
    )
    events = events_until(page, lambda events: len(events) >= 7)

    assert without_ts(events)[3:] == [
        {"type": "add_to_cart", "page": "product", "product": "SKU-8", "quantity": 3, "price": 7.25},
        {"type": "remove_from_cart", "page": "product", "product": "SKU-8", "quantity": 1},
        {"type": "purchase", "page": "product", "value": 193.5, "discount": True, "items": [
            {"product": "SKU-1", "quantity": 2, "price": 89.5}, {"product": "SKU-8", "quantity": 2, "price": 7.25},
        ]},
        {"type": "search", "page": "product", "query": "rain jacket"},
    ]
    assert page.evaluate("window.dataLayer.length") >= 10, "the dataLayer itself must keep every entry"
    assert_engine_reads(events)


def test_track_validates_and_clips_what_it_records(page, server, log):
    page.goto(f"{server.origin}/t/capture.html")
    events_until(page, lambda events: len(events) >= 3)
    accepted = page.evaluate(
        """() => {
        const track = window.shopkeeper.track;
        return [
            track('purchase', {items: [{product: 'SKU-1', quantity: 1, price: 89.5}, {quantity: 3}], value: 89.5, discount: true}),
            track('quiz_answer', {question: 'style', answer: 'minimal'}),
            track('remove_from_cart', {product: 'SKU-1', quantity: 1.6}),
            track('search', {query: 'q'.repeat(1000)}),
            track('add_to_cart', {product: 'SKU-5', price: NaN, quantity: -4, value: 'lots', discount: 'yes'}),
            track('product_view', {product: 'p'.repeat(900), extra: 'ignored'}),
            track('no_such_type', {product: 'SKU-1'}),
            track('add_to_cart', {}),
            track('purchase', {value: 0}),
            track(42),
            track('quiz_answer', null),
        ];
    }"""
    )
    events = events_until(page, lambda events: len(events) >= 9)

    assert accepted == [True] * 6 + [False] * 5
    assert without_ts(events)[3:] == [
        {"type": "purchase", "page": "product", "value": 89.5, "discount": True, "items": [{"product": "SKU-1", "quantity": 1, "price": 89.5}]},
        {"type": "quiz_answer", "page": "product", "question": "style", "answer": "minimal"},
        {"type": "remove_from_cart", "page": "product", "product": "SKU-1", "quantity": 2},
        {"type": "search", "page": "product", "query": "q" * 200},
        {"type": "add_to_cart", "page": "product", "product": "SKU-5", "quantity": 1},
        {"type": "product_view", "page": "product", "product": "p" * 500},
    ]
    assert_engine_reads(events)


def test_engagement_is_recorded_once_when_the_shopper_leaves(page, server, log):
    page.goto(f"{server.origin}/t/capture.html")
    events_until(page, lambda events: len(events) >= 3)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    for state in ("hidden", "visible", "hidden"):  # a tab switch and back, then away again
        page.evaluate(
            f"Object.defineProperty(document, 'visibilityState', {{value: '{state}', configurable: true}});"
            "document.dispatchEvent(new Event('visibilitychange'))"
        )
    page.goto(f"{server.origin}/t/blank.html")  # pagehide
    events = page.evaluate(READ_EVENTS)

    engagement = of_type(events, "engagement")
    assert len(engagement) == 1, engagement
    assert engagement[0]["page"] == "product" and engagement[0]["scroll_pct"] == 100
    assert 0 < engagement[0]["dwell_ms"] < 60_000
    assert_engine_reads(events)


def test_leaving_a_page_records_its_engagement_through_the_next_page_view(page, server, log):
    # Chromium aborts IndexedDB writes of a page that is going away: the loader keeps what
    # it could not store in localStorage, and the next page view with the loader moves it.
    page.goto(f"{server.origin}/t/capture.html")
    events_until(page, lambda events: len(events) >= 3)
    page.goto(f"{server.origin}/t/blank.html")
    outbox = page.evaluate("Object.keys(localStorage).filter(key => key.startsWith('shopkeeper:outbox:'))")
    assert len(outbox) == 1

    page.goto(f"{server.origin}/t/search.html")
    events = events_until(page, lambda events: any(event["type"] == "engagement" for event in events))
    assert [event["type"] for event in events] == ["page_view", "product_view", "product_view", "engagement", "page_view", "search"]
    engagement = of_type(events, "engagement")[0]
    assert engagement["page"] == "product" and 0 <= engagement["scroll_pct"] < 50 and engagement["dwell_ms"] > 0
    assert page.evaluate("Object.keys(localStorage).filter(key => key.startsWith('shopkeeper:outbox:'))") == []
    assert_engine_reads(events)


def test_context_sent_with_the_decide_request_is_what_the_engine_parses(page, server, log):
    page.goto(f"{server.origin}/t/blank.html")
    page.goto(f"{server.origin}/t/capture.html#a-fragment", referer=f"{server.origin}/t/blank.html")
    context = wait_until(page, "window.shopkeeper.context")
    page_view = events_until(page, lambda events: len(events) >= 3)[0]
    assert (page_view["url"], page_view["referrer"]) == (f"{server.origin}/t/capture.html", f"{server.origin}/t/blank.html")

    assert set(context) <= {field.name for field in dataclasses.fields(PageContext)}
    parsed = parse_context(context)
    browser = page.evaluate(
        "({tz: -new Date().getTimezoneOffset(), width: innerWidth, ua: navigator.userAgent, locale: navigator.language,"
        " referrer: document.referrer, visitor: localStorage.getItem('shopkeeper:visitor')})"
    )
    assert (parsed.page, parsed.product, parsed.category) == ("product", "SKU-1", "Outdoor > Trail")
    assert parsed.slots == ("hero",)
    # the re-ranked grid travels as a placement too, sized by its items
    assert parsed.placements == (("bought-together", 3), ("trending", 4), ("category-grid", 3))
    assert parsed.listing == ("SKU-3", "SKU-1", "SKU-2"), "the first [data-sk-rerank] container's items"
    assert parsed.url == page.url and parsed.referrer == browser["referrer"] != ""
    assert (parsed.user_agent, parsed.viewport_width, parsed.locale) == (browser["ua"][:500], browser["width"], browser["locale"])
    assert parsed.tz_offset_minutes == browser["tz"]
    assert "cart" not in context, "the engine derives the cart from events"
    assert UUID.match(parsed.visitor_id) and parsed.visitor_id == browser["visitor"]

    page.goto(f"{server.origin}/t/search.html")
    assert wait_until(page, "window.shopkeeper.context")["visitor_id"] == parsed.visitor_id, "the visitor id is kept"


def test_storage_is_bounded_in_count_and_age(page, server, log):
    page.goto(f"{server.origin}/t/blank.html")
    now_ms = page.evaluate("Date.now()")
    year_ms = 365 * 24 * 3600 * 1000
    page.evaluate(
        """([now, year]) => new Promise((resolve, reject) => {
        const open = indexedDB.open('shopkeeper', 1);  // format 1: the loader migrates it too
        open.onerror = () => reject(open.error);
        open.onupgradeneeded = () => open.result.createObjectStore('events', {autoIncrement: true});
        open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('events', 'readwrite');
            const store = tx.objectStore('events');
            for (let i = 0; i < 2100; i++) {
                const ts = i < 50 ? now - year - 86400000 * (50 - i) : now - 86400000 + i;
                store.add({type: 'page_view', ts, page: 'home', seeded: i});
            }
            tx.oncomplete = () => { db.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
        };
    })""",
        [now_ms, year_ms],
    )
    page.goto(f"{server.origin}/t/capture.html")
    events = events_until(page, lambda events: any(event.get("product") == "SKU-7" for event in events))

    assert len(events) == 2000
    assert min(event["ts"] for event in events) >= now_ms - year_ms
    assert [event["type"] for event in events[-3:]] == ["page_view", "product_view", "product_view"]


def blocked_page(page, server, init_script: str):
    warnings, errors = [], []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" or "shopkeeper" in message.text else None)
    page.on("pageerror", lambda error: errors.append(error))
    page.add_init_script(init_script)
    page.goto(f"{server.origin}/t/capture.html")
    assert page.evaluate("window.shopkeeper.ready.then(() => 'resolved', () => 'rejected')") == "rejected"
    page.click("#add")
    assert page.evaluate("window.shopkeeper.track('search', {query: 'boots'})") is True
    page.evaluate("window.dataLayer.push({event: 'add_to_cart', ecommerce: {items: [{item_id: 'SKU-2'}]}})")
    page.evaluate("() => new Promise(requestAnimationFrame)")
    page.evaluate("window.shopkeeper.host.readEvents()")  # after every write has failed
    assert page.locator("#hero .default").count() == 1
    assert errors == []
    return warnings


def test_indexeddb_that_throws_leaves_the_page_alone_with_one_warning(page, server, log):
    warnings = blocked_page(
        page, server,
        "IDBFactory.prototype.open = function () { throw new DOMException('blocked by the test', 'SecurityError'); };",
    )
    assert len(warnings) == 1 and "[shopkeeper]" in warnings[0] and "SecurityError" in warnings[0], warnings


def test_a_full_disk_leaves_the_page_alone_with_one_warning(page, server, log):
    warnings = blocked_page(
        page, server,
        "IDBObjectStore.prototype.add = function () { throw new DOMException('the disk is full', 'QuotaExceededError'); };",
    )
    assert len(warnings) == 1 and "QuotaExceededError" in warnings[0], warnings


def test_the_loader_cuts_every_text_field_where_the_engine_does(page, server, log):
    """The drift test of the contract in the browser: each text field, a little too long,
    is stored cut at the contract's limit, and the engine reads it back unchanged."""
    from shopkeeper.contract import TEXT_LIMITS
    from shopkeeper.engine.events import parse_event

    page.goto(f"{server.origin}/t/capture.html")
    events_until(page, lambda events: len(events) >= 3)
    long = {field: field[0] * (limit + 5) for field, limit in TEXT_LIMITS.items()}
    assert page.evaluate("(data) => window.shopkeeper.track('quiz_answer', data)", long) is True
    stored = events_until(page, lambda events: any(event["type"] == "quiz_answer" for event in events))[-1]
    assert {field: len(stored[field]) for field in TEXT_LIMITS} == TEXT_LIMITS
    event = parse_event(stored)
    assert {field: getattr(event, field) for field in TEXT_LIMITS} == {field: stored[field] for field in TEXT_LIMITS}


def test_an_outbox_whose_events_the_browser_did_store_is_not_written_twice(page, server, log):
    # The page went away with its write in flight; the browser committed it anyway, and the
    # outbox kept the same events: the next page view moves only those not stored yet.
    page.goto(f"{server.origin}/t/capture.html")
    stored = events_until(page, lambda events: len(events) >= 3)
    kept = stored[-1]
    lost = {"type": "rec_click", "ts": kept["ts"] + 1, "page": "product", "placement": "viewed-together", "product": "SKU-3"}
    page.evaluate("outbox => localStorage.setItem('shopkeeper:outbox:left-behind', JSON.stringify(outbox))", [kept, lost])
    page.goto(f"{server.origin}/t/search.html")
    events = events_until(page, lambda events: any(event["type"] == "search" for event in events))
    assert sum(event == kept for event in events) == 1, "stored once"
    assert [event for event in events if event["type"] == "rec_click"] == [lost], "the one the browser lost is moved"
    later = [event["type"] for event in events][len(stored):]   # the capture page's engagement too, from its own outbox
    assert sorted(later[:-2]) == ["engagement", "rec_click"] and later[-2:] == ["page_view", "search"], "moved events come first"
