"""Browser tests: Debian's Chromium, driven by pytest-playwright, against 127.0.0.1.

Chromium runs with our static server as its proxy for every URL, loopback included, so
the server's log holds every request the browser made, to any origin. The browser's own
service traffic (update checks, account lookups) is set apart by host; everything else
must be a GET to our origin.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import engine_drivers
import pytest
from engine_drivers import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_SERVICE_DOMAINS
from mini_store import publish_mini_store
from polling import wait_until  # noqa: F401 (the e2e tests import it from here)
from published import ROOT, publish_demo, runtime_dir
from server import StaticServer, precompress


def tampered_copy(published: Path, out: Path) -> Path:
    """The same output with one byte of the model changed after publishing."""
    shutil.copytree(published, out)
    model = out / json.loads((out / "manifest.json").read_text())["model"]["name"]
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    return out


def without_webassembly(published: Path, out: Path) -> Path:
    """The same output with Pyodide's WebAssembly file gone, as after a botched upload."""
    shutil.copytree(published, out)
    for wasm in out.glob("*.wasm*"):
        wasm.unlink()
    return out


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    published = publish_mini_store(tmp_path_factory.mktemp("published") / "sk", runtime_dir())
    precompress(published)
    mounts = {
        "/sk/": published,
        "/sk-tampered/": tampered_copy(published, tmp_path_factory.mktemp("tampered") / "sk"),
        "/sk-no-wasm/": without_webassembly(published, tmp_path_factory.mktemp("no-wasm") / "sk"),
        "/sk-strict/": published,
        "/sk-wrong-type/": published,
        "/t/": ROOT / "tests" / "e2e" / "pages",
    }
    # The runtime under /sk-strict/ comes with a policy that forgets 'wasm-unsafe-eval'.
    strict = {"/sk-strict/": "default-src 'self'; script-src 'self'; worker-src 'self'"}
    # The worker under /sk-wrong-type/ comes as application/octet-stream, as a host without
    # a type for .js would send it.
    wrong = {"/sk-wrong-type/worker-": "application/octet-stream"}
    with StaticServer(ROOT / "demo_store" / "site", mounts, script_csp=strict, type_overrides=wrong) as running:
        yield running


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Path:
    return publish_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def browser_type_launch_args(server):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (make test does it)", pytrace=False)
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "proxy": {"server": server.origin}}


@pytest.fixture
def log(server):
    """The server's request log, emptied for this test and printed when the test fails."""
    server.clear_log()
    yield server.log


def is_browser_service(url: str) -> bool:
    return engine_drivers.is_browser_service(url, CHROMIUM_SERVICE_DOMAINS)


def page_requests(log) -> list:
    return [entry for entry in log if not is_browser_service(entry.url.removeprefix("http://"))]


def not_local_gets(log, origin: str) -> list:
    return engine_drivers.not_local_gets(log, origin, CHROMIUM_SERVICE_DOMAINS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    server = item.funcargs.get("server")
    if report.failed and server is not None:
        report.sections.append(("server log", "\n".join(f"{e.status} {e.method} {e.url} {e.body_bytes}B {e.encoding}" for e in server.log)))
