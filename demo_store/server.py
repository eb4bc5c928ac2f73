"""A small static server for the demo store, the browser tests and the benchmarks.

It serves files the way a merchant's host or CDN should: exact Content-Types
(Chromium caches compiled WebAssembly only for `application/wasm`), content-hashed
files as `immutable`, everything else revalidated, brotli or gzip when asked, and the
Content-Security-Policy shopkeeper documents. It also records every request it sees;
run as the browser's proxy, that includes requests meant for any other origin, which
it refuses, so a test can prove a page talked to nobody else.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import brotli

from shopkeeper.publish.output import HASHED_NAME

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".bin": "application/octet-stream",
    ".skm": "application/octet-stream",
}
COMPRESSIBLE = {".html", ".js", ".mjs", ".json", ".wasm", ".zip", ".css", ".svg", ".bin", ".skm"}
COMPRESSED_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "compressed"
PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'"


def compressed(data: bytes, encoding: str) -> bytes:
    """Maximum-quality brotli or gzip, kept on disk by content hash: brotli at quality 11
    takes about 40 s for the 9.6 MB WebAssembly module, as a static host's
    precompression step would spend once."""
    digest = hashlib.sha256(data).hexdigest()
    cached = COMPRESSED_CACHE / f"{digest}.{encoding}"
    if cached.is_file():
        return cached.read_bytes()
    if encoding == "br":
        body = brotli.compress(data, quality=11)
    else:
        body = gzip.compress(data, compresslevel=9, mtime=0)
    COMPRESSED_CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(body)
    partial.replace(cached)
    return body


def precompress(folder: Path) -> None:
    """Fill the cache for every file of a folder, in parallel, before a browser asks."""
    files = [path for path in sorted(Path(folder).rglob("*")) if path.suffix in COMPRESSIBLE and path.is_file()]
    with ThreadPoolExecutor() as pool:
        list(pool.map(lambda path: compressed(path.read_bytes(), "br"), files))


def cache_control(file: Path) -> str:
    """Hashed files never change; the loader and manifest may be a minute stale (so a
    repeat view runs the loader from cache, before first paint); pages revalidate."""
    if HASHED_NAME.search(file.name):
        return "public, max-age=31536000, immutable"
    if file.suffix == ".html":
        return "no-cache"
    return "public, max-age=60, stale-while-revalidate=86400"


@dataclass(frozen=True)
class Logged:
    method: str
    url: str
    status: int
    body_bytes: int
    encoding: str


def by_prefix(table: dict[str, str], path: str) -> str | None:
    """The value of the first prefix of `table` that `path` starts with."""
    return next((value for prefix, value in table.items() if path.startswith(prefix)), None)


class QuietHTTPServer(ThreadingHTTPServer):
    """A browser that hangs up on an idle kept-alive connection is no error worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class StaticServer:
    """Serve `root` and any `mounts` ({"/sk/": dir}) on 127.0.0.1 in a background thread.

    `csp` goes with every HTML page; `script_csp` ({"/sk-strict/": policy}) with the scripts
    under a prefix, as a host would send it with a worker script (whose own response's
    policy is the one that governs the worker)."""

    def __init__(self, root: Path, mounts: dict[str, Path] | None = None, port: int = 0, csp: str = PAGE_CSP,
                 script_csp: dict[str, str] | None = None, page_cache_control: dict[str, str] | None = None,
                 type_overrides: dict[str, str] | None = None, file_cache_control: dict[str, str] | None = None):
        self.root = Path(root).resolve()
        self.mounts = {prefix: Path(path).resolve() for prefix, path in (mounts or {}).items()}
        self.csp = csp
        self.script_csp = dict(script_csp or {})
        # {"/no-store/": "no-store"}: pages under a prefix sent as many shops send theirs
        self.page_cache_control = dict(page_cache_control or {})
        # {"/sk/manifest.json": "no-cache"}: one file's header, whatever its type
        self.file_cache_control = dict(file_cache_control or {})
        # {"/sk-wrong-type/worker-": "application/octet-stream"}: a host's wrong types, for tests
        self.type_overrides = dict(type_overrides or {})
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        self.httpd = QuietHTTPServer(("127.0.0.1", port), self._handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def policy_for(self, path: str, suffix: str) -> str:
        if suffix == ".html":
            return self.csp
        if suffix in (".js", ".mjs"):
            return by_prefix(self.script_csp, path) or ""
        return ""

    def cache_control_for(self, path: str, file: Path) -> str:
        return (self.file_cache_control.get(path) or (file.suffix == ".html" and by_prefix(self.page_cache_control, path))
                or cache_control(file))

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def resolve(self, path: str) -> Path | None:
        for prefix, folder in sorted(self.mounts.items(), key=lambda item: -len(item[0])):
            if path.startswith(prefix):
                return self._inside(folder, path[len(prefix):])
        return self._inside(self.root, path.lstrip("/"))

    @staticmethod
    def _inside(folder: Path, relative: str) -> Path | None:
        candidate = (folder / unquote(relative)).resolve()
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if folder in candidate.parents and candidate.is_file():
            return candidate
        return None

    def content_type(self, path: str, file: Path) -> str:
        return by_prefix(self.type_overrides, path) or CONTENT_TYPES.get(file.suffix, "application/octet-stream")

    def content(self, file: Path) -> bytes:
        """The bytes served for `file`; a test server may add to its pages."""
        return file.read_bytes()

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _record(self, status: int, body_bytes: int = 0, encoding: str = "") -> None:
                with server._lock:
                    server.log.append(Logged(self.command, self._url(), status, body_bytes, encoding))

            def _url(self) -> str:
                if self.path.startswith(("http://", "https://")):
                    return self.path
                host = self.headers.get("Host", "")
                return f"http://{host}{self.path}" if host else self.path

            def _ours(self) -> bool:
                parts = urlsplit(self._url())
                return parts.hostname == "127.0.0.1" and parts.port == server.httpd.server_address[1]

            def do_CONNECT(self) -> None:  # tunnels to other origins are refused, and logged
                self._refuse()

            def do_POST(self) -> None:
                self._refuse(405)

            do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

            def _refuse(self, status: int = 502) -> None:
                self._record(status)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_HEAD(self) -> None:
                self.do_GET(head=True)

            def do_GET(self, head: bool = False) -> None:
                if not self._ours():
                    return self._refuse()
                path = urlsplit(self._url()).path
                file = server.resolve(path)
                if file is None:
                    self._record(404)
                    self.send_error(404)
                    return
                data = server.content(file)
                etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._record(304)
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                accepted = self.headers.get("Accept-Encoding", "")
                encoding = ""
                if file.suffix in COMPRESSIBLE:
                    encoding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else ""
                body = compressed(data, encoding) if encoding else data
                self.send_response(200)
                self.send_header("Content-Type", server.content_type(path, file))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                if encoding:
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Vary", "Accept-Encoding")
                self.send_header("Cache-Control", server.cache_control_for(path, file))
                policy = server.policy_for(path, file.suffix)
                if policy:
                    self.send_header("Content-Security-Policy", policy)
                self.end_headers()
                self._record(200, len(body), encoding)
                if not head:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the browser stopped reading (navigated away); nothing to do

        return Handler


def csp_policy(choice: str) -> str:
    if choice == "none":
        return ""
    if choice == "demo":
        return PAGE_CSP
    return " ".join(Path(choice).read_text().split())


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the demo store on 127.0.0.1.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--mount", action="append", default=[], metavar="PREFIX=DIR")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--precompress", action="store_true", help="compress every file first, then serve")
    parser.add_argument("--csp", default="demo", metavar="none|demo|FILE",
                        help="the Content-Security-Policy sent with pages and the mounted scripts: none, the demo's "
                             "(README's, the default), or the policy in FILE (a merchant's own)")
    args = parser.parse_args()
    args.csp = csp_policy(args.csp)
    mounts = dict(item.split("=", 1) for item in args.mount)
    if args.precompress:
        for folder in [args.root, *mounts.values()]:
            precompress(Path(folder))
    scripts = {prefix: args.csp for prefix in mounts} if args.csp else {}   # the worker follows its own script's policy
    with StaticServer(args.root, {prefix: Path(path) for prefix, path in mounts.items()}, args.port, csp=args.csp,
                      script_csp=scripts) as server:
        print(f"shopkeeper demo: {server.origin}/  (Ctrl-C stops it)", flush=True)
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
