"""The engine tier: what shoppers on Firefox and Safari get, in Debian's Firefox ESR and
WebKitGTK, driven by tests/support/engine_drivers.py (no downloaded driver).

`pytest tests/engines --engine firefox` (or webkit, or chromium) runs every test in one
engine, which `make test` does once per engine so each prints its own summary. As in the Chromium
tier, the test server is the browser's proxy, so its log holds every request the browser
made; what a test needs to run before the page's own scripts, the server puts first in
every HTML page it serves (WebKit's WebDriver has no preload scripts).
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import engine_drivers
import pytest
from engine_drivers import ENGINES, launch, missing
from mini_store import publish_mini_store
from published import ROOT, publish_demo, runtime_dir
from server import StaticServer, precompress

# Before anything of the page's own: what it throws and logs, for the test to read
# (WebKit's WebDriver has no console API; engine_drivers.WebKit.console reads this).
PROBE_BASE = """window.pageErrors = [];
addEventListener("error", (event) => window.pageErrors.push(String(event.message)));
addEventListener("unhandledrejection", (event) => window.pageErrors.push(String(event.reason)));
window.consoleLines = [];
for (const level of ["log", "info", "warn", "error"]) {
  const original = console[level];
  console[level] = function (...args) {
    window.consoleLines.push([level, args.map(String).join(" ")]);
    return original.apply(this, args);
  };
}
"""
HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)
NO_STORE = "/no-store/"


class ProbeServer(StaticServer):
    """The test server, with a script of the test's (`init_script`) first in every page, and
    `delays`: seconds to wait before answering for a file whose name starts with the key."""

    def __init__(self, root: Path, mounts: dict[str, Path], probe_dir: Path, page_cache_control: dict[str, str] | None = None,
                 type_overrides: dict[str, str] | None = None):
        self.probe_dir = probe_dir
        self.delays: dict[str, float] = {}
        super().__init__(root, dict(mounts, **{"/__probe__/": probe_dir}), page_cache_control=page_cache_control,
                         type_overrides=type_overrides)
        self.init_script("")

    def init_script(self, script: str) -> None:
        source = (PROBE_BASE + script + "\n").encode()
        # A name per content, so that no cached copy of an earlier test's script runs.
        self.probe_name = f"probe-{hashlib.sha256(source).hexdigest()[:12]}.js"
        (self.probe_dir / self.probe_name).write_bytes(source)

    def content(self, file: Path) -> bytes:
        time.sleep(next((seconds for prefix, seconds in self.delays.items() if file.name.startswith(prefix)), 0.0))
        data = super().content(file)
        if file.suffix != ".html":
            return data
        tag = f'<script src="/__probe__/{self.probe_name}"></script>'.encode()
        head = HEAD.search(data)
        return data[:head.end()] + tag + data[head.end():] if head else tag + data


def pytest_addoption(parser):
    parser.addoption("--engine", choices=("chromium", *ENGINES), action="append",
                     help="the engine to run the tier in (default: Firefox and WebKit)")


def pytest_generate_tests(metafunc):
    if "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", metafunc.config.getoption("engine") or list(ENGINES), scope="session")


def start_server(root: Path, mounts: dict[str, Path], tmp_path_factory, page_cache_control=None, type_overrides=None) -> ProbeServer:
    return ProbeServer(root, mounts, tmp_path_factory.mktemp("probe"), page_cache_control, type_overrides)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    published = publish_mini_store(tmp_path_factory.mktemp("published") / "sk", runtime_dir())
    precompress(published)
    site = ROOT / "demo_store" / "site"
    # /no-store/: the same store pages, sent as many shops send theirs.
    # /sk-wrong-type/: the publish, its worker script sent as a host without a type for .js would.
    mounts = {"/sk/": published, "/t/": ROOT / "tests" / "e2e" / "pages", NO_STORE: site, "/sk-wrong-type/": published}
    wrong = {"/sk-wrong-type/worker-": "application/octet-stream"}
    with start_server(site, mounts, tmp_path_factory, {NO_STORE: "no-store"}, wrong) as running:
        yield running


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo store as `make demo` builds it, on a server of its own."""
    built = publish_demo(tmp_path_factory.mktemp("demo"))
    precompress(built / "sk")
    with start_server(built / "site", {"/sk/": built / "sk"}, tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="session")
def sharded_demo(tmp_path_factory):
    """The demo store with its model in shards (`--shards always`), on a server of its own."""
    built = publish_demo(tmp_path_factory.mktemp("sharded-demo"), shards="always")
    precompress(built / "sk")
    with start_server(built / "site", {"/sk/": built / "sk"}, tmp_path_factory) as running:
        running.published = built / "sk"
        yield running


@pytest.fixture(scope="session")
def browsers():
    """One browser per engine and server, started on first use."""
    started = {}
    yield started
    for browser in started.values():
        browser.close()


def open_browser(browsers: dict, engine: str, server: ProbeServer):
    reason = missing(engine)
    if reason:
        pytest.fail(f"{engine}: {reason}", pytrace=False)
    key = (engine, server.origin)
    if key not in browsers:
        browsers[key] = launch(engine, int(urlsplit(server.origin).port))
    browser = browsers[key]
    browser.reset()
    server.init_script("")
    server.clear_log()
    return browser


@pytest.fixture
def tab(browsers, engine, server):
    """A fresh tab with empty storage in `engine`, its proxy the mini store's server."""
    return open_browser(browsers, engine, server)


@pytest.fixture
def demo_tab(browsers, engine, demo):
    return open_browser(browsers, engine, demo)


@pytest.fixture
def sharded_demo_tab(browsers, engine, sharded_demo):
    return open_browser(browsers, engine, sharded_demo)


def not_local_gets(server: StaticServer) -> list:
    """Requests of the page other than GETs to the server's own origin."""
    return engine_drivers.not_local_gets(server.log, server.origin)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    for name in ("server", "demo"):
        running = item.funcargs.get(name)
        if running is not None:
            report.sections.append((f"{name} log", "\n".join(f"{e.status} {e.method} {e.url} {e.body_bytes}B" for e in running.log)))
    browser = item.funcargs.get("tab") or item.funcargs.get("demo_tab")
    if browser is not None:
        report.sections.append(("console", "\n".join(f"{level}: {text}" for level, text in browser.console())))
