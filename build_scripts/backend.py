"""PEP 517 backend: setuptools, after building the browser runtime into the package.

The runtime (py_src/shopkeeper/runtime/) is a build output, ignored by git; building a
wheel or an editable install (re)creates it when its inputs changed.
"""

import subprocess
import sys
from pathlib import Path

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F401,F403  (the rest of the PEP 517 hooks)

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "py_src" / "shopkeeper" / "runtime"


def _build_runtime() -> None:
    script = Path(__file__).resolve().parent / "build_runtime.py"
    subprocess.run([sys.executable, str(script), "--out", str(RUNTIME), "--if-stale"], check=True, stdout=sys.stderr)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _build_runtime()
    return build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _build_runtime()
    return build_meta.build_editable(wheel_directory, config_settings, metadata_directory)
