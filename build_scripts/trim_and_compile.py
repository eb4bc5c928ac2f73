"""Runs inside Pyodide (see build_runtime.py): find what the worker imports, byte-compile it.

    trim_and_compile.py APP_DIR OUT_DIR [EXTRA_MODULE ...]

Imports the browser entry point and makes one decision the way the worker does, so
sys.modules holds exactly the stdlib the worker needs (plus EXTRA_MODULE, for imports
that happen lazily). Each module's source is compiled by Pyodide's own Python, so the
browser never compiles our code and no Python 3.14 is needed on the build machine.
Writes OUT_DIR/<path>.pyc for every needed file and OUT_DIR/modules.txt listing them.
"""

import _imp
import importlib
import importlib.util
import marshal
import os
import sys
import zipfile

STDLIB_ZIP = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
UNCHECKED_HASH_PYC = (1).to_bytes(4, "little")


def exercise_entry_point(app_dir):
    """Load a model and decide a page with every kind of decision, as the worker would."""
    sys.path.insert(0, app_dir)
    importlib.import_module("shopkeeper.browser").exercise_engine()


def is_frozen(name, module):
    """Frozen modules (os, io, site, importlib's bootstrap...) never read the zip."""
    spec = getattr(module, "__spec__", None)
    return _imp.is_frozen(name) or getattr(spec, "origin", None) == "frozen" or any(
        module is sys.modules.get(frozen) for frozen in ("_frozen_importlib", "_frozen_importlib_external")
    )


def needed_stdlib_files():
    """Paths inside the stdlib zip of every imported module, plus their packages' __init__."""
    needed = set()
    for name, module in list(sys.modules.items()):
        if is_frozen(name, module):
            continue
        origin = getattr(module, "__file__", None) or ""
        if origin.startswith(STDLIB_ZIP + "/"):
            needed.add(origin[len(STDLIB_ZIP) + 1 :])
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


def app_sources(app_dir):
    for folder, _, files in os.walk(app_dir):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, app_dir), path


def main(app_dir, out_dir, extra_modules):
    exercise_entry_point(app_dir)
    for name in extra_modules:
        importlib.import_module(name)
    stdlib = needed_stdlib_files()
    with zipfile.ZipFile(STDLIB_ZIP) as archive:
        present = set(archive.namelist())
        for path in sorted(stdlib & present):
            write_pyc(out_dir, path, archive.read(path))
    listing = sorted(stdlib & present)
    for relative, path in app_sources(app_dir):
        with open(path, "rb") as handle:
            write_pyc(out_dir, relative, handle.read())
        listing.append(relative)
    with open(os.path.join(out_dir, "modules.txt"), "w") as handle:
        handle.write("\n".join(sorted(listing)) + "\n")
    print(f"compiled {len(stdlib & present)} stdlib files and our package with Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
