"""shopkeeper's stand-in for Pyodide's package loader (../README.md): what the boot reads,
and a clear error for package installs, which the shopkeeper runtime never makes."""

import os
import sys
from site import getsitepackages

try:
    from pyodide_js import loadedPackages
except ImportError:
    loadedPackages = None



class Directory:
    """A path the boot reads with __str__() (Pyodide's original holds pathlib.Path objects,
    which stay Python objects in JavaScript; a str would arrive as a JavaScript string)."""

    def __init__(self, path):
        self.path = path

    def __str__(self):
        return self.path

    def __fspath__(self):
        return self.path


SITE_PACKAGES = Directory(getsitepackages()[0])
DSO_DIR = Directory("/usr/lib" if sys.base_prefix == sys.prefix else os.path.dirname(os.path.dirname(str(SITE_PACKAGES))))
TARGETS = {"site": SITE_PACKAGES, "dynlib": DSO_DIR}


def get_install_dir(target=None):
    return str(TARGETS.get(target, SITE_PACKAGES))


def init_loaded_packages():
    """Tell pyodide.loadPackage which distributions are present (none, in shopkeeper's worker)."""
    if loadedPackages is None or not os.path.isdir(SITE_PACKAGES):
        return
    for entry in os.listdir(SITE_PACKAGES):
        if entry.endswith(".dist-info"):
            setattr(loadedPackages, entry[: -len(".dist-info")].split("-")[0], "pre-installed")


def unpack_buffer(*args, **kwargs):
    raise RuntimeError("the shopkeeper runtime installs no packages: its zip holds a stand-in for pyodide._package_loader")
