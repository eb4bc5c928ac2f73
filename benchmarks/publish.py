"""How long publishing takes and how much memory it needs, from 100k to 10M events.

    .venv/bin/python benchmarks/publish.py [--quick] [--json PATH]

A synthetic 10k-product catalog (12 departments, ~60 products per leaf category,
brands, prices, two attributes, ordered by category as catalogs usually are) and a
synthetic event log streamed as EventChunks, never written out: Zipf popularity over
leaf categories and products, sessions of 1-30 events (mostly short), each browsing one
leaf category with some detours to bestsellers, a third of the steps going to the
product's usual follow-up (the structure viewed_together's direction weights learn),
6 % cart adds and a purchase of the cart in 40 % of the sessions that have one.

Each size runs in its own process, so peak memory (ru_maxrss: the whole process,
Python and numpy included) belongs to that size alone. Publish time = train_model +
encode_model; the time spent synthesising events is measured apart and left out.
Budgets (10M events): under 60 s, under 4 GiB; scoring data under 40 bytes per product
at K = 20. --quick runs 100k only. --json PATH writes publish_s and peak_mib (by event
count) and scoring_bytes_per_product (of the last size run).

Scoring data is every byte of the published model file except the ids that name products
and the display data a product card shows (titles, URLs, images, prices, category and
brand names, attributes): the neighbour lists, facets, popular lists and the settings
(header, meta, config, timing, weight levels). Sections are grouped as
benchmarks/model_size.py groups them; identity and display are printed beside it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py_src"))

from model_size import group_of  # noqa: E402  one grouping of sections for both benchmarks

from shopkeeper.model import Product, encode_model, section_sizes  # noqa: E402
from shopkeeper.publish.read.eventlog import CART, PURCHASE, VIEW, EventChunk  # noqa: E402
from shopkeeper.publish.train.pipeline import train_model  # noqa: E402

SIZES = (100_000, 1_000_000, 10_000_000)
PRODUCTS = 10_000
CHUNK_EVENTS = 500_000
BUDGET_S, BUDGET_MIB, BUDGET_SCORING = 60.0, 4096.0, 40.0
SCORING_GROUPS = ("scoring", "settings")


def catalog(n: int = PRODUCTS, seed: int = 7) -> tuple[list[Product], np.ndarray]:
    """Products ordered by category, and each product's leaf number."""
    rng = np.random.default_rng(seed)
    leaves = max(1, n // 60)
    leaf_top = np.sort(rng.integers(0, 12, leaves))
    leaf = np.sort(rng.integers(0, leaves, n))
    brand = np.minimum(rng.pareto(1.2, n).astype(int), n // 25)
    price = np.round(rng.lognormal(3.5, 0.8, n), 2)
    colours = ("red", "blue", "black", "white")
    products = [
        Product(id=f"SKU-{i:06d}", title=f"Item {i}", price=float(price[i]),
                category=(f"Department {leaf_top[leaf[i]]}", f"Leaf {leaf[i]}"), brand=f"Brand {brand[i]}",
                attributes=(("color", colours[i % 4]), ("size", str(36 + i % 10))))
        for i in range(n)
    ]
    return products, leaf


class SyntheticLog:
    """EventChunks of a synthetic log with `events` rows; `seconds` is the time spent making them."""

    def __init__(self, events: int, leaf: np.ndarray, seed: int = 11):
        self.remaining, self.seconds, self.next_session = events, 0.0, 0
        self.rng = np.random.default_rng(seed)
        n = len(leaf)
        self.ids = np.array([f"SKU-{i:06d}" for i in range(n)], dtype=object)
        self.leaf_start = np.searchsorted(leaf, np.arange(leaf.max() + 2))
        leaf_weight = 1.0 / np.arange(1, leaf.max() + 2) ** 0.8
        self.rng.shuffle(leaf_weight)
        self.leaf_cdf = np.cumsum(leaf_weight) / leaf_weight.sum()
        self.bestsellers = self.rng.permutation(n)
        self.bestseller_cdf = np.cumsum(1.0 / np.arange(1, n + 1)) / np.sum(1.0 / np.arange(1, n + 1))
        size = np.diff(self.leaf_start)[leaf]
        self.follow_up = self.leaf_start[leaf] + self.rng.integers(0, 1 << 30, n) % size

    def __iter__(self):
        return self

    def __next__(self) -> EventChunk:
        if self.remaining <= 0:
            raise StopIteration
        begun = time.perf_counter()
        chunk = self._chunk(min(self.remaining, CHUNK_EVENTS))
        self.remaining -= len(chunk)
        self.seconds += time.perf_counter() - begun
        return chunk

    def _chunk(self, rows: int) -> EventChunk:
        rng = self.rng
        length = np.minimum(rng.geometric(0.22, rows // 4 + 1), 30)
        length = length[:np.searchsorted(np.cumsum(length), rows) + 1]
        sessions, total = len(length), int(length.sum())
        session = np.repeat(np.arange(sessions), length)
        position = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
        theme = np.searchsorted(self.leaf_cdf, rng.random(sessions))[session]
        start, size = self.leaf_start[theme], np.diff(self.leaf_start)[theme]
        item = start + (size * rng.random(total) ** 3).astype(np.int64)  # Zipf-like within the leaf
        detour = rng.random(total) < 0.15
        item[detour] = self.bestsellers[np.searchsorted(self.bestseller_cdf, rng.random(int(detour.sum())))]
        follow = rng.random(total) < 0.33
        cart = (rng.random(total) < 0.06) & (position > 0)
        for p in range(1, int(length.max())):
            at = np.flatnonzero(position == p)
            item[at] = np.where(follow[at], self.follow_up[item[at - 1]], item[at])
            item[at[cart[at]]] = item[at[cart[at]] - 1]
        kind = np.where(cart, CART, VIEW).astype(np.int8)
        first = np.cumsum(length) - length
        gap = np.where(position > 0, rng.lognormal(3.5, 1.0, total), 0.0)  # median 33 s between events
        elapsed = np.cumsum(gap)
        ts = np.repeat(1.7e9 + rng.uniform(0, 60 * 86400, sessions) - elapsed[first], length) + elapsed
        buys = np.flatnonzero(cart & (rng.random(sessions) < 0.4)[session])
        code = session + self.next_session
        self.next_session += sessions
        last = ts[first + length - 1][session[buys]]
        code, item = np.concatenate([code, code[buys]]), np.concatenate([item, item[buys]])
        ts = np.concatenate([ts, last + 20.0])
        kind = np.concatenate([kind, np.full(len(buys), PURCHASE, np.int8)])
        order = np.argsort(code, kind="stable")[:rows]  # purchases after their session's views
        code, item, ts, kind = code[order], item[order], ts[order], kind[order]
        n = len(code)
        return EventChunk(code, np.full(n, -1, np.int64), ts, kind, self.ids[item], np.ones(n, np.int32), np.full(n, np.nan))


def measure(events: int) -> dict:
    """One size, in this process: publish time, peak memory, model size."""
    products, leaf = catalog()
    log = SyntheticLog(events, leaf)
    begun = time.perf_counter()
    data, report = train_model(products, log, {}, k=20)
    trained = time.perf_counter() - begun - log.seconds
    begun = time.perf_counter()
    blob = encode_model(data)
    encoded = time.perf_counter() - begun
    sizes = section_sizes(blob)
    groups: dict[str, int] = {}
    for name, size in sizes.items():
        groups[group_of(name)] = groups.get(group_of(name), 0) + size
    scoring = sum(groups.get(group, 0) for group in SCORING_GROUPS)
    return {
        "events": events, "train_s": trained, "encode_s": encoded, "publish_s": trained + encoded,
        "synthesis_s": log.seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "model_bytes": len(blob), "scoring_bytes_per_product": scoring / len(products),
        "bytes_per_product_by_section": {name: round(v / len(products), 2) for name, v in sizes.items()},
        "bytes_per_product_by_group": {name: round(v / len(products), 2) for name, v in groups.items()},
        "steps_s": report["seconds"], "sessions": report["counts"]["sessions"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100k events only")
    parser.add_argument("--json", metavar="PATH", help="write publish_s, peak_mib and scoring_bytes_per_product")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return 0
    runs = []
    print(f"{'events':>11} {'publish s':>10} {'train s':>8} {'encode s':>9} {'peak MiB':>9} {'model KiB':>10} {'scoring B/product':>18}")
    for events in SIZES[:1] if args.quick else SIZES:
        out = subprocess.run([sys.executable, __file__, "--child", str(events)], capture_output=True, text=True, check=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        runs.append(run)
        print(f"{events:>11,} {run['publish_s']:>10.1f} {run['train_s']:>8.1f} {run['encode_s']:>9.1f} "
              f"{run['peak_mib']:>9.0f} {run['model_bytes'] / 1024:>10.0f} {run['scoring_bytes_per_product']:>18.1f}", flush=True)
    last = runs[-1]
    steps = {**last["steps_s"], "sessions": last["steps_s"]["sessions"] - last["synthesis_s"]}
    print(f"steps at {last['events']:,} events (s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items())
          + f"; synthesising the events took {last['synthesis_s']:.1f} s more")
    by_section = last["bytes_per_product_by_section"]
    for group in ("scoring", "settings", "identity", "display"):
        names = [name for name in by_section if group_of(name) == group]
        print(f"bytes per product, {group} ({last['bytes_per_product_by_group'].get(group, 0.0)}): "
              + ", ".join(f"{name} {by_section[name]}" for name in names))
    scoring = last["scoring_bytes_per_product"]
    print(f"scoring data ({' + '.join(SCORING_GROUPS)}): {scoring:.1f} bytes per product at K = 20, budget "
          f"{BUDGET_SCORING:.0f}: {'met' if scoring < BUDGET_SCORING else 'NOT met'}")
    if not args.quick:
        ok = last["publish_s"] < BUDGET_S and last["peak_mib"] < BUDGET_MIB
        print(f"budget at 10M events: {BUDGET_S:.0f} s, {BUDGET_MIB:.0f} MiB: {'met' if ok else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "publish_s": {str(r["events"]): round(r["publish_s"], 2) for r in runs},
            "peak_mib": {str(r["events"]): round(r["peak_mib"], 1) for r in runs},
            "scoring_bytes_per_product": round(last["scoring_bytes_per_product"], 2),
            "runs": runs,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
