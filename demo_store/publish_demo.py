"""Build the whole demo the way a merchant's pipeline would: events, publish, storefront.

    python demo_store/publish_demo.py --out build/demo

1. make_events.py writes OUT/events.csv, the shop's analytics export (deterministic);
2. `shopkeeper publish --catalog demo_store/data/catalog.csv --events OUT/events.csv
   --config demo_store/site.toml --out OUT/sk` writes the model beside the runtime;
3. build_site.py writes the storefront into OUT/site.

Serve OUT/site with OUT/sk mounted at /sk/ (`make demo` does). Stops at the first step
that fails, with that step's own message.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(step: str, command: list[str]) -> None:
    print(f"== {step}", flush=True)
    result = subprocess.run(command)
    if result.returncode:
        raise SystemExit(f"publish_demo: {step} failed (exit status {result.returncode}); the demo was not rebuilt past it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("build/demo"), help="directory for events.csv, sk/ and site/")
    parser.add_argument("--runtime", type=Path, help="runtime directory for shopkeeper publish (default: the package's)")
    parser.add_argument("--shards", choices=("auto", "always", "never"), default="auto",
                        help="shopkeeper publish --shards (the demo's 64 products make one file unless 'always')")
    args = parser.parse_args()
    catalog, config = HERE / "data" / "catalog.csv", HERE / "site.toml"
    events = args.out / "events.csv"
    python = sys.executable
    run("generating the event log", [python, str(HERE / "make_events.py"), "--catalog", str(catalog), "--out", str(events)])
    publish = [python, "-m", "shopkeeper.cli", "publish", "--catalog", str(catalog), "--events", str(events),
               "--config", str(config), "--out", str(args.out / "sk"), "--shards", args.shards]
    if args.runtime:
        publish += ["--runtime", str(args.runtime)]
    run("shopkeeper publish", publish)
    run("building the storefront", [python, str(HERE / "build_site.py"), "--catalog", str(catalog), "--out", str(args.out / "site")])


if __name__ == "__main__":
    main()
