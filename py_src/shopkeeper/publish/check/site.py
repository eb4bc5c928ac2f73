"""`shopkeeper check URL`: is a published site served so that browsers run shopkeeper,
and run it fast?

From a storefront page (or a manifest's URL) it follows what a browser does: the page,
its shopkeeper tag, the manifest, the loader, the worker, the modules, Pyodide's files and
the model, each fetched with the headers a browser sends for it. Each file gets one line:
what was served, and for each problem what breaks or slows down and the fix. Errors stop
personalization (the page keeps its defaults); warnings cost shoppers time or bytes.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from shopkeeper.publish.check import csp
from shopkeeper.publish.check.fetch import ACCEPT_ENCODING, Answer, fetch
from shopkeeper.publish.output import HASHED_NAME

__all__ = ["Finding", "check_site"]

JAVASCRIPT_TYPES = {"application/javascript", "text/javascript", "application/x-javascript", "application/ecmascript",
                    "text/ecmascript"}
COMPRESSIBLE = (".js", ".wasm", ".json", ".zip", ".skm")
IMMUTABLE_ENOUGH_S = 7 * 86400        # hashed files: a week at least, a year ideally
UNHASHED_MAX_S = 86400                # beyond this a republish does not reach shoppers in a day
UNHASHED_WARN_S = 600
HOSTING_DOCS = "docs/hosting.md"
TYPE_FIX = {
    ".js": "serve .js as application/javascript (stock nginx, Apache and Caddy do; a bucket needs Content-Type set at upload)",
    ".wasm": "serve .wasm as application/wasm (nginx: its stock mime.types; Apache: Debian's /etc/mime.types; "
             "a bucket: set Content-Type at upload)",
}


@dataclass(frozen=True)
class Finding:
    level: str      # "ok", "warning" or "error"
    subject: str    # the page, a file name, or "site"
    message: str
    fix: str = ""
    summary: str = ""   # the message without this file's figures, for one line about several files

    def line(self) -> str:
        text = f"{self.level:<7} {self.subject}: {self.message}"
        return f"{text}. Fix: {self.fix}" if self.fix else text


def check_site(url: str) -> list[Finding]:
    findings: list[Finding] = []
    page_origin, page_policies, manifest_url = _check_page(url, findings)
    if manifest_url is None:
        return findings
    manifest = _check_manifest(manifest_url, page_origin, page_policies, findings)
    if manifest is None:
        return findings
    _check_runtime(manifest_url, manifest, page_origin, page_policies, findings)
    return _grouped(findings)


def _grouped(findings: list[Finding]) -> list[Finding]:
    """Three or more files with the same problem make one line, where the first of them was."""
    alike: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.summary:
            alike.setdefault((finding.level, finding.summary), []).append(finding)
    grouped = []
    for finding in findings:
        group = alike.get((finding.level, finding.summary), []) if finding.summary else []
        if len(group) < 3:
            grouped.append(finding)
        elif finding is group[0]:
            names = ", ".join(member.subject for member in group)
            grouped.append(Finding(finding.level, f"{len(group)} files ({names})", finding.summary, finding.fix))
    return grouped


# --- the page ---------------------------------------------------------------------------

class _TagFinder(HTMLParser):
    """The shopkeeper tag and any <meta http-equiv="Content-Security-Policy">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tag: dict[str, str] | None = None
        self.meta_policies: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and self.tag is None and ("data-manifest" in values or values.get("src", "").split("?")[0].endswith("shopkeeper.js")):
            self.tag = values
        elif tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy" and values.get("content"):
            self.meta_policies.append(values["content"])


def _check_page(url: str, findings: list[Finding]) -> tuple[str, list[csp.Policy], str | None]:
    """(the page's origin, its policies, the manifest's URL); the URL may be the manifest's own."""
    if urlsplit(url).path.endswith(".json"):
        findings.append(Finding("ok", "page", f"none given, {url} is a manifest: give a storefront page to check its policy too"))
        return _origin(url), [], url
    page = fetch(url, "document")
    if page.problem or page.status != 200:
        findings.append(Finding("error", "page", f"{url} {page.problem or f'answered {page.status}'}", "give the URL of a storefront page"))
        return "", [], None
    finder = _TagFinder()
    finder.feed(page.body.decode("utf-8", "replace"))
    if finder.tag is None or not finder.tag.get("src"):
        tag = '<script src="/sk/shopkeeper.js" data-manifest="/sk/manifest.json"></script>'
        findings.append(Finding("error", "page", f"{page.url} has no shopkeeper tag", f"add {tag} to its <head>"))
        return "", [], None
    origin = _origin(page.url)
    policies = csp.parse_policies(page.header_values("Content-Security-Policy") + finder.meta_policies)
    loader_url = urljoin(page.url, finder.tag["src"])
    manifest_url = urljoin(loader_url, finder.tag.get("data-manifest") or "manifest.json")
    facts = [f"tag found (manifest {manifest_url})"]
    facts.append(f"policy {'; '.join(p.text for p in policies)}" if policies else "no Content-Security-Policy")
    findings.append(Finding("ok", "page", ", ".join(facts)))
    _refused_by_page(policies, "script-src-elem", loader_url, origin, "the loader", findings)
    if "defer" in finder.tag or ("async" in finder.tag and finder.tag.get("blocking") != "render"):
        findings.append(Finding("warning", "page", f"the shopkeeper tag is marked {'defer' if 'defer' in finder.tag else 'async'}, "
                                "so a returning shopper sees the default content before the stored decisions",
                                "drop it: the plain tag in <head> applies them before first paint in every engine"))
    if _origin(manifest_url) != origin:
        findings.append(Finding("error", "page", f"the manifest {manifest_url} is on another origin than the page ({origin}); "
                                "browsers start workers only from the page's own origin",
                                "serve the published directory from the page's origin (a CDN in front of that origin is fine)"))
    return origin, policies, manifest_url


def _refused_by_page(policies, kind: str, url: str, origin: str, what: str, findings: list[Finding]) -> None:
    directive = csp.refusal(policies, kind, url, origin)
    if directive:
        findings.append(Finding("error", "page", f"its Content-Security-Policy ({directive}) refuses {what} {url}",
                                f"allow it, for example with 'self' in {kind if kind != 'script-src-elem' else 'script-src'} ({HOSTING_DOCS})"))


# --- the manifest -------------------------------------------------------------------------

def _check_manifest(url: str, origin: str, policies, findings: list[Finding]) -> dict | None:
    answer = fetch(url, "fetch")
    name = _name(url)
    if answer.problem or answer.status != 200:
        findings.append(Finding("error", name, f"{url} {answer.problem or f'answered {answer.status}'}",
                                "upload the whole published directory (shopkeeper publish --out DIR) where data-manifest points"))
        return None
    try:
        manifest = json.loads(answer.body)
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("worker"), str):
            raise ValueError("no worker or files")
    except (ValueError, UnicodeDecodeError) as error:
        findings.append(Finding("error", name, f"{url} is not a shopkeeper manifest ({_short(error)}; served as {answer.media_type or 'no type'})",
                                "upload manifest.json from the published directory"))
        return None
    if origin:
        _refused_by_page(policies, "connect-src", answer.url, origin, "the manifest", findings)
    problems = _cache_problems(name, answer, hashed=False) + _compression_problems(name, answer)
    findings.extend(problems)
    if not problems:
        findings.append(Finding("ok", name, _facts(answer)))
    return manifest


# --- the runtime and the model --------------------------------------------------------------

def _check_runtime(manifest_url: str, manifest: dict, origin: str, page_policies, findings: list[Finding]) -> None:
    files: dict = manifest["files"]
    worker = manifest["worker"]
    modules = set((manifest.get("modules") or {}).values())
    model = manifest.get("model") if isinstance(manifest.get("model"), dict) else {}
    loader = manifest.get("loader", "shopkeeper.js")
    worker_policies: list[csp.Policy] = []
    total = compressed = 0
    for name in _in_boot_order(files, loader, worker):
        url = urljoin(manifest_url, name)
        role = "worker" if name == worker else "script" if name == loader else "module" if name.endswith(".js") else "fetch"
        answer = fetch(url, role)
        total += answer.wire_bytes
        compressed += answer.wire_bytes if answer.encoding or not name.endswith(COMPRESSIBLE) else len(zlib.compress(answer.body, 6))
        problems = _file_problems(name, answer, files[name], hashed=bool(HASHED_NAME.search(name)))
        if name == worker:
            worker_origin = _origin(answer.url) if answer.status else ""
            if origin and worker_origin and worker_origin != origin:
                problems.append(Finding("error", name, f"redirected to {answer.url}, another origin than the page's; browsers refuse "
                                        "a worker from another origin", "serve the worker script from the page's origin, without a redirect"))
            elif answer.status and answer.url != url:
                problems.append(Finding("warning", name, f"redirected to {answer.url}; a service worker cannot be redirected, so "
                                        "Firefox and Safari boot the runtime again on every page", "serve it at its own URL"))
            worker_policies = csp.parse_policies(answer.header_values("Content-Security-Policy"))
            problems += _worker_policy_problems(name, worker_policies)
        if origin and name == worker:
            _refused_by_page(page_policies, "worker-src", url, origin, "the worker", problems)
        elif origin and name in modules:
            _refused_by_page(page_policies, "script-src-elem", url, origin, "the module", problems)
        if name != worker and name != loader and name not in modules and worker_policies:
            kind = "script-src-elem" if name.endswith(".js") else "connect-src"
            directive = csp.refusal(worker_policies, kind, url, _origin(manifest_url))
            if directive:
                directive_name = kind if kind == "connect-src" else "script-src"
                problems.append(Finding("error", name, f"the worker script's Content-Security-Policy ({directive}) refuses it",
                                        f"allow 'self' in {directive_name} of the policy sent with the worker script"))
        if name == model.get("name") and not problems and answer.status == 200:
            problems += _model_problems(name, answer.body, manifest)
        findings.extend(problems)
        if not [p for p in problems if p.level != "ok"]:
            findings.append(Finding("ok", name, _facts(answer)))
    if model.get("name") not in files:
        findings.append(Finding("error", "manifest.json", "names no model among its files", "publish again with shopkeeper publish"))
    saving = f"; compressed with gzip, about {_size(compressed)}" if compressed < total * 0.9 else ""
    findings.append(Finding("ok", "site", f"a first visit downloads {_size(total)} of shopkeeper's files as this host sends them{saving}"))


def _in_boot_order(files: dict, loader: str, worker: str) -> list[str]:
    """The loader, the worker, then what the worker fetches, so that the worker's policy is known."""
    rest = sorted(name for name in files if name not in (loader, worker))
    return [name for name in (loader, worker) if name in files] + rest


def _file_problems(name: str, answer: Answer, listed: dict, hashed: bool) -> list[Finding]:
    if answer.status != 200 or answer.problem:
        fix = "upload every file of the published directory together" if answer.status else "make the host answer for it"
        return [Finding("error", name, f"{answer.url} {answer.problem or f'answered {answer.status}'}", fix)]
    problems = _type_problems(name, answer)
    if len(answer.body) != listed.get("size") or hashlib.sha256(answer.body).hexdigest() != listed.get("sha256"):
        problems.append(Finding("error", name, f"differs from what the manifest lists ({len(answer.body):,} bytes, "
                                f"{listed.get('size', '?'):,} expected); a browser refuses it or runs a mismatched runtime",
                                "upload the published directory whole, the manifest last (or purge the CDN's copy)"))
    return problems + _compression_problems(name, answer) + _cache_problems(name, answer, hashed)


def _type_problems(name: str, answer: Answer) -> list[Finding]:
    media = answer.media_type or "no Content-Type"
    suffix = "." + name.rsplit(".", 1)[-1]
    if suffix == ".js" and answer.media_type not in JAVASCRIPT_TYPES:
        return [Finding("error", name, f"served as {media}; browsers refuse to run a module or worker that is not JavaScript", TYPE_FIX[".js"])]
    if suffix == ".wasm" and answer.media_type != "application/wasm":
        return [Finding("error", name, f"served as {media}; Pyodide compiles WebAssembly while it streams only from application/wasm",
                        TYPE_FIX[".wasm"])]
    if answer.media_type == "text/html":
        return [Finding("error", name, "served as text/html: probably the site's fallback page, not the file",
                        "upload the file; exclude /sk/ from single-page-app fallbacks")]
    return []


def _compression_problems(name: str, answer: Answer) -> list[Finding]:
    if not name.endswith(COMPRESSIBLE) or answer.encoding or len(answer.body) < 1024:
        if answer.encoding and "accept-encoding" not in answer.header("Vary").lower():
            return [Finding("warning", name, f"sent {answer.encoding}-compressed without Vary: Accept-Encoding; a shared cache may hand "
                            "it to a browser that cannot read it", "add Vary: Accept-Encoding to compressed answers",
                            "sent compressed without Vary: Accept-Encoding; a shared cache may hand them to a browser that cannot read them")]
        return []
    gzipped = len(zlib.compress(answer.body, 6))
    return [Finding("warning", name, f"sent uncompressed ({_size(len(answer.body))}; gzip would send {_size(gzipped)}) "
                    f"although the request accepted {ACCEPT_ENCODING}",
                    f"compress {', '.join(COMPRESSIBLE)} with brotli or gzip ({HOSTING_DOCS} has a snippet for each server)",
                    f"sent uncompressed although the request accepted {ACCEPT_ENCODING} (the site line says what gzip would save)")]


def _max_age(answer: Answer) -> tuple[int | None, set[str]]:
    """Seconds a browser may use the file without asking again, and the Cache-Control words."""
    words: dict[str, str] = {}
    for part in answer.header("Cache-Control").lower().split(","):
        key, _, value = part.strip().partition("=")
        if key:
            words[key] = value.strip('"')
    if "no-store" in words or "no-cache" in words:
        return 0, set(words)
    if words.get("max-age", "").isdigit():
        return int(words["max-age"]), set(words)
    expires, date = answer.header("Expires"), answer.header("Date")
    if expires:
        try:
            return max(0, int((parsedate_to_datetime(expires) - parsedate_to_datetime(date)).total_seconds())), set(words)
        except (TypeError, ValueError):
            return 0, set(words)   # an invalid Expires means already expired
    return None, set(words)


def _cache_problems(name: str, answer: Answer, hashed: bool) -> list[Finding]:
    age, words = _max_age(answer)
    validators = answer.header("ETag") or answer.header("Last-Modified")
    if hashed:
        if "no-store" in words:
            return [Finding("warning", name, "sent with Cache-Control: no-store, so every visit downloads it again although its name "
                            "changes with its content", "send Cache-Control: public, max-age=31536000, immutable for hashed names")]
        if age is None or age < IMMUTABLE_ENOUGH_S:
            shown = "no Cache-Control" if age is None else f"a max-age of {age:,} s"
            return [Finding("warning", name, f"sent with {shown}; its name changes with its content, so browsers could keep it for a year",
                            "send Cache-Control: public, max-age=31536000, immutable for names with a content hash",
                            "sent without a long max-age, although their names change with their content")]
        return []
    if "immutable" in words or (age or 0) > UNHASHED_MAX_S:
        return [Finding("error", name, f"may be cached for {(age or 0) / 86400:,.1f} days{' and immutable' if 'immutable' in words else ''}; "
                        "its name stays the same at every publish, so shoppers keep the old one, which names files a new publish removed",
                        "send Cache-Control: max-age=60, stale-while-revalidate=86400 for shopkeeper.js and manifest.json")]
    if not age and not validators:
        return [Finding("warning", name, "sent with neither a max-age nor an ETag or Last-Modified, so every page view downloads it "
                        "again before the stored decisions can apply", "send Cache-Control: max-age=60, stale-while-revalidate=86400")]
    if (age or 0) > UNHASHED_WARN_S:
        return [Finding("warning", name, f"may be cached for {age:,} s: a republish reaches returning shoppers that late",
                        "send Cache-Control: max-age=60, stale-while-revalidate=86400")]
    return []


def _worker_policy_problems(name: str, policies: list[csp.Policy]) -> list[Finding]:
    directive = csp.refuses_wasm(policies)
    if directive:
        return [Finding("error", name, f"the Content-Security-Policy sent with the worker script ({directive}) forbids compiling "
                        "WebAssembly, and that policy, not the page's, governs the worker",
                        "send script-src 'self' 'wasm-unsafe-eval' with the runtime's files (or no policy on them)")]
    return []


def _model_problems(name: str, body: bytes, manifest: dict) -> list[Finding]:
    """The model opened by this shopkeeper's reader, when the site runs the same version."""
    from shopkeeper import __version__
    from shopkeeper.model import ModelFormatError, decode_model

    if manifest.get("shopkeeper") != __version__:
        return [Finding("ok", name, f"published by shopkeeper {manifest.get('shopkeeper')}; this is {__version__}, so its content "
                        "was checked by hash only")]
    try:
        decode_model(body)
    except ModelFormatError as error:
        return [Finding("error", name, f"matches the manifest but the runtime refuses it: {_short(error)}", "publish again")]
    return []


def _facts(answer: Answer) -> str:
    facts = [answer.media_type or "no Content-Type"]
    if answer.encoding:
        facts.append(f"{answer.encoding} ({_size(answer.wire_bytes)} of {_size(len(answer.body))})")
    else:
        facts.append(_size(answer.wire_bytes))
    if answer.header("Cache-Control"):
        facts.append(f"Cache-Control: {answer.header('Cache-Control')}")
    return ", ".join(facts)


def _size(count: int) -> str:
    if count < 10_000:
        return f"{count:,} B"
    return f"{count / 1e3:.1f} kB" if count < 1_000_000 else f"{count / 1e6:.2f} MB"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _name(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1] or url


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:200]
