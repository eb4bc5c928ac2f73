"""Run the engine's JSON cases; importable by pytest, runnable as a script anywhere.

    python tests/cases/run_cases.py [CASES_DIR]

Each file names a `kind`; `kind_<kind>.py` beside this file turns a case's input into the
actual result with `run(input) -> JSON data`. As a script this needs nothing beyond the
stdlib the shipped runtime zip holds, so the Pyodide tier runs it against the exact files
a browser downloads.
"""

import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_VERSION = 1


def load_cases(folder=HERE):
    cases = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            spec = json.load(handle)
        if spec.get("spec_version") != SPEC_VERSION:
            raise ValueError(f"{name}: spec_version {spec.get('spec_version')!r}, this runner reads {SPEC_VERSION}")
        cases.extend((f"{name}::{case['name']}", spec["kind"], case) for case in spec["cases"])
    return cases


def run_case(kind, case):
    """The actual result of one case, as plain JSON data."""
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    return importlib.import_module(f"kind_{kind}").run(case["input"])


def main(folder):
    failures = 0
    cases = load_cases(folder)
    for label, kind, case in cases:
        actual = run_case(kind, case)
        if actual != case["expected"]:
            failures += 1
            print(f"FAILED {label}\n  expected {json.dumps(case['expected'])}\n  actual   {json.dumps(actual)}")
    print(f"cases: {len(cases) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else HERE))
