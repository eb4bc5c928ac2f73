"""The demo store as a merchant builds it (`demo_store/publish_demo.py`: generated event log,
`shopkeeper publish`, generated storefront), walked through as a shopper."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, page_requests, runtime_dir, wait_until
from server import StaticServer, precompress

from shopkeeper.engine.config.site import parse_config
from shopkeeper.engine.experiments import assign


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    subprocess.run([sys.executable, str(ROOT / "demo_store" / "publish_demo.py"), "--out", str(out), "--runtime", str(runtime_dir())],
                   check=True, capture_output=True)
    precompress(out / "sk")
    with StaticServer(out / "site", {"/sk/": out / "sk"}) as running:
        yield running


def shelf_ids(page, name):
    return page.eval_on_selector_all(f"[data-sk-recs='{name}'] [data-sk-item]", "nodes => nodes.map(n => n.getAttribute('data-sk-item'))")


def decided(page):
    return page.evaluate("window.shopkeeper.ready")


# The welcome-offer experiment holds 10% of new shoppers out (they see the default
# hero): the walk uses a visitor id bucketed into an arm, checked below with the engine.
IN_AN_ARM = "3f6b8a2c-1d4e-4f5a-9b8c-7d6e5f4a3b2c"


@pytest.fixture
def page(browser, demo):
    """A context whose proxy is the demo's own server, so its log sees every request."""
    context = browser.new_context(proxy={"server": demo.origin})
    context.add_init_script(f"localStorage.getItem('shopkeeper:visitor') || localStorage.setItem('shopkeeper:visitor', '{IN_AN_ARM}')")
    yield context.new_page()
    context.close()


def test_the_walks_visitor_sees_an_arm_of_the_welcome_offer():
    config = parse_config(tomllib.loads((ROOT / "demo_store" / "site.toml").read_text()))
    welcome = next(experiment for experiment in config.experiments if experiment.name == "welcome-offer")
    assert assign(welcome, IN_AN_ARM).arm is not None


def test_a_shopper_walks_the_demo_store_and_every_request_stays_local(page, demo):
    demo.clear_log()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{demo.origin}/")
    first = decided(page)
    assert first["recs"]["trending"]["items"], "a new shopper gets a cold-start shelf"
    assert first["slots"]["hero"]["variant"].startswith("welcome-")

    page.goto(f"{demo.origin}/p/alpine-dome-2-tent.html")
    on_product = decided(page)
    together = [item["id"] for item in on_product["recs"]["bought-together"]["items"]]
    assert together and "TEN-101" not in together
    assert all(item["reason"] for item in on_product["recs"]["bought-together"]["items"])
    wait_until(page, "document.querySelectorAll(\"[data-sk-recs='bought-together'] a\").length > 0")

    for product in ("basecamp-4-family-tent", "backcountry-leather-boots"):
        page.goto(f"{demo.origin}/p/{product}.html")
        decided(page)
    page.goto(f"{demo.origin}/")
    returning = decided(page)
    recent = [item["id"] for item in returning["recs"]["recently-viewed"]["items"]]
    assert recent[:3] == ["FTW-503", "TEN-103", "TEN-101"], recent
    first_reasons = {item["reason_code"] for item in first["recs"]["for-you"]["items"]}
    now_reasons = {item["reason_code"] for item in returning["recs"]["for-you"]["items"]}
    assert first_reasons <= {"trending", "bestseller"}, "a new shopper's personal shelf is a cold start"
    assert now_reasons - {"trending", "bestseller"}, "after three product views it follows them"
    assert errors == []
    others = [e for e in page_requests(demo.log) if e.method != "GET" or not e.url.startswith(demo.origin)]
    assert others == []


def test_the_demo_publishes_the_same_model_twice(tmp_path):
    names = []
    for run in ("one", "two"):
        subprocess.run([sys.executable, str(ROOT / "demo_store" / "publish_demo.py"), "--out", str(tmp_path / run),
                        "--runtime", str(runtime_dir())], check=True, capture_output=True)
        names.append(sorted(path.name for path in Path(tmp_path / run / "sk").iterdir()))
    assert names[0] == names[1]
