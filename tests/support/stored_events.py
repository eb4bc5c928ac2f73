"""What a page's IndexedDB holds, read the way the worker reads it, in any browser the tests drive."""

from __future__ import annotations

import time

READ_EVENTS = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('shopkeeper');
    open.onupgradeneeded = () => open.transaction.abort();  // no database: nothing stored
    open.onerror = () => resolve([]);
    open.onsuccess = () => {
        const db = open.result;
        const all = db.transaction('events').objectStore('events').getAll();
        all.onsuccess = () => { db.close(); resolve(all.result); };
        all.onerror = () => { db.close(); reject(all.error); };
    };
})"""


def stored_events(page) -> list[dict]:
    """What IndexedDB holds once the loader has written everything it has queued."""
    page.evaluate("window.shopkeeper ? window.shopkeeper.host.readEvents().then(() => null) : null")
    return page.evaluate(READ_EVENTS)


def events_until(page, predicate, timeout_s: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    while True:
        events = stored_events(page)
        if predicate(events):
            return events
        if time.monotonic() > deadline:
            raise AssertionError(f"stored events never matched; they are {without_ts(events)}")
        page.wait_for_timeout(25)


def without_ts(events: list[dict]) -> list[dict]:
    return [{key: value for key, value in event.items() if key != "ts"} for event in events]


def of_type(events: list[dict], *types: str) -> list[dict]:
    return [event for event in without_ts(events) if event["type"] in types]
