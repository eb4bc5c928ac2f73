"""Faults, local data: what the browser holds may be of an older format, hand-edited,
from a clock far off, written by two tabs at once, or cut short by a full disk. Each time
the page stays intact, at most one console line, and nothing stored before is lost.

Elsewhere: far beyond the bound (test_capture.py test_storage_is_bounded_in_count_and_age),
storage that throws or is full on every write (test_capture.py, test_a_full_disk_*).
Every test here runs in a fresh Playwright context, which keeps storage in memory like a
private window."""

from __future__ import annotations

from conftest import wait_until
from test_capture import READ_EVENTS, stored_events

from shopkeeper.contract import CONTRACT, TEXT_LIMITS
from shopkeeper.engine.events import parse_events

DB = CONTRACT["database"]
SEED = """([version, records]) => new Promise((resolve, reject) => {
    const open = indexedDB.open('shopkeeper', version);
    open.onerror = () => reject(open.error);
    open.onupgradeneeded = () => open.result.createObjectStore('events', {autoIncrement: true});
    open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction('events', 'readwrite');
        records.forEach(record => tx.objectStore('events').add(record));
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
    };
})"""
DATABASE_VERSION = "indexedDB.databases().then(list => (list.find(db => db.name === 'shopkeeper') || {}).version)"


def seeded_visit(page, server, version: int, records: list, path: str = "/t/capture.html") -> list[str]:
    """Seed the store from a page without shopkeeper, then open `path`; the console lines of ours."""
    page.goto(f"{server.origin}/t/blank.html")
    page.evaluate(SEED, [version, records])
    lines = []
    page.on("console", lambda message: lines.append(message.text) if "[shopkeeper]" in message.text else None)
    page.goto(f"{server.origin}{path}")
    return lines


def decided(page) -> bool:
    return page.evaluate("window.shopkeeper.ready.then(() => true, () => false)")


def test_records_of_the_previous_format_are_migrated_and_none_the_engine_read_is_lost(page, server, log):
    now = 1_790_000_000_000
    old = [
        {"type": "product_view", "ts": now, "page": "product", "product": "SKU-2", "source": "page"},
        {"type": "page_view", "ts": now + 1, "page": "p" * 80, "category": "Outdoor", "url": "/x"},
        {"type": "engagement", "ts": now + 2, "dwell_ms": 5000, "scroll_pct": 150},
        {"type": "add_to_cart", "ts": now + 3, "product": "SKU-2", "quantity": 3, "price": 9.5},
        {"type": "retired_type", "ts": now + 4, "product": "SKU-2"},
        {"type": "search", "query": "no time"},
    ]
    lines = seeded_visit(page, server, 1, old)
    assert decided(page)
    events = stored_events(page)

    assert page.evaluate(DATABASE_VERSION) == DB["version"] == 2
    migrated = [event for event in events if event["ts"] < now + 10]
    assert migrated == [
        {"type": "product_view", "ts": now, "page": "product", "product": "SKU-2"},
        {"type": "page_view", "ts": now + 1, "page": "p" * TEXT_LIMITS["page"], "category": "Outdoor", "url": "/x"},
        {"type": "engagement", "ts": now + 2, "dwell_ms": 5000, "scroll_pct": 100},
        {"type": "add_to_cart", "ts": now + 3, "product": "SKU-2", "quantity": 3, "price": 9.5},
    ]
    assert parse_events(migrated) == parse_events(old), "what the engine read before the migration it reads after"
    assert [event["type"] for event in events[len(migrated):]][:3] == ["page_view", "product_view", "product_view"]
    assert lines == []


def test_hand_edited_and_corrupt_records_are_skipped_and_the_rest_personalizes(page, server, log):
    page.goto(f"{server.origin}/t/blank.html")
    now = page.evaluate("Date.now()")
    corrupt = [
        {"type": [], "ts": now - 10}, {"type": "product_view", "ts": "yesterday", "product": "SKU-3"}, {"ts": now},
        {"type": "search", "ts": now - 5, "query": {"$gt": ""}}, {"type": "purchase", "ts": now - 4, "items": "all of them"},
        {"type": "add_to_cart", "ts": now - 3, "product": ["SKU-1"], "quantity": 1e308, "price": -1},
        {"type": "product_view", "ts": now - 60_000, "page": "product", "product": "SKU-2"},   # the one usable view
    ]
    lines = seeded_visit(page, server, DB["version"], corrupt, path="/product.html")
    assert decided(page), "the worker decided despite the corrupt records"
    wait_until(page, "document.querySelector('[data-sk-slot=hero][data-sk-variant]')")
    assert len(stored_events(page)) == len(corrupt) + 2, "nothing was deleted: the records are the shopper's"
    assert lines == []


def test_events_from_a_clock_far_ahead_or_far_behind_do_not_break_decisions(page, server, log):
    page.goto(f"{server.origin}/t/blank.html")
    now = page.evaluate("Date.now()")
    year = 365 * 24 * 3600 * 1000
    skewed = [
        {"type": "product_view", "ts": now + 50 * year, "page": "product", "product": "SKU-2"},    # a clock set to 2076
        {"type": "purchase", "ts": now + 1000 * year, "items": [{"product": "SKU-3", "quantity": 1, "price": 20}], "value": 20},
        {"type": "product_view", "ts": now - 20 * 60_000, "page": "product", "product": "SKU-3"},
        {"type": "page_view", "ts": 0, "page": "home"},                                            # 1970
    ]
    lines = seeded_visit(page, server, DB["version"], skewed, path="/product.html")
    assert decided(page)
    decisions = page.evaluate("new Promise(resolve => window.shopkeeper.on('decisions', resolve))")
    assert isinstance(decisions["slots"], dict) and decisions["made_at_ms"] >= now
    kept = stored_events(page)
    assert [event["ts"] for event in kept[:4]] == [event["ts"] for event in skewed], "the count bound, not the clock, limits them"
    assert lines == []


def test_two_tabs_writing_at_once_lose_nothing(page, server, log):
    other = page.context.new_page()
    for tab in (page, other):
        tab.goto(f"{server.origin}/t/capture.html")
        wait_until(tab, "window.shopkeeper && window.shopkeeper.context")
    burst = """(tab) => { for (let i = 0; i < 60; i++) window.shopkeeper.track('search', {query: tab + ' ' + i}); return true; }"""
    page.evaluate(f"setTimeout(() => ({burst})('a'), 0)")
    other.evaluate(f"setTimeout(() => ({burst})('b'), 0)")
    for tab in (page, other):
        tab.evaluate("new Promise(resolve => setTimeout(resolve, 50)).then(() => window.shopkeeper.host.readEvents())")
    queries = [event["query"] for event in page.evaluate(READ_EVENTS) if event["type"] == "search"]
    assert sorted(queries) == sorted([f"a {i}" for i in range(60)] + [f"b {i}" for i in range(60)])
    other.close()


def test_a_disk_that_fills_in_the_middle_of_a_write_keeps_what_was_stored(page, server, log):
    page.goto(f"{server.origin}/t/blank.html")
    now = page.evaluate("Date.now()")
    before = [{"type": "product_view", "ts": now - 3_600_000 + i, "page": "product", "product": f"SKU-{i % 4 + 1}"} for i in range(30)]
    page.evaluate(SEED, [DB["version"], before])
    # The third add of this page view finds the disk full.
    page.add_init_script("""(() => {
        const add = IDBObjectStore.prototype.add;
        let calls = 0;
        IDBObjectStore.prototype.add = function (...args) {
            if (++calls === 3) throw new DOMException('the disk is full', 'QuotaExceededError');
            return add.apply(this, args);
        };
    })()""")
    lines = []
    page.on("console", lambda message: lines.append(message.text) if "[shopkeeper]" in message.text else None)
    page.goto(f"{server.origin}/t/capture.html")
    page.evaluate("window.shopkeeper.ready.then(() => null, () => null)")
    page.evaluate("window.shopkeeper.host.readEvents().then(() => null)")
    kept = page.evaluate(READ_EVENTS)
    assert kept[:30] == before, "every event stored before the disk filled is still there"
    assert page.locator("#hero").count() == 1
    assert len(lines) <= 1 and all("QuotaExceededError" in line for line in lines), lines
