"""Fuzzing with hypothesis: each target takes generated inputs and may only answer or refuse
in its documented way (README "What shopkeeper promises under faults").

`make test` runs a bounded, derandomized pass (SHOPKEEPER_FUZZ_EXAMPLES, default 200 per
target: the same inputs every run, so CI is reproducible); `make fuzz` runs 5000 per
target from fresh random seeds (about 20 minutes here). Either prints how many inputs
each target tried and how many it refused in its documented way.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("SHOPKEEPER_FUZZ_EXAMPLES", "200"))
settings.register_profile(
    "shopkeeper", max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES <= 1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile("shopkeeper")

TRIED: Counter = Counter()
REFUSED: Counter = Counter()


def tried(target: str, refused: bool = False) -> None:
    TRIED[target] += 1
    REFUSED[target] += refused


def pytest_terminal_summary(terminalreporter):
    if not TRIED:
        return
    write = terminalreporter.write_line
    write(f"fuzz: inputs tried per target ({EXAMPLES} examples asked each, shrinking included)")
    write(f"  {'target':<44} {'tried':>8} {'refused':>8}")
    for target in sorted(TRIED):
        write(f"  {target:<44} {TRIED[target]:>8} {REFUSED[target]:>8}")
    write(f"  {'total':<44} {sum(TRIED.values()):>8} {sum(REFUSED.values()):>8}")
