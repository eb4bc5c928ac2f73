"""Fetch the pinned Pyodide runtime from the npm registry and verify it before use.

`npm pack` is the ordinary client for the registry; the tarball's SHA-256 must match the
one recorded in pins.json, so a changed or substituted package never reaches a build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = json.loads((Path(__file__).parent / "pins.json").read_text())["pyodide"]
CACHE = ROOT / ".cache"


def pyodide_dir() -> Path:
    """Return the directory holding the verified, unpacked Pyodide core files."""
    target = CACHE / f"pyodide-{PINS['version']}"
    if all((target / name).is_file() for name in PINS["files"]):
        return target
    tarball = CACHE / f"pyodide-{PINS['version']}.tgz"
    if not tarball.is_file():
        CACHE.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            subprocess.run(
                ["npm", "pack", f"pyodide@{PINS['version']}", "--silent", "--pack-destination", tmp],
                check=True, stdout=subprocess.DEVNULL,
            )
            Path(tmp, tarball.name).replace(tarball)
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != PINS["tarball_sha256"]:
        tarball.unlink()
        raise SystemExit(
            f"pyodide {PINS['version']} tarball has sha256 {digest}, "
            f"pins.json expects {PINS['tarball_sha256']}; refusing to use it"
        )
    with tempfile.TemporaryDirectory(dir=CACHE) as staging:
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        Path(staging, "package").replace(target)
    return target


if __name__ == "__main__":
    print(pyodide_dir())
    sys.exit(0)
