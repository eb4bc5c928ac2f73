"""Hosting: the published files copied into a document root, served by servers merchants
use, personalize the page, both with the server's stock configuration and with the
snippet docs/hosting.md gives for it (read from that file: the docs are what is tested).

- Debian's nginx, Apache httpd and Caddy, started from the test with their packaged
  defaults (nginx's mime.types, Apache's mods-enabled and /etc/mime.types, Caddy's
  file_server); `python3 -m http.server` as a developer tries a publish.
- `shopkeeper check` finds no error on any of them, and nothing at all to fix (`--strict`)
  where the snippet is in place.
- The demo store walked on nginx with the snippet, nginx being the browser's proxy so
  that its access log holds every request the browser made.
- A bucket: the Content-Type an upload tool takes from Python's mimetypes table.
"""

from __future__ import annotations

import mimetypes
import shutil
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, is_browser_service
from demo_walk import as_the_walks_visitor, collect_page_errors, walk_the_demo_store
from static_hosts import readable_home, start_host

from shopkeeper.cli import main

HOSTS = [("nginx", False), ("nginx", True), ("apache", False), ("apache", True), ("caddy", False), ("caddy", True),
         ("python", False)]
JAVASCRIPT = {"application/javascript", "text/javascript"}


def document_root(site: Path, published: Path) -> Path:
    """A storefront with a publish under /sk/, as a merchant's upload leaves it."""
    root = readable_home("www") / "www"
    shutil.copytree(site, root)
    shutil.copytree(published, root / "sk")
    (root / "sk" / "probe.mjs").write_text("export {};\n")   # how a stock server types an .mjs
    return root


@pytest.fixture(scope="module", params=HOSTS, ids=[f"{name}{'+snippet' if snippet else ''}" for name, snippet in HOSTS])
def host(request, server):
    name, with_snippet = request.param
    root = document_root(ROOT / "demo_store" / "site", server.mounts["/sk/"])
    running = start_host(name, root, with_snippet, "/sk/manifest.json")
    yield running
    running.stop()
    shutil.rmtree(root.parent, ignore_errors=True)
    shutil.rmtree(running.home, ignore_errors=True)


def media_type(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return (response.headers["Content-Type"] or "").split(";")[0].strip()


def test_every_shipped_file_is_typed_so_a_browser_runs_it(host):
    for path in sorted((host.root / "sk").iterdir()):
        kind = media_type(f"{host.origin}/sk/{path.name}")
        if path.suffix == ".js":
            assert kind in JAVASCRIPT, (host.label, path.name, kind)
        elif path.suffix == ".wasm":
            assert kind == "application/wasm", (host.label, path.name, kind)
    if host.name == "nginx":
        assert media_type(f"{host.origin}/sk/probe.mjs") == "application/octet-stream", "why nothing we ship ends in .mjs"


def assert_personalizes(origin: str, browser_type) -> None:
    """A page at `origin` gets decisions from Pyodide, with nothing on the console."""
    browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)   # no test proxy: that server serves
    try:
        page = browser.new_page()
        lines = []
        page.on("console", lambda message: lines.append(message.text) if "[shopkeeper]" in message.text else None)
        page.goto(f"{origin}/product.html")
        assert page.evaluate("window.shopkeeper.ready.then(decisions => typeof decisions.slots, String)") == "object", lines
        assert lines == []
    finally:
        browser.close()


def test_a_page_served_there_gets_decisions_from_pyodide(host, browser_type):
    assert_personalizes(host.origin, browser_type)


def test_shopkeeper_check_finds_no_error_there_and_nothing_to_fix_with_the_snippet(host, capsys):
    strict = ["--strict"] if host.with_snippet else []
    status = main(["check", "-q", *strict, f"{host.origin}/product.html"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.rstrip().splitlines()[-1].endswith("browsers can run shopkeeper here"), out
    if not host.with_snippet and host.name != "apache":
        assert "sent uncompressed" in out, "stock nginx, Caddy and http.server compress none of the runtime"
    print(host.label, next(line for line in out.splitlines() if line.startswith("ok      site:")))


@pytest.fixture(scope="module")
def demo_on_nginx(demo_build):
    root = document_root(demo_build / "site", demo_build / "sk")
    running = start_host("nginx", root, True, "/sk/manifest.json")
    yield running
    running.stop()
    shutil.rmtree(root.parent, ignore_errors=True)
    shutil.rmtree(running.home, ignore_errors=True)


def test_the_demo_store_walk_passes_on_nginx_with_the_docs_snippet(demo_on_nginx, browser_type):
    browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, proxy={"server": demo_on_nginx.origin})
    try:
        context = browser.new_context()
        as_the_walks_visitor(context)
        page = context.new_page()
        walk_the_demo_store(page, demo_on_nginx.origin, collect_page_errors(page))
    finally:
        browser.close()
    # nginx logs a connection the browser opened ahead of time and closed unused as "- http://-".
    requests = [line.split() for line in demo_on_nginx.access_log() if not line.startswith("- ")]
    ours = [(method, url) for method, url, _ in requests if not is_browser_service(url)]
    assert ours and all(method == "GET" and url.startswith(demo_on_nginx.origin + "/") for method, url in ours), ours
    assert any(url.endswith(".wasm") for _, url in ours), "the walk booted Pyodide from nginx"


def test_an_upload_tool_types_every_shipped_file_from_pythons_own_table(server):
    """aws s3 and gsutil set a bucket object's Content-Type with Python's mimetypes."""
    builtin = mimetypes.MimeTypes(filenames=())
    for path in sorted(server.mounts["/sk/"].iterdir()):
        kind, _ = builtin.guess_type(path.name)
        if path.suffix == ".js":
            assert kind in JAVASCRIPT, path.name
        elif path.suffix == ".wasm":
            assert kind == "application/wasm", path.name
