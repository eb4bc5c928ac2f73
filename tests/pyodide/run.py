"""The Pyodide tier: the engine's tests again, inside Pyodide's own Python under Node.js.

    python tests/pyodide/run.py [--runtime DIR]

1. pytest runs the tests of engine/, model/ and browser/ (the JSON cases included) in Pyodide with its full
   stdlib and our source, so CPython and Pyodide must agree on every assertion.
2. The shipped runtime: Pyodide boots from the trimmed, byte-compiled core zip a browser
   downloads, every module of our package imports, the decisions run without Jinja2 and
   then with the templates zip, and the JSON cases run (shipped_runtime.py), so a module
   the trimming dropped fails here, not in a shop.
Exit status is non-zero if either fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build_scripts"))
from browser_packages import browser_packages_dir  # noqa: E402
from fetch_pyodide import pyodide_dir  # noqa: E402

RUNNER = ROOT / "build_scripts" / "run_in_pyodide.mjs"
WHEELS = ROOT / ".cache" / "wheels"
TEST_WHEELS = ["pytest==9.2.0", "pluggy==1.7.0", "iniconfig==2.3.1", "packaging==26.3", "pygments==2.21.0"]
# The tests of the packages that run in the browser (py_src/shopkeeper/README.md), by folder.
BROWSER_PACKAGE_TESTS = ["tests/unit/engine", "tests/unit/model", "tests/unit/browser"]


def test_wheels() -> Path:
    """Pure-Python wheels of pytest and its dependencies, fetched once from PyPI."""
    wanted = {spec.split("==")[0].lower(): spec for spec in TEST_WHEELS}
    present = {path.name.split("-")[0].lower() for path in WHEELS.glob("*.whl")}
    if set(wanted) - present:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", str(WHEELS), *TEST_WHEELS],
            check=True,
        )
    return WHEELS


def run_in_pyodide(*args: str) -> int:
    return subprocess.run(["node", str(RUNNER), "--pyodide", str(pyodide_dir()), *args], cwd=ROOT).returncode


def our_modules(python_zip: Path) -> list[str]:
    """shopkeeper's modules in the zip, by import name."""
    with zipfile.ZipFile(python_zip) as archive:
        names = [name[: -len(".pyc")] for name in archive.namelist() if name.startswith("shopkeeper/") and name.endswith(".pyc")]
    return sorted(name.removesuffix("/__init__").replace("/", ".") for name in names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runtime", type=Path, default=ROOT / "py_src" / "shopkeeper" / "runtime")
    args = parser.parse_args()
    wheels = test_wheels()
    # pyproject.toml's pytest pythonpath puts py_src and tests/cases on sys.path.
    print("== engine, model and browser tests inside Pyodide (full stdlib, our source) ==", flush=True)
    pytest_status = run_in_pyodide(
        "--mount", f"{ROOT}=/repo", "--mount", f"{wheels}=/wheels", "--mount", f"{browser_packages_dir()}=/browser-packages",
        "--cwd", "/repo",
        "/repo/tests/pyodide/pytest_in_pyodide.py", *BROWSER_PACKAGE_TESTS,
    )
    manifest = json.loads((args.runtime / "manifest.json").read_text())
    python_zip = next(name for name in manifest["files"] if name.startswith("python-"))
    templates_zip = next(name for name in manifest["files"] if name.startswith("templates-"))
    print(f"== the shipped runtime ({python_zip}, {templates_zip}): imports, decisions, JSON cases ==", flush=True)
    cases_status = run_in_pyodide(
        "--stdlib", str(args.runtime / python_zip), "--mount", f"{ROOT / 'tests' / 'cases'}=/cases",
        "--mount", f"{args.runtime}=/runtime", "--mount", f"{Path(__file__).parent}=/tier",
        "/tier/shipped_runtime.py", f"/runtime/{templates_zip}", "/cases", *our_modules(args.runtime / python_zip),
    )
    return 1 if pytest_status or cases_status else 0


if __name__ == "__main__":
    sys.exit(main())
