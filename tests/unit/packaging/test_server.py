"""The static server serves files the way the runtime needs them (and merchants should)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import brotli
from server import StaticServer, cache_control


def fetch(url, encoding="br"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request) as response:
        return response.headers, response.read()


def test_wasm_is_served_as_application_wasm_and_immutable(tmp_path):
    (tmp_path / "pyodide-0123456789ab.asm.wasm").write_bytes(b"\0asm" + b"\1" * 5000)
    with StaticServer(tmp_path) as server:
        headers, body = fetch(f"{server.origin}/pyodide-0123456789ab.asm.wasm")
    assert headers["Content-Type"] == "application/wasm"
    assert "immutable" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "br" and brotli.decompress(body).startswith(b"\0asm")
    assert server.log[-1].body_bytes == len(body) < 5004


def test_pages_revalidate_and_carry_the_documented_csp(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>")
    with StaticServer(tmp_path) as server:
        headers, _ = fetch(f"{server.origin}/", encoding="identity")
    assert headers["Cache-Control"] == "no-cache"
    assert "'wasm-unsafe-eval'" in headers["Content-Security-Policy"]
    assert "unsafe-eval'" not in headers["Content-Security-Policy"].replace("'wasm-unsafe-eval'", "")


def test_scripts_under_a_prefix_carry_its_policy_and_no_others_do(tmp_path):
    (tmp_path / "strict").mkdir()
    for name in ("strict/worker.mjs", "worker.mjs", "strict/image.png"):
        (tmp_path / name).write_bytes(b"x")
    with StaticServer(tmp_path, script_csp={"/strict/": "script-src 'self'"}) as server:
        policies = [fetch(f"{server.origin}/{name}", encoding="identity")[0]["Content-Security-Policy"]
                    for name in ("strict/worker.mjs", "worker.mjs", "strict/image.png")]
    assert policies == ["script-src 'self'", None, None]


def test_paths_outside_the_root_are_not_served(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.txt").write_text("no")
    with StaticServer(tmp_path / "site") as server:
        try:
            fetch(f"{server.origin}/../secret.txt")
            raised = False
        except urllib.error.HTTPError as error:
            raised = error.code == 404
    assert raised


def test_loader_may_be_briefly_stale_but_hashed_files_never_change(tmp_path):
    assert cache_control(tmp_path / "shopkeeper.js").startswith("public, max-age=60")
    assert cache_control(tmp_path / "worker-0123456789ab.js").endswith("immutable")


def test_the_command_sends_the_policy_asked_for_or_none(tmp_path):
    import re
    import subprocess
    import sys

    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>")
    (tmp_path / "sk").mkdir()
    (tmp_path / "sk" / "worker-0123456789ab.js").write_text("export {};")
    server_py = Path(__file__).resolve().parents[3] / "demo_store" / "server.py"
    seen = {}
    (tmp_path / "policy.txt").write_text("script-src 'self'\n")
    for flags in (["--csp", str(tmp_path / "policy.txt")], ["--csp", "none"]):
        process = subprocess.Popen([sys.executable, str(server_py), str(tmp_path), "--mount", f"/sk/={tmp_path / 'sk'}", "--port", "0",
                                    *flags], stdout=subprocess.PIPE, text=True)
        try:
            origin = re.search(r"(http://\S+?)/ ", process.stdout.readline()).group(1)
            seen[flags[1].rpartition("/")[2]] = [fetch(f"{origin}{path}", encoding="identity")[0]["Content-Security-Policy"]
                              for path in ("/", "/sk/worker-0123456789ab.js")]
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert seen == {"policy.txt": ["script-src 'self'", "script-src 'self'"], "none": [None, None]}
