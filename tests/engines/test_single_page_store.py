"""A single-page store (tests/e2e/pages/spa.html): every route is a page view with its own
events and fresh decisions, shelves inserted later are filled, nothing is recorded twice
and nothing of one route leaks into the next."""

from __future__ import annotations

from conftest import not_local_gets
from polling import wait_until
from stored_events import events_until, stored_events

DECIDED_TIMES = "window.decided.length"
HERO = "document.querySelector('#hero')"


def cards(tab, shelf: str) -> list[str]:
    return tab.evaluate(f"Array.from(document.querySelectorAll('{shelf} [data-sk-item]'), card => card.getAttribute('data-sk-item'))")


def follow(tab, link: str, decided_before: int) -> None:
    """Click a route link and wait for that route's fresh decisions."""
    tab.evaluate(f"document.querySelector('{link}').click()")
    wait_until(tab, f"{DECIDED_TIMES} > {decided_before}")


def views(events: list[dict]) -> list[tuple]:
    return [(event["type"], event.get("page"), event.get("product") or event.get("query")) for event in events
            if event["type"] in ("page_view", "product_view", "search", "engagement")]


def test_each_route_is_a_page_view_with_fresh_decisions_and_later_shelves_are_filled(tab, server):
    tab.goto(f"{server.origin}/t/spa.html")
    wait_until(tab, f"{DECIDED_TIMES} === 1")
    assert tab.evaluate(f"{HERO}.hasAttribute('data-sk-variant')") is False, "a new shopper gets the default hero"

    follow(tab, "#to-sku-1", 1)
    follow(tab, "#to-sku-2", 2)
    wait_until(tab, "document.querySelectorAll('#recent [data-sk-item]').length > 0")
    assert cards(tab, "#recent") == ["SKU-1"], "the second product's shelf follows the first route's view"

    follow(tab, "#to-home", 3)
    wait_until(tab, f"{HERO}.getAttribute('data-sk-variant') === 'returning-viewer'")
    assert "Still thinking about Camp stove?" in tab.evaluate(f"{HERO}.textContent")
    wait_until(tab, "document.querySelectorAll('#lazy-recent [data-sk-item]').length > 0", timeout_ms=15_000)
    assert cards(tab, "#lazy-recent") == ["SKU-2", "SKU-1"], "a shelf the page inserted later is filled too"

    tab.evaluate("history.back()")  # popstate: the second product again
    wait_until(tab, "!!document.querySelector('#recent')")
    events = events_until(tab, lambda events: sum(event["type"] == "page_view" for event in events) >= 5)
    assert views(events) == [
        ("page_view", "home", None),
        ("engagement", "home", None), ("page_view", "product", "SKU-1"), ("product_view", "product", "SKU-1"),
        ("engagement", "product", None), ("page_view", "product", "SKU-2"), ("product_view", "product", "SKU-2"),
        ("engagement", "product", None), ("page_view", "home", None),
        ("engagement", "home", None), ("page_view", "product", "SKU-2"), ("product_view", "product", "SKU-2"),
    ]
    page_views = [event for event in events if event["type"] == "page_view"]
    assert [event["referrer"].rsplit("/", 1)[-1] for event in page_views[1:]] == [
        "spa.html", "spa.html?view=product&id=SKU-1", "spa.html?view=product&id=SKU-2", "spa.html"]
    assert not_local_gets(server) == []
    assert tab.evaluate("window.pageErrors") == []


def test_a_framework_that_says_so_gets_one_page_view_per_route(tab, server):
    tab.goto(f"{server.origin}/t/spa.html")
    wait_until(tab, f"{DECIDED_TIMES} === 1")
    tab.evaluate("window.searchFor('tent <b>')")  # pushState, then shopkeeper.page({page, search})
    wait_until(tab, f"{DECIDED_TIMES} === 2")
    tab.wait_for_timeout(300)  # a second page view from the pushState would have come by now
    events = stored_events(tab)
    assert views(events) == [("page_view", "home", None), ("engagement", "home", None),
                             ("page_view", "search", None), ("search", "search", "tent <b>")]
    assert tab.evaluate(f"{DECIDED_TIMES}") == 2
    assert tab.evaluate("window.shopkeeper.context.page") == "search"

    tab.evaluate("history.replaceState({scrolled: 1}, '', location.href)")  # state only: no page view
    tab.wait_for_timeout(300)
    assert tab.evaluate(f"{DECIDED_TIMES}") == 2
    tab.evaluate("history.replaceState({}, '', '/t/spa.html?view=search&q=tents')")  # a router's redirect: one
    wait_until(tab, f"{DECIDED_TIMES} === 3")
    page_views = [event["url"].rsplit("/", 1)[-1] for event in stored_events(tab) if event["type"] == "page_view"]
    assert page_views == ["spa.html", "spa.html?view=search&q=tent%20%3Cb%3E", "spa.html?view=search&q=tents"]


def test_impressions_and_popups_belong_to_the_route_that_showed_them(tab, server):
    tab.goto(f"{server.origin}/t/spa.html")
    wait_until(tab, f"{DECIDED_TIMES} === 1")
    for link, before in (("#to-sku-1", 1), ("#to-sku-2", 2)):
        follow(tab, link, before)
    wait_until(tab, "document.querySelectorAll('#recent [data-sk-item]').length > 0")
    events = events_until(tab, lambda events: any(event["type"] == "rec_impression" for event in events))
    follow(tab, "#to-home", 3)
    wait_until(tab, "document.querySelectorAll('#lazy-recent [data-sk-item]').length > 0", timeout_ms=15_000)
    events = events_until(tab, lambda events: sum(event["type"] == "rec_impression" for event in events) >= 2)
    impressions = [(event["page"], [item["product"] for item in event["items"]]) for event in events if event["type"] == "rec_impression"]
    assert impressions == [("product", ["SKU-1"]), ("home", ["SKU-2", "SKU-1"])], "one impression per shelf per route"
    assert tab.evaluate("document.querySelectorAll('[data-sk-rendered]').length") == 1
