"""Hosting: the published files copied into a document root of Debian's nginx, served with
its stock MIME types (/etc/nginx/mime.types) and nothing of ours, personalize the page.

The server block is the smallest a merchant writes (listen, root); the http block keeps
Debian's defaults (its mime.types, default_type application/octet-stream). `user root`
only because the test's files live in a private temporary directory."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

NGINX = Path("/usr/sbin/nginx")
CONFIG = """user root;
worker_processes 1;
daemon off;
pid {home}/nginx.pid;
error_log {home}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {home}/access.log;
    client_body_temp_path {home}/body;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(server, tmp_path_factory):
    if not NGINX.is_file():
        pytest.fail("nginx is not installed: `make setup` installs Debian's nginx", pytrace=False)
    home = tmp_path_factory.mktemp("nginx")
    root = home / "www"
    shutil.copytree(ROOT / "demo_store" / "site", root)
    shutil.copytree(server.mounts["/sk/"], root / "sk")
    (root / "sk" / "probe.mjs").write_text("export {};\n")   # how stock nginx types an .mjs
    port = free_port()
    (home / "nginx.conf").write_text(CONFIG.format(home=home, port=port, root=root))
    process = subprocess.Popen([str(NGINX), "-c", str(home / "nginx.conf"), "-p", str(home), "-e", str(home / "error.log")])
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(f"{origin}/sk/manifest.json")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {(home / 'error.log').read_text()}") from None
            time.sleep(0.05)
    yield origin, root
    process.terminate()
    process.wait(timeout=10)


def content_type(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.headers["Content-Type"]


def test_stock_nginx_types_every_shipped_file_so_a_browser_runs_it(nginx):
    origin, root = nginx
    for path in sorted((root / "sk").iterdir()):
        kind = content_type(f"{origin}/sk/{path.name}")
        if path.suffix == ".js":
            assert kind == "application/javascript", path.name
        elif path.suffix == ".wasm":
            assert kind == "application/wasm", path.name
    assert content_type(f"{origin}/sk/probe.mjs") == "application/octet-stream", "why nothing we ship ends in .mjs"


def test_a_page_served_by_stock_nginx_gets_decisions_from_pyodide(nginx, browser_type):
    origin, _ = nginx
    browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)   # no test proxy: nginx serves
    try:
        page = browser.new_page()
        lines = []
        page.on("console", lambda message: lines.append(message.text) if "[shopkeeper]" in message.text else None)
        page.goto(f"{origin}/product.html")
        assert page.evaluate("window.shopkeeper.ready.then(decisions => typeof decisions.slots, String)") == "object", lines
        assert lines == []
    finally:
        browser.close()
