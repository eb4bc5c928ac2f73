"""How big a published model is per product, and how fast the browser's Python opens and reads it.

    .venv/bin/python benchmarks/model_size.py [--quick] [--pyodide] [--json PATH]

Synthetic catalogs of 1k, 10k and 100k products (--quick: 1k and 10k), K = 20 neighbours
for every product, written with `encode_model` and read back with `decode_model`:

- bytes per product by section and by group: scoring (what ranking reads: facets,
  popular lists, neighbour lists), identity (ids and their sorted order, for index_of),
  display (texts, prices, attributes), settings (meta, config, timing, weight levels),
  for one neighbour kind (viewed_together) and for both (viewed_together + bought_together),
  every list K long (a published bought_together list is usually far shorter);
- the same 10k catalog in shuffled product order, and with neighbours drawn uniformly
  from the whole catalog: the worst case for the index coding;
- open and access times on CPython (with --pyodide also inside Pyodide under Node.js):
  decode_model with and without the SHA-256 check, neighbours(), product(), popular(),
  index_of() by bisection, and building an id -> index dict instead (the alternative).

The catalog: products ordered by category path (as publishing writes them), ~60 per leaf
category, 12 top categories, Zipf popularity and brands. Each product's neighbours are
drawn 55 % from its own leaf category, 25 % from its top category and 20 % from the
whole catalog weighted by popularity; weights decay as rank^-0.8, the best being 1.
With --json PATH, writes scoring_bytes_per_product (10k products, K = 20, one kind)
and the per-section figures.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py_src"))

from shopkeeper.model import ModelData, Product, TimingModel, decode_model, encode_model, section_sizes  # noqa: E402

K = 20
SCORING = ("facets", "popular")
IDENTITY = ("ids", "id_order")
SETTINGS = ("header", "meta", "config", "timing", "weights")


def group_of(section: str) -> str:
    if section in SCORING or section.startswith("nbr."):
        return "scoring"
    return "identity" if section in IDENTITY else "settings" if section in SETTINGS else "display"


def synthetic(products: int, kinds: tuple[str, ...], seed: int = 7, uniform: bool = False, shuffled: bool = False) -> ModelData:
    rng = random.Random(seed)
    tops = [f"Department {t}" for t in range(12)]
    leaves, catalog = max(1, products // 60), []
    leaf_top = sorted(rng.randrange(len(tops)) for _ in range(leaves))
    leaf_of = sorted(rng.randrange(leaves) for _ in range(products))
    brands = [f"Brand {b}" for b in range(max(1, products // 25))]
    for i in range(products):
        leaf = leaf_of[i]
        brand = brands[min(len(brands) - 1, int(rng.paretovariate(1.2)) - 1)]
        price = round(rng.lognormvariate(3.5, 0.8), 2)
        catalog.append(Product(
            id=f"SKU-{i:06d}", title=f"{brand} item {i} for {tops[leaf_top[leaf]].lower()}",
            url=f"https://shop.example/products/sku-{i:06d}", image=f"https://cdn.shop.example/img/sku-{i:06d}.jpg",
            price=price, sale_price=round(price * 0.8, 2) if rng.random() < 0.2 else None,
            category=(tops[leaf_top[leaf]], f"Leaf {leaf}"), brand=brand, in_stock=rng.random() < 0.95,
            attributes=(("color", rng.choice(["red", "blue", "black", "white"])), ("size", str(rng.randrange(36, 46)))),
        ))
    popularity = [1.0 / (rank + 1) ** 0.9 for rank in rng.sample(range(products), products)]
    trending = [score * rng.uniform(0.2, 5.0) for score in popularity]
    members: dict[object, list[int]] = {}
    for i in range(products):
        members.setdefault(("leaf", leaf_of[i]), []).append(i)
        members.setdefault(("top", leaf_top[leaf_of[i]]), []).append(i)
    by_popularity = sorted(range(products), key=lambda i: -popularity[i])[: max(1, products // 5)]
    neighbours = {}
    for kind in kinds:
        lists = []
        for i in range(products):
            pools = [members[("leaf", leaf_of[i])], members[("top", leaf_top[leaf_of[i]])], by_popularity]
            chosen: dict[int, None] = {}
            for _ in range(K * 20):
                if len(chosen) == min(K, products - 1):
                    break
                roll = rng.random()
                pool = range(products) if uniform else pools[0 if roll < 0.55 else 1 if roll < 0.8 else 2]
                candidate = pool[rng.randrange(len(pool))]
                if candidate != i:
                    chosen[candidate] = None
            lists.append([(j, min(1.0, (rank + 1) ** -0.8 * rng.uniform(0.9, 1.1))) for rank, j in enumerate(chosen)])
        neighbours[kind] = lists
    data = ModelData(catalog, neighbours, popularity, trending, {"shop": {"name": "Bench"}}, TimingModel(("dwell",), (0.1, 0.2), (0.3, 0.4)))
    return _shuffle(data, rng) if shuffled else data


def _shuffle(data: ModelData, rng: random.Random) -> ModelData:
    order = list(range(len(data.products)))
    rng.shuffle(order)
    new_index = {old: new for new, old in enumerate(order)}
    neighbours = {kind: [[(new_index[j], w) for j, w in lists[old]] for old in order] for kind, lists in data.neighbours.items()}
    return ModelData([data.products[old] for old in order], neighbours, [data.popularity[old] for old in order],
                     [data.trending[old] for old in order], data.config, data.timing)


def per_product(blob: bytes, products: int) -> tuple[dict[str, float], dict[str, float]]:
    """Bytes per product by section and by group."""
    sections = {name: size / products for name, size in section_sizes(blob).items()}
    groups = {group: 0.0 for group in ("scoring", "identity", "display", "settings")}
    for name, size in sections.items():
        groups[group_of(name)] += size
    return sections, groups


def compressed_size(blob: bytes) -> int:
    """What HTTP compression sends (brotli when installed, else zlib; CPython side only)."""
    try:
        import brotli
        return len(brotli.compress(blob, quality=11))
    except ImportError:
        import zlib
        return len(zlib.compress(blob, 9))


def _best_us(call, arguments, rounds: int = 5) -> float:
    """Mean microseconds per call in the fastest of `rounds` passes: this machine is shared,
    and the fastest pass is the one least disturbed by others."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for argument in arguments:
            call(argument)
        best = min(best, (time.perf_counter() - start) / len(arguments) * 1e6)
    return best


def time_model(blob: bytes) -> dict[str, float]:
    """Open and access times: open in ms, accesses in microseconds, each the best of 5 passes."""
    opens, unverified = [], []
    for _ in range(5):
        start = time.perf_counter()
        model = decode_model(blob)
        opens.append(time.perf_counter() - start)
        start = time.perf_counter()
        decode_model(blob, verify=False)
        unverified.append(time.perf_counter() - start)
    rng = random.Random(3)
    picks = [rng.randrange(len(model)) for _ in range(500)]
    ids = [model.product(i).id for i in picks]
    categories = sorted({" > ".join(model.product(i).category[:1]) for i in picks[:50]})
    builds = []
    for _ in range(3):
        start = time.perf_counter()
        index = {model.display.texts["ids"][i]: i for i in range(len(model))}
        builds.append(time.perf_counter() - start)
    kind = next(iter(model.kinds))
    return {
        "open_ms": min(opens) * 1e3,
        "open_unverified_ms": min(unverified) * 1e3,
        "neighbours_us": _best_us(lambda i: model.neighbours(kind, i), picks),
        "product_us": _best_us(model.product, picks),
        "popular_overall_us": _best_us(lambda limit: model.popular(limit), [20] * 200),
        "popular_category_us": _best_us(lambda category: model.popular(20, category, trending=True), categories * 20),
        "index_of_bisect_us": _best_us(model.index_of, ids),
        "index_of_dict_build_ms": min(builds) * 1e3,
        "index_of_dict_us": _best_us(index.get, ids),
    }


TIMING_COLUMNS = [
    ("open_ms", "open ms"), ("open_unverified_ms", "open no-hash ms"), ("neighbours_us", "neighbours us"),
    ("product_us", "product us"), ("popular_overall_us", "popular us"), ("popular_category_us", "popular cat us"),
    ("index_of_bisect_us", "index_of us"), ("index_of_dict_build_ms", "dict build ms"), ("index_of_dict_us", "dict get us"),
]


def print_timings(title: str, timings: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'products':>9} " + " ".join(f"{label:>15}" for _, label in TIMING_COLUMNS))
    for products, row in timings.items():
        print(f"{products:>9} " + " ".join(f"{row[key]:>15.1f}" for key, _ in TIMING_COLUMNS))


def run_in_pyodide(blobs: dict[str, bytes]) -> dict[str, dict[str, float]]:
    """Write the models to .cache and time them again inside Pyodide under Node.js."""
    sys.path.insert(0, str(ROOT / "build_scripts"))
    from fetch_pyodide import pyodide_dir

    folder = ROOT / ".cache" / "model_size"
    folder.mkdir(parents=True, exist_ok=True)
    for products, blob in blobs.items():
        (folder / f"synthetic-{products}.skm").write_bytes(blob)
    command = [
        "node", str(ROOT / "build_scripts" / "run_in_pyodide.mjs"), "--pyodide", str(pyodide_dir()),
        "--mount", f"{ROOT}=/repo", "/repo/benchmarks/model_size.py", "--time",
        *(f"/repo/.cache/model_size/synthetic-{products}.skm" for products in blobs),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def time_files(paths: list[str]) -> None:
    """Inside Pyodide: time each model file and print the figures as one JSON line."""
    timings = {}
    for path in paths:
        blob = Path(path).read_bytes()
        timings[str(len(decode_model(blob)))] = time_model(blob)
    print(json.dumps(timings))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k products only")
    parser.add_argument("--pyodide", action="store_true", help="also time opening and reading inside Pyodide (Node.js)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--time", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time:
        time_files(args.time)
        return 0
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    rows, blobs, timings, figures = [], {}, {}, {}
    for products in sizes:
        two = synthetic(products, ("viewed_together", "bought_together"))
        one = ModelData(two.products, {"viewed_together": two.neighbours["viewed_together"]}, two.popularity, two.trending, two.config, two.timing)
        for label, data in (("1 kind", one), ("2 kinds", two)):
            start = time.perf_counter()
            blob = encode_model(data)
            encode_s = time.perf_counter() - start
            sections, groups = per_product(blob, products)
            rows.append((products, label, groups, len(blob) / products, compressed_size(blob) / products, encode_s))
            figures[(products, label)] = sections
            if label == "1 kind":
                blobs[str(products)], timings[str(products)] = blob, time_model(blob)
    for label, options in (("shuffled order", {"shuffled": True}), ("uniform neighbours", {"uniform": True})):
        data = synthetic(10_000, ("viewed_together",), **options)
        blob = encode_model(data)
        sections, groups = per_product(blob, 10_000)
        rows.append((10_000, f"1 kind, {label}", groups, len(blob) / 10_000, compressed_size(blob) / 10_000, 0.0))
        figures[(10_000, label)] = sections

    print(f"bytes per product, K = {K}")
    print(f"{'products':>9} {'model':<30} {'scoring':>8} {'identity':>9} {'display':>8} {'settings':>9} {'total':>8} {'brotli':>8} {'encode s':>9}")
    for products, label, groups, total, compressed, encode_s in rows:
        print(f"{products:>9} {label:<30} {groups['scoring']:>8.2f} {groups['identity']:>9.2f} {groups['display']:>8.2f} "
              f"{groups['settings']:>9.2f} {total:>8.2f} {compressed:>8.2f} {encode_s:>9.1f}")
    print("\nbytes per product by section, 10k products")
    columns = [(10_000, "1 kind"), (10_000, "2 kinds"), (10_000, "shuffled order"), (10_000, "uniform neighbours")]
    print(f"{'section':<20} {'group':<9} " + " ".join(f"{label:>19}" for _, label in columns))
    for name in figures[(10_000, "2 kinds")]:
        print(f"{name:<20} {group_of(name):<9} " + " ".join(f"{figures[column].get(name, 0.0):>19.3f}" for column in columns))
    print_timings("CPython: open and access times (1 kind)", timings)
    pyodide = run_in_pyodide(blobs) if args.pyodide else {}
    if pyodide:
        print_timings("Pyodide under Node.js: open and access times (1 kind)", pyodide)
    if args.json:
        one_kind, two_kinds = figures[(10_000, "1 kind")], figures[(10_000, "2 kinds")]
        args.json.write_text(json.dumps({
            "scoring_bytes_per_product": sum(size for name, size in one_kind.items() if group_of(name) == "scoring"),
            "scoring_bytes_per_product_two_kinds": sum(size for name, size in two_kinds.items() if group_of(name) == "scoring"),
            "section_bytes_per_product": one_kind,
            "section_bytes_per_product_two_kinds": two_kinds,
            "timings_cpython": timings,
            "timings_pyodide": pyodide,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
