"""Script tag to swapped DOM: the skeleton path in a real Chromium with real IndexedDB and Pyodide."""

from __future__ import annotations

from conftest import not_local_gets, page_requests, wait_until

HERO_SWAPPED = "#hero[data-sk-variant='returning-viewer']"
DECIDED = "window.shopkeeper.ready"
# Runs RECORD at the first animation frame in which the hero slot exists: a busy machine
# may paint the head before the parser reaches the body.
FIRST_FRAME_WITH_HERO = (
    "(function frame() { requestAnimationFrame(() => {"
    " const hero = document.querySelector('#hero'); if (!hero) return frame(); RECORD; }); })();"
)


def hero_variant_at_first_paint(page, url: str) -> str | None:
    """Open `url` and return the hero's variant at the first frame that has the hero."""
    page.add_init_script(FIRST_FRAME_WITH_HERO.replace("RECORD", "window.variantAtFirstFrame = hero.getAttribute('data-sk-variant')"))
    page.goto(url)
    wait_until(page, "window.variantAtFirstFrame !== undefined")
    return page.evaluate("window.variantAtFirstFrame")


def visit_product_then_home(page, server):
    page.goto(f"{server.origin}/product.html")
    page.evaluate(DECIDED)
    page.goto(f"{server.origin}/")
    page.wait_for_selector(HERO_SWAPPED, timeout=60_000)


def test_slot_is_swapped_by_a_decision_made_in_pyodide_and_only_local_gets_were_made(page, server, log):
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    visit_product_then_home(page, server)

    assert "Still thinking about Trail shoe?" in page.inner_text("#hero")
    assert page.locator("#hero .default").count() == 0
    status = page.evaluate("window.shopkeeper.request('status')")
    assert status["ready"] is True and status["pyodide"] == "314.0.7"
    assert page.evaluate("performance.getEntriesByName('shopkeeper:decisions-applied').length") == 1

    requests = page_requests(log)
    assert any(entry.url.endswith(".asm.wasm") for entry in requests), "the WebAssembly runtime was never fetched"
    others = not_local_gets(log, server.origin)
    assert others == [], f"requests other than GETs to {server.origin}: {others}"
    assert errors == []


def test_next_view_applies_the_stored_decision_before_first_paint(page, server, log):
    visit_product_then_home(page, server)
    # Animation frame callbacks run in the rendering step just before a paint; what the
    # slot holds at the first frame that has it is what the shopper first sees.
    assert hero_variant_at_first_paint(page, f"{server.origin}/") == "returning-viewer"
    assert page.evaluate("performance.getEntriesByName('shopkeeper:stored-decisions-applied').length") >= 1
    wait_until(page, "performance.getEntriesByName('shopkeeper:decisions-applied').length === 1")
    assert page.inner_text("#hero").count("Still thinking about") == 1
    assert page.locator("#hero .default").count() == 0


def test_events_are_recorded_in_indexeddb(page, server, log):
    page.goto(f"{server.origin}/product.html")
    page.evaluate(DECIDED)
    stored = page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open('shopkeeper');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const all = open.result.transaction('events').objectStore('events').getAll();
                all.onsuccess = () => resolve(all.result);
                all.onerror = () => reject(all.error);
            };
        })"""
    )
    assert [(event["type"], event["product"]) for event in stored] == [("page_view", "SKU-1"), ("product_view", "SKU-1")]


def test_a_page_without_the_slot_in_between_keeps_its_stored_decision(page, server, log):
    """Home, then a page without a hero, then home again: the hero's variant is there at first paint."""
    visit_product_then_home(page, server)
    page.evaluate(DECIDED)
    page.goto(f"{server.origin}/t/search.html")
    page.evaluate(DECIDED)
    assert hero_variant_at_first_paint(page, f"{server.origin}/") == "returning-viewer"


def test_the_first_page_with_the_slot_shows_its_variant_at_first_paint(page, server, log):
    """Only pages without a hero so far: their decisions carry the hero as it would show
    (slots_elsewhere), so home, the first page with one, does not swap it after paint."""
    page.goto(f"{server.origin}/t/search.html")
    page.evaluate(DECIDED)
    page.evaluate("window.shopkeeper.track('product_view', {product: 'SKU-1'})")
    page.goto(f"{server.origin}/t/search.html")
    page.evaluate(DECIDED)
    assert hero_variant_at_first_paint(page, f"{server.origin}/") == "returning-viewer"


def test_global_privacy_control_records_nothing_and_changes_nothing(page, server, log):
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })")
    page.goto(f"{server.origin}/product.html")
    page.goto(f"{server.origin}/")
    page.wait_for_load_state("load")

    assert page.evaluate("window.shopkeeper.ready") is None
    assert page.locator("#hero .default").count() == 1
    assert not any("/sk/manifest.json" in entry.url for entry in log)
    databases = page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")
    assert "shopkeeper" not in databases


def test_missing_manifest_keeps_default_content_and_warns_once(page, server, log):
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(f"{server.origin}/t/missing-manifest.html")
    assert page.evaluate("window.shopkeeper.ready.then(() => 'resolved', () => 'rejected')") == "rejected"

    assert page.locator("#hero .default").count() == 1
    ours = [text for text in warnings if text.startswith("[shopkeeper]")]
    assert len(ours) == 1 and "default content" in ours[0], ours


def test_tampered_stored_decisions_are_ignored(page, server, log):
    page.goto(f"{server.origin}/t/missing-manifest.html")
    page.evaluate("localStorage.setItem('shopkeeper:decisions', '{not json')")
    page.goto(f"{server.origin}/t/missing-manifest.html")
    assert page.locator("#hero .default").count() == 1
    page.evaluate("localStorage.setItem('shopkeeper:decisions', JSON.stringify({made_at_ms: 1, slots: {hero: {html: 'old', variant: 'x'}}}))")
    page.goto(f"{server.origin}/t/missing-manifest.html")
    assert page.locator("#hero .default").count() == 1, "a decision older than a week must not be applied"


def test_an_async_tag_also_gets_fresh_decisions(page, server, log):
    page.goto(f"{server.origin}/product.html")
    page.evaluate(DECIDED)
    page.goto(f"{server.origin}/t/async-tag.html")
    page.wait_for_selector(HERO_SWAPPED, timeout=60_000)
    assert page.locator("#hero .default").count() == 0


def test_a_stale_stored_variant_gives_way_to_the_default_when_the_fresh_decision_has_none(page, server, log):
    page.goto(f"{server.origin}/product.html")
    page.evaluate(DECIDED)
    page.evaluate(
        "localStorage.setItem('shopkeeper:decisions', JSON.stringify({made_at_ms: Date.now(),"
        " slots: {hero: {variant: 'stale', html: '<p id=stale>stale</p>', reason: 'test'}}}))"
    )
    page.add_init_script(FIRST_FRAME_WITH_HERO.replace(
        "RECORD", "window.staleAtFirstFrame = !!hero.querySelector('#stale');"
        " window.defaultsAtFirstFrame = hero.querySelectorAll('.default').length"))
    page.goto(f"{server.origin}/product.html")  # the product on screen: no greeting decided

    wait_until(page, "window.staleAtFirstFrame !== undefined")
    assert page.evaluate("window.staleAtFirstFrame") is True
    assert page.evaluate("window.defaultsAtFirstFrame") == 0, "default children leaked in beside the stored variant"
    page.evaluate(DECIDED)
    assert page.locator("#hero #stale").count() == 0
    assert page.locator("#hero .default").count() == 1
    assert page.get_attribute("#hero", "data-sk-variant") is None


def test_a_tampered_model_is_refused_and_the_page_keeps_its_default_content(page, server, log):
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.goto(f"{server.origin}/product.html")
    page.evaluate(DECIDED)  # a product view is recorded, so a working model would greet
    page.goto(f"{server.origin}/t/tampered-model.html")
    decisions = page.evaluate(DECIDED)

    assert decisions["slots"] == {} and "the model was refused" in decisions["warning"]
    assert "SHA-256" in decisions["warning"]
    assert page.locator("#hero .default").count() == 1
    ours = [text for text in warnings if text.startswith("[shopkeeper]")]
    assert len(ours) == 1 and "model was refused" in ours[0], ours
    assert page.evaluate("performance.getEntriesByName('shopkeeper:decisions-applied').length") == 0, "no model, no timing mark"
