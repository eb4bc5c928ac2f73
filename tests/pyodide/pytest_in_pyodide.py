"""Inside Pyodide: put the test wheels and the runtime's own pure-Python packages (Jinja2,
MarkupSafe, as the browser gets them) on sys.path, then run pytest on the engine tests."""

import os
import sys

WHEELS = "/wheels"
sys.path[:0] = ["/browser-packages"] + sorted(os.path.join(WHEELS, name) for name in os.listdir(WHEELS) if name.endswith(".whl"))

import pytest  # noqa: E402

print(f"pytest {pytest.__version__} on Python {sys.version.split()[0]} ({sys.platform})")
sys.exit(pytest.main(["-p", "no:cacheprovider", "--color=no", *sys.argv[1:]]))
