"""Hosting: the published files copied into a document root, served by servers merchants
use with their stock configuration and nothing of ours, personalize the page.

- Debian's nginx: the server block is the smallest a merchant writes (listen, root); the
  http block keeps Debian's defaults (its mime.types, default_type
  application/octet-stream). `user root` only because the test's files live in a private
  temporary directory.
- `python3 -m http.server` (the stdlib's, as a developer tries a publish)."""

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


def document_root(server, home: Path) -> Path:
    """The demo site with a real publish under /sk/, as a merchant's upload leaves it."""
    root = home / "www"
    shutil.copytree(ROOT / "demo_store" / "site", root)
    shutil.copytree(server.mounts["/sk/"], root / "sk")
    (root / "sk" / "probe.mjs").write_text("export {};\n")   # how a stock server types an .mjs
    return root


def serving(command: list[str], origin: str, log: Path):
    """Start `command`, wait until it serves the manifest, and stop it afterwards."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(f"{origin}/sk/manifest.json")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{command[0]} did not start: {log.read_text() if log.exists() else ''}") from None
            time.sleep(0.05)
    return process


@pytest.fixture(scope="module")
def nginx(server, tmp_path_factory):
    if not NGINX.is_file():
        pytest.fail("nginx is not installed: `make setup` installs Debian's nginx", pytrace=False)
    home = tmp_path_factory.mktemp("nginx")
    root = document_root(server, home)
    port = free_port()
    (home / "nginx.conf").write_text(CONFIG.format(home=home, port=port, root=root))
    origin = f"http://127.0.0.1:{port}"
    process = serving([str(NGINX), "-c", str(home / "nginx.conf"), "-p", str(home), "-e", str(home / "error.log")], origin,
                      home / "error.log")
    yield origin, root
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def python_http_server(server, tmp_path_factory):
    home = tmp_path_factory.mktemp("http-server")
    root = document_root(server, home)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    process = serving(["python3", "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)], origin,
                      home / "none.log")
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


def test_a_page_served_by_stock_nginx_gets_decisions_from_pyodide(nginx, browser_type):
    assert_personalizes(nginx[0], browser_type)


def test_a_page_served_by_pythons_http_server_gets_decisions_from_pyodide(python_http_server, browser_type):
    origin, root = python_http_server
    assert content_type(f"{origin}/sk/{next((root / 'sk').glob('worker-*.js')).name}").startswith("text/javascript")
    assert_personalizes(origin, browser_type)
