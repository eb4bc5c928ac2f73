"""How long `shopkeeper report` takes on the publish benchmark's inputs, 10M events.

    .venv/bin/python benchmarks/report.py [--quick] [--json PATH] [--keep DIR]

The 10k-product catalog and the synthetic event log of benchmarks/publish.py are written
out as a catalog CSV and an event-log CSV (session, Unix time, type, product), the files
a merchant would hand to the command; writing them is timed apart and left out. Then
`shopkeeper report --catalog … --events … --out …` runs in its own process, as a merchant
runs it, and its progress lines on stderr are timestamped as they arrive, which gives the
time of each step. Peak memory is the child's (ru_maxrss of the finished process).
Budget at 10M events: under 120 s. --quick writes 1M events. --keep DIR keeps the inputs
and the report there (and reuses inputs already written there).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py_src"))

from publish import SyntheticLog, catalog  # noqa: E402  the same synthetic store as the publish benchmark

from shopkeeper.publish.read.eventlog import CART, PURCHASE, VIEW  # noqa: E402

FULL, QUICK = 10_000_000, 1_000_000
BUDGET_S = 120.0
TYPE_NAMES = {VIEW: "view", CART: "add_to_cart", PURCHASE: "purchase"}


def write_inputs(folder: Path, events: int) -> tuple[Path, Path, float]:
    """The catalog and the log as files; the seconds spent writing them."""
    catalog_path, events_path = folder / "catalog.csv", folder / f"events-{events}.csv"
    if catalog_path.exists() and events_path.exists():
        return catalog_path, events_path, 0.0
    begun = time.perf_counter()
    products, leaf = catalog()
    with catalog_path.open("w", encoding="utf-8") as out:
        out.write("id,title,link,image_link,price,product_type,brand,color,size\n")
        for product in products:
            attributes = dict(product.attributes)
            slug = product.id.lower()
            out.write(f"{product.id},{product.title},/p/{slug}.html,/img/{slug}.jpg,{product.price:.2f} EUR,"
                      f"{' > '.join(product.category)},{product.brand},{attributes['color']},{attributes['size']}\n")
    with events_path.open("w", encoding="utf-8") as out:
        out.write("session,ts,type,product\n")
        for chunk in SyntheticLog(events, leaf):
            kinds = [TYPE_NAMES[kind] for kind in chunk.kind.tolist()]
            out.write("".join(f"s{session},{ts:.3f},{kind},{product}\n" for session, ts, kind, product
                              in zip(chunk.session.tolist(), chunk.ts.tolist(), kinds, chunk.product.tolist())))
    return catalog_path, events_path, time.perf_counter() - begun


def run_report(catalog_path: Path, events_path: Path, out: Path) -> dict:
    """`shopkeeper report` as a merchant runs it; each progress line with its second."""
    command = [sys.executable, "-m", "shopkeeper.cli", "report", "--catalog", str(catalog_path),
               "--events", str(events_path), "--out", str(out)]
    begun = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
    lines = [(round(time.perf_counter() - begun, 1), line.rstrip()) for line in child.stderr]
    if child.wait():
        sys.exit("shopkeeper report failed:\n" + "\n".join(line for _, line in lines[-20:]))
    seconds = time.perf_counter() - begun
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"report_s": round(seconds, 1), "report_peak_mib": round(peak), "report_bytes": out.stat().st_size,
            "progress": lines}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} events")
    parser.add_argument("--json", metavar="PATH", help="write report_s, report_peak_mib and the progress lines")
    parser.add_argument("--keep", metavar="DIR", help="keep the inputs and the report in DIR")
    args = parser.parse_args()
    events = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="shopkeeper-report-bench-") as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        catalog_path, events_path, writing = write_inputs(folder, events)
        log_mb = events_path.stat().st_size / 1e6
        run = run_report(catalog_path, events_path, folder / "report.html")
    print(f"inputs: {events:,} events ({log_mb:,.0f} MB CSV) over 10,000 products"
          + (f", written in {writing:.0f} s (left out)" if writing else ", reused"))
    print(f"{'second':>7}  progress of shopkeeper report")
    lines = run["progress"]
    for number, (second, line) in enumerate(lines):
        following = lines[number + 1][1] if number + 1 < len(lines) else ""
        if not (line.startswith("read ") and following.startswith("read ")):   # reading: its last line only
            print(f"{second:>7.1f}  {line}")
    verdict = "met" if run["report_s"] < BUDGET_S else "NOT met"
    print(f"report_s {run['report_s']:.1f}, peak {run['report_peak_mib']:,} MiB, page {run['report_bytes'] / 1024:,.0f} KiB"
          + (f"; budget {BUDGET_S:.0f} s at {FULL:,} events: {verdict}" if events == FULL else ""))
    if args.json:
        Path(args.json).write_text(json.dumps({"events": events, **run}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
