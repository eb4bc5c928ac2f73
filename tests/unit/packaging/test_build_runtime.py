"""The runtime build: reproducible, fully listed in its manifest, content-hashed names."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BUILD = [sys.executable, str(ROOT / "build_scripts" / "build_runtime.py")]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    outputs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name) / "runtime"
        subprocess.run([*BUILD, "--out", str(out)], check=True, capture_output=True)
        outputs.append(out)
    return outputs


def test_two_builds_are_byte_identical(two_builds):
    first, second = two_builds
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_manifest_lists_every_file_with_its_size_and_hash(two_builds):
    out = two_builds[0]
    manifest = json.loads((out / "manifest.json").read_text())
    on_disk = {path.name for path in out.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    for name, entry in manifest["files"].items():
        data = (out / name).read_bytes()
        assert entry == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["worker"] in manifest["files"]


def test_every_file_but_the_loader_has_a_content_hash_in_its_name(two_builds):
    manifest = json.loads((two_builds[0] / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        if name == "shopkeeper.js":
            continue
        match = re.search(r"-([0-9a-f]{12})\.", name)
        assert match and entry["sha256"].startswith(match.group(1)), name


def test_worker_names_the_files_beside_it_and_pyodide_loads_them(two_builds):
    out = two_builds[0]
    manifest = json.loads((out / "manifest.json").read_text())
    worker = (out / manifest["worker"]).read_text()
    runtime = json.loads(re.search(r"const RUNTIME = (\{.*?\});", worker).group(1))
    assert {runtime["pyodide"], runtime["python_zip"], runtime["templates_zip"]} <= set(manifest["files"])
    pyodide_mjs = (out / runtime["pyodide"]).read_text()
    wasm = next(name for name in manifest["files"] if name.endswith(".asm.wasm"))
    asm = next(name for name in manifest["files"] if name.endswith(".asm.js"))
    assert wasm in pyodide_mjs and asm in pyodide_mjs and "pyodide.asm.wasm" not in pyodide_mjs
    # Imported statically (a service worker may not import()), by the names beside it.
    assert re.findall(r'^import .* from "\./([^"]+)";$', worker, re.MULTILINE) == [asm, runtime["pyodide"]]


def test_the_shipped_loader_is_the_source_without_its_comment_lines(two_builds):
    shipped = (two_builds[0] / "shopkeeper.js").read_text().splitlines()
    source = (ROOT / "web" / "shopkeeper.js").read_text().splitlines()
    assert shipped[0].startswith("// shopkeeper loader") and not any(line.strip().startswith("//") for line in shipped[1:])
    code = [line for line in source if line.strip() and not line.strip().startswith("//")]
    assert [line for line in shipped[1:] if "CONTRACT = " not in line] == [line for line in code if "CONTRACT = " not in line]


def test_python_zip_holds_byte_code_only_for_pyodides_python(two_builds):
    out = two_builds[0]
    python_zip = next(path for path in out.iterdir() if path.name.startswith("python-"))
    with zipfile.ZipFile(python_zip) as archive:
        names = archive.namelist()
        assert all(name.endswith(".pyc") for name in names if name != "shopkeeper/dataclass_methods.marshal")
        assert "shopkeeper/dataclass_methods.marshal" in names, "the dataclass methods compiled at build time"
        assert "shopkeeper/engine/decide.pyc" in names and "json/__init__.pyc" in names
        assert "shopkeeper/publish/__init__.pyc" not in names, "publishing code is CPython-only"
        magic = archive.read("shopkeeper/engine/decide.pyc")[:4]
    assert magic != __import__("importlib.util").util.MAGIC_NUMBER, "compiled by Pyodide's Python 3.14, not this one"


def test_the_core_zip_leaves_jinja2_and_what_the_boot_never_runs_to_others(two_builds):
    out = two_builds[0]
    core = next(path for path in out.iterdir() if path.name.startswith("python-"))
    templates = next(path for path in out.iterdir() if path.name.startswith("templates-"))
    with zipfile.ZipFile(core) as archive:
        in_core = set(archive.namelist())
    with zipfile.ZipFile(templates) as archive:
        in_templates = set(archive.namelist())
    assert not in_core & in_templates
    assert {"jinja2/__init__.pyc", "jinja2/sandbox.pyc", "jinja2/debug.pyc", "markupsafe/__init__.pyc"} <= in_templates
    assert not any(name.startswith(("jinja2/", "markupsafe/")) for name in in_core)
    # Pyodide's boot imports these through the modules pyodide_stand_ins/ replaces.
    for dropped in ("asyncio/base_events.pyc", "zipfile/__init__.pyc", "pathlib/__init__.pyc", "logging/__init__.pyc",
                    "concurrent/futures/__init__.pyc", "shutil.pyc", "tempfile.pyc", "subprocess.pyc", "socket.pyc"):
        assert dropped not in in_core, dropped
    assert {"asyncio/__init__.pyc", "pyodide/__init__.pyc", "pyodide/_package_loader.pyc"} <= in_core
    assert "encodings/unicode_escape.pyc" in in_core, "a codec is looked for in its package, which the core holds"


def test_if_stale_skips_an_up_to_date_build(two_builds):
    out = two_builds[1]
    before = (out / "manifest.json").stat().st_mtime_ns
    subprocess.run([*BUILD, "--out", str(out), "--if-stale"], check=True, capture_output=True)
    assert (out / "manifest.json").stat().st_mtime_ns == before


def test_loader_modules_are_listed_and_hashed(two_builds):
    manifest = json.loads((two_builds[0] / "manifest.json").read_text())
    assert set(manifest["modules"]) == {"render", "privacy"}
    for name, file in manifest["modules"].items():
        assert file in manifest["files"] and file.startswith(f"{name}-") and file.endswith(".js")
