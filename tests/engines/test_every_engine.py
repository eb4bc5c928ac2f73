"""What a shopper on Firefox or Safari gets: the paths the Chromium tier proves, again in
Gecko and WebKit, each with real IndexedDB and Pyodide in the browser."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import NO_STORE, not_local_gets
from demo_walk import AS_THE_WALKS_VISITOR, walk_the_demo_store
from engine_drivers import Firefox
from polling import wait_until
from stored_events import READ_EVENTS, events_until, stored_events

DECIDED = "window.shopkeeper.ready"
HERO_VARIANT = "document.querySelector('#hero').getAttribute('data-sk-variant')"
APPLIED = "performance.getEntriesByName('shopkeeper:decisions-applied').length"
# The hero's variant at the first animation frame that has the hero: what the shopper first sees.
FIRST_FRAME_WITH_HERO = (
    "(function frame() { requestAnimationFrame(() => {"
    " const hero = document.querySelector('#hero'); if (!hero) return frame();"
    " window.variantAtFirstFrame = hero.getAttribute('data-sk-variant'); }); })();"
)
OUR_KEYS = "Object.keys(localStorage).filter(key => key.startsWith('shopkeeper:'))"
PAGES_LEFT = ["product", "home", "search", "home"]  # blank.html has no loader
SERVICE_WORKERS = "(navigator.serviceWorker ? navigator.serviceWorker.getRegistrations() : Promise.resolve([]))"
DATABASES = "indexedDB.databases().then(list => list.map(db => db.name))"


def our_warnings(tab) -> list[str]:
    return [text for level, text in tab.console() if "[shopkeeper]" in text]


def test_python_swaps_the_slot_and_every_request_is_a_local_get(tab, server):
    tab.goto(f"{server.origin}/product.html")
    tab.evaluate(DECIDED)
    tab.goto(f"{server.origin}/")
    wait_until(tab, f"{HERO_VARIANT} === 'returning-viewer'")

    assert "Still thinking about Trail shoe?" in tab.evaluate("document.querySelector('#hero').textContent")
    assert tab.evaluate("document.querySelectorAll('#hero .default').length") == 0
    status = tab.evaluate("window.shopkeeper.request('status')")
    assert status["ready"] is True and status["pyodide"] == "314.0.7"
    assert any(entry.url.endswith(".asm.wasm") for entry in server.log), "the WebAssembly runtime was never fetched"
    assert not_local_gets(server) == []
    assert tab.evaluate("window.pageErrors") == []
    assert our_warnings(tab) == []


def test_events_are_recorded_in_indexeddb(tab, server):
    tab.goto(f"{server.origin}/product.html")
    tab.evaluate(DECIDED)
    stored = stored_events(tab)
    assert [(event["type"], event["product"]) for event in stored] == [("page_view", "SKU-1"), ("product_view", "SKU-1")]


def test_the_next_view_shows_the_stored_decision_at_first_paint(tab, server):
    tab.goto(f"{server.origin}/product.html")
    tab.evaluate(DECIDED)
    tab.goto(f"{server.origin}/")
    wait_until(tab, f"{HERO_VARIANT} === 'returning-viewer'")
    server.init_script(FIRST_FRAME_WITH_HERO)
    tab.goto(f"{server.origin}/")

    assert wait_until(tab, "window.variantAtFirstFrame !== undefined && String(window.variantAtFirstFrame)") == "returning-viewer"
    assert tab.evaluate("performance.getEntriesByName('shopkeeper:stored-decisions-applied').length") >= 1
    wait_until(tab, f"{APPLIED} === 1")
    assert tab.evaluate("document.querySelector('#hero').textContent").count("Still thinking about") == 1


def test_second_and_third_page_views_in_the_tab_get_fresh_decisions(tab, server):
    """Each page view's own decision arrives, and each page's engagement is stored once
    (Firefox committed the IndexedDB write started at pagehide and the outbox again)."""
    for url in ("/product.html", "/", "/t/search.html", "/"):
        tab.goto(f"{server.origin}{url}")
        decisions = tab.evaluate(DECIDED)
        assert decisions is not None and "warning" not in decisions, url
        wait_until(tab, f"{APPLIED} === 1", timeout_ms=30_000)
    assert tab.evaluate(HERO_VARIANT) == "returning-viewer"
    tab.goto(f"{server.origin}/t/blank.html")
    tab.goto(f"{server.origin}/t/search.html")
    events = events_until(tab, lambda events: sum(event["type"] == "engagement" for event in events) >= len(PAGES_LEFT))
    engagement = [event["page"] for event in events if event["type"] == "engagement"]
    assert engagement == PAGES_LEFT, [(event['type'], event.get('page')) for event in events]
    assert not_local_gets(server) == []


def test_pages_sent_no_store_still_share_one_booted_worker(tab, server):
    """No back/forward cache keeps such a page (and a SharedWorker it held) in Firefox:
    the worker must outlive the page some other way (a service worker there)."""
    boots = []
    for url in ("", "product.html", ""):
        tab.goto(f"{server.origin}{NO_STORE}{url}")
        decisions = tab.evaluate(DECIDED)
        assert decisions is not None and "warning" not in decisions
        boots.append(tab.evaluate("window.shopkeeper.request('status').then(status => status.bootMs)"))
    assert boots[0] == boots[1] == boots[2], f"the worker booted again: {boots}"
    assert tab.evaluate(HERO_VARIANT) == "returning-viewer"


def test_the_shopper_exports_and_erases_what_the_browser_keeps(tab, server):
    tab.goto(f"{server.origin}/t/privacy.html")
    events_until(tab, lambda events: len(events) >= 2)
    tab.evaluate("document.querySelector('#add').click()")
    assert tab.evaluate("window.shopkeeper.track('search', {query: 'rain <jacket>'})") is True
    stored = events_until(tab, lambda events: len(events) >= 4)
    tab.evaluate("window.shopkeeper.ready.then(() => null, () => null)")

    exported = tab.evaluate("window.shopkeeper.privacy.export()")
    assert exported["events"] == stored
    assert [event["type"] for event in exported["events"]] == ["page_view", "product_view", "add_to_cart", "search"]
    assert exported["local_storage"]["shopkeeper:visitor"] == tab.evaluate("localStorage.getItem('shopkeeper:visitor')")

    assert tab.evaluate("window.shopkeeper.privacy.erase()") is True
    assert "shopkeeper" not in tab.evaluate(DATABASES)
    assert tab.evaluate(OUR_KEYS) == []
    wait_until(tab, f"{SERVICE_WORKERS}.then(list => list.length === 0)")
    assert tab.evaluate("window.shopkeeper.track('search', {query: 'after erase'})") is False
    tab.goto(f"{server.origin}/t/blank.html")  # pagehide: nothing comes back
    assert "shopkeeper" not in tab.evaluate(DATABASES)
    assert tab.evaluate(OUR_KEYS) == []
    assert not_local_gets(server) == []


def test_a_dwell_popup_shows_after_its_seconds_and_closing_it_is_recorded(tab, server):
    tab.goto(f"{server.origin}/t/render.html?decisions=popup-dwell.json")
    wait_until(tab, "!!document.querySelector('dialog.sk-popup')")
    assert tab.evaluate("window.popupShownAt") >= 1000, "shown before one second of dwell"
    assert tab.evaluate("document.querySelector('dialog.sk-popup').getAttribute('role')") == "dialog"
    tab.evaluate("document.querySelector('.sk-popup-close').click()")
    wait_until(tab, "!document.querySelector('dialog.sk-popup')")
    popups = [(event["type"], event["campaign"]) for event in stored_events(tab) if event["type"].startswith("popup_")]
    assert popups == [("popup_shown", "dwell-offer"), ("popup_dismissed", "dwell-offer")]
    assert tab.evaluate("window.pageErrors") == []


def test_a_missing_manifest_keeps_the_default_content_and_warns_once(tab, server):
    tab.goto(f"{server.origin}/t/missing-manifest.html")
    assert tab.evaluate("window.shopkeeper.ready.then(() => 'resolved', () => 'rejected')") == "rejected"
    assert tab.evaluate("document.querySelectorAll('#hero .default').length") == 1
    wait_until(tab, "true")
    warnings = our_warnings(tab)
    assert len(warnings) == 1 and "default content" in warnings[0], warnings


def test_a_worker_script_of_the_wrong_type_keeps_the_defaults_and_warns_once(engine, tab, server):
    """Refused as a service worker, then as a page worker: one warning that says why.
    WebKitGTK 2.50 runs a module worker served as application/octet-stream all the same."""
    tab.goto(f"{server.origin}/t/wrong-type.html")
    outcome = tab.evaluate("window.shopkeeper.ready.then(() => 'decided', () => 'refused')")
    if engine == "webkit":
        assert outcome == "decided" and our_warnings(tab) == []
        return
    assert outcome == "refused"
    assert tab.evaluate("document.querySelectorAll('#hero .default').length") == 1
    events_until(tab, lambda events: len(events) >= 1)  # capture goes on without the worker
    warnings = our_warnings(tab)
    assert len(warnings) == 1 and "could not start" in warnings[0] and "served as JavaScript" in warnings[0], warnings
    assert tab.evaluate("window.pageErrors") == []


def test_global_privacy_control_records_nothing_and_changes_nothing(tab, server):
    server.init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });")
    tab.goto(f"{server.origin}/product.html")
    tab.goto(f"{server.origin}/")
    assert tab.evaluate(DECIDED) is None
    assert tab.evaluate("document.querySelectorAll('#hero .default').length") == 1
    assert not any("/sk/manifest.json" in entry.url for entry in server.log)
    assert "shopkeeper" not in tab.evaluate(DATABASES)
    assert tab.evaluate(READ_EVENTS) == []


def test_following_a_link_while_the_shelves_code_loads_reports_nothing(demo_tab, demo):
    """Firefox aborts a page's pending module imports when the shopper follows a link; the
    page on its way out must not warn that its decisions could not be rendered."""
    demo.delays["render-"] = 2.5   # the shelves' module is slow to come
    try:
        demo_tab.goto(f"{demo.origin}/p/alpine-dome-2-tent.html")
        demo_tab.evaluate(DECIDED)   # decided: the page is fetching the module that renders its shelves
        demo_tab.goto(f"{demo.origin}/")
        demo_tab.evaluate(DECIDED)
        wait_until(demo_tab, "document.querySelectorAll('[data-sk-recs][data-sk-rendered] a').length > 0", 15_000)   # this one renders
    finally:
        demo.delays.clear()
    assert our_warnings(demo_tab) == []


WORKER_STARTED_BEFORE_LOAD = (
    "performance.getEntriesByName('shopkeeper:worker-starting')[0].startTime"
    " < performance.getEntriesByType('navigation')[0].loadEventStart")


@pytest.mark.parametrize(("page", "before_load"), [("slow-load.html", False), ("slow-load-early.html", True)])
def test_the_worker_starts_after_the_load_event_unless_the_tag_says_dom_ready(tab, server, page, before_load):
    server.delays["slow-photo"] = 2.0   # the page's photo holds its load event back two seconds
    try:
        tab.goto(f"{server.origin}/t/{page}")
        tab.evaluate(DECIDED)
        assert tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart") > 1500
        assert tab.evaluate(WORKER_STARTED_BEFORE_LOAD) is before_load
    finally:
        server.delays.clear()
    assert our_warnings(tab) == []


def test_a_shopper_walks_the_demo_store(demo_tab, demo):
    demo.init_script(AS_THE_WALKS_VISITOR)
    walk_the_demo_store(demo_tab, demo.origin, lambda: demo_tab.evaluate("window.pageErrors"))
    assert not_local_gets(demo) == []


def test_a_shopper_reading_a_page_for_long_keeps_the_worker_for_the_next(engine, server):
    """A service worker is ended after an idle spell (30 s by default), while shoppers read
    a page for minutes: the page keeps it alive while it is shown. Firefox lets the test
    shorten that spell to 15 s; the test reads for 25."""
    if engine != "firefox":
        pytest.skip(f"{engine}: only Firefox lets a test shorten a service worker's idle time "
                    "(Chromium keeps its SharedWorker with extendedLifetime)")
    server.init_script("")  # no earlier test's (this one takes no `tab`)
    browser = Firefox(urlsplit(server.origin).port, prefs={"dom.serviceWorkers.idle_timeout": 15_000})
    try:
        browser.goto(f"{server.origin}/product.html")
        assert browser.evaluate(DECIDED) is not None, browser.console()
        boot = browser.evaluate("window.shopkeeper.request('status').then(status => status.bootMs)")
        browser.wait_for_timeout(25_000)
        browser.goto(f"{server.origin}/")
        browser.evaluate(DECIDED)
        assert browser.evaluate("window.shopkeeper.request('status').then(status => status.bootMs)") == boot, "the worker booted again"
    finally:
        browser.close()
