"""The shopper's controls: see what this browser keeps, download it, erase it.

privacy.mjs is imported by the loader through the manifest on first use; nothing it does
touches the network (a download is a blob: URL).
"""

from __future__ import annotations

import json

from conftest import ROOT, not_local_gets, wait_until
from test_capture import events_until, stored_events

PANEL = "dialog.sk-privacy"
OUR_KEYS = "Object.keys(localStorage).filter(key => key.startsWith('shopkeeper:'))"
DATABASES = "indexedDB.databases().then(list => list.map(db => db.name))"


def engine_has_profile() -> bool:
    return "profile_json" in (ROOT / "py_src" / "shopkeeper" / "browser" / "__init__.py").read_text()


def visit_with_history(page, server):
    page.goto(f"{server.origin}/t/privacy.html")
    events_until(page, lambda events: len(events) >= 2)
    page.click("#add")
    assert page.evaluate("window.shopkeeper.track('search', {query: 'rain <jacket>'})") is True
    events_until(page, lambda events: len(events) >= 4)


def only_local_gets(log, origin: str) -> None:
    others = not_local_gets(log, origin)
    assert others == [], f"requests other than GETs to {origin}: {others}"


def test_privacy_link_opens_an_accessible_panel_of_what_is_stored(page, server, log):
    visit_with_history(page, server)
    decided = page.evaluate("window.shopkeeper.ready.then(() => true, () => false)")  # the worker runs
    page.focus("#privacy-link")
    page.click("#privacy-link")
    page.wait_for_selector(PANEL)
    panel = page.locator(PANEL)

    assert panel.evaluate("dialog => dialog.open && dialog.matches(':modal')")
    assert page.locator(f"#{panel.get_attribute('aria-labelledby')}").inner_text() == "What this browser keeps for this shop"
    counts = panel.locator("tr[data-sk-type]").evaluate_all(
        "rows => Object.fromEntries(rows.map(row => [row.getAttribute('data-sk-type'), Number(row.cells[1].textContent)]))"
    )
    assert counts == {"page_view": 1, "product_view": 1, "add_to_cart": 1, "search": 1}
    assert panel.locator("tr[data-sk-type='add_to_cart'] th").inner_text() == "Added to cart"
    lists = panel.locator("ul").all_inner_texts()
    assert lists == ["SKU-1", "rain <jacket>"], "recent products, then recent searches, as text"
    if not engine_has_profile():
        assert panel.locator(".sk-privacy-profile").count() == 0, "no profile_json in the engine: raw counts only"
    elif decided:
        assert panel.locator(".sk-privacy-profile dt").count() > 0, "the profile the worker derived"
    assert not page.url.endswith("#privacy"), "the link opened the panel instead of navigating"

    page.keyboard.press("Escape")
    page.wait_for_selector(PANEL, state="detached")
    assert page.evaluate("document.activeElement.id") == "privacy-link"
    only_local_gets(log, server.origin)


def test_a_privacy_element_that_is_no_button_works_from_the_keyboard(page, server, log):
    page.goto(f"{server.origin}/t/privacy.html")
    span = page.locator("#privacy-span")
    wait_until(page, "document.querySelector('#privacy-span').getAttribute('role') === 'button'")
    assert span.get_attribute("tabindex") == "0"
    span.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(PANEL)
    assert page.locator(PANEL).count() == 1
    page.click(f"{PANEL} [data-sk-action='close']")
    page.wait_for_selector(PANEL, state="detached")
    assert page.evaluate("document.activeElement.id") == "privacy-span"
    span.focus()
    page.keyboard.press(" ")
    page.wait_for_selector(PANEL)


def test_export_downloads_every_stored_event_as_json(page, server, log):
    visit_with_history(page, server)
    stored = stored_events(page)
    page.click("#privacy-link")
    page.wait_for_selector(PANEL)
    with page.expect_download() as download_info:
        page.click(f"{PANEL} [data-sk-action='export']")
    download = download_info.value
    exported = json.loads(open(download.path(), encoding="utf-8").read())

    assert download.suggested_filename == "shopkeeper-data.json"
    assert exported["events"] == stored
    assert [event["type"] for event in exported["events"]] == ["page_view", "product_view", "add_to_cart", "search"]
    assert exported["local_storage"]["shopkeeper:visitor"] == page.evaluate("localStorage.getItem('shopkeeper:visitor')")
    assert "exported_at" in exported and "profile" in exported

    with page.expect_download() as download_info:
        returned = page.evaluate("window.shopkeeper.privacy.export()")
    assert returned["events"] == stored
    only_local_gets(log, server.origin)


def test_erase_leaves_no_database_and_no_keys_and_this_page_view_records_no_more(page, server, log):
    visit_with_history(page, server)
    page.evaluate("window.shopkeeper.ready.then(() => null, () => null)")  # the worker has answered (or failed)
    visitor = page.evaluate("localStorage.getItem('shopkeeper:visitor')")
    page.click("#privacy-link")
    page.wait_for_selector(PANEL)
    page.click(f"{PANEL} [data-sk-action='erase']")
    wait_until(page, "document.querySelector('dialog.sk-privacy [role=status]').textContent.startsWith('Erased')")

    assert "shopkeeper" not in page.evaluate(DATABASES)
    assert page.evaluate(OUR_KEYS) == []
    assert page.locator(f"{PANEL} .sk-privacy-empty").inner_text() == "Nothing is stored."

    page.keyboard.press("Escape")
    page.click("#add")
    assert page.evaluate("window.shopkeeper.track('search', {query: 'after erase'})") is False
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    if page.evaluate("typeof window.shopkeeper.request === 'function'"):
        page.evaluate("window.shopkeeper.request('decide', {context: {}}).catch(() => null)")  # the worker reads, creates nothing
    page.goto(f"{server.origin}/t/blank.html")  # pagehide
    assert "shopkeeper" not in page.evaluate(DATABASES)
    assert page.evaluate(OUR_KEYS) == []

    page.goto(f"{server.origin}/t/privacy.html")  # the next page view starts afresh
    events = events_until(page, lambda events: len(events) >= 2)
    assert [event["type"] for event in events] == ["page_view", "product_view"]
    assert page.evaluate("localStorage.getItem('shopkeeper:visitor')") not in (None, visitor)


def test_erase_through_the_api_needs_no_panel(page, server, log):
    visit_with_history(page, server)
    assert page.evaluate("window.shopkeeper.privacy.erase()") is True
    assert "shopkeeper" not in page.evaluate(DATABASES)
    assert page.evaluate(OUR_KEYS) == []


def test_with_global_privacy_control_the_panel_shows_nothing_and_stores_nothing(page, server, log):
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })")
    page.goto(f"{server.origin}/t/privacy.html")
    page.click("#privacy-link")
    page.wait_for_selector(PANEL)
    assert page.locator(f"{PANEL} .sk-privacy-empty").inner_text() == "Nothing is stored."
    assert "shopkeeper" not in page.evaluate(DATABASES)
    assert page.evaluate(OUR_KEYS) == []
