"""Faults, the runtime: the worker cannot start its Python (Pyodide's WebAssembly file is
missing from the deployment, or the worker script's policy refuses WebAssembly). The page
keeps its default content, the loader reports the cause and the fix once and at once
(Pyodide's loadPyodide itself never settles then: the worker watches its fetches and
securitypolicyviolation), and what the shopper did is still recorded. Elsewhere: a
missing manifest (tests/e2e/test_skeleton.py)."""

from __future__ import annotations

from test_capture import events_until


def refused_page(page, url: str) -> str:
    """Open `url`, whose worker cannot start; check the page is intact and return our one console line."""
    lines, errors = [], []
    page.on("console", lambda message: lines.append(message.text) if "[shopkeeper]" in message.text else None)
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(url)
    assert page.evaluate("window.shopkeeper.ready.then(() => 'decided', () => 'refused')") == "refused"
    assert page.locator("#hero .default").count() == 1
    events_until(page, lambda events: len(events) >= 1)   # capture goes on without the worker
    page.wait_for_timeout(200)
    assert len(lines) == 1 and errors == [], (lines, errors)
    return lines[0]


def test_a_missing_webassembly_file_keeps_the_defaults_and_warns_once(page, server, log):
    line = refused_page(page, f"{server.origin}/t/missing-runtime.html")
    assert ".asm.wasm answered 404" in line and "publish it again" in line, line


def test_a_csp_that_refuses_webassembly_keeps_the_defaults_and_says_what_to_allow(page, server, log):
    line = refused_page(page, f"{server.origin}/t/strict-csp.html")
    assert "Content-Security-Policy of the worker script refused" in line and "'wasm-unsafe-eval'" in line, line


def test_a_worker_script_served_as_the_wrong_type_is_reported_at_once(page, server, log):
    line = refused_page(page, f"{server.origin}/t/wrong-type.html")
    assert "could not start" in line and "served as JavaScript" in line, line
