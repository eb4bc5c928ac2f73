"""The demo store as a merchant builds it (`demo_store/publish_demo.py`: generated event log,
`shopkeeper publish`, generated storefront), walked through as a shopper."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, not_local_gets, runtime_dir
from demo_walk import IN_AN_ARM, as_the_walks_visitor, collect_page_errors, walk_the_demo_store
from server import StaticServer, precompress

from shopkeeper.engine.config.site import parse_config
from shopkeeper.engine.experiments import assign


@pytest.fixture(scope="module")
def demo(demo_build):
    precompress(demo_build / "sk")
    with StaticServer(demo_build / "site", {"/sk/": demo_build / "sk"}) as running:
        yield running


@pytest.fixture
def page(browser, demo):
    """A context whose proxy is the demo's own server, so its log sees every request."""
    context = browser.new_context(proxy={"server": demo.origin})
    as_the_walks_visitor(context)
    yield context.new_page()
    context.close()


def test_the_walks_visitor_sees_an_arm_of_the_welcome_offer():
    config = parse_config(tomllib.loads((ROOT / "demo_store" / "site.toml").read_text()))
    welcome = next(experiment for experiment in config.experiments if experiment.name == "welcome-offer")
    assert assign(welcome, IN_AN_ARM).arm is not None


def test_a_shopper_walks_the_demo_store_and_every_request_stays_local(page, demo):
    demo.clear_log()
    walk_the_demo_store(page, demo.origin, collect_page_errors(page))
    others = not_local_gets(demo.log, demo.origin)
    assert others == []


def test_the_demo_publishes_the_same_model_twice(tmp_path):
    names = []
    for run in ("one", "two"):
        subprocess.run([sys.executable, str(ROOT / "demo_store" / "publish_demo.py"), "--out", str(tmp_path / run),
                        "--runtime", str(runtime_dir())], check=True, capture_output=True)
        names.append(sorted(path.name for path in Path(tmp_path / run / "sk").iterdir()))
    assert names[0] == names[1]
