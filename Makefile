# The two commands a newcomer runs: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := py_src/shopkeeper/runtime
PORT ?= 8000

.PHONY: demo test setup system-packages runtime lint test-unit test-fuzz fuzz test-pyodide test-e2e test-engines bench wheel clean

demo: demo-build
	@echo "Serving the demo store on http://127.0.0.1:$(PORT)/ once its files are compressed (Ctrl-C stops)."
	$(PY) demo_store/server.py build/demo/site --mount /sk/=build/demo/sk --port $(PORT) --precompress

# The demo store as a merchant builds it: an event log generated, `shopkeeper publish` run
# on it with the catalog and site config of demo_store/, the storefront generated.
.PHONY: demo-build
demo-build: runtime
	$(PY) demo_store/publish_demo.py --out build/demo --runtime $(RUNTIME)

test: runtime
	$(MAKE) --no-print-directory lint test-unit test-fuzz test-pyodide bench test-e2e test-engines

setup: system-packages $(VENV)/.installed

# Debian's Chromium for the browser tier, Firefox ESR and WebKitGTK for the engine tier,
# nginx, Apache and Caddy for the hosting tests;
# Node.js runs Pyodide at build and test time.
# Only what is missing is installed (a vendor Node.js already brings npm).
system-packages:
	@bash build_scripts/system_packages.sh

$(VENV)/.installed: requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

runtime: setup
	$(PY) build_scripts/build_runtime.py --out $(RUNTIME) --if-stale

# ruff, configured in pyproject.toml: imports, pyflakes, bugbear, pyupgrade, line length.
lint: setup
	$(VENV)/bin/ruff check .

test-unit: setup
	$(PY) -m pytest tests/unit

# Fuzzing (tests/fuzz): a bounded, reproducible pass here; `make fuzz` is the long one
# (fresh random inputs, about 20 minutes). Both print the inputs tried per target.
test-fuzz: setup
	$(PY) -m pytest tests/fuzz -q

fuzz: setup
	SHOPKEEPER_FUZZ_EXAMPLES=5000 $(PY) -m pytest tests/fuzz -q

test-pyodide: runtime
	$(PY) tests/pyodide/run.py --runtime $(RUNTIME)

test-e2e: runtime
	$(PY) -m pytest tests/e2e

# The engine tier, written once for every engine: in Debian's Firefox ESR and WebKitGTK, and in
# Chromium (whose own tier is tests/e2e); one run, and one summary, per engine.
test-engines: runtime
	$(PY) -m pytest tests/engines --engine chromium
	$(PY) -m pytest tests/engines --engine firefox
	$(PY) -m pytest tests/engines --engine webkit

bench: runtime
	$(PY) benchmarks/boot.py --quick --runtime $(RUNTIME)
	$(PY) benchmarks/decide.py --quick

wheel: setup
	$(PY) -m build --wheel --outdir dist

clean:
	rm -rf $(RUNTIME) build dist .pytest_cache
