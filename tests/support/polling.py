"""Waiting on a page in any of the browsers the tests drive."""

from __future__ import annotations

import time


def wait_until(page, expression: str, timeout_ms: float = 60_000):
    """Poll an expression until it is truthy. `page` is a Playwright page or an engines.py
    browser. (Playwright's wait_for_function evaluates strings with eval(), which the CSP
    we test under, without 'unsafe-eval', forbids.)"""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms:.0f} ms: {expression}")
        page.wait_for_timeout(25)
