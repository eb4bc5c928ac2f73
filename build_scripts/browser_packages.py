"""The pure-Python packages the browser runtime ships beside shopkeeper (pins.json).

Fetched once with pip from PyPI, verified against the recorded SHA-256, and unpacked to
plain `.py` sources: the runtime build byte-compiles them inside Pyodide, and the Pyodide
test tier puts them on sys.path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = {
    name: pin for name, pin in json.loads((Path(__file__).parent / "pins.json").read_text())["browser_python_packages"].items()
    if isinstance(pin, dict)
}
DOWNLOADS = ROOT / ".cache" / "downloads"


def pip_command() -> list[str]:
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    return [shutil.which("pip3") or "pip"]


def verified_download(name: str) -> Path:
    pin = PINS[name]
    path = DOWNLOADS / pin["file"]
    if not path.is_file():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        binary = ["--only-binary", ":all:"] if pin["file"].endswith(".whl") else ["--no-binary", ":all:"]
        subprocess.run([*pip_command(), "download", "-q", "--no-deps", *binary, "-d", str(DOWNLOADS), pin["spec"]], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != pin["sha256"]:
        path.unlink()
        raise SystemExit(f"{pin['file']} has sha256 {digest}, pins.json expects {pin['sha256']}; refusing to use it")
    return path


def python_sources(path: Path) -> dict[str, bytes]:
    """{'markupsafe/__init__.py': source, ...} from a wheel or an sdist with a src/ layout."""
    sources = {}
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".py") and ".dist-info/" not in name:
                    sources[name] = archive.read(name)
    else:
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                parts = member.name.split("/")
                if member.isfile() and member.name.endswith(".py") and len(parts) > 3 and parts[1] == "src":
                    sources["/".join(parts[2:])] = archive.extractfile(member).read()
    return sources


def browser_packages_dir() -> Path:
    """A directory holding every pinned package's sources, ready for sys.path."""
    target = ROOT / ".cache" / f"browser-packages-{hashlib.sha256(json.dumps(PINS, sort_keys=True).encode()).hexdigest()[:12]}"
    if target.is_dir():
        return target
    staging = Path(tempfile.mkdtemp(dir=ROOT / ".cache"))
    for name in sorted(PINS):
        for relative, data in python_sources(verified_download(name)).items():
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
    staging.replace(target)
    return target


if __name__ == "__main__":
    print(browser_packages_dir())
