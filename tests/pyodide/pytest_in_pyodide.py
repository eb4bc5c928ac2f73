"""Inside Pyodide: put the pure-Python test wheels on sys.path and run pytest on the engine tests."""

import os
import sys

WHEELS = "/wheels"
sys.path[:0] = sorted(os.path.join(WHEELS, name) for name in os.listdir(WHEELS) if name.endswith(".whl"))

import pytest  # noqa: E402

print(f"pytest {pytest.__version__} on Python {sys.version.split()[0]} ({sys.platform})")
sys.exit(pytest.main(["-p", "no:cacheprovider", "--color=no", *sys.argv[1:]]))
