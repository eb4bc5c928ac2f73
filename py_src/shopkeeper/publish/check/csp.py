"""Content-Security-Policy as a browser reads it, for the questions `shopkeeper check` asks:
may this page load that script, start that worker, fetch that file; may this worker
compile WebAssembly.

It follows CSP Level 3's matching of source lists (keywords, schemes, hosts with
wildcards, ports and paths) and its fallback from one directive to the next. Every
policy a response carries is enforced on its own, so a URL must pass all of them.
Report-only policies refuse nothing and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["FALLBACKS", "Policy", "parse_policies", "refusal", "refuses_wasm"]

# Which directive decides a kind of request, most specific first.
FALLBACKS = {
    "script-src-elem": ("script-src-elem", "script-src", "default-src"),
    "worker-src": ("worker-src", "child-src", "script-src", "default-src"),
    "connect-src": ("connect-src", "default-src"),
    "script-src": ("script-src", "default-src"),
}
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True)
class Policy:
    text: str
    directives: dict[str, tuple[str, ...]]

    def governing(self, kind: str) -> tuple[str, tuple[str, ...]] | None:
        """The directive that decides `kind` under this policy, and its sources."""
        for name in FALLBACKS[kind]:
            if name in self.directives:
                return name, self.directives[name]
        return None


def parse_policies(header_values: list[str]) -> list[Policy]:
    """Each header value may hold several policies separated by commas."""
    policies = []
    for value in header_values:
        for text in value.split(","):
            directives: dict[str, tuple[str, ...]] = {}
            for part in text.split(";"):
                tokens = part.split()
                if tokens and tokens[0].lower() not in directives:   # a repeated directive is ignored
                    directives[tokens[0].lower()] = tuple(tokens[1:])
            if directives:
                policies.append(Policy(text.strip(), directives))
    return policies


def refusal(policies: list[Policy], kind: str, url: str, self_origin: str) -> str | None:
    """The directive that refuses `url` for `kind` (quoted with its sources), or None."""
    for policy in policies:
        governing = policy.governing(kind)
        if governing is None:
            continue
        name, sources = governing
        if not any(_matches(source, url, self_origin) for source in sources):
            return f"{name} {' '.join(sources)}".strip()
    return None


def refuses_wasm(policies: list[Policy]) -> str | None:
    """The directive that forbids compiling WebAssembly, or None."""
    for policy in policies:
        governing = policy.governing("script-src")
        if governing is None:
            continue
        name, sources = governing
        lowered = {source.lower() for source in sources}
        if not lowered & {"'wasm-unsafe-eval'", "'unsafe-eval'"}:
            return f"{name} {' '.join(sources)}".strip()
    return None


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme, 0)


def _scheme_matches(expected: str, actual: str) -> bool:
    """An http source also allows the https (and ws, wss) upgrade of itself."""
    return expected == actual or (expected, actual) in {("http", "https"), ("http", "ws"), ("http", "wss"), ("https", "wss"),
                                                        ("ws", "wss")}


def _matches(source: str, url: str, self_origin: str) -> bool:
    source = source.strip()
    lowered = source.lower()
    scheme, host, port = _origin(url)
    if lowered == "*":
        return scheme in {"http", "https", "ws", "wss"} or scheme == _origin(self_origin)[0]
    if lowered == "'self'":
        own_scheme, own_host, own_port = _origin(self_origin)
        if host != own_host:
            return False
        if scheme == own_scheme and port == own_port:
            return True
        return _scheme_matches(own_scheme, scheme) and port in (own_port, DEFAULT_PORTS.get(scheme))
    if lowered.startswith("'"):
        return False   # 'none', nonces, hashes and the other keywords match no URL
    if lowered.endswith(":") and "/" not in lowered:
        return _scheme_matches(lowered[:-1], scheme)
    return _host_source_matches(lowered, source, scheme, host, port, url, self_origin)


def _host_source_matches(lowered: str, source: str, scheme: str, host: str, port: int, url: str, self_origin: str) -> bool:
    source_scheme, _, rest = lowered.rpartition("://")
    if source_scheme and not _scheme_matches(source_scheme, scheme):
        return False
    if not source_scheme and not _scheme_matches(_origin(self_origin)[0], scheme):
        return False
    authority, slash, path = rest.partition("/")
    path_case_kept = source[len(source) - len(path):] if slash else ""
    source_host, colon, source_port = authority.partition(":")
    if source_host.startswith("*."):
        if not host.endswith(source_host[1:]):
            return False
    elif source_host != "*" and source_host != host:
        return False
    if colon:
        if source_port != "*" and source_port.isdigit() and int(source_port) != port:
            return False
    elif port != DEFAULT_PORTS.get(scheme):
        return False
    if not slash or not path_case_kept:
        return True
    wanted = "/" + path_case_kept
    actual = urlsplit(url).path or "/"
    return actual.startswith(wanted) if wanted.endswith("/") else actual == wanted
