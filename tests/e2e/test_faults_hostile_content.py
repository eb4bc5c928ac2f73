"""Faults, hostile content: markup that tries to run script reaches the page through the
loader's one sanitizer (cleanHtml in web/shopkeeper.js), whether it comes from a merchant
template rendered by the engine or from a hand-edited store. Shelves' and popups' hostile
html: tests/e2e/test_render.py (test_hostile_*), through the same sanitizer."""

from __future__ import annotations

import json

from conftest import wait_until

HOSTILE = (
    "<p class='hostile'>Hello<img src='/nothing.png' onerror=\"window.skPwned = 'onerror'\">"
    "<script>window.skPwned = 'script'</script><a href=\"javascript:window.skPwned = 'link'\">go</a>"
    "<iframe srcdoc=\"<script>parent.skPwned = 'frame'</script>\"></iframe>"
    "<svg><animate onbegin=\"window.skPwned = 'svg'\" attributeName='x' dur='1s'/></svg>"
    "<a class='fine' href='/p/1'>Test store</a></p>"
)
DEFUSED = """(selector) => {
    const slot = document.querySelector(selector);
    return {
        variant: slot.getAttribute('data-sk-variant'),
        text: slot.textContent,
        dangerous: slot.querySelectorAll('script, iframe, animate').length,
        handlers: [...slot.querySelectorAll('*')].flatMap(el => [...el.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
        links: [...slot.querySelectorAll('a')].map(a => a.getAttribute('href')),
        pwned: window.skPwned ?? null,
    };
}"""


def assert_defused(page, selector: str, variant: str) -> None:
    page.wait_for_timeout(300)  # an onerror or an animation would have fired by now
    seen = page.evaluate(DEFUSED, selector)
    assert seen["variant"] == variant and "Hello" in seen["text"] and "Test store" in seen["text"], seen
    assert (seen["dangerous"], seen["handlers"], seen["pwned"]) == (0, [], None), seen
    assert seen["links"] == [None, "/p/1"], "the javascript: link lost its href, the relative one kept it"


def test_a_merchant_template_with_script_is_defused_in_its_slot(page, server, log):
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{server.origin}/t/hostile-slot.html")
    wait_until(page, "document.querySelector('#hostile[data-sk-variant]')")
    assert_defused(page, "#hostile", "hostile-markup")
    assert errors == []


def test_hand_edited_stored_decisions_are_defused_before_first_paint(page, server, log):
    page.goto(f"{server.origin}/t/blank.html")
    stored = {"made_at_ms": page.evaluate("Date.now()"), "model_version": "x",
              "slots": {"hero": {"variant": "edited", "html": HOSTILE, "reason": "rule"}}}
    page.evaluate("(value) => localStorage.setItem('shopkeeper:decisions', value)", json.dumps(stored))
    page.route("**/sk/manifest.json", lambda route: route.abort())  # only the stored decisions apply
    page.goto(f"{server.origin}/t/capture.html")
    assert_defused(page, "#hero", "edited")
