"""Consent: with `data-sk-consent="required"` on the tag, or Google Consent Mode on the
page, nothing is stored and nothing fetched until the shopper consents; withdrawing
erases everything; Global Privacy Control wins over both."""

from __future__ import annotations

from conftest import not_local_gets
from polling import wait_until
from stored_events import stored_events

OUR_KEYS = "Object.keys(localStorage).filter(key => key.startsWith('shopkeeper:')).sort()"
SERVICE_WORKERS = "navigator.serviceWorker ? navigator.serviceWorker.getRegistrations().then(list => list.length) : 0"
HAS_DATABASE = "indexedDB.databases().then(list => list.some(db => db.name === 'shopkeeper'))"
DEFAULT_HERO = "document.querySelectorAll('#hero .default').length === 1 && !document.querySelector('#hero').hasAttribute('data-sk-variant')"
GRANT_BY_CONSENT_MODE = "gtag('consent', 'update', {personalization_storage: 'granted'})"
DENY_BY_CONSENT_MODE = "gtag('consent', 'update', {personalization_storage: 'denied'})"


def assert_nothing_stored_or_fetched(tab, server) -> None:
    """After load and a moment's idle: no database, no keys, defaults, no runtime fetched."""
    wait_until(tab, "document.readyState === 'complete'")
    tab.wait_for_timeout(500)
    assert tab.evaluate(HAS_DATABASE) is False
    assert tab.evaluate(OUR_KEYS) == []
    assert tab.evaluate(SERVICE_WORKERS) == 0
    assert tab.evaluate(DEFAULT_HERO) is True
    assert not [entry.url for entry in server.log if "/sk/" in entry.url and not entry.url.endswith("/sk/shopkeeper.js")]


def test_with_consent_required_nothing_is_stored_until_the_shopper_consents(tab, server):
    tab.goto(f"{server.origin}/t/consent.html")
    assert_nothing_stored_or_fetched(tab, server)

    assert tab.evaluate("window.shopkeeper.consent(true)") is True
    decisions = tab.evaluate("window.shopkeeper.ready")
    assert decisions is not None and "warning" not in decisions
    events = stored_events(tab)
    assert [(event["type"], event.get("product")) for event in events] == [("page_view", "SKU-1"), ("product_view", "SKU-1")]
    assert tab.evaluate(OUR_KEYS) == ["shopkeeper:consent", "shopkeeper:decisions", "shopkeeper:visitor"]

    tab.goto(f"{server.origin}/t/consent-home.html")  # the answer is kept: no call needed
    wait_until(tab, "document.querySelector('#hero').getAttribute('data-sk-variant') === 'returning-viewer'")
    assert not_local_gets(server) == []


def test_withdrawing_consent_erases_everything_and_later_pages_store_nothing(tab, server):
    tab.goto(f"{server.origin}/t/consent.html")
    tab.evaluate("window.shopkeeper.consent(true)")
    tab.evaluate("window.shopkeeper.ready")
    assert tab.evaluate(HAS_DATABASE) is True

    assert tab.evaluate("window.shopkeeper.consent(false)") is False
    wait_until(tab, f"{HAS_DATABASE}.then(has => !has)")
    assert tab.evaluate(OUR_KEYS) == []
    assert tab.evaluate("window.shopkeeper.track('search', {query: 'after withdrawal'})") is False

    server.clear_log()
    tab.goto(f"{server.origin}/t/consent-home.html")
    assert_nothing_stored_or_fetched(tab, server)


def test_consent_mode_denied_by_default_holds_until_an_update_grants_and_a_denial_erases(tab, server):
    tab.goto(f"{server.origin}/t/consent-mode.html")
    assert_nothing_stored_or_fetched(tab, server)

    tab.evaluate(GRANT_BY_CONSENT_MODE)
    decisions = tab.evaluate("window.shopkeeper.ready")
    assert decisions is not None and "warning" not in decisions
    assert [event["type"] for event in stored_events(tab)] == ["page_view", "product_view"]

    tab.evaluate(DENY_BY_CONSENT_MODE)
    wait_until(tab, f"{HAS_DATABASE}.then(has => !has)")
    assert tab.evaluate(OUR_KEYS) == []


def test_with_consent_mode_each_page_view_follows_its_own_signals(tab, server):
    """Banners push the default denial on every page and the shopper's kept answer right
    after: until that update, this page view stores nothing new."""
    tab.goto(f"{server.origin}/t/consent-mode.html")
    tab.evaluate(GRANT_BY_CONSENT_MODE)
    tab.evaluate("window.shopkeeper.ready")
    tab.goto(f"{server.origin}/t/consent-mode.html")
    tab.wait_for_timeout(300)
    assert tab.evaluate("window.shopkeeper.context") is None, "the worker started before the page's update"
    assert len(stored_events(tab)) == 2
    tab.evaluate(GRANT_BY_CONSENT_MODE)
    tab.evaluate("window.shopkeeper.ready")
    types = [event["type"] for event in stored_events(tab)]
    assert types == ["page_view", "product_view", "engagement", "page_view", "product_view"], "the first page's engagement came from its outbox"


def test_global_privacy_control_wins_over_consent(tab, server):
    server.init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });")
    tab.goto(f"{server.origin}/t/consent.html")
    assert tab.evaluate("window.shopkeeper.consent(true)") is False
    assert_nothing_stored_or_fetched(tab, server)
    tab.goto(f"{server.origin}/t/consent-mode.html")
    tab.evaluate(GRANT_BY_CONSENT_MODE)
    assert_nothing_stored_or_fetched(tab, server)
