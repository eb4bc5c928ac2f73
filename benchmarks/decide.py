"""How long the engine takes to make every decision of a page, inside Pyodide and on CPython.

    .venv/bin/python benchmarks/decide.py [--quick] [--json PATH] [--profile PRODUCTSxEVENTS]

Synthetic published models of 1k, 10k and 100k products (encode_model over ModelData:
a three-level category tree ordered as publishing writes it, ~50 products per leaf,
Pareto brands, lognormal prices with 20 % on sale, Zipf popularity and a noisier
trending score, every neighbour kind the model format holds at K = 20, drawn mostly
from the product's own leaf, a site config with 5 segments, a hero slot of 8 variants of
which two are the arms of an experiment with a holdout, 3 placements and 3 popup
campaigns), and shopper histories
of 10, 200 and 2,000 events over 1, ~10 and ~100 sessions: page views, product views,
engagement, searches, cart adds and removals, purchases, shelf impressions and clicks,
popups shown and dismissed, all naming real product ids of that catalog. Then the
shopper browses on: 40 product pages in a row (12 with --quick), each asking for the
hero slot, three shelves (bought-together, viewed-together and the personalized
for-you) and the campaigns, each adding its own records (page and product view before
the decision; shelf impression, the odd click or cart add, engagement after it), the
worker reading the latest 10, 200 or 2,000 of them from the store.

The timing runs inside Pyodide under Node.js (build_scripts/run_in_pyodide.mjs; the full
Pyodide stdlib, our source and the pinned Jinja2/MarkupSafe sources, the packages the
browser's runtime zip holds) and again on this CPython for comparison, through the
functions the browser worker calls: `load_model` once per catalog (open_ms is
decode_model alone, the median of several opens), then `decide_json` for each page in
turn (the store's keys, the records the worker has not passed before, as web/worker.mjs
passes them, and the context; parsing them is part of the time) on a worker that lives
on between pages, as the SharedWorker does: records parsed
for an earlier page and answers read from the model are not read again, the page's new
records and products are. Each cell's sequence runs 5 times (3 with --quick), each on
a worker that starts empty, the passes going round all cells in turn, and each page
counts its best run: this machine is shared and its speed moves by half for seconds at
a time, and the best run is the one least disturbed. decide_ms is the median of those
over the pages after the first (decide_all_median_ms the median of every run, for
comparison). isolated_ms is the same decision made on a worker that forgot everything first (each
record parsed, each product and list decoded anew: a shopper's first page on a fresh
worker, template compilation aside). first_ms is the cell's first page on a forgetful
worker with the template cache emptied too; cold_first_ms the very first decision of
the process (importing Jinja2 as well). A worker that forgot everything must decide
byte-identically, and both runtimes must return byte-identical decisions for every
page; both checks are made.

The 10k catalog is also published in shards (shopkeeper.model.shards, each product's
similar list derived as publishing derives it): `decide_sharded_ms` is the 10000x200
cell's page view on that model, each page loading what the worker loads for it first
(the shards of the shopper's newest products that an earlier page fetched, from memory
as from Cache Storage; the page's own index and shard) and deciding with them, all of
it timed.

Targets (judged on Pyodide, the full run): under 5 ms at 10000x200, one file or shards,
and 100000x200 no more than 3x 1000x200. --quick: fewer pages and runs, no 100k catalog. --json PATH
writes decide_ms ("PRODUCTSxEVENTS" -> median ms in Pyodide) and the rest of the figures.
--profile CELL prints CPython's cProfile of one cell's pages on a warm worker. --inputs DIR
keeps the synthetic models and histories there for later runs (building the 100k model
takes a minute or two). This machine is shared: compare medians of runs made close
together.
"""

from __future__ import annotations

import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "py_src"))

PRODUCTS = (1_000, 10_000, 100_000)
EVENTS = (10, 200, 2_000)
K = 20
NOW_MS = 1_800_000_000_000
VISITOR = "a8f0c2e4-bench"
TARGET_MS, TARGET_RATIO = 5.0, 3.0
INPUTS_VERSION = 3   # bump when the synthetic shop changes, so --inputs rebuilds
SHARDED = 10_000     # the catalog also published in shards
SHARDED_CELL = f"{SHARDED}x200"
PAGES = 40           # product pages in a row per cell (--quick: the first QUICK_PAGES)
QUICK_PAGES = 12
ISOLATED_PAGES = 10  # of those, decided again each on a worker that forgot everything
PASSES = 5           # times each cell's pages are decided, each page's best pass counted (--quick: QUICK_PASSES)
QUICK_PASSES = 3
SHELVES = (("bought-together", 4), ("viewed-together", 4), ("for-you", 4))


# --- the synthetic shop (CPython side; pure Python, seeded) --------------------------

def site_config() -> dict:
    """A realistic site config: what a merchant writes in site.toml, as the model stores it."""
    card = ("<a href=\"{{ product.url }}\">{{ product.title }}</a>"
            " <span>{{ '%.2f' | format(product.sale_price or product.price) }}</span> <small>{{ reason }}</small>")
    variant = lambda name, priority, body, **extra: {"name": name, "priority": priority, "template": body, **extra}  # noqa: E731
    return {
        "shop": {"name": "Bench Outfitters", "currency": "EUR", "vip_orders": 4, "vip_spend": 600.0},
        "traits": {"adventurous": {"categories": ["Department 0", "Department 1"], "words": ["summit", "alpine", "climb"]},
                   "practical": {"categories": ["Department 2"], "words": ["durable", "value", "warranty"]}},
        "segments": [
            {"name": "new", "rule": "lifecycle == 'new'"},
            {"name": "returning", "rule": "lifecycle in ['returning', 'browser', 'customer', 'loyal']"},
            {"name": "vip", "rule": "lifecycle == 'vip' or total_spend >= 600"},
            {"name": "social", "rule": "traffic_source == 'social'"},
            {"name": "deal_seekers", "rule": "orders >= 2 and price_sensitivity >= 0.5"},
        ],
        "slots": [{"name": "hero", "variants": [
            variant("loyalty", 100, "<h1>Thank you for {{ profile.orders }} orders with {{ shop.name }}</h1>", segment="vip"),
            variant("social-picks", 80, "<h1>The kit from our community's feed</h1>", segment="social"),
            variant("outcome-copy", 60,
                    "<h1>Best rated{% if profile.top_category %} {{ (profile.top_category.split(' > ') | last) | lower }}{% endif %}</h1>",
                    rule="mindset == 'outcome'"),
            variant("adventurous", 50, "<h1>Your next summit{% if last_viewed %}, with the {{ last_viewed.title }}{% endif %}</h1>",
                    rule="trait_adventurous >= 0.4 and trait_adventurous >= trait_practical"),
            variant("quiz-family", 40, "<h1>Room for everyone</h1>", rule="quiz_trip == 'family'"),
            variant("pick-up", 30, "{% if last_viewed %}<h1>Still thinking about the {{ last_viewed.title }}?</h1>"
                    "<p>{% if last_viewed.sale_price %}Now {{ '%.2f' | format(last_viewed.sale_price) }}{% else %}In stock{% endif %}</p>"
                    "<a href=\"{{ last_viewed.url }}\">Take another look</a>{% endif %}", segment="returning"),
            variant("welcome-a", 20, "<h1>Free shipping on your first order at {{ shop.name }}</h1>", segment="new",
                    experiment="welcome-offer", arm="a"),
            variant("welcome-b", 20, "<h1>10% off your first order at {{ shop.name }}</h1>", segment="new",
                    experiment="welcome-offer", arm="b"),
        ]}],
        "placements": [
            {"name": "bought-together", "strategy": "bought_together", "count": 4, "diversity": "category", "max_per_group": 2,
             "card_template": card},
            {"name": "viewed-together", "strategy": "viewed_together", "count": 4},
            {"name": "for-you", "strategy": "personalized", "count": 4, "diversity": "category", "max_per_group": 1,
             "min_price": 5.0, "boost": [{"rule": "on_sale", "factor": 1.2}]},
        ],
        "campaigns": [
            {"name": "exit-welcome", "trigger": "exit_intent", "segment": "new", "offers_discount": True,
             "template": "<h2>Before you go: 10% off</h2>{% if last_viewed %}<p>The {{ last_viewed.title }} will still be here.</p>{% endif %}"},
            {"name": "cart-reminder", "trigger": "cart_abandonment", "threshold": 45, "rule": "cart_items > 0 and page != 'checkout'",
             "template": "<h2>Your cart is waiting</h2><p>{{ profile.cart_items }} items worth {{ '%.2f' | format(profile.cart_value) }}</p>"},
            {"name": "sizing-help", "trigger": "dwell", "threshold": 40, "rule": "page == 'product' and intent in ['comparing', 'researching']",
             "template": "<h2>Hard to choose?</h2>{% if product %}<p>Compare the {{ product.title }}</p>{% endif %}"},
        ],
        "experiments": [{"name": "welcome-offer", "salt": "welcome-offer-bench", "holdout": 0.1,
                         "arms": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]}],
    }


def synthetic_model(products: int, seed: int = 7):
    """ModelData of `products` products, and each product's leaf number."""
    import random

    from shopkeeper.model import NEIGHBOUR_KINDS, ModelData, Product, TimingModel

    rng = random.Random(seed)
    leaves = max(1, products // 50)
    path_of = []
    for leaf in range(leaves):
        department = leaf * 12 // leaves
        group = leaf * 48 // leaves
        path_of.append((f"Department {department}", f"Group {group}", f"Line {leaf}"))
    leaf_of = sorted(rng.randrange(leaves) for _ in range(products))
    brands = [f"Brand {b}" for b in range(max(1, products // 25))]
    catalog = []
    for i in range(products):
        brand = brands[min(len(brands) - 1, int(rng.paretovariate(1.2)) - 1)]
        price = round(rng.lognormvariate(3.5, 0.8), 2)
        catalog.append(Product(
            id=f"SKU-{i:06d}", title=f"{brand} {path_of[leaf_of[i]][2].lower()} item {i}",
            url=f"https://shop.example/p/sku-{i:06d}", image=f"https://cdn.shop.example/img/sku-{i:06d}.jpg",
            price=price, sale_price=round(price * 0.8, 2) if rng.random() < 0.2 else None, category=path_of[leaf_of[i]],
            brand=brand, in_stock=rng.random() < 0.95, replenishable=rng.random() < 0.05,
            attributes=(("color", rng.choice(("red", "blue", "black", "white"))), ("size", str(rng.randrange(36, 46)))),
        ))
    ranks = list(range(products))
    rng.shuffle(ranks)
    popularity = [1.0 / (rank + 1) for rank in ranks]
    trending = [score * rng.uniform(0.2, 5.0) for score in popularity]
    members: dict[tuple[str, int], list[int]] = {}
    for i in range(products):
        members.setdefault(("leaf", leaf_of[i]), []).append(i)
        members.setdefault(("dept", leaf_of[i] * 12 // leaves), []).append(i)
    popular = sorted(range(products), key=lambda i: -popularity[i])[:max(1, products // 20)]
    rank_weight = [(rank + 1) ** -0.8 for rank in range(K)]
    neighbours = {}
    for kind, own_leaf in zip(NEIGHBOUR_KINDS, (0.55, 0.6, 0.4, 0.8)):
        lists = []
        for i in range(products):
            pools = (members[("leaf", leaf_of[i])], members[("dept", leaf_of[i] * 12 // leaves)], popular)
            chosen: dict[int, None] = {}
            for _ in range(K * 10):
                if len(chosen) == min(K, products - 1):
                    break
                roll = rng.random()
                pool = pools[0 if roll < own_leaf else 1 if roll < own_leaf + 0.25 else 2]
                other = pool[rng.randrange(len(pool))]
                if other != i:
                    chosen[other] = None
            lists.append([(j, min(1.0, rank_weight[rank] * rng.uniform(0.9, 1.1))) for rank, j in enumerate(chosen)])
        neighbours[kind] = lists
    features = ("log_events", "log_seconds", "log_gap", "log_cart_adds", "log_same_product_views", "hour_sin", "hour_cos")
    timing = TimingModel(features, (-1.2, 0.1, -0.05, 0.3, -0.4, 0.2, 0.05, -0.1), (-3.0, 0.3, 0.1, -0.1, 1.2, 0.1, 0.0, 0.0))
    return ModelData(catalog, neighbours, popularity, trending, site_config(), timing), leaf_of


def shopper_history(data, leaf_of: list[int], events: int, pages: int, seed: int = 11) -> dict:
    """One shopper's stored records (oldest first) and the `pages` product pages of their
    latest visit, each as the index its records end at, its time and its page context.

    About `events` records come before the first of those pages (over 1, ~10 or ~100
    sessions); each page then adds its page view and product view before its decision and
    its shelf impression, an occasional click or cart add and its engagement after it."""
    import random

    rng = random.Random(seed * 1_000_003 + events)
    products = data.products
    by_leaf: dict[int, list[int]] = {}
    for i, leaf in enumerate(leaf_of):
        by_leaf.setdefault(leaf, []).append(i)
    leaves = sorted(by_leaf)
    interests = rng.sample(leaves, min(4, len(leaves)))
    bestsellers = sorted(range(len(products)), key=lambda i: -data.popularity[i])[:50]
    queries = ("best rated tent", "alpine jacket", "how to choose boots", "durable stove", "summit pack", "gift ideas")
    sessions = max(1, events // 20)
    span_days = 0 if sessions == 1 else min(180, 2 * sessions)
    record: list[dict] = []

    def pick() -> int:
        if rng.random() < 0.15:
            return rng.choice(bestsellers)
        leaf = by_leaf[interests[min(len(interests) - 1, int(rng.expovariate(1.0)))]]
        return leaf[int(len(leaf) * rng.random() ** 3)]

    def page(ts: float, kind: str, product: int | None, referrer: str) -> str:
        url = products[product].url if product is not None else f"https://shop.example/{kind}"
        record.append({"type": "page_view", "ts": ts, "page": kind, "url": url, "referrer": referrer,
                       **({"product": products[product].id} if product is not None else {})})
        return url

    def product_page(ts: float, product: int, url: str, cart: list[int]) -> str:
        """A product page: its views, then what happens after the decision."""
        url = page(ts, "product", product, url)
        record.append({"type": "product_view", "ts": ts + 50, "page": "product", "product": products[product].id})
        steps.append(len(record))
        shelf = [products[pick()].id for _ in range(4)]
        record.append({"type": "rec_impression", "ts": ts + 400, "placement": "viewed-together",
                       "items": [{"product": item} for item in shelf]})
        if rng.random() < 0.1:
            record.append({"type": "rec_click", "ts": ts + 3_000, "placement": "viewed-together", "product": shelf[0]})
        if rng.random() < 0.1:
            cart.append(product)
            record.append({"type": "add_to_cart", "ts": ts + 20_000, "product": products[product].id, "quantity": 1,
                           "price": products[product].current_price})
        record.append({"type": "engagement", "ts": ts + 30_000, "page": "product", "dwell_ms": rng.uniform(3_000, 120_000),
                       "scroll_pct": rng.uniform(10, 100)})
        return url

    steps: list[int] = []
    for number in range(sessions):
        ts = NOW_MS - (span_days * 86_400_000 * (1 - number / sessions) if sessions > 1 else 0) - 3_600_000
        referrer = rng.choice(("https://www.google.com/", "https://www.instagram.com/", "", "https://news.example/"))
        url = page(ts, "home", None, referrer)
        cart: list[int] = []
        for _ in range(rng.randint(3, 12)):
            ts += rng.uniform(5_000, 90_000)
            if rng.random() < 0.12:
                record.append({"type": "search", "ts": ts, "query": rng.choice(queries)})
                url = page(ts + 200, "search", None, url)
                continue
            url = product_page(ts, pick(), url, cart)
        if rng.random() < 0.1:
            record.append({"type": "popup_shown", "ts": ts + 31_000, "campaign": "exit-welcome"})
            record.append({"type": "popup_dismissed", "ts": ts + 35_000, "campaign": "exit-welcome"})
        if cart and rng.random() < 0.2:
            removed = cart.pop()
            record.append({"type": "remove_from_cart", "ts": ts + 40_000, "product": products[removed].id, "quantity": 1})
        if cart and number < sessions - 1 and rng.random() < 0.5:
            url = page(ts + 60_000, "checkout", None, url)
            items = [{"product": products[i].id, "quantity": 1, "price": products[i].current_price} for i in cart]
            record.append({"type": "purchase", "ts": ts + 90_000, "items": items, "discount": rng.random() < 0.3,
                           "value": round(sum(item["price"] for item in items), 2)})
            page(ts + 91_000, "order", None, url)
    record = record[-(events - 2):] if events > 2 else []
    steps.clear()
    url, ts, cart = "https://shop.example/", float(NOW_MS), []
    visited = []
    for _ in range(pages):
        visited.append(pick())
        url = product_page(ts, visited[-1], url, cart)
        ts += rng.uniform(20_000, 120_000)
    contexts = []
    for product, end in zip(visited, steps):
        viewed = record[end - 2]
        contexts.append({"end": end, "now_ms": viewed["ts"] + 100, "context": {
            "page": "product", "product": products[product].id, "category": " > ".join(products[product].category),
            "slots": ["hero"], "placements": [{"name": name, "count": count} for name, count in SHELVES],
            "url": viewed["url"], "referrer": viewed["referrer"],
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
            "viewport_width": 1440, "tz_offset_minutes": 60, "locale": "en-GB", "visitor_id": VISITOR, "listing": [],
        }})
    return {"records": record, "pages": contexts}


def write_inputs(folder: str, sizes: tuple[int, ...]) -> dict[str, float]:
    """Models, histories and contexts into `folder`; seconds spent per catalog size."""
    from shopkeeper.model import FORMAT_VERSION, encode_model

    seconds = {}
    for products in sizes:
        stamp = os.path.join(folder, f"complete-{products}-{INPUTS_VERSION}-format{FORMAT_VERSION}")
        if os.path.exists(stamp):
            continue
        begun = time.perf_counter()
        data, leaf_of = synthetic_model(products)
        blob = encode_model(data)
        with open(os.path.join(folder, f"model-{products}.skm"), "wb") as handle:
            handle.write(blob)
        if products == SHARDED:
            write_sharded(data, blob, os.path.join(folder, f"sharded-{products}"))
        for events in EVENTS:
            with open(os.path.join(folder, f"history-{products}x{events}.json"), "w") as handle:
                json.dump(shopper_history(data, leaf_of, events, PAGES), handle)
        open(stamp, "w").close()
        seconds[str(products)] = time.perf_counter() - begun
        print(f"built the {products:,}-product model and histories in {seconds[str(products)]:.1f} s", file=sys.stderr, flush=True)
    return seconds


def write_sharded(data, blob: bytes, folder: str) -> None:
    from shopkeeper.publish.sharding import sharded_files

    files = sharded_files(data, blob)
    os.makedirs(os.path.join(folder, "shards"), exist_ok=True)
    with open(os.path.join(folder, "main.skm"), "wb") as handle:
        handle.write(files.main)
    for name, shard in files.shards.items():
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(shard)


# --- the measurement (runs inside Pyodide and on CPython alike: stdlib only) ----------

def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def page_views(folder: str, cell: str, quick: bool) -> list[tuple[range, list[str], str, float]]:
    """(store keys, their records as JSON, page context JSON, now) for each page view of the
    cell: the latest EVENTS records, keyed from 1 as IndexedDB numbers them."""
    events = int(cell.split("x")[1])
    with open(os.path.join(folder, f"history-{cell}.json")) as handle:
        history = json.load(handle)
    records = [json.dumps(record, separators=(",", ":")) for record in history["records"]]
    pages = history["pages"][:QUICK_PAGES if quick else PAGES]
    views = []
    for page in pages:
        first = max(0, page["end"] - events)
        views.append((range(first + 1, page["end"] + 1), records[first:page["end"]], json.dumps(page["context"]), page["now_ms"]))
    return views


class WorkerScript:
    """What web/worker.mjs does around Python on each page: pass every key of the store (as
    runs; here one) and only the records it has not passed before (done outside the
    timing, as in the browser)."""

    def __init__(self):
        self.passed: set[int] = set()

    def arguments(self, keys: range, records: list[str]) -> tuple[str, str]:
        fresh = ",".join(f'"{key}":{record}' for key, record in zip(keys, records) if key not in self.passed)
        self.passed = set(keys)
        return json.dumps([[keys[0], keys[-1]]] if keys else []), "{" + fresh + "}"


def measure(folder: str, sizes: list[int], quick: bool) -> dict:
    """Every cell in this runtime, as plain data. Passes go round every cell in turn, so a
    slow spell of the shared machine lands on one pass of many cells, not on one cell."""
    import gc
    import hashlib

    from shopkeeper.browser import worker_entry
    from shopkeeper.engine.content import templates
    from shopkeeper.model import decode_model

    result = {"runtime": sys.version.split()[0] + (" (Pyodide)" if sys.platform == "emscripten" else ""),
              "decide_ms": {}, "decide_min_ms": {}, "decide_all_median_ms": {}, "isolated_ms": {}, "first_ms": {}, "runs": {},
              "open_ms": {}, "load_ms": {}, "decision_sha256": {}, "cold_first_ms": None}
    blobs = {}
    for products in sizes:
        with open(os.path.join(folder, f"model-{products}.skm"), "rb") as handle:
            blobs[products] = handle.read()
        opens = []
        for _ in range(3 if quick else 9):
            begun = time.perf_counter()
            decode_model(blobs[products], verify=False)
            opens.append(time.perf_counter() - begun)
        result["open_ms"][str(products)] = round(_median(opens) * 1e3, 3)
    cells = [(products, f"{products}x{events}") for products in sizes for events in EVENTS]
    views = {cell: page_views(folder, cell, quick) for _, cell in cells}
    timings = {cell: [[] for _ in views[cell]] for _, cell in cells}   # per page, one per pass
    isolated = {cell: [[] for _ in views[cell][:ISOLATED_PAGES]] for _, cell in cells}
    answers: dict[str, list[str]] = {cell: [] for _, cell in cells}
    for number in range(QUICK_PASSES if quick else PASSES):
        loaded = None
        for products, cell in cells:
            if products != loaded:
                begun = time.perf_counter()
                worker_entry.load_model(blobs[products], verified=True)  # as the worker does once per model
                if number == 0:
                    result["load_ms"][str(products)] = round((time.perf_counter() - begun) * 1e3, 3)
                loaded = products
            worker_entry.forget()   # a new shopper's worker: nothing parsed, nothing read from the model
            gc.collect()   # what the cell before left behind is not this cell's cost
            script = WorkerScript()
            if number == 0:
                templates._compiled.clear()  # this cell's first decision compiles what it renders
            for page, (keys, records, context, now_ms) in enumerate(views[cell]):   # the shopper's pages in a row
                arguments = script.arguments(keys, records)
                begun = time.perf_counter()
                answer = worker_entry.decide_json(*arguments, context, now_ms)
                timings[cell][page].append(time.perf_counter() - begun)
                if number == 0:
                    answers[cell].append(answer)
                elif answer != answers[cell][page]:
                    raise SystemExit(f"{cell}: page {page} decided differently on another pass")
            for page, (keys, records, context, now_ms) in enumerate(views[cell][:ISOLATED_PAGES]):
                worker_entry.forget()
                arguments = WorkerScript().arguments(keys, records)
                begun = time.perf_counter()
                again = worker_entry.decide_json(*arguments, context, now_ms)
                isolated[cell][page].append(time.perf_counter() - begun)
                if again != answers[cell][page]:
                    raise SystemExit(f"{cell}: a worker that forgot everything decided differently")
            if result["cold_first_ms"] is None:
                result["cold_first_ms"] = round(timings[cell][0][0] * 1e3, 3)
        print(f"  {result['runtime']}: pass {number + 1} done", file=sys.stderr, flush=True)
    if SHARDED in sizes:
        result["decide_sharded_ms"] = measure_sharded(folder, views[SHARDED_CELL], quick)
    for _, cell in cells:
        best = [min(page) for page in timings[cell][1:]]   # each page's best pass
        result["decide_ms"][cell] = round(_median(best) * 1e3, 3)
        result["decide_min_ms"][cell] = round(min(best) * 1e3, 3)
        result["decide_all_median_ms"][cell] = round(_median([t for page in timings[cell][1:] for t in page]) * 1e3, 3)
        result["isolated_ms"][cell] = round(_median([min(page) for page in isolated[cell]]) * 1e3, 3)
        result["first_ms"][cell] = round(timings[cell][0][0] * 1e3, 3)
        result["runs"][cell] = len(best)
        result["decision_sha256"][cell] = hashlib.sha256("\n".join(answers[cell]).encode()).hexdigest()
    return result


def measure_sharded(folder: str, views: list, quick: bool) -> float:
    """The cell's pages on the sharded model, each page's shard loading timed with its decision."""
    from shopkeeper.browser import worker_entry

    base = os.path.join(folder, f"sharded-{SHARDED}")
    files: dict[str, bytes] = {}

    def read(name: str) -> bytes:   # the network: outside the timing
        if name not in files:
            with open(os.path.join(base, name), "rb") as handle:
                files[name] = handle.read()
        return files[name]

    with open(os.path.join(base, "main.skm"), "rb") as handle:
        main = handle.read()
    timings = [[] for _ in views]
    for number in range((QUICK_PASSES if quick else PASSES) + 1):   # the first pass only reads the files
        worker_entry.load_model(main, verified=True)
        worker_entry.forget()
        kept: dict[str, tuple[str, bytes]] = {}   # Cache Storage
        script = WorkerScript()
        for page, (keys, records, context, now_ms) in enumerate(views):
            arguments = script.arguments(keys, records)
            if number == 0:
                for key, name in json.loads(worker_entry.page_shards(context)):
                    read(name)
                    if key.startswith("index:"):
                        worker_entry.add_shard(key, name, read(name))
                        for _, own in json.loads(worker_entry.page_shards(context)):
                            read(own)
            begun = time.perf_counter()
            for key in json.loads(worker_entry.history_shards(*arguments)):
                if key in kept:
                    worker_entry.add_shard(key, *kept[key], "", True)
            for _ in range(3):
                wanted = json.loads(worker_entry.page_shards(context))
                for key, name in wanted:
                    if not worker_entry.add_shard(key, name, files[name]):
                        kept[key] = (name, files[name])
                if not wanted:
                    break
            worker_entry.decide_json(*arguments, context, now_ms)
            if number:
                timings[page].append(time.perf_counter() - begun)
    return round(_median([min(page) for page in timings[1:]]) * 1e3, 3)


def profile_cell(folder: str, cell: str) -> None:
    """CPython: cProfile of one cell's page views on a warm worker, the top functions by own time."""
    import cProfile
    import pstats

    from shopkeeper.browser import worker_entry

    products = cell.split("x")[0]
    with open(os.path.join(folder, f"model-{products}.skm"), "rb") as handle:
        worker_entry.load_model(handle.read(), verified=True)
    views = page_views(folder, cell, False)
    script = WorkerScript()
    calls = [(*script.arguments(keys, records), context, now_ms) for keys, records, context, now_ms in views]
    worker_entry.decide_json(*calls[0])
    profiler = cProfile.Profile()
    profiler.enable()
    for call in calls[1:]:
        worker_entry.decide_json(*call)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def child(argv: list[str]) -> int:
    """--child FOLDER SIZES [--quick] [--packages DIR]: measure, print one JSON line."""
    folder, sizes = argv[0], [int(size) for size in argv[1].split(",")]
    if "--packages" in argv:
        sys.path.insert(0, argv[argv.index("--packages") + 1])
    print(json.dumps(measure(folder, sizes, "--quick" in argv)))
    return 0


# --- the report (CPython) --------------------------------------------------------------

def run_pyodide(folder: str, sizes: list[int], quick: bool) -> dict:
    import subprocess

    sys.path.insert(0, os.path.join(ROOT, "build_scripts"))
    from browser_packages import browser_packages_dir
    from fetch_pyodide import pyodide_dir

    command = [
        "node", os.path.join(ROOT, "build_scripts", "run_in_pyodide.mjs"), "--pyodide", str(pyodide_dir()),
        "--mount", f"{ROOT}=/repo", "--mount", f"{browser_packages_dir()}=/browser-packages", "--mount", f"{folder}=/data",
        "/repo/benchmarks/decide.py", "--child", "/data", ",".join(map(str, sizes)), "--packages", "/browser-packages",
        *(["--quick"] if quick else []),
    ]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_cpython(folder: str, sizes: list[int], quick: bool) -> dict:
    import subprocess

    command = [sys.executable, os.path.abspath(__file__), "--child", folder, ",".join(map(str, sizes)), *(["--quick"] if quick else [])]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(pyodide: dict, cpython: dict, sizes: list[int], quick: bool) -> dict:
    print("\nfull page decision (profile, segments, hero slot, 3 shelves, 3 campaigns, experiment), ms")
    print("  page view: median over a shopper's pages in a row on a worker that lives on (the target's figure)")
    print("  isolated: the same pages, each on a worker that forgot everything; first: the cell's first page, templates compiled")
    print(f"{'products x events':>18} {'pages':>6}  {'Pyodide page view':>17} {'isolated':>9} {'first':>7}   "
          f"{'CPython page view':>17} {'isolated':>9} {'first':>7}  {'Pyodide/CPython':>15}")
    for cell in pyodide["decide_ms"]:
        print(f"{cell:>18} {pyodide['runs'][cell]:>6}  {pyodide['decide_ms'][cell]:>17.2f} {pyodide['isolated_ms'][cell]:>9.2f} "
              f"{pyodide['first_ms'][cell]:>7.1f}   {cpython['decide_ms'][cell]:>17.2f} {cpython['isolated_ms'][cell]:>9.2f} "
              f"{cpython['first_ms'][cell]:>7.1f}  {pyodide['decide_ms'][cell] / cpython['decide_ms'][cell]:>14.1f}x")
    print(f"\n{'products':>9} {'open ms Pyodide':>16} {'load ms Pyodide':>16} {'open ms CPython':>16} {'load ms CPython':>16}")
    for products in sizes:
        key = str(products)
        print(f"{products:>9,} {pyodide['open_ms'][key]:>16.2f} {pyodide['load_ms'][key]:>16.2f} "
              f"{cpython['open_ms'][key]:>16.2f} {cpython['load_ms'][key]:>16.2f}")
    print(f"open = decode_model (median); load = worker load_model once (open + site config). "
          f"First decision of the process, importing Jinja2: {pyodide['cold_first_ms']:.0f} ms Pyodide, {cpython['cold_first_ms']:.0f} ms CPython.")
    same = pyodide["decision_sha256"] == cpython["decision_sha256"]
    print(f"decisions byte-identical in Pyodide and CPython: {'yes' if same else 'NO'}")
    at_10k = pyodide["decide_ms"].get("10000x200")
    sharded = pyodide.get("decide_sharded_ms")
    verdict = lambda ok: "met" if ok else "missed"  # noqa: E731
    print(f"\n10000x200 with the model in shards, each page's shard loading included: {sharded:.2f} ms Pyodide, "
          f"{cpython.get('decide_sharded_ms'):.2f} ms CPython")
    print(f"\ntarget 10000x200 under {TARGET_MS:.0f} ms (Pyodide): {at_10k:.2f} ms, {verdict(at_10k < TARGET_MS)}; "
          f"in shards {sharded:.2f} ms, {verdict(sharded < TARGET_MS)}")
    if "100000x200" in pyodide["decide_ms"]:
        ratio = pyodide["decide_ms"]["100000x200"] / pyodide["decide_ms"]["1000x200"]
        print(f"target 100000x200 at most {TARGET_RATIO:.0f}x 1000x200 (Pyodide): {ratio:.2f}x, {verdict(ratio <= TARGET_RATIO)}")
    else:
        ratio = None
        print(f"target 100000x200 at most {TARGET_RATIO:.0f}x 1000x200: not measured (--quick skips the 100k catalog)")
    if quick:
        print("--quick: fewer pages and no 100k catalog; budgets are judged on the full run")
    return {"same_decisions": same, "ratio_100k_to_1k_at_200": ratio, "met_10k": at_10k < TARGET_MS,
            "decide_sharded_ms": sharded, "met_10k_sharded": sharded < TARGET_MS}


def main() -> int:
    import argparse
    import tempfile

    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages, 1k and 10k products only")
    parser.add_argument("--json", metavar="PATH", help="write decide_ms (PRODUCTSxEVENTS -> median ms in Pyodide) and the other figures")
    parser.add_argument("--inputs", metavar="DIR", help="build the models and histories into DIR once and reuse them later (default: a temp dir)")
    parser.add_argument("--profile", metavar="PRODUCTSxEVENTS", help="only print CPython's cProfile of one cell's warm decisions")
    args = parser.parse_args()
    sizes = [size for size in PRODUCTS if not (args.quick and size > 10_000)]
    with tempfile.TemporaryDirectory(prefix="sk-decide-") as scratch:
        folder = os.path.abspath(args.inputs) if args.inputs else scratch
        os.makedirs(folder, exist_ok=True)
        if args.profile:
            write_inputs(folder, (int(args.profile.split("x")[0]),))
            profile_cell(folder, args.profile)
            return 0
        build_s = write_inputs(folder, tuple(sizes))
        pyodide = run_pyodide(folder, sizes, args.quick)
        cpython = run_cpython(folder, sizes, args.quick)
    verdicts = report(pyodide, cpython, sizes, args.quick)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({
                "decide_ms": pyodide["decide_ms"], "decide_min_ms": pyodide["decide_min_ms"], "decide_all_median_ms": pyodide["decide_all_median_ms"],
                "isolated_ms": pyodide["isolated_ms"],
                "first_decision_ms": pyodide["first_ms"],
                "cold_first_decision_ms": pyodide["cold_first_ms"], "open_ms": pyodide["open_ms"], "load_ms": pyodide["load_ms"],
                "runs": pyodide["runs"],
                "cpython": {key: cpython[key] for key in ("decide_ms", "decide_min_ms", "decide_all_median_ms", "isolated_ms",
                                                          "first_ms", "cold_first_ms", "open_ms", "load_ms")},
                "runtimes": {"pyodide": pyodide["runtime"], "cpython": cpython["runtime"]},
                "decision_sha256": pyodide["decision_sha256"], **verdicts, "quick": args.quick,
                "build_s": {key: round(value, 1) for key, value in build_s.items()},
            }, handle, indent=2)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
