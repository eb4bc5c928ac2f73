"""The runtime and the publishes the browser tiers serve."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def runtime_dir() -> Path:
    runtime = ROOT / "py_src" / "shopkeeper" / "runtime"
    if not (runtime / "manifest.json").is_file():
        pytest.fail(f"no runtime at {runtime}: build it with `make runtime` (or make test)", pytrace=False)
    return runtime


def publish_demo(out: Path, shards: str = "auto") -> Path:
    """The demo store as `make demo` builds it: `site/` and the publish in `sk/` (its model
    in shards with shards="always")."""
    subprocess.run([sys.executable, str(ROOT / "demo_store" / "publish_demo.py"), "--out", str(out), "--runtime", str(runtime_dir()),
                    "--shards", shards], check=True, capture_output=True)
    return out
