"""Runs inside Pyodide (see build_runtime.py): find what the worker imports, byte-compile it.

    trim_and_compile.py APP_DIR OUT_DIR [TEMPLATES_EXTRA_MODULE ...]

Imports the browser entry point and makes every kind of decision the way the worker
does, twice: first with Jinja2 unimportable and plain templates, then with Jinja2
templates. What sys.modules holds after the first is the core (OUT_DIR/core: the stdlib
the worker needs and all of our package); what the second adds, with
TEMPLATES_EXTRA_MODULE for imports that happen lazily, is OUT_DIR/templates (Jinja2,
MarkupSafe whole, since they import some modules lazily, and the stdlib only they
import), fetched by the worker on the first page that renders a Jinja2 template. A
module of a package the core holds (encodings.unicode_escape) stays in the core, where
its package looks for it. Each module's source is compiled by Pyodide's own Python, so the browser never
compiles our code and no Python 3.14 is needed on the build machine. Each folder gets
<path>.pyc for every needed file and modules.txt listing them; the core also gets the
methods dataclasses generates for our classes, compiled (shopkeeper/dataclass_methods.py).
"""

import _imp
import importlib
import importlib.util
import marshal
import os
import sys

STDLIB_ZIP = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
UNCHECKED_HASH_PYC = (1).to_bytes(4, "little")


OWN_PACKAGE = "shopkeeper"
TEMPLATE_PACKAGES = ("jinja2", "markupsafe")


class Unimportable:
    """A meta path finder that refuses the template packages, as the core zip alone would."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in TEMPLATE_PACKAGES:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def exercise_entry_point(jinja):
    """Load a model and decide a page with every kind of decision, as the worker would."""
    importlib.import_module("shopkeeper.browser.exercise").exercise_engine(jinja=jinja)


def is_frozen(name, module):
    """Frozen modules (os, io, site, importlib's bootstrap...) never read the zip."""
    spec = getattr(module, "__spec__", None)
    return _imp.is_frozen(name) or getattr(spec, "origin", None) == "frozen" or any(
        module is sys.modules.get(frozen) for frozen in ("_frozen_importlib", "_frozen_importlib_external")
    )


def imported_files(root):
    """Paths under `root` (the stdlib zip, the app folder) of every imported module, plus
    their packages' __init__."""
    needed = set()
    for name, module in list(sys.modules.items()):
        if is_frozen(name, module):
            continue
        origin = getattr(module, "__file__", None) or ""
        if origin.startswith(root + "/"):
            needed.add(origin[len(root) + 1 :])
    for path in list(needed):
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            needed.add("/".join(parts[:depth]) + "/__init__.py")
    return needed


def compile_to_pyc(source, display_path):
    code = compile(source, display_path, "exec", optimize=2, dont_inherit=True)
    return importlib.util.MAGIC_NUMBER + UNCHECKED_HASH_PYC + importlib.util.source_hash(source) + marshal.dumps(code)


def write_pyc(out_dir, relative_path, source):
    target = os.path.join(out_dir, relative_path + "c")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(compile_to_pyc(source, f"{STDLIB_ZIP}/{relative_path}"))


def package_sources(app_dir, package):
    """Every module of a package in APP_DIR, imported or not."""
    for folder, _, files in os.walk(os.path.join(app_dir, package)):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), app_dir)


def in_package_of(path, files):
    """Whether `path` lies in a package whose __init__ is among `files`."""
    parts = path.split("/")[:-1]
    return any("/".join(parts[:depth]) + "/__init__.py" in files for depth in range(1, len(parts) + 1))


def write_folder(out_dir, stdlib, archive, app_dir, app_files):
    """Byte-compile the stdlib files from the zip and the app files from APP_DIR into out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    for path in sorted(stdlib):
        write_pyc(out_dir, path, archive.read(path))
    for relative in sorted(app_files):
        with open(os.path.join(app_dir, relative), "rb") as handle:
            write_pyc(out_dir, relative, handle.read())
    with open(os.path.join(out_dir, "modules.txt"), "w") as handle:
        handle.write("\n".join(sorted(stdlib | set(app_files))) + "\n")


def main(app_dir, out_dir, templates_extra_modules):
    sys.path.insert(0, app_dir)
    blocker = Unimportable()
    sys.meta_path.insert(0, blocker)
    dataclass_methods = importlib.import_module("shopkeeper.dataclass_methods")
    recorded = dataclass_methods.record()
    exercise_entry_point(jinja=False)
    dataclass_methods.stop_recording()
    core_stdlib, core_app = imported_files(STDLIB_ZIP), imported_files(app_dir)
    sys.meta_path.remove(blocker)
    exercise_entry_point(jinja=True)
    for name in templates_extra_modules:
        importlib.import_module(name)
    all_stdlib = imported_files(STDLIB_ZIP)
    if core_app - set(package_sources(app_dir, OWN_PACKAGE)):
        raise SystemExit(f"decisions without templates imported {sorted(core_app)}: only our package belongs in the core")
    import zipfile  # only now: imported before, it would count as needed
    with zipfile.ZipFile(STDLIB_ZIP) as archive:
        present = set(archive.namelist())
        core_stdlib &= present
        later = (all_stdlib & present) - core_stdlib
        core_stdlib |= {path for path in later if in_package_of(path, core_stdlib)}
        templates_stdlib = later - core_stdlib
        templates_app = {path for package in TEMPLATE_PACKAGES for path in package_sources(app_dir, package)}
        write_folder(os.path.join(out_dir, "core"), core_stdlib, archive, app_dir, set(package_sources(app_dir, OWN_PACKAGE)))
        write_folder(os.path.join(out_dir, "templates"), templates_stdlib, archive, app_dir, templates_app)
    with open(os.path.join(out_dir, "core", OWN_PACKAGE, dataclass_methods.RECORDED), "wb") as handle:
        handle.write(dataclass_methods.dumps(recorded))
    print(f"compiled {len(core_stdlib)} stdlib files, our package and {len(recorded)} dataclasses' methods for the core, "
          f"{len(templates_stdlib)} stdlib files, Jinja2 and MarkupSafe for templates, with Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
