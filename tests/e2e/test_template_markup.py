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


def cards_of(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(f"{selector} [data-sk-item]", """cards => cards.map(card => ({
        id: card.getAttribute('data-sk-item'), tag: card.tagName.toLowerCase(), classes: card.className,
        parent: card.parentElement.className, href: card.querySelector('a')?.getAttribute('href'),
        title: card.querySelector('.product-card__title')?.textContent, price: card.querySelector('.product-card__price')?.textContent,
        was: card.querySelector('.product-card__was')?.textContent ?? null, reason: card.querySelector('.product-card__reason')?.textContent,
        img: card.querySelector('img')?.getAttribute('src') ?? null, alt: card.querySelector('img')?.getAttribute('alt') ?? null}))""")


def test_shelves_draw_the_templates_own_cards_in_its_own_grid(page, server, log):
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-1")
    wait_until(page, "document.querySelector('#related').hasAttribute('data-sk-rendered')")
    related = cards_of(page, "#related")
    assert related, "the viewed-together shelf got cards"
    assert {(card["tag"], card["classes"], card["parent"]) for card in related} == {("div", "product-card", "grid grid-cols-3 gap-6")}
    assert page.locator("#related .sk-card, #related .sk-shelf, #related .default-card").count() == 0
    assert page.locator("#related h2").inner_text() == "You may also like", "the rest of the block stays"
    assert page.locator("#related template[data-sk-card]").count() == 1, "the template stays for the next render"
    for card in related:
        assert card["href"] == f"{server.origin}/t/template-product.html?id={card['id']}"
        assert card["title"] and card["reason"] and card["price"].startswith("€")
    stove = next(card for card in related if card["id"] == "SKU-2")
    assert (stove["price"], stove["was"]) == ("€49.00", "€59.00"), "a sale price and the price it replaces"
    assert (stove["img"], stove["alt"]) == (f"{server.origin}/t/photo.svg", "Camp stove")
    assert all(card["was"] is None for card in related if card["id"] != "SKU-2"), "data-sk-if drops what is empty"


def test_a_shelf_can_name_a_template_shared_by_the_page(page, server, log):
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-1&only=similar")
    wait_until(page, "document.querySelector('#similar').hasAttribute('data-sk-rendered')")
    similar = cards_of(page, "#similar")
    assert similar and {(card["tag"], card["parent"]) for card in similar} == {("article", "grid grid-cols-2 gap-6")}
    assert len(similar) <= 2 and all(card["title"] for card in similar)


def test_a_site_configs_card_template_goes_straight_into_the_templates_grid(page, server, log):
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-1&only=config-cards")
    wait_until(page, "document.querySelector('#config-cards').hasAttribute('data-sk-rendered')")
    cards = page.eval_on_selector_all("#config-cards [data-sk-cards] > *",
                                      "cards => cards.map(c => [c.tagName, c.className, c.getAttribute('data-sk-item')])")
    assert cards and all(tag == "A" and classes == "config-card" and item for tag, classes, item in cards), cards


def test_a_shelf_without_a_template_gets_default_cards_laid_out_in_a_grid_with_bounded_images(page, server, log):
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-1&only=plain")
    wait_until(page, "document.querySelector('#plain .sk-shelf .sk-card')")
    layout = page.evaluate("""() => {
        const shelf = document.querySelector('#plain .sk-shelf');
        const cards = [...shelf.querySelectorAll('.sk-card')];
        const images = [...shelf.querySelectorAll('img')];
        return {display: getComputedStyle(shelf).display, columns: getComputedStyle(shelf).gridTemplateColumns.split(' ').length,
                tops: cards.map(card => Math.round(card.getBoundingClientRect().top)),
                widest: Math.max(...images.map(img => img.getBoundingClientRect().width)),
                cardWidth: Math.max(...cards.map(card => card.getBoundingClientRect().width))};
    }""")
    assert layout["display"] == "grid" and layout["columns"] > 1, layout
    assert len(set(layout["tops"])) == 1, f"the cards sit in one row, not a column: {layout}"
    assert 0 < layout["widest"] <= layout["cardWidth"] < 400, layout


def test_the_merchants_css_wins_over_the_default_styles(page, server, log):
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-1&only=plain")
    wait_until(page, "document.querySelector('#plain .sk-shelf .sk-card')")
    assert page.evaluate("getComputedStyle(document.querySelector('#plain .sk-shelf')).display") == "grid"
    page.add_style_tag(content=".sk-shelf { display: flex; }")   # a rule of the lowest specificity there is
    assert page.evaluate("getComputedStyle(document.querySelector('#plain .sk-shelf')).display") == "flex"


def test_clicking_a_templates_card_records_the_product_of_the_url_it_opens(page, server, log):
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-1")
    wait_until(page, "document.querySelector('#related [data-sk-item] a')")
    chosen = page.get_attribute("#related [data-sk-item]", "data-sk-item")
    page.click(f"#related [data-sk-item='{chosen}'] a")
    page.wait_for_url(f"**/t/template-product.html?id={chosen}")
    events = events_until(page, lambda events: sum(event["type"] == "product_view" for event in events) >= 2)
    assert [event["product"] for event in events if event["type"] == "product_view"] == ["SKU-1", chosen]
    assert [(event["placement"], event["product"]) for event in events if event["type"] == "rec_click"] == [("viewed-together", chosen)]


def test_with_shopkeeper_off_the_template_keeps_its_default_products(page, server, log):
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })")
    page.goto(f"{server.origin}/t/template-product.html?id=SKU-1")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.locator("#related .default-card").count() == 1
    assert page.locator("#related [data-sk-item]").count() == 0
