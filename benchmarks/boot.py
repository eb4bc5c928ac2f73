"""How long a shopper waits for personalization, and what the runtime costs to download.

    .venv/bin/python benchmarks/boot.py [--runs N | --quick] [--runtime DIR] [--json PATH]

Drives headless Chromium against pages served on 127.0.0.1 by demo_store/server.py
(brotli quality 11, the documented CSP) and reports medians of several runs. The store
is one of realistic size (benchmarks/real_store.py: 10,000 products with storefront
titles, URLs and image URLs, both neighbour kinds, a Jinja2 greeting), published with
the real `shopkeeper publish`:

- first visit: a fresh browser context (empty HTTP cache) whose IndexedDB was seeded with
  a product view by benchmarks/pages/seed.html (and, the model being in shards, whose
  Cache Storage holds that product's shard, as the visit to its page would have left it), then benchmarks/pages/home.html (the tag
  in <head> as demo_store/site has it), whose hero slot the engine swaps. Times run from navigation start to the loader's
  `shopkeeper:decisions-applied` mark; bytes are the compressed bodies the server sent
  for /sk/ (the whole runtime).
- repeat view: the same page again in the same context, runtime cached and the module
  SharedWorker (extendedLifetime) normally still booted: `shopkeeper:worker-ready` and
  `shopkeeper:stored-decisions-applied`, against first paint.
- cross page: then benchmarks/pages/product.html (no hero slot) and home again:
  `cross_page_cached_apply_ms`, the stored hero applied, against first paint.
  A stored decision applied after first paint, here or on the repeat view, fails the run.
- worker boot for comparison, warm HTTP cache, module dedicated Worker: the unmodified npm
  Pyodide with its full stdlib, and our runtime's files (trimmed .pyc zip, inline lock).
- store size: `first_visit_bytes_100k`, the first visit to the same store with 100,000
  products (full run only); `model_bytes_first_page` and
  `model_bytes_per_product_first_page`, what the first visit fetched of the model;
  `republish_bytes`, what a returning shopper downloads when the store was published
  again from the next day's log (5 % of products with new co-views): home and the
  product page with the first publish, then, the manifest having expired (sent no-cache
  here), the same two pages with the second; `republish_share_of_model`, that against
  `model_bytes_one_file`, the whole model as one file (what every returning shopper
  downloaded again after each publish before the model came in shards).
- per engine (`engines` in the JSON): the same visit in Chromium, Firefox
  ESR and WebKitGTK (tests/support/engine_drivers.py, each run in fresh storage):
  `first_visit_decision_ms`, `repeat_view_ready_ms`, `repeat_view_fresh_decision_ms`
  (navigation to the fresh decision applied on the second page of the visit) and
  `third_view_fresh_decision_ms`; the stored decision before first paint in every run.
  Then home and a product page sent `Cache-Control: no-store`, as many shops send pages
  (`no_store_fresh_decision_ms`): Firefox keeps no such page in its back/forward cache,
  and with it would go a SharedWorker the next page could reuse (why the worker there
  is a service worker).

Budgets are judged on the full run (`--runs 5`); `--quick` keeps CI short.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages"
sys.path[:0] = [str(ROOT / "demo_store"), str(ROOT / "build_scripts"), str(ROOT / "tests" / "support")]

from build_runtime import build_inputs_digest  # noqa: E402
from engine_drivers import CHROMIUM, CHROMIUM_ARGS, ENGINES, EngineError, launch, missing  # noqa: E402
from fetch_pyodide import PINS, pyodide_dir  # noqa: E402
from polling import wait_until  # noqa: E402
from real_store import publish_store, write_store  # noqa: E402
from server import StaticServer, compressed, precompress  # noqa: E402

from shopkeeper.contract import CONTRACT  # noqa: E402
from shopkeeper.model import decode_model  # noqa: E402
from shopkeeper.model.shards import bucket_of  # noqa: E402

SEEDED_PRODUCT = "SKU-000000"  # the first product of benchmarks/real_store.py's catalog
BENCHMARK_PRODUCT = "SKU-000042"   # benchmarks/pages/product.html's
STORE_PRODUCTS = 10_000
LARGE_STORE_PRODUCTS = 100_000
DECISION_TIMEOUT_MS = 60_000
PAINT_TIMEOUT_MS = 3_000

FIRST_VISIT_MS_TARGET = 1000
FIRST_VISIT_BYTES_TARGET = 3_500_000
REPEAT_READY_MS_TARGET = 500
REPEAT_FRESH_MS_TARGET = 500
LARGE_STORE_GROWTH_TARGET = 0.15   # first_visit_bytes_100k at most this much above first_visit_bytes
REPUBLISH_SHARE_TARGET = 0.10      # republish_bytes under this share of the model
MODEL_FILE = re.compile(r"/(model|shards/[pci])-[0-9a-f]{12}\.skm$")   # the main file and its shards
NO_STORE = "/no-store/"  # the same pages, sent with Cache-Control: no-store


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with the flags it needs as root and offline."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class VisitRun:
    """One fresh context: a first visit, then a repeat view of the same page."""

    first_visit_bytes: int
    first_visit_requests: int
    first_visit_encodings: list[str]
    first_visit_files: dict[str, int]
    first_visit_decision_ms: float
    first_visit_worker_boot_ms: float
    repeat_view_ready_ms: float
    repeat_view_ready_after_load_ms: float
    repeat_view_worker_reused: bool
    repeat_view_cached_apply_ms: float
    repeat_view_first_paint_ms: float | None
    repeat_view_first_contentful_paint_ms: float | None
    cached_apply_before_first_paint: bool | None
    cross_page_cached_apply_ms: float           # home after a page without the hero: stored hero applied
    cross_page_before_first_paint: bool | None
    first_visit_steps: dict[str, float] = field(default_factory=dict)
    console: list[str] = field(default_factory=list)


def mark_time(page: Page, name: str) -> float:
    """Wait until the page has the performance mark `name`; its startTime counts from
    navigation start."""
    handle = page.wait_for_function(
        "name => { const mark = performance.getEntriesByName(name, 'mark')[0]; return mark && { t: mark.startTime }; }",
        arg=name, timeout=DECISION_TIMEOUT_MS,
    )
    return handle.json_value()["t"]


def paint_times(page: Page) -> dict[str, float]:
    """first-paint and first-contentful-paint of the current page, from a buffered
    PerformanceObserver; empty or partial when Chromium emitted no such entries."""
    page.evaluate(
        """() => {
            window.benchPaint = {};
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) window.benchPaint[entry.name] = entry.startTime;
            }).observe({ type: 'paint', buffered: true });
        }"""
    )
    try:
        page.wait_for_function(
            "() => 'first-paint' in window.benchPaint && 'first-contentful-paint' in window.benchPaint",
            timeout=PAINT_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        pass
    return page.evaluate("() => window.benchPaint")


def worker_boot_ms(page: Page) -> float:
    """bootMs as the shopkeeper worker reports it; equal values mean the same instance."""
    return page.evaluate("() => window.shopkeeper.request('status').then(status => status.bootMs)")


# The worker's timeline (web/worker.mjs), in the order its steps happen.
WORKER_STEPS = (
    ("started", "worker script running"), ("pyodide", "Pyodide booted"), ("imported", "our package imported"),
    ("decide_asked", "the page asked for decisions"), ("model_loaded", "model fetched and read"),
    ("shards_loaded", "page's shards fetched and read"), ("decided", "decisions made"),
)


def first_visit_steps(page: Page) -> dict[str, float]:
    """When each step of the first visit ended, in ms from navigation start: the load
    event, then the worker's own steps (its clock converted through both timeOrigins)."""
    times = page.evaluate(
        """() => window.shopkeeper.request('status').then(status => ({
            timeline: status.timeline, pageOrigin: performance.timeOrigin,
            starting: performance.getEntriesByName('shopkeeper:worker-starting', 'mark')[0]?.startTime,
            loadEnd: performance.getEntriesByType('navigation')[0].loadEventEnd }))"""
    )
    offset = times["timeline"]["timeOrigin"] - times["pageOrigin"]
    steps = {"load_event": times["loadEnd"], "worker_starting": times["starting"]}
    for step, _ in WORKER_STEPS:
        if times["timeline"].get(step) is not None:
            steps[step] = times["timeline"][step] + offset
    return steps


def seed_query(server: StaticServer) -> str:
    """seed.html's query: the product view, and for a sharded model that product's shard,
    as the shopper's earlier visit to its page left them."""
    database = CONTRACT["database"]
    query = {"product": SEEDED_PRODUCT, "database": database["name"], "version": database["version"]}
    published = server.mounts["/sk/"]
    shards = page_shards(published, SEEDED_PRODUCT)
    if shards:
        query.update(shard=shards[-1].relative_to(published).as_posix(), cache=CONTRACT["shard_cache"]["name"])
    return urlencode(query)


def seed_history(page: Page, server: StaticServer) -> None:
    """Store a product view (and its shard) from a page that does not load the runtime."""
    page.goto(f"{server.origin}/seed.html?{seed_query(server)}")
    page.wait_for_function(
        "() => document.body.dataset.seeded || document.body.dataset.seedError", timeout=DECISION_TIMEOUT_MS
    )
    error = page.evaluate("() => document.body.dataset.seedError")
    if error:
        raise SystemExit(f"seeding IndexedDB failed: {error}")


def collect_console(page: Page) -> list[str]:
    """Warnings, errors and uncaught exceptions of the page: the loader reports its
    failures on the console, so they belong in the report."""
    messages: list[str] = []

    def on_console(message) -> None:
        if message.type in ("warning", "error"):
            messages.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    return messages


def hero_variant(page: Page) -> str | None:
    return page.get_attribute("#hero", "data-sk-variant")


def runtime_downloads(server: StaticServer) -> list:
    return [entry for entry in server.log if urlsplit(entry.url).path.startswith("/sk/")]


def measure_visits(browser: Browser, server: StaticServer) -> VisitRun:
    """First visit with an empty cache, then a repeat view, in one new context."""
    context = browser.new_context()
    try:
        page = context.new_page()
        console = collect_console(page)
        seed_history(page, server)

        server.clear_log()
        page.goto(f"{server.origin}/home.html")
        decision_ms = mark_time(page, "shopkeeper:decisions-applied")
        if hero_variant(page) is None:
            raise SystemExit("first visit: decisions were applied but the hero slot has no data-sk-variant")
        first_boot_ms = worker_boot_ms(page)
        steps = first_visit_steps(page)
        downloads = runtime_downloads(server)

        page.goto(f"{server.origin}/home.html")
        cached_apply_ms = mark_time(page, "shopkeeper:stored-decisions-applied")
        ready_ms = mark_time(page, "shopkeeper:worker-ready")
        mark_time(page, "shopkeeper:decisions-applied")
        load_end_ms = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
        paints = paint_times(page)
        reused = worker_boot_ms(page) == first_boot_ms
        if hero_variant(page) is None:
            raise SystemExit("repeat view: the hero slot has no data-sk-variant")

        page.goto(f"{server.origin}/product.html")   # a page without the hero, then home again
        mark_time(page, "shopkeeper:decisions-applied")
        page.goto(f"{server.origin}/home.html")
        cross_apply_ms = mark_time(page, "shopkeeper:stored-decisions-applied")
        cross_first_paint = paint_times(page).get("first-paint")
    finally:
        context.close()

    first_paint = paints.get("first-paint")
    return VisitRun(
        first_visit_bytes=sum(entry.body_bytes for entry in downloads),
        first_visit_requests=len(downloads),
        first_visit_encodings=sorted({entry.encoding or "identity" for entry in downloads if entry.body_bytes}),
        first_visit_files={urlsplit(entry.url).path: entry.body_bytes for entry in downloads},
        first_visit_decision_ms=decision_ms,
        first_visit_worker_boot_ms=first_boot_ms,
        first_visit_steps=steps,
        repeat_view_ready_ms=ready_ms,
        repeat_view_ready_after_load_ms=ready_ms - load_end_ms,
        repeat_view_worker_reused=reused,
        repeat_view_cached_apply_ms=cached_apply_ms,
        repeat_view_first_paint_ms=first_paint,
        repeat_view_first_contentful_paint_ms=paints.get("first-contentful-paint"),
        cached_apply_before_first_paint=None if first_paint is None else cached_apply_ms < first_paint,
        cross_page_cached_apply_ms=cross_apply_ms,
        cross_page_before_first_paint=None if cross_first_paint is None else cross_apply_ms < cross_first_paint,
        console=console,
    )


def model_bytes(files: dict[str, int]) -> int:
    """Of a visit's downloads, the model's files."""
    return sum(size for path, size in files.items() if MODEL_FILE.search(path))


def main_model(published: Path) -> Path:
    return published / json.loads((published / "manifest.json").read_text())["model"]["name"]


def page_shards(published: Path, product: str) -> list[Path]:
    """The shards a product page of a sharded publish fetches: its bucket's index, its own."""
    directory = decode_model(main_model(published).read_bytes()).shard
    if not directory:
        return []
    index = directory["buckets"][bucket_of(product, len(directory["buckets"]))]
    own = decode_model((published / index).read_bytes()).shard["products"][product]
    return [published / index, published / own]


def precompress_publish(published: Path) -> None:
    """Brotli 11 once for what the measured pages fetch: the runtime, the manifest, the main
    model file and the product page's shards (not every shard: 10,000 would take minutes)."""
    for path in [*published.iterdir(), *page_shards(published, BENCHMARK_PRODUCT)]:
        if path.is_file():
            compressed(path.read_bytes(), "br")


def first_visit_of(browser: Browser, server: StaticServer) -> dict[str, int]:
    """The /sk/ files a fresh context downloads for home, with their bytes."""
    context = browser.new_context()
    try:
        page = context.new_page()
        seed_history(page, server)
        server.clear_log()
        page.goto(f"{server.origin}/home.html")
        mark_time(page, "shopkeeper:decisions-applied")
        return {urlsplit(entry.url).path: entry.body_bytes for entry in runtime_downloads(server)}
    finally:
        context.close()


def republish_visit(browser: Browser, server: StaticServer, first: Path, second: Path) -> dict[str, int]:
    """Home with the first publish, then home once /sk/ serves the second: what the
    second view downloads. The manifest is sent no-cache here, as if the minute it may
    be reused (demo_store/server.py's cache_control) had passed."""
    server.file_cache_control["/sk/manifest.json"] = "no-cache"
    context = browser.new_context()
    try:
        page = context.new_page()
        seed_history(page, server)
        page.goto(f"{server.origin}/home.html")
        mark_time(page, "shopkeeper:decisions-applied")
        page.goto(f"{server.origin}/product.html")
        mark_time(page, "shopkeeper:decisions-applied")
        server.mounts["/sk/"] = second.resolve()
        server.clear_log()
        for path in ("/home.html", "/product.html"):
            page.goto(f"{server.origin}{path}")
            mark_time(page, "shopkeeper:decisions-applied")
        downloads: dict[str, int] = {}
        for entry in runtime_downloads(server):   # a file asked for twice (the manifest) counts twice
            downloads[urlsplit(entry.url).path] = downloads.get(urlsplit(entry.url).path, 0) + entry.body_bytes
        return downloads
    finally:
        context.close()
        server.mounts["/sk/"] = first.resolve()
        del server.file_cache_control["/sk/manifest.json"]


def store_size_figures(first_visit_files: dict[str, int], republished: dict[str, int], second: Path, one_file: Path,
                       large_visit: dict[str, int] | None, first_visit_bytes: int) -> dict:
    first_page = model_bytes(first_visit_files)
    model_total = len(compressed(main_model(one_file).read_bytes(), "br"))
    shards = json.loads((second / "manifest.json").read_text())["model"].get("shards", {})
    large = sum(large_visit.values()) if large_visit is not None else None
    return {
        "store_products": STORE_PRODUCTS,
        "model_bytes_first_page": first_page,
        "model_bytes_per_product_first_page": round(first_page / STORE_PRODUCTS, 2),
        "model_bytes_one_file": model_total,
        "model_shards": shards.get("count", 0),
        "model_shard_bytes_uncompressed": shards.get("bytes", 0),
        "republish_bytes": sum(republished.values()),
        "republish_share_of_model": round(sum(republished.values()) / model_total, 4),
        "republish_files": republished,
        "first_visit_bytes_100k": large,
        "first_visit_growth_100k": None if large is None else round(large / first_visit_bytes - 1, 4),
        "first_visit_files_100k": large_visit,
    }


def runtime_boot_config(origin: str, runtime: Path) -> dict:
    """Our runtime's files with the options the shopkeeper worker itself passes: read
    the RUNTIME object build_runtime.py wrote into the worker."""
    worker = (runtime / json.loads((runtime / "manifest.json").read_text())["worker"]).read_text()
    marker = "const RUNTIME = "
    settings, _ = json.JSONDecoder().raw_decode(worker, worker.index(marker) + len(marker))
    return {
        "pyodide": f"{origin}/sk/{settings['pyodide']}",
        "indexURL": f"{origin}/sk/",
        "stdLibURL": f"{origin}/sk/{settings['python_zip']}",
        "lockInfo": settings["lock_info"],
    }


def plain_boot_config(origin: str) -> dict:
    """The npm package as published: default stdlib, lock file fetched."""
    return {"pyodide": f"{origin}/plain/pyodide.mjs", "indexURL": f"{origin}/plain/"}


def boot_in_dedicated_worker(page: Page, origin: str, config: dict) -> dict:
    page.goto(f"{origin}/boot.html?{urlencode({'config': json.dumps(config)})}")
    result = page.wait_for_function("() => window.bootResult", timeout=DECISION_TIMEOUT_MS).json_value()
    if "error" in result:
        raise SystemExit(f"booting {config['pyodide']} in a worker failed: {result['error']}")
    return result


def measure_worker_boots(browser: Browser, origin: str, configs: dict[str, dict], runs: int) -> dict[str, list[dict]]:
    """Warm each configuration's HTTP cache with one boot, then alternate measured boots
    so that drift on a shared machine hits every configuration alike."""
    context = browser.new_context()
    try:
        page = context.new_page()
        for config in configs.values():
            boot_in_dedicated_worker(page, origin, config)
        results: dict[str, list[dict]] = {name: [] for name in configs}
        for _ in range(runs):
            for name, config in configs.items():
                results[name].append(boot_in_dedicated_worker(page, origin, config))
        return results
    finally:
        context.close()


@dataclass
class EngineRun:
    """One visit, the same in every engine: home (first visit), a product page (the
    second page of the visit), home again (its stored hero against first paint), then
    home once more (the same URL: no back/forward cache keeps the previous page, and
    with it the SharedWorker, alive). Times from navigation start."""

    first_visit_decision_ms: float
    repeat_view_ready_ms: float
    repeat_view_fresh_decision_ms: float
    repeat_view_worker_reused: bool
    third_view_cached_apply_ms: float
    third_view_first_paint_ms: float | None
    cached_apply_before_first_paint: bool | None
    third_view_fresh_decision_ms: float
    same_url_fresh_decision_ms: float
    same_url_worker_reused: bool
    no_store_fresh_decision_ms: float | None = None  # the second page, pages sent with no-store
    no_store_worker_reused: bool | None = None


def engine_mark(tab, name: str) -> float:
    """The startTime of the mark `name` once the page has it."""
    return wait_until(tab, f"(performance.getEntriesByName({json.dumps(name)}, 'mark')[0] || {{}}).startTime", DECISION_TIMEOUT_MS)


def engine_first_paint(tab) -> float | None:
    """first-paint, else first-contentful-paint (WebKit reports only the latter)."""
    paints = tab.evaluate("Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))")
    return paints.get("first-paint", paints.get("first-contentful-paint"))


def boot_ms_of(tab) -> float:
    return tab.evaluate("window.shopkeeper.request('status').then(status => status.bootMs)")


def measure_engine_visit(tab, server: StaticServer) -> EngineRun:
    tab.reset()
    tab.goto(f"{server.origin}/seed.html?{seed_query(server)}")
    wait_until(tab, "document.body.dataset.seeded || document.body.dataset.seedError", DECISION_TIMEOUT_MS)
    tab.goto(f"{server.origin}/home.html")
    first_ms = engine_mark(tab, "shopkeeper:decisions-applied")
    first_boot = boot_ms_of(tab)
    tab.goto(f"{server.origin}/product.html")
    ready_ms = engine_mark(tab, "shopkeeper:worker-ready")
    fresh_ms = engine_mark(tab, "shopkeeper:decisions-applied")
    second_boot = boot_ms_of(tab)
    tab.goto(f"{server.origin}/home.html")
    cached_ms = engine_mark(tab, "shopkeeper:stored-decisions-applied")
    third_ms = engine_mark(tab, "shopkeeper:decisions-applied")
    first_paint = engine_first_paint(tab)
    third_boot = boot_ms_of(tab)
    tab.goto(f"{server.origin}/home.html")
    same_url_ms = engine_mark(tab, "shopkeeper:decisions-applied")
    return EngineRun(
        first_visit_decision_ms=first_ms, repeat_view_ready_ms=ready_ms, repeat_view_fresh_decision_ms=fresh_ms,
        repeat_view_worker_reused=second_boot == first_boot, third_view_cached_apply_ms=cached_ms,
        third_view_first_paint_ms=first_paint,
        cached_apply_before_first_paint=None if first_paint is None else cached_ms < first_paint,
        third_view_fresh_decision_ms=third_ms, same_url_fresh_decision_ms=same_url_ms,
        same_url_worker_reused=boot_ms_of(tab) == third_boot,
    )


def measure_no_store_visit(tab, server: StaticServer, run: EngineRun) -> EngineRun:
    """Home, then a product page, with pages sent `Cache-Control: no-store` (common in
    shops): a browser that keeps no such page in its back/forward cache ends the previous
    page's SharedWorker unless something else keeps it alive."""
    tab.reset()
    tab.goto(f"{server.origin}{NO_STORE}home.html")
    engine_mark(tab, "shopkeeper:decisions-applied")
    first_boot = boot_ms_of(tab)
    tab.goto(f"{server.origin}{NO_STORE}product.html")
    run.no_store_fresh_decision_ms = engine_mark(tab, "shopkeeper:decisions-applied")
    run.no_store_worker_reused = boot_ms_of(tab) == first_boot
    return run


def visit_in(tab, server: StaticServer, runs: int) -> list[EngineRun]:
    return [measure_no_store_visit(tab, server, measure_engine_visit(tab, server)) for _ in range(runs)]


def measure_engines(server: StaticServer, runs: int) -> tuple[dict[str, list[EngineRun]], dict[str, str]]:
    """The visit in each engine of engine_drivers this machine has (Chromium too, in a
    browser of its own); the reason for each it has not."""
    measured, skipped = {}, {}
    for engine in ("chromium", *ENGINES):
        reason = missing(engine)
        if reason:
            skipped[engine] = reason
            continue
        try:
            browser = launch(engine, urlsplit(server.origin).port)
        except EngineError as error:
            skipped[engine] = str(error)
            continue
        try:
            measured[engine] = visit_in(browser, server, runs)
        finally:
            browser.close()
    return measured, skipped


ENGINE_KEYS = ("first_visit_decision_ms", "repeat_view_ready_ms", "repeat_view_fresh_decision_ms",
               "third_view_cached_apply_ms", "third_view_fresh_decision_ms", "same_url_fresh_decision_ms",
               "no_store_fresh_decision_ms")


def summarize_engines(engine_runs: dict[str, list[EngineRun]]) -> dict[str, dict]:
    per_engine = {}
    for engine, runs in engine_runs.items():
        figures = {key: median([getattr(run, key) for run in runs]) for key in ENGINE_KEYS}
        figures["cached_apply_before_first_paint"] = all_true([run.cached_apply_before_first_paint for run in runs])
        figures["repeat_view_worker_reused_runs"] = sum(run.repeat_view_worker_reused for run in runs)
        figures["same_url_worker_reused_runs"] = sum(run.same_url_worker_reused for run in runs)
        figures["no_store_worker_reused_runs"] = sum(bool(run.no_store_worker_reused) for run in runs)
        figures["runs"] = len(runs)
        figures["samples"] = [asdict(run) for run in runs]
        per_engine[engine] = figures
    return per_engine


def all_true(verdicts: list) -> bool | None:
    return None if None in verdicts else all(verdicts)


def median(values: list) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def summarize(visits: list[VisitRun], boots: dict[str, list[dict]]) -> dict:
    """Medians under the keys the benchmark's issue names, plus the raw samples."""

    def column(name: str) -> list:
        return [getattr(run, name) for run in visits]

    verdicts = column("cached_apply_before_first_paint")
    figures = {
        key: median(column(key))
        for key in (
            "first_visit_bytes", "first_visit_requests", "first_visit_decision_ms", "first_visit_worker_boot_ms",
            "repeat_view_ready_ms", "repeat_view_ready_after_load_ms", "repeat_view_cached_apply_ms",
            "repeat_view_first_paint_ms", "repeat_view_first_contentful_paint_ms", "cross_page_cached_apply_ms",
        )
    }
    cross = column("cross_page_before_first_paint")
    figures["cross_page_before_first_paint"] = None if None in cross else all(cross)
    for key in ("first_visit_bytes", "first_visit_requests"):
        figures[key] = round(figures[key])
    figures["cached_apply_before_first_paint"] = None if None in verdicts else all(verdicts)
    figures["repeat_view_worker_reused_runs"] = sum(column("repeat_view_worker_reused"))
    for name, results in boots.items():
        figures[f"{name}_boot_ms"] = median([result["workerMs"] for result in results])
        figures[f"{name}_load_pyodide_ms"] = median([result["loadPyodideMs"] for result in results])
    figures["samples"] = {
        "visits": [{key: value for key, value in asdict(run).items() if key not in ("first_visit_files", "console")} for run in visits],
        "worker_boots": boots,
    }
    return figures


def verdict(met: bool | None) -> str:
    return "n/a" if met is None else "met" if met else "missed"


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} ms"


def print_table(figures: dict, visits: list[VisitRun], about: dict) -> None:
    runs = len(visits)

    def samples(key: str) -> str:
        values = [getattr(run, key) for run in visits if getattr(run, key) is not None]
        return f"{min(values):,.0f} to {max(values):,.0f}" if values else "-"

    first_ms, first_bytes = figures["first_visit_decision_ms"], figures["first_visit_bytes"]
    ready_ms, before_paint = figures["repeat_view_ready_ms"], figures["cached_apply_before_first_paint"]
    rows = [
        ("first visit, runtime download (compressed)", f"{first_bytes:,.0f} B", samples("first_visit_bytes"),
         f"< {FIRST_VISIT_BYTES_TARGET:,} B", verdict(first_bytes < FIRST_VISIT_BYTES_TARGET)),
        ("first visit, navigation -> decisions applied", ms(first_ms), samples("first_visit_decision_ms"),
         f"< {FIRST_VISIT_MS_TARGET:,} ms", verdict(first_ms < FIRST_VISIT_MS_TARGET)),
        ("  of which worker boot (cold cache)", ms(figures["first_visit_worker_boot_ms"]),
         samples("first_visit_worker_boot_ms"), "", ""),
        ("repeat view, navigation -> worker ready", ms(ready_ms), samples("repeat_view_ready_ms"),
         f"< {REPEAT_READY_MS_TARGET:,} ms", verdict(ready_ms < REPEAT_READY_MS_TARGET)),
        ("  of which after the load event", ms(figures["repeat_view_ready_after_load_ms"]),
         samples("repeat_view_ready_after_load_ms"), "", ""),
        ("  SharedWorker reused (same boot)", f"{figures['repeat_view_worker_reused_runs']}/{runs} runs", "", "", ""),
        ("repeat view, navigation -> stored decisions", ms(figures["repeat_view_cached_apply_ms"]),
         samples("repeat_view_cached_apply_ms"), "", ""),
        ("repeat view, first paint", ms(figures["repeat_view_first_paint_ms"]),
         samples("repeat_view_first_paint_ms"), "", ""),
        ("repeat view, first contentful paint", ms(figures["repeat_view_first_contentful_paint_ms"]),
         samples("repeat_view_first_contentful_paint_ms"), "", ""),
        ("cached decision before first paint",
         "n/a" if before_paint is None else f"{sum(bool(v.cached_apply_before_first_paint) for v in visits)}/{runs} runs",
         "", "every run", verdict(before_paint)),
        ("home after a page without the hero, -> stored hero", ms(figures["cross_page_cached_apply_ms"]),
         samples("cross_page_cached_apply_ms"), "", ""),
        ("  before first paint",
         "n/a" if figures["cross_page_before_first_paint"] is None
         else f"{sum(bool(v.cross_page_before_first_paint) for v in visits)}/{runs} runs",
         "", "every run", verdict(figures["cross_page_before_first_paint"])),
    ]
    print(f"\nshopkeeper boot benchmark: median of {runs} runs, Chromium {about['chromium']} headless, "
          f"Pyodide {about['pyodide']}, runtime {about['runtime']}")
    print(f"machine: {about['machine']} (a busy machine inflates every time; compare ratios)")
    print_rows(("figure", "median", "range", "target", ""), rows)

    boot_rows = [
        (label, ms(figures[f"{name}_boot_ms"]), ms(figures[f"{name}_load_pyodide_ms"]))
        for name, label in (("plain", "plain npm Pyodide, full stdlib"), ("trimmed", "our runtime, trimmed .pyc zip"))
    ]
    boot_rows.append(("SharedWorker reuse (repeat view)", ms(figures["repeat_view_ready_after_load_ms"]), "-"))
    print("\nworker boot, warm HTTP cache (dedicated module Worker; the last row is the loader's wait after load)")
    print_rows(("runtime", "new Worker -> ready", "loadPyodide alone"), boot_rows)

    print("\nfirst visit step by step (median ms from navigation start; each step ends at the time shown)")
    print_rows(("step", "ends at", "took"), first_visit_step_rows(visits, figures["first_visit_decision_ms"]))

    print("\nfirst-visit downloads under /sk/ (last run)")
    print_rows(("file", "bytes", ""), [(path, f"{size:,}", "") for path, size in visits[-1].first_visit_files.items()])
    for note in about["notes"]:
        print(f"note: {note}")


def first_visit_step_rows(visits: list[VisitRun], applied_ms: float) -> list[tuple]:
    """The steps in the order they ended (the page may ask before Pyodide has booted),
    each with the time since the one before it ended."""
    ended = []
    for step, label in (("load_event", "the page's load event"), ("worker_starting", "the loader starts the worker"),
                        *WORKER_STEPS):
        ends = median([run.first_visit_steps.get(step) for run in visits])
        if ends is not None:
            ended.append((ends, label))
    ended.append((applied_ms, "decisions applied in the page"))
    rows, previous = [], 0.0
    for ends, label in sorted(ended):
        rows.append((label, ms(ends), ms(ends - previous)))
        previous = ends
    return rows


def print_store_sizes(figures: dict) -> None:
    first, large = figures["first_visit_bytes"], figures["first_visit_bytes_100k"]
    growth = figures["first_visit_growth_100k"]
    share = figures["republish_share_of_model"]
    print(f"\nstore size ({figures['store_products']:,} products; compressed bytes the server sent)")
    print_rows(("figure", "value", "target", ""), [
        ("first visit, the model's part", f"{figures['model_bytes_first_page']:,} B", "", ""),
        ("  per product", f"{figures['model_bytes_per_product_first_page']:.2f} B", "", ""),
        ("the same model as one file", f"{figures['model_bytes_one_file']:,} B", "", ""),
        ("  in shards: files, bytes uncompressed", f"{figures['model_shards']:,}, {figures['model_shard_bytes_uncompressed']:,} B", "", ""),
        ("first visit, 100,000 products", "not run (--quick)" if large is None else f"{large:,} B",
         f"<= {first * (1 + LARGE_STORE_GROWTH_TARGET):,.0f} B", "n/a" if growth is None else verdict(growth <= LARGE_STORE_GROWTH_TARGET)),
        ("  growth over 10,000 products", "n/a" if growth is None else f"{growth:+.1%}", f"<= +{LARGE_STORE_GROWTH_TARGET:.0%}", ""),
        ("returning shopper after a republish", f"{figures['republish_bytes']:,} B", "", ""),
        ("  share of the model as one file", f"{share:.1%}", f"< {REPUBLISH_SHARE_TARGET:.0%}", verdict(share < REPUBLISH_SHARE_TARGET)),
    ])
    print("republish downloads: " + ", ".join(f"{path} {size:,} B" for path, size in figures["republish_files"].items()))


def print_engines(per_engine: dict[str, dict], skipped: dict[str, str]) -> None:
    print(f"\nper engine: home, a product page, home, home again; then home and a product page sent no-store "
          f"(median; targets: the second page's fresh decision under {REPEAT_FRESH_MS_TARGET} ms, the stored hero before first paint)")
    rows = []
    for engine, numbers in per_engine.items():
        fresh = numbers["repeat_view_fresh_decision_ms"]
        runs = numbers["runs"]
        rows.append((engine, ms(numbers["first_visit_decision_ms"]), ms(numbers["repeat_view_ready_ms"]), ms(fresh),
                     f"{numbers['repeat_view_worker_reused_runs']}/{runs}", verdict(fresh is not None and fresh < REPEAT_FRESH_MS_TARGET),
                     ms(numbers["third_view_fresh_decision_ms"]), verdict(numbers["cached_apply_before_first_paint"]),
                     ms(numbers["same_url_fresh_decision_ms"]), f"{numbers['same_url_worker_reused_runs']}/{runs}",
                     ms(numbers["no_store_fresh_decision_ms"]), f"{numbers['no_store_worker_reused_runs']}/{runs}"))
    print_rows(("engine", "1st: decision", "2nd: worker ready", "2nd: fresh decision", "worker kept", "target",
                "3rd: decision", "stored before paint", "same URL: decision", "worker kept",
                "no-store 2nd: decision", "worker kept"), rows)
    for engine, reason in skipped.items():
        print(f"note: {engine} not measured: {reason}")


def print_rows(header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width) for i, (cell, width) in enumerate(zip(row, widths))).rstrip())


def default_runtime() -> Path:
    preferred = ROOT / "py_src" / "shopkeeper" / "runtime"
    return preferred if (preferred / "manifest.json").is_file() else ROOT / "build" / "runtime"


def notes_about(runtime: Path, visits: list[VisitRun], figures: dict) -> list[str]:
    """What a reader needs to judge the figures: stale builds, missing paint entries,
    compression the browser did not ask for, console messages."""
    notes = []
    if json.loads((runtime / "manifest.json").read_text()).get("build_inputs") != build_inputs_digest():
        notes.append(f"{runtime} was built from older sources (web/, build_scripts/ or the package changed); "
                     f"rebuild with: python build_scripts/build_runtime.py --out {runtime}")
    encodings = sorted({encoding for run in visits for encoding in run.first_visit_encodings})
    if encodings != ["br"]:
        notes.append(f"the server sent /sk/ bodies as {', '.join(encodings)}, not only brotli")
    if figures["repeat_view_first_paint_ms"] is None:
        notes.append("headless Chromium emitted no 'paint' performance entries, so before/after first paint is unknown")
    if figures["repeat_view_worker_reused_runs"] < len(visits):
        notes.append("on some repeat views the SharedWorker booted again instead of being reused")
    for message in sorted({text for run in visits for text in run.console}):
        notes.append(f"page console: {message}")
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 runs, for CI")
    parser.add_argument("--runtime", type=Path, default=None,
                        help="built runtime (default py_src/shopkeeper/runtime, else build/runtime)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    if runs < 1:
        parser.error("--runs must be at least 1")
    runtime = (args.runtime or default_runtime()).resolve()
    if not (runtime / "manifest.json").is_file():
        raise SystemExit(f"no runtime in {runtime}; build one with: python build_scripts/build_runtime.py --out {runtime}")

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    plain = pyodide_dir()
    with tempfile.TemporaryDirectory() as scratch:
        # The runtime is served with the store's model beside it, as `publish` writes it.
        scratch = Path(scratch)
        store = write_store(scratch / "store", STORE_PRODUCTS)
        first, second = (publish_store(store, day, scratch / f"sk-{day}", runtime) for day in ("day1", "day2"))
        one_file = publish_store(store, "day2", scratch / "sk-one-file", runtime, shards="never")
        large = None if args.quick else publish_store(
            write_store(scratch / "store-100k", LARGE_STORE_PRODUCTS), "day1", scratch / "sk-100k", runtime)
        for folder in (runtime, plain, PAGES):
            precompress(folder)  # brotli q11 once, so compression never lands in a measurement
        for folder in (first, second, *([large] if large else [])):
            precompress_publish(folder)
        with StaticServer(PAGES, {"/sk/": first, "/plain/": plain, NO_STORE: PAGES}, page_cache_control={NO_STORE: "no-store"}) as server:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                try:
                    visits = [measure_visits(browser, server) for _ in range(runs)]
                    republished = republish_visit(browser, server, first, second)
                    large_visit = None
                    if large is not None:
                        server.mounts["/sk/"] = large.resolve()
                        large_visit = first_visit_of(browser, server)
                        server.mounts["/sk/"] = first.resolve()
                    configs = {"plain": plain_boot_config(server.origin), "trimmed": runtime_boot_config(server.origin, runtime)}
                    boots = measure_worker_boots(browser, server.origin, configs, runs)
                    chromium_version = browser.version
                finally:
                    browser.close()
            # After Playwright above has stopped: engine_drivers starts its own for Chromium.
            engine_runs, engines_skipped = measure_engines(server, runs)
        sizes = store_size_figures(visits[-1].first_visit_files, republished, second, one_file, large_visit,
                                   round(median([run.first_visit_bytes for run in visits])))

    figures = summarize(visits, boots)
    figures.update(sizes)
    figures["engines"] = summarize_engines(engine_runs)
    figures["engines_skipped"] = engines_skipped
    load_average = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    about = {
        "chromium": chromium_version, "pyodide": PINS["version"], "runtime": str(runtime),
        "machine": f"{os.cpu_count()} CPUs, 1-minute load average {load_average[0]} before, {load_average[1]} after",
        "notes": notes_about(runtime, visits, figures),
    }
    figures.update(runs=runs, chromium=chromium_version, pyodide=PINS["version"], notes=about["notes"],
                   load_average=load_average, wall_seconds=round(time.monotonic() - started, 1))
    print_table(figures, visits, about)
    print_store_sizes(figures)
    print_engines(figures["engines"], engines_skipped)
    print(f"\n{figures['wall_seconds']} s in all")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    # A flicker is a bug, not a slow machine: a stored decision applied after first paint fails the run.
    flickered = [key for key in ("cached_apply_before_first_paint", "cross_page_before_first_paint") if figures[key] is False]
    flickered += [f"{engine} repeat view" for engine, numbers in figures["engines"].items() if numbers["cached_apply_before_first_paint"] is False]
    if flickered:
        raise SystemExit(f"stored decisions were applied after first paint in some run: {', '.join(flickered)}")


if __name__ == "__main__":
    main()
