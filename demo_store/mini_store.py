"""The smallest store: four products, a short event log and one greeting variant, published
with the real `shopkeeper publish` for the browser tests and the boot benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).resolve().parent / "mini"


def publish_mini_store(out: Path, runtime: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "shopkeeper.cli", "publish", "-q", "--catalog", str(MINI / "catalog.csv"),
         "--events", str(MINI / "events.csv"), "--config", str(MINI / "site.toml"), "--out", str(out),
         "--runtime", str(runtime)],
        check=True,
    )
    return out
