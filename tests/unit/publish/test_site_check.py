"""`shopkeeper check URL` against a server that gets one thing wrong at a time.

The site is a real publish (`output_files`: a model, a runtime manifest and the files it
names) over a small stand-in runtime, served by a local HTTP server whose every header
a test can spoil. What real servers send is checked in tests/e2e/test_hosting.py.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from modelfile_builders import awkward_data

from shopkeeper import __version__
from shopkeeper.cli import main
from shopkeeper.model import FORMAT_VERSION, encode_model
from shopkeeper.publish.check import check_site
from shopkeeper.publish.check.csp import parse_policies, refusal, refuses_wasm
from shopkeeper.publish.output import output_files

GOOD_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'"
RUNTIME = {
    "shopkeeper.js": "// loader\n",
    "worker-0123456789ab.js": "// worker\n",
    "render-1123456789ab.js": "// render\n",
    "privacy-2123456789ab.js": "// privacy\n",
    "pyodide-3123456789ab.js": "// pyodide\n",
    "pyodide-4123456789ab.asm.js": "// emscripten\n",
    "pyodide-5123456789ab.asm.wasm": "\0asm wasm",
    "python-6123456789ab.zip": "PK stdlib",
}
PAGE = """<!doctype html><html><head>
<script src="/sk/shopkeeper.js" data-manifest="/sk/manifest.json"></script>
</head><body data-sk-page="home"><section data-sk-slot="hero">Welcome</section></body></html>"""
TYPES = {".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".zip": "application/zip",
         ".skm": "application/octet-stream", ".html": "text/html; charset=utf-8"}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    runtime = tmp_path_factory.mktemp("runtime")
    for name, text in RUNTIME.items():
        (runtime / name).write_bytes((text * 400).encode())   # big enough to be worth compressing
    files = {name: {"size": (runtime / name).stat().st_size, "sha256": hashlib.sha256((runtime / name).read_bytes()).hexdigest()}
             for name in RUNTIME}
    (runtime / "manifest.json").write_text(json.dumps({
        "format": 1, "shopkeeper": __version__, "worker": "worker-0123456789ab.js",
        "loader": "shopkeeper.js", "modules": {"render": "render-1123456789ab.js", "privacy": "privacy-2123456789ab.js"},
        "files": files}))
    out = tmp_path_factory.mktemp("site")
    (out / "sk").mkdir()
    for name, data in output_files(encode_model(awkward_data()), format_version=FORMAT_VERSION, runtime_dir=runtime).items():
        (out / "sk" / name).write_bytes(data)
    (out / "index.html").write_text(PAGE)
    return out


@dataclass
class Serving:
    """How the test server answers; every field starts right."""
    types: dict[str, str] = field(default_factory=dict)            # file name -> Content-Type
    compress: bool = True
    vary: bool = True
    cache: dict[str, str] = field(default_factory=dict)            # file name -> Cache-Control
    page_policy: str = GOOD_POLICY
    runtime_policy: str = GOOD_POLICY
    missing: set[str] = field(default_factory=set)
    replaced: dict[str, bytes] = field(default_factory=dict)
    redirect: dict[str, str] = field(default_factory=dict)


def serve(root: Path, serving: Serving):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path.split("?")[0]
            name = path.rsplit("/", 1)[-1] or "index.html"
            if name in serving.redirect and "?" not in self.path:  # the target may be the same file with a query
                self.send_response(302)
                self.send_header("Location", serving.redirect[name])
                self.end_headers()
                return
            file = root / path.lstrip("/") if path != "/" else root / "index.html"
            if name in serving.missing or not file.is_file():
                self.send_error(404)
                return
            body = serving.replaced.get(name, file.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", serving.types.get(name, TYPES.get(file.suffix, "application/octet-stream")))
            hashed = name not in ("shopkeeper.js", "manifest.json", "index.html")
            self.send_header("Cache-Control", serving.cache.get(name, "public, max-age=31536000, immutable" if hashed else
                                                                "max-age=60, stale-while-revalidate=86400"))
            policy = serving.page_policy if file.suffix == ".html" else serving.runtime_policy
            if policy:
                self.send_header("Content-Security-Policy", policy)
            if serving.compress and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body)
                self.send_header("Content-Encoding", "gzip")
                if serving.vary:
                    self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def site(published):
    """site(**faults) -> the page's URL on a server answering with those faults."""
    servers = []

    def start(**faults) -> str:
        server = serve(published, Serving(**faults))
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def problems(url: str) -> list[str]:
    return [finding.line() for finding in check_site(url) if finding.level != "ok"]


def test_a_site_served_right_passes_even_strictly(site, capsys):
    url = site()
    assert problems(url) == []
    assert main(["check", "--strict", url]) == 0
    out = capsys.readouterr().out
    assert "ok      worker-0123456789ab.js: text/javascript, gzip" in out
    assert out.rstrip().endswith("0 errors, 0 warnings: browsers can run shopkeeper here")


def only(lines: list[str], *words: str) -> str:
    """The one problem line, holding every word."""
    assert len(lines) == 1, lines
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(("name", "served"), [("worker-0123456789ab.js", "application/octet-stream"),
                                              ("render-1123456789ab.js", "text/plain")])
def test_a_script_not_served_as_javascript_is_an_error_with_the_fix(site, name, served):
    line = only(problems(site(types={name: served})), "error", name, served, "Fix: serve .js as application/javascript")
    assert "refuse" in line


def test_webassembly_not_served_as_application_wasm_is_an_error(site):
    only(problems(site(types={"pyodide-5123456789ab.asm.wasm": "application/octet-stream"})), "error", "application/wasm")


def test_a_missing_file_is_an_error_and_the_exit_status_says_so(site, capsys):
    url = site(missing={"python-6123456789ab.zip"})
    only(problems(url), "error", "python-6123456789ab.zip", "answered 404", "upload every file")
    assert main(["check", "-q", url]) == 1
    assert "1 error, 0 warnings: browsers will not personalize these pages" in capsys.readouterr().out


def test_an_html_fallback_instead_of_the_model_is_named(site, published):
    model = json.loads((published / "sk" / "manifest.json").read_text())["model"]["name"]
    lines = problems(site(types={model: "text/html"}, replaced={model: b"<!doctype html><p>Not found</p>"}))
    assert any("text/html" in line and "fallback" in line for line in lines), lines
    assert any("differs from what the manifest lists" in line for line in lines), lines


def test_a_model_that_does_not_match_the_manifest_is_an_error(site, published):
    name = json.loads((published / "sk" / "manifest.json").read_text())["model"]["name"]
    body = bytearray((published / "sk" / name).read_bytes())
    body[len(body) // 2] ^= 1
    only(problems(site(replaced={name: bytes(body)})), "error", name, "differs from what the manifest lists")


def test_no_compression_is_a_warning_and_strict_fails_on_it(site, capsys):
    url = site(compress=False)
    lines = problems(url)
    only(lines, "warning", "files (", "sent uncompressed", "Fix: compress")
    assert main(["check", url]) == 0
    assert main(["check", "--strict", url]) == 1
    assert "compressed with gzip, about" in capsys.readouterr().out


def test_compression_without_vary_is_a_warning(site):
    only(problems(site(vary=False)), "warning", "Vary: Accept-Encoding")


def test_hashed_files_cached_briefly_are_a_warning(site):
    only(problems(site(cache={"pyodide-5123456789ab.asm.wasm": "max-age=600"})), "warning", "max-age of 600 s",
         "max-age=31536000, immutable")


@pytest.mark.parametrize("name", ["manifest.json", "shopkeeper.js"])
def test_an_unhashed_file_cached_for_long_is_an_error(site, name):
    only(problems(site(cache={name: "public, max-age=31536000, immutable"})), "error", name, "365.0 days and immutable",
         "stale-while-revalidate")


def test_a_worker_script_whose_policy_forbids_webassembly_is_an_error(site):
    line = only(problems(site(runtime_policy="default-src 'self'; script-src 'self'")), "error", "worker-0123456789ab.js",
                "forbids compiling WebAssembly", "'wasm-unsafe-eval'")
    assert "script-src 'self'" in line


def test_a_worker_script_policy_that_refuses_the_runtime_files_is_an_error(site):
    lines = problems(site(runtime_policy="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'"))
    refused = [line for line in lines if "worker script's Content-Security-Policy" in line]
    assert {line.split(":")[0].split()[-1] for line in refused} >= {"python-6123456789ab.zip", "pyodide-5123456789ab.asm.wasm"}
    assert all("connect-src" in line for line in refused if ".zip" in line or ".wasm" in line)


def test_a_page_policy_that_refuses_the_worker_is_an_error(site):
    only(problems(site(page_policy="default-src 'self'; worker-src 'none'")), "error", "page", "worker-src 'none'", "the worker")


def test_a_page_policy_without_the_loaders_origin_is_an_error(site):
    lines = problems(site(page_policy="script-src https://cdn.example"))
    refused = sorted(line.split(" refuses ")[1].split(" http")[0] for line in lines)
    assert refused == ["the loader", "the module", "the module", "the worker"], lines
    assert all(line.startswith("error   page: its Content-Security-Policy (script-src https://cdn.example)") for line in lines)


def test_a_worker_redirected_to_another_origin_is_an_error(site):
    line = only(problems(site(redirect={"worker-0123456789ab.js": "http://localhost:9/worker-0123456789ab.js"})), "error",
                "worker-0123456789ab.js")
    assert "no answer" in line or "another origin" in line


def test_a_worker_redirected_on_the_same_origin_is_a_warning_since_no_service_worker_can_be(site):
    only(problems(site(redirect={"worker-0123456789ab.js": "/sk/worker-0123456789ab.js?moved"})), "warning",
         "worker-0123456789ab.js", "cannot be redirected")


def test_a_page_without_the_tag_is_an_error_with_the_tag_to_add(site):
    only(problems(site(replaced={"index.html": b"<!doctype html><title>Shop</title><p>Hello</p>"})), "error", "page",
         "has no shopkeeper tag", 'Fix: add <script src="/sk/shopkeeper.js" data-manifest=')


@pytest.mark.parametrize("marked", ["async", "defer"])
def test_an_async_or_deferred_tag_is_a_warning_since_the_stored_decisions_come_after_first_paint(site, marked):
    page = PAGE.replace('manifest.json"></script>', f'manifest.json" {marked}></script>').encode()
    only(problems(site(replaced={"index.html": page})), "warning", "page", f"marked {marked}", "Fix: drop it")


def test_an_async_tag_that_holds_the_render_is_no_warning(site):
    page = PAGE.replace('manifest.json"></script>', 'manifest.json" async blocking="render"></script>').encode()
    assert problems(site(replaced={"index.html": page})) == []


def test_a_page_that_does_not_answer_is_an_error(site):
    only(problems(site(missing={"index.html"})), "error", "page", "answered 404")


def test_a_manifest_url_is_checked_without_a_page(site):
    url = site() + "sk/manifest.json"
    findings = check_site(url)
    assert findings[0].subject == "page" and "is a manifest" in findings[0].message
    assert [finding for finding in findings if finding.level != "ok"] == []


@pytest.mark.parametrize(("policy", "kind", "url", "refused"), [
    ("script-src 'self'", "worker-src", "https://shop.example/sk/w.js", False),           # worker-src falls back to script-src
    ("default-src 'none'; script-src 'self'", "connect-src", "https://shop.example/sk/m.json", True),
    ("default-src https://shop.example/sk/", "connect-src", "https://shop.example/sk/m.json", False),   # a path prefix
    ("default-src https://shop.example/sk", "connect-src", "https://shop.example/sk/m.json", True),    # an exact path
    ("script-src *.example", "script-src-elem", "https://cdn.shop.example/x.js", False),
    ("script-src *.example", "script-src-elem", "https://example/x.js", True),              # a wildcard needs a subdomain
    ("script-src https:", "script-src-elem", "https://anything.example/x.js", False),
    ("script-src 'self'", "script-src-elem", "http://shop.example:8080/x.js", True),       # another port
    ("script-src http://shop.example", "script-src-elem", "https://shop.example/x.js", False),   # the https upgrade
    ("script-src 'self', script-src 'none'", "script-src-elem", "https://shop.example/x.js", True),   # two policies: both apply
])
def test_csp_source_matching_follows_the_spec(policy, kind, url, refused):
    assert (refusal(parse_policies([policy]), kind, url, "https://shop.example") is not None) is refused


def test_csp_webassembly_needs_wasm_unsafe_eval_in_the_directive_that_governs_scripts():
    assert refuses_wasm(parse_policies(["default-src 'self' 'wasm-unsafe-eval'; script-src 'self'"])) == "script-src 'self'"
    assert refuses_wasm(parse_policies(["default-src 'self' 'wasm-unsafe-eval'"])) is None
    assert refuses_wasm(parse_policies(["img-src 'none'"])) is None
    assert refuses_wasm(parse_policies([])) is None
