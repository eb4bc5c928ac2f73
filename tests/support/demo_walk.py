"""The demo store walked as a shopper: the same walk on our test server
(tests/e2e/test_demo_store.py), on Debian's nginx with the docs' snippet
(tests/e2e/test_hosting.py) and in Firefox and WebKit (tests/engines).

`page` is a Playwright page or an engines.py browser: the walk only navigates and
evaluates; the caller says what the page threw (`page_errors`)."""

from __future__ import annotations

from collections.abc import Callable

from polling import wait_until

# The welcome-offer experiment holds 10% of new shoppers out (they see the default
# hero): the walk uses a visitor id bucketed into an arm, checked with the engine.
IN_AN_ARM = "3f6b8a2c-1d4e-4f5a-9b8c-7d6e5f4a3b2c"
AS_THE_WALKS_VISITOR = f"localStorage.getItem('shopkeeper:visitor') || localStorage.setItem('shopkeeper:visitor', '{IN_AN_ARM}')"


def as_the_walks_visitor(context) -> None:
    """For a Playwright context; engines.py browsers get the line from the probe server."""
    context.add_init_script(AS_THE_WALKS_VISITOR)


def collect_page_errors(page) -> Callable[[], list]:
    """What a Playwright page throws from now on."""
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    return lambda: list(errors)


def decided(page):
    return page.evaluate("window.shopkeeper.ready")


def walk_the_demo_store(page, origin: str, page_errors: Callable[[], list]) -> None:
    """Home as a new shopper, three product pages, home again: cold start, then shelves
    that follow the views; nothing thrown into the page."""
    page.goto(f"{origin}/")
    first = decided(page)
    assert first["recs"]["trending"]["items"], "a new shopper gets a cold-start shelf"
    assert first["slots"]["hero"]["variant"].startswith("welcome-")

    page.goto(f"{origin}/p/alpine-dome-2-tent.html")
    on_product = decided(page)
    together = [item["id"] for item in on_product["recs"]["bought-together"]["items"]]
    assert together and "TEN-101" not in together
    assert all(item["reason"] for item in on_product["recs"]["bought-together"]["items"])
    wait_until(page, "document.querySelectorAll(\"[data-sk-recs='bought-together'] a\").length > 0")

    for product in ("basecamp-4-family-tent", "backcountry-leather-boots"):
        page.goto(f"{origin}/p/{product}.html")
        decided(page)
    page.goto(f"{origin}/")
    returning = decided(page)
    recent = [item["id"] for item in returning["recs"]["recently-viewed"]["items"]]
    assert recent[:3] == ["FTW-503", "TEN-103", "TEN-101"], recent
    first_reasons = {item["reason_code"] for item in first["recs"]["for-you"]["items"]}
    now_reasons = {item["reason_code"] for item in returning["recs"]["for-you"]["items"]}
    assert first_reasons <= {"trending", "bestseller"}, "a new shopper's personal shelf is a cold start"
    assert now_reasons - {"trending", "bestseller"}, "after three product views it follows them"
    assert page_errors() == []
