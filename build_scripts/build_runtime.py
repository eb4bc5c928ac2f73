"""Build the browser runtime: a self-contained directory a page loads with no other origin.

    python build_scripts/build_runtime.py --out DIR [--if-stale]

DIR receives the pinned Pyodide core (hash-verified), one zip holding the stdlib the
worker imports plus the shopkeeper package (python-HASH.zip; Pyodide's own modules there
include the stand-ins of pyodide_stand_ins/), another holding Jinja2 and what only it
imports (templates-HASH.zip, fetched on the first page that renders a Jinja2 template),
all byte-compiled by Pyodide's own Python, the worker, the loader, the modules the loader imports only when it needs them, and
manifest.json naming every file with its size and SHA-256 (and the modules' files under
"modules"). File names carry a content hash (the loader keeps its fixed name, since
merchants write it into a <script> tag), so they can be cached forever. Two builds of
the same inputs are byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_packages import browser_packages_dir  # noqa: E402
from fetch_pyodide import PINS, ROOT, pyodide_dir  # noqa: E402

PACKAGE = ROOT / "py_src" / "shopkeeper"
BROWSER_PARTS = ["__init__.py", "contract.py", "dataclass_methods.py", "engine", "model", "browser"]
# Imported only on some paths, so exercise_engine() may not reach them: Jinja2's lexer
# decodes every string literal in a template with the unicode-escape codec (so they go
# into the templates zip).
LAZY_STDLIB_MODULES = ["encodings.unicode_escape"]
STAND_INS = Path(__file__).resolve().parent / "pyodide_stand_ins"
PACKAGE_STAND_INS = Path(__file__).resolve().parent / "package_stand_ins"   # over the pinned wheels' sources
WEB = ROOT / "web"
WEB_MODULES = ["render", "privacy"]  # web/NAME.mjs, imported by the loader only when needed
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
RUNTIME_PLACEHOLDER = "/*@RUNTIME@*/null"
# py_src/shopkeeper/contract.py, written into each web file that reads it.
CONTRACT_PLACEHOLDER = "/*@CONTRACT@*/null"
CONTRACT_READERS = ["shopkeeper.js", "worker.mjs", "privacy.mjs"]
MANIFEST_FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hashed_name(name: str, data: bytes) -> str:
    """name-HASH.suffix, modules shipped as .js: every stock server maps .js to JavaScript,
    while some (Debian's nginx) serve .mjs as application/octet-stream, which browsers
    refuse for a module worker."""
    stem, dot, suffix = name.partition(".")
    if suffix.endswith("mjs"):
        suffix = suffix[:-3] + "js"
    return f"{stem}-{sha256(data)[:12]}{dot}{suffix}"


def build_inputs_digest() -> str:
    """One hash over everything that shapes the output, to skip rebuilding when unchanged."""
    digest = hashlib.sha256(json.dumps(PINS, sort_keys=True).encode())
    sources = [*sorted(Path(__file__).parent.glob("*")), *sorted(STAND_INS.rglob("*")), *sorted(PACKAGE_STAND_INS.rglob("*")),
               *sorted(WEB.glob("*")), *browser_sources()]
    for path in sources:
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def browser_sources() -> list[Path]:
    files = []
    for part in BROWSER_PARTS:
        path = PACKAGE / part
        if path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
        elif path.is_file():
            files.append(path)
    return files


def stand_in_sources() -> dict[str, bytes]:
    """pyodide_stand_ins/ by their paths inside the stdlib zip."""
    return {path.relative_to(STAND_INS).as_posix(): path.read_bytes() for path in sorted(STAND_INS.rglob("*.py"))}


def stdlib_with_stand_ins(pyodide: Path, target: Path) -> Path:
    """Pyodide's stdlib zip with our stand-ins in place of its modules of the same path."""
    stand_ins = stand_in_sources()
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as original, zipfile.ZipFile(target, "w") as patched:
        missing = set(stand_ins) - set(original.namelist())
        if missing:
            raise SystemExit(f"pyodide_stand_ins/: {', '.join(sorted(missing))} stand in for nothing in Pyodide's stdlib zip")
        for info in original.infolist():
            patched.writestr(info, stand_ins[info.filename] if info.filename in stand_ins else original.read(info))
    return target


def lay_package_stand_ins(app: Path) -> None:
    """package_stand_ins/ over the packages' sources in `app`, each over a file it replaces."""
    for source in sorted(PACKAGE_STAND_INS.rglob("*.py")):
        target = app / source.relative_to(PACKAGE_STAND_INS)
        if not target.is_file():
            raise SystemExit(f"package_stand_ins/: {source.relative_to(PACKAGE_STAND_INS)} stands in for nothing in the pinned packages")
        shutil.copyfile(source, target)


def compile_python_zips(pyodide: Path) -> tuple[bytes, bytes]:
    """Trim the stdlib to what the worker imports and byte-compile it inside Pyodide: the
    core zip and the templates zip (trim_and_compile.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        app, out = Path(tmp, "app"), Path(tmp, "out")
        for source in browser_sources():
            target = app / "shopkeeper" / source.relative_to(PACKAGE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        shutil.copytree(browser_packages_dir(), app, dirs_exist_ok=True)
        lay_package_stand_ins(app)
        out.mkdir()
        subprocess.run(
            [
                "node", str(Path(__file__).parent / "run_in_pyodide.mjs"),
                "--pyodide", str(pyodide), "--stdlib", str(stdlib_with_stand_ins(pyodide, Path(tmp, "stdlib.zip"))),
                "--env", "PYTHONNODEBUGRANGES=1",  # column tables are a fifth of a .pyc
                "--env", "PYTHONHASHSEED=0",
                "--mount", f"{app}=/app", "--mount", f"{out}=/out",
                "--mount", f"{Path(__file__).parent}=/build",
                "/build/trim_and_compile.py", "/app", "/out", *LAZY_STDLIB_MODULES,
            ],
            check=True,
        )
        return tuple(deterministic_zip(out / part, exclude={"modules.txt"}) for part in ("core", "templates"))


def deterministic_zip(folder: Path, exclude: set[str]) -> bytes:
    """Stored (uncompressed) entries in sorted order with fixed dates: HTTP compresses better."""
    with tempfile.SpooledTemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for path in sorted(folder.rglob("*")):
                name = path.relative_to(folder).as_posix()
                if path.is_file() and name not in exclude:
                    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, path.read_bytes())
        buffer.seek(0)
        return buffer.read()


def patch_once(text: str, old: str, new: str, where: str) -> str:
    if text.count(old) != 1:
        raise SystemExit(f"{where}: expected {old!r} exactly once, found {text.count(old)}")
    return text.replace(old, new)


def runtime_files(pyodide: Path) -> dict[str, bytes]:
    """Every output file by its final name."""
    files: dict[str, bytes] = {}
    wasm = (pyodide / "pyodide.asm.wasm").read_bytes()
    asm = (pyodide / "pyodide.asm.mjs").read_bytes()
    wasm_name, asm_name = hashed_name("pyodide.asm.wasm", wasm), hashed_name("pyodide.asm.mjs", asm)
    loader = (pyodide / "pyodide.mjs").read_text()
    loader = patch_once(loader, "pyodide.asm.wasm", wasm_name, "pyodide.mjs")
    loader = patch_once(loader, "pyodide.asm.mjs", asm_name, "pyodide.mjs")
    loader = patch_once(loader, "\n//# sourceMappingURL=pyodide.mjs.map", "", "pyodide.mjs").encode()
    python_zip, templates_zip = compile_python_zips(pyodide)
    lock_info = json.loads((pyodide / "pyodide-lock.json").read_text())["info"]
    for name, data in [("pyodide.asm.wasm", wasm), ("pyodide.asm.mjs", asm), ("pyodide.mjs", loader), ("python.zip", python_zip),
                       ("templates.zip", templates_zip)]:
        files[hashed_name(name, data)] = data
    runtime = {
        "pyodide": hashed_name("pyodide.mjs", loader),
        "python_zip": hashed_name("python.zip", python_zip),
        "templates_zip": hashed_name("templates.zip", templates_zip),
        "lock_info": lock_info,
        "pyodide_version": PINS["version"],
    }
    worker = patch_once(web_file("worker.mjs"), RUNTIME_PLACEHOLDER, json.dumps(runtime, sort_keys=True), "web/worker.mjs")
    worker = patch_once(worker, '"@PYODIDE_ASM@"', json.dumps(f"./{asm_name}"), "web/worker.mjs")
    worker = patch_once(worker, '"@PYODIDE@"', json.dumps(f"./{runtime['pyodide']}"), "web/worker.mjs")
    files[hashed_name("worker.mjs", worker.encode())] = worker.encode()
    files["shopkeeper.js"] = without_comment_lines(web_file("shopkeeper.js")).encode()
    for name, file in web_modules().items():
        files[file] = web_file(f"{name}.mjs").encode()
    return files


LOADER_HEADER = "// shopkeeper loader (docs/markup.md); web/shopkeeper.js in shopkeeper's source is this file with its comments.\n"


def without_comment_lines(script: str) -> str:
    """The loader as shipped: without its comment and blank lines, a quarter of its
    compressed bytes, since pages wait for it before they render. Only whole lines go
    (the file has no template literals, the one place where a line could start with //)."""
    if "`" in script:
        raise SystemExit("web/shopkeeper.js has a template literal: without_comment_lines cannot tell comment lines there")
    kept = [line for line in script.splitlines() if line.strip() and not line.strip().startswith("//")]
    return LOADER_HEADER + "\n".join(kept) + "\n"


def web_file(name: str) -> str:
    """web/NAME as shipped: the contract written in where the file reads it."""
    text = (WEB / name).read_text()
    if name in CONTRACT_READERS:
        from shopkeeper.contract import contract_json

        text = patch_once(text, CONTRACT_PLACEHOLDER, contract_json(), f"web/{name}")
    return text


def web_modules() -> dict[str, str]:
    """{"render": "render-HASH.mjs", ...}: the loader finds its modules through the manifest."""
    return {name: hashed_name(f"{name}.mjs", web_file(f"{name}.mjs").encode()) for name in WEB_MODULES}


def manifest(files: dict[str, bytes], inputs_digest: str) -> dict:
    from shopkeeper import __version__

    worker = next(name for name in files if name.startswith("worker-"))
    return {
        "format": MANIFEST_FORMAT,
        "shopkeeper": __version__,
        "pyodide": PINS["version"],
        "worker": worker,
        "loader": "shopkeeper.js",
        "modules": web_modules(),
        "build_inputs": inputs_digest,
        "files": {name: {"size": len(data), "sha256": sha256(data)} for name, data in sorted(files.items())},
    }


def build(out: Path, if_stale: bool = False) -> Path:
    pyodide = pyodide_dir()
    inputs_digest = build_inputs_digest()
    existing = out / "manifest.json"
    if if_stale and existing.is_file() and json.loads(existing.read_text()).get("build_inputs") == inputs_digest:
        return out
    files = runtime_files(pyodide)
    staging = Path(tempfile.mkdtemp(prefix=".runtime-", dir=out.parent))
    staging.chmod(0o755)
    for name, data in files.items():
        (staging / name).write_bytes(data)
    (staging / "manifest.json").write_text(json.dumps(manifest(files, inputs_digest), indent=2) + "\n")
    if out.exists():
        shutil.rmtree(out)
    staging.replace(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="directory to (re)create")
    parser.add_argument("--if-stale", action="store_true", help="do nothing when DIR was built from the same inputs")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "py_src"))
    print(build(args.out.resolve(), args.if_stale))


if __name__ == "__main__":
    main()
