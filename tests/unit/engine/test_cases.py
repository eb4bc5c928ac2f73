"""The JSON cases in tests/cases, one pytest test each (this runs on CPython and in Pyodide)."""

import pytest
from run_cases import load_cases, run_case

CASES = load_cases()


@pytest.mark.parametrize(("kind", "case"), [(kind, case) for _, kind, case in CASES], ids=[label for label, _, _ in CASES])
def test_case(kind, case):
    assert run_case(kind, case) == case["expected"]
