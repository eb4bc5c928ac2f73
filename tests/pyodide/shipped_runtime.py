"""Inside Pyodide booted from the shipped core zip alone: what a browser gets must be enough.

    shipped_runtime.py TEMPLATES_ZIP CASES_DIR MODULE ...

What the worker imports at boot creates every one of our dataclasses from methods compiled
into the zip; every MODULE (each module of our package in the zip, listed by run.py)
imports; every kind of decision is made with plain templates and no Jinja2; a Jinja2
template asks for the templates zip (and nothing is decided half-way); with TEMPLATES_ZIP
added as the worker adds it, the same decision renders; then the JSON cases run on both
zips. Only what the zips hold can be imported here, so this script itself uses no more
than that.
"""

import dataclasses
import importlib
import sys


def without_stored_methods():
    """Our dataclasses imported so far whose methods dataclasses compiled here, instead of
    taking them from the core zip (shopkeeper/dataclass_methods.py)."""
    compiled = getattr(vars(dataclasses).get("exec"), "compiled", None)
    assert compiled, "the core zip's compiled dataclass methods were not installed"
    stored = {id(method) for module in compiled.values() for create_fn in module.co_consts
              if hasattr(create_fn, "co_consts") for method in create_fn.co_consts}
    ours = {cls for name, module in list(sys.modules.items()) if name.split(".")[0] == "shopkeeper"
            for cls in vars(module).values() if dataclasses.is_dataclass(cls) and cls.__module__ == name}
    assert len(ours) >= 20, ours
    return sorted(cls.__qualname__ for cls in ours
                  if not any(id(getattr(fn, "__code__", None)) in stored for fn in vars(cls).values()))


templates_zip, cases_dir, modules = sys.argv[1], sys.argv[2], sys.argv[3:]
importlib.import_module("shopkeeper.browser")  # what the worker imports at boot
assert without_stored_methods() == [], without_stored_methods()
print("the worker's imports create every dataclass from methods compiled at build time")
for name in modules:
    importlib.import_module(name)
print(f"{len(modules)} modules of our package import from the core zip")

from shopkeeper.browser import add_archive  # noqa: E402
from shopkeeper.browser.exercise import exercise_engine  # noqa: E402

plain = exercise_engine(jinja=False)
assert plain["recs"]["shelf"]["items"][0]["html"] == "<a href='x'>x</a>" and plain["popups"][0]["html"] == "<p>x</p>", plain
try:
    import jinja2  # noqa: F401
except ImportError:
    pass
else:
    raise AssertionError("the core zip holds Jinja2")
assert exercise_engine(jinja=True) == {"needs": "templates"}
add_archive(templates_zip)
rendered = exercise_engine(jinja=True)
assert rendered["recs"]["shelf"]["items"][0]["html"] == "<a href='/a'>Alpha</a>", rendered
left_out = {"pickle", "tempfile", "shutil"} & set(sys.modules)   # build_scripts/package_stand_ins/jinja2/bccache.py
assert not left_out, f"rendering Jinja2 templates imported {sorted(left_out)}"
print("decisions: plain templates without Jinja2, Jinja2 templates once the templates zip is added")

sys.path.insert(0, cases_dir)
import run_cases  # noqa: E402

sys.exit(run_cases.main(cases_dir))
