"""render.mjs in Chromium: shelves, re-ranking, exposures and popups from decisions in JSON files.

tests/e2e/pages/render.html imports render.mjs by its content-hashed name from the
manifest, as the loader does, and renders tests/e2e/pages/decisions/NAME.json with the
loader's host, so events land in the real IndexedDB. Hostile titles, reasons, URLs and
HTML must reach the page as text or not at all, and nothing may execute, also with the
page's Content-Security-Policy switched off: the renderer, not the CSP, defuses them.
"""

from __future__ import annotations

import pytest
from test_capture import assert_engine_reads, events_until, of_type, stored_events

POPUP = "dialog.sk-popup"


@pytest.fixture
def rendered(page, server, log):
    """Open render.html with ?decisions=NAME; after the test, prove nothing executed."""
    problems = {"dialogs": [], "errors": []}
    page.on("dialog", lambda dialog: (problems["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: problems["errors"].append(str(error)))

    def open_page(decisions: str):
        page.goto(f"{server.origin}/t/render.html?decisions={decisions}")
        page.wait_for_selector("html[data-test-rendered]", state="attached")
        return page

    yield open_page
    assert problems == {"dialogs": [], "errors": []}
    assert page.evaluate("window.pwned") is None


@pytest.fixture
def without_csp(server):
    """Serve pages without their Content-Security-Policy for one test."""
    kept, server.csp = server.csp, ""
    yield
    server.csp = kept


def cards(page, shelf: str) -> list[str]:
    return page.eval_on_selector_all(f"{shelf} .sk-card", "cards => cards.map(card => card.getAttribute('data-sk-item'))")


def test_shelves_show_cards_with_formatted_prices_and_escaped_text(rendered):
    page = rendered("shelves.json")

    assert cards(page, "#shelf") == ["SKU-2", "SKU-3", "SKU-4", "SKU-6"], "the javascript: item is dropped, the count kept"
    stove = page.locator("#shelf [data-sk-item='SKU-2']")
    assert stove.locator("a.sk-card-link").get_attribute("href").endswith("/t/render.html?decisions=shelves.json#card-SKU-2")
    assert stove.locator("img").get_attribute("src").endswith("/t/no-such-image.png")
    assert stove.locator("img").get_attribute("alt") == ""
    assert stove.locator(".sk-card-title").inner_text() == "Camp Stove"
    assert stove.locator(".sk-card-price").inner_text() == "€60.00"
    assert stove.locator(".sk-card-reason").inner_text() == "Often bought with Trail Tent"
    bag = page.locator("#shelf [data-sk-item='SKU-3']")
    assert (bag.locator(".sk-card-sale").inner_text(), bag.locator(".sk-card-was").inner_text()) == ("€99.50", "€120.00")

    hostile = page.locator("#shelf [data-sk-item='SKU-4']")
    assert hostile.locator(".sk-card-title").inner_text() == "<img src=x onerror=\"window.pwned='title'\">"
    assert hostile.locator(".sk-card-reason").inner_text() == "<script>window.pwned='reason'</script>"
    assert hostile.locator("img, script").count() == 0, "a javascript: image is dropped, markup in text stays text"
    assert hostile.locator(".sk-card-price").inner_text() == "12.50", "an unknown currency gets a plain number"

    engine_card = page.locator("#shelf [data-sk-item='SKU-6']")
    assert engine_card.locator(".engine-link").get_attribute("href") is None
    assert engine_card.locator(".engine-link").get_attribute("onclick") is None
    assert engine_card.locator("img").get_attribute("onerror") is None
    assert engine_card.locator("script, iframe").count() == 0
    assert engine_card.locator(".engine-ok").get_attribute("href") == "#card-SKU-6"

    assert cards(page, "#below") == ["SKU-8", "SKU-9"]
    assert page.get_attribute("#below [data-sk-item='SKU-9'] a", "href") == "https://example.com/compass"
    assert page.locator("#undecided .default").count() == 1, "a shelf without a decision keeps its default content"
    assert page.get_attribute("#shelf", "data-sk-rendered") == "bought_together"


def test_rerank_orders_listed_items_first_and_keeps_the_rest_in_place(rendered):
    page = rendered("shelves.json")
    order = page.eval_on_selector_all("#grid > li", "items => items.map(item => item.getAttribute('data-sk-item') || item.className)")
    assert order == ["SKU-3", "advert", "SKU-1", "SKU-2", "SKU-4"]


def test_exposures_reach_listeners_registered_before_and_after_and_the_datalayer(rendered):
    page = rendered("shelves.json")
    expected = [
        {"experiment": "hero-copy", "arm": "b", "holdout": False},
        {"experiment": "<b>x</b>", "arm": "a", "holdout": True},
    ]
    assert page.evaluate("window.exposuresBefore") == expected
    assert page.evaluate("(() => { const got = []; window.shopkeeper.on('exposure', e => got.push(e)); return got; })()") == expected
    pushed = page.evaluate("window.dataLayer.filter(entry => entry.event === 'shopkeeper_exposure')")
    assert pushed == [{"event": "shopkeeper_exposure", **exposure} for exposure in expected]

    page.evaluate("window.renderer.render(window.decisions, window.shopkeeper.host)")  # rendering twice
    assert len(page.evaluate("window.exposuresBefore")) == 2, "an exposure is announced once per page view"


def test_impressions_are_recorded_once_per_shelf_when_seen_and_clicks_name_the_product(rendered):
    page = rendered("shelves.json")
    events = events_until(page, lambda events: of_type(events, "rec_impression"))
    assert of_type(events, "rec_impression") == [{
        "type": "rec_impression", "page": "category", "placement": "bought-together",
        "items": [{"product": "SKU-2", "quantity": 1}, {"product": "SKU-3", "quantity": 1},
                  {"product": "SKU-4", "quantity": 1}, {"product": "SKU-6", "quantity": 1}],
    }], "the shelf below the fold has not been seen yet"

    page.locator("#below").scroll_into_view_if_needed()
    events = events_until(page, lambda events: len(of_type(events, "rec_impression")) == 2)
    assert of_type(events, "rec_impression")[1]["items"] == [{"product": "SKU-8", "quantity": 1}, {"product": "SKU-9", "quantity": 1}]
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#below").scroll_into_view_if_needed()
    page.evaluate("window.renderer.render(window.decisions, window.shopkeeper.host)")  # a second render sees them again
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")

    page.evaluate("window.scrollTo(0, 0)")
    page.click("#shelf [data-sk-item='SKU-3'] .sk-card-reason")  # not a link: no click-through
    page.click("#shelf [data-sk-item='SKU-3'] .sk-card-title")
    events = events_until(page, lambda events: of_type(events, "rec_click"))
    assert of_type(events, "rec_click") == [{"type": "rec_click", "page": "category", "placement": "bought-together", "product": "SKU-3"}]
    assert len(of_type(events, "rec_impression")) == 2
    assert_engine_reads(events)


def popup_events(page) -> list[tuple[str, str]]:
    return [(event["type"], event["campaign"]) for event in of_type(stored_events(page), "popup_shown", "popup_dismissed", "popup_converted")]


def test_dwell_popup_shows_after_the_visible_seconds_and_the_close_button_dismisses_it(rendered):
    page = rendered("popup-dwell.json")
    page.wait_for_selector(POPUP)
    assert page.evaluate("window.popupShownAt") >= 1000, "shown before one second of dwell"
    dialog = page.locator(POPUP)
    assert (dialog.get_attribute("role"), dialog.get_attribute("aria-modal")) == ("dialog", "true")
    assert page.locator(f"#{dialog.get_attribute('aria-labelledby')}").inner_text() == "Before you go"

    page.click(".sk-popup-close")
    page.wait_for_selector(POPUP, state="detached")
    assert popup_events(page) == [("popup_shown", "dwell-offer"), ("popup_dismissed", "dwell-offer")]


def test_exit_intent_popup_takes_focus_and_escape_gives_it_back(rendered):
    page = rendered("popup-exit.json")
    page.focus("#outside")
    page.mouse.move(400, 300)
    page.mouse.move(400, 200)
    assert page.locator(POPUP).count() == 0, "moving about inside the page is no exit"
    page.mouse.move(400, -5)  # out through the top
    page.wait_for_selector(POPUP)
    assert page.evaluate("document.activeElement.closest('dialog.sk-popup') !== null"), "focus moved into the popup"

    page.keyboard.press("Escape")
    page.wait_for_selector(POPUP, state="detached")
    assert page.evaluate("document.activeElement.id") == "outside"
    assert popup_events(page) == [("popup_shown", "exit-offer"), ("popup_dismissed", "exit-offer")]


def test_scroll_popup_shows_at_the_depth_and_its_convert_link_records_a_conversion(rendered):
    page = rendered("popup-scroll.json")
    page.evaluate("window.scrollTo(0, 200)")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.locator(POPUP).count() == 0, "200 px is not half the page"
    page.evaluate("window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.6)")
    page.wait_for_selector(POPUP)

    page.click(f"{POPUP} #take")
    page.wait_for_selector(POPUP, state="detached")
    assert page.url.endswith("#offer"), "the convert link still does what it links to"
    assert popup_events(page) == [("popup_shown", "scroll-offer"), ("popup_converted", "scroll-offer")]


def test_inactivity_popup_shows_after_a_second_without_input_and_the_backdrop_dismisses_it(rendered):
    page = rendered("popup-inactivity.json")
    page.wait_for_selector(POPUP)
    assert page.evaluate("window.popupShownAt") >= 1000
    page.mouse.click(3, 3)  # the backdrop, outside the dialog box
    page.wait_for_selector(POPUP, state="detached")
    assert popup_events(page) == [("popup_shown", "idle-offer"), ("popup_dismissed", "idle-offer")]


def test_page_count_popup_shows_shortly_after_load(rendered):
    page = rendered("popup-page-count.json")
    page.wait_for_selector(POPUP)
    assert popup_events(page) == [("popup_shown", "third-page")]


def test_cart_abandonment_waits_for_a_non_empty_cart(rendered):
    page = rendered("popup-cart.json")
    page.wait_for_selector(POPUP, timeout=15_000)
    assert page.get_attribute(POPUP, "data-sk-campaign") == "later-offer", "the cart is empty: the dwell campaign came first"

    page.goto("about:blank")
    page = rendered("popup-cart.json")
    page.click("#add")  # something in the cart, then no input for a second
    page.wait_for_selector(POPUP)
    assert page.get_attribute(POPUP, "data-sk-campaign") == "cart-offer"


def test_at_most_one_popup_per_page_view(rendered):
    page = rendered("popup-two.json")  # two campaigns due at the same moment
    page.wait_for_selector(POPUP)
    assert page.locator(POPUP).count() == 1
    shown = page.get_attribute(POPUP, "data-sk-campaign")
    page.evaluate("window.renderer.render(window.decisions, window.shopkeeper.host)")  # armed again: nothing
    assert page.locator(POPUP).count() == 1
    page.keyboard.press("Escape")
    page.wait_for_selector(POPUP, state="detached")
    page.evaluate("window.renderer.render(window.decisions, window.shopkeeper.host)")
    assert page.locator(POPUP).count() == 0
    assert popup_events(page) == [("popup_shown", shown), ("popup_dismissed", shown)]


def test_hostile_popup_html_is_defused_and_its_campaign_name_stays_text(rendered):
    page = rendered("popup-hostile.json")
    page.wait_for_selector(POPUP)
    dialog = page.locator(POPUP)
    assert dialog.get_attribute("data-sk-campaign") == 'a "hostile" <campaign>'
    assert dialog.get_attribute("aria-label"), "a popup without a heading still has a name"
    assert dialog.locator("script, base, meta, animate").count() == 0
    assert dialog.locator("img").get_attribute("onerror") is None
    assert dialog.locator("a[data-sk-convert]").get_attribute("href") is None
    assert dialog.locator("form").get_attribute("action") is None
    assert dialog.locator("form button").get_attribute("formaction") is None

    page.click(f"{POPUP} a[data-sk-convert]")
    page.wait_for_selector(POPUP, state="detached")
    assert popup_events(page) == [("popup_shown", 'a "hostile" <campaign>'), ("popup_converted", 'a "hostile" <campaign>')]


@pytest.mark.parametrize("decisions", ["shelves.json", "popup-hostile.json"])
def test_hostile_decisions_execute_nothing_even_without_a_csp(rendered, without_csp, decisions):
    page = rendered(decisions)
    inline_handlers_run = page.evaluate(
        "(() => { const probe = document.createElement('i'); probe.setAttribute('onclick', 'window.cspIsOff = true');"
        " probe.click(); return window.cspIsOff === true; })()"
    )
    assert inline_handlers_run, "this test needs the page without its CSP"
    if decisions == "shelves.json":
        page.locator("#below").scroll_into_view_if_needed()
        page.click("#shelf .engine-link")
        page.click("#shelf [data-sk-item='SKU-4'] .sk-card-title")
    else:
        page.wait_for_selector(POPUP)
        page.click(f"{POPUP} svg a")
        page.click(f"{POPUP} a[data-sk-convert]")
        assert page.url.endswith("popup-hostile.json"), "no <meta> refresh, no <base> redirection"
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_on_a_touch_screen_a_fast_flick_back_to_the_top_is_exit_intent(browser, server, log):
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 700})
    page = context.new_page()
    try:
        page.goto(f"{server.origin}/t/render.html?decisions=popup-exit.json")
        page.wait_for_selector("html[data-test-rendered]", state="attached")
        assert page.evaluate("matchMedia('(pointer: coarse)').matches"), "the emulated phone has a coarse pointer"
        page.evaluate("window.scrollTo(0, 1400)")  # reading further down
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        assert page.locator(POPUP).count() == 0
        page.evaluate("window.scrollTo(0, 100)")  # and back up in one flick
        page.wait_for_selector(POPUP)
        assert popup_events(page) == [("popup_shown", "exit-offer")]
    finally:
        context.close()
