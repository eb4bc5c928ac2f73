"""GET a URL the way a browser asks for it: the same Accept-Encoding, Accept and
Sec-Fetch-* headers, since hosts and CDNs answer by them (compression, a worker's
script, an HTML fallback for a missing file), and the body decoded as a browser would.
"""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from email.message import Message

try:
    import brotli
    DECODE_ERRORS: tuple[type[Exception], ...] = (OSError, zlib.error, ValueError, brotli.error)
except ImportError:   # the check then asks for gzip only, and says so
    brotli = None
    DECODE_ERRORS = (OSError, zlib.error, ValueError)

__all__ = ["ACCEPT_ENCODING", "Answer", "fetch"]

ACCEPT_ENCODING = "gzip, deflate, br" if brotli else "gzip, deflate"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36 shopkeeper-check"
# Per destination: what Chromium sends as Accept, Sec-Fetch-Dest and Sec-Fetch-Mode.
DESTINATIONS = {
    "document": ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "document", "navigate"),
    "script": ("*/*", "script", "no-cors"),
    "module": ("*/*", "script", "cors"),
    "worker": ("*/*", "worker", "same-origin"),
    "fetch": ("*/*", "empty", "cors"),
}
TIMEOUT_S = 30


@dataclass
class Answer:
    url: str             # after redirects
    status: int          # 0: no answer at all
    headers: Message = field(default_factory=Message)
    body: bytes = b""    # decoded
    wire_bytes: int = 0  # as sent
    problem: str = ""    # why there is no usable body

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""

    def header_values(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []

    @property
    def media_type(self) -> str:
        return self.header("Content-Type").split(";")[0].strip().lower()

    @property
    def encoding(self) -> str:
        return self.header("Content-Encoding").strip().lower()


def fetch(url: str, destination: str) -> Answer:
    accept, dest, mode = DESTINATIONS[destination]
    request = urllib.request.Request(url, headers={
        "Accept": accept, "Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT,
        "Sec-Fetch-Dest": dest, "Sec-Fetch-Mode": mode, "Sec-Fetch-Site": "same-origin",
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            raw = response.read()
            answer = Answer(response.geturl(), response.status, response.headers, b"", len(raw))
    except urllib.error.HTTPError as error:
        raw = error.read() if error.fp else b""
        return Answer(error.geturl() or url, error.code, error.headers, raw, len(raw), f"answered {error.code}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Answer(url, 0, problem=f"no answer: {reason}")
    try:
        answer.body = _decoded(raw, answer.encoding)
    except DECODE_ERRORS as error:
        answer.problem = f"sent Content-Encoding {answer.encoding} but the body does not decode ({error})"
    return answer


def _decoded(raw: bytes, encoding: str) -> bytes:
    for coding in reversed([part.strip() for part in encoding.split(",") if part.strip()]):
        if coding == "gzip" or coding == "x-gzip":
            raw = gzip.decompress(raw)
        elif coding == "deflate":
            try:
                raw = zlib.decompress(raw)
            except zlib.error:
                raw = zlib.decompress(raw, -zlib.MAX_WBITS)   # some servers send it raw
        elif coding == "br" and brotli:
            raw = brotli.decompress(raw)
        elif coding != "identity":
            raise ValueError(f"{coding} was not asked for")
    return raw
