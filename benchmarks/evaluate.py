"""How long `shopkeeper evaluate` takes and how much memory it needs on a million events.

    .venv/bin/python benchmarks/evaluate.py [--quick] [--json PATH]

The synthetic store of benchmarks/publish.py (its catalog, here of 40,000 products, and
its event log: Zipf popularity, mostly short sessions in one leaf category, follow-ups,
cart adds and purchases) goes through run_evaluation as `shopkeeper evaluate --events`
sends it: the log split by time, the model trained and tuned as publish does, every test
product page replayed through decide_page for both built-in product page shelves, the
cart page's shelf, and the peers chosen on a validation split and scored. It runs in its
own process, so peak memory (ru_maxrss) belongs to the evaluation alone; the time spent
synthesising events is left out. Target at 1M events: under 120 s and 2 GiB. --quick runs
100,000 events over 10,000 products. --json PATH writes evaluate_s, evaluate_peak_mib and
the figures of each row.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py_src"))

from publish import SyntheticLog, catalog  # noqa: E402  the same synthetic store as the publish benchmark

from shopkeeper.publish.evaluate.holdout import run_evaluation  # noqa: E402

FULL, QUICK = (1_000_000, 40_000), (100_000, 10_000)
BUDGET_S, BUDGET_MIB = 120.0, 2048.0


def measure(events: int, products: int) -> dict:
    """One run in this process: seconds, peak memory, the figures, and when each step began."""
    items, leaf = catalog(products)
    log = SyntheticLog(events, leaf)
    steps: list[tuple[float, str]] = []
    begun = time.perf_counter()
    result = run_evaluation(log, catalog=items, progress=lambda message: steps.append((time.perf_counter() - begun, message)))
    return {
        "events": events, "products": products, "evaluate_s": time.perf_counter() - begun - log.seconds,
        "synthesis_s": log.seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "figures": {name: {key: figures[key] for key in ("hr@20", "mrr@20", "prefixes")}
                    for name, figures in result["placements"].items()},
        "steps": steps,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 events over 10,000 products")
    parser.add_argument("--json", metavar="PATH", help="write evaluate_s, evaluate_peak_mib and the figures")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return 0
    events, products = QUICK if args.quick else FULL
    out = subprocess.run([sys.executable, __file__, "--child", str(events), str(products)],
                         capture_output=True, text=True, check=True)
    run = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"shopkeeper evaluate on {events:,} synthetic events over {products:,} products (this machine)")
    print(f"{'figure':<28}{'value':>12}{'target':>12}")
    print(f"{'evaluate_s':<28}{run['evaluate_s']:>12.1f}{'< ' + format(BUDGET_S, '.0f'):>12}")
    print(f"{'evaluate_peak_mib':<28}{run['peak_mib']:>12.0f}{'< ' + format(BUDGET_MIB, '.0f'):>12}")
    print(f"{'synthesising events (apart)':<28}{run['synthesis_s']:>12.1f}")
    print("\nsteps (seconds from the start, as evaluate reports them)")
    for at, message in run["steps"]:
        print(f"{at:>8.1f}  {message}")
    print("\nfigures")
    for name, figures in run["figures"].items():
        print(f"  {name:<26} HR@20 {figures['hr@20']:.4f}  MRR@20 {figures['mrr@20']:.4f}  {figures['prefixes']:,} cases")
    if not args.quick:
        met = run["evaluate_s"] < BUDGET_S and run["peak_mib"] < BUDGET_MIB
        print(f"\ntarget at {events:,} events: {BUDGET_S:.0f} s, {BUDGET_MIB:.0f} MiB: {'met' if met else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"evaluate_s": round(run["evaluate_s"], 2),
                                               "evaluate_peak_mib": round(run["peak_mib"], 1), "run": run}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
