"""A page built like a third-party storefront template: one product page for every product
(the product chosen by ?id=), the template's own quantity stepper. The tag names the URL
parameter (data-product-param) and the add button names the stepper (data-sk-quantity)."""

from __future__ import annotations

from conftest import wait_until
from test_capture import events_until, without_ts


def test_the_urls_product_and_the_steppers_quantity_are_recorded(page, server, log):
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-2")
    events = events_until(page, lambda events: len(events) >= 2)
    assert [(event["type"], event.get("product")) for event in events] == [("page_view", "SKU-2"), ("product_view", "SKU-2")]
    assert wait_until(page, "window.shopkeeper.context")["product"] == "SKU-2"

    page.click("#plus")
    page.click("#plus")
    page.click("#add")
    carted = events_until(page, lambda events: any(event["type"] == "add_to_cart" for event in events))
    assert [event for event in without_ts(carted) if event["type"] == "add_to_cart"] == [
        {"type": "add_to_cart", "page": "product", "product": "SKU-2", "quantity": 3},
    ]


def test_body_markup_wins_over_the_url(page, server, log):
    page.goto(f"{server.origin}/t/capture.html?id=SKU-9")   # capture.html marks SKU-1 and names no parameter
    events = events_until(page, lambda events: len(events) >= 3)
    assert events[0]["product"] == "SKU-1"
