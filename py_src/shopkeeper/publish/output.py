"""The published directory: the runtime, the model and one manifest, swapped in whole.

A merchant's site serves this directory, so it must never be seen half-written: files go
into a sibling directory, are flushed to disk, and only then take the old directory's
place (renamed aside, new one renamed in, old one removed). Any failure before the swap
leaves the previous output as it was. The model's name carries its content hash, so a
CDN can cache it forever and a new publish is a new URL; manifest.json, which names it,
is the one file served with a short cache lifetime.

A browser may still hold the previous manifest (cached up to a minute) or a worker the
previous model, and ask for its files after the swap: so the content-hashed files of the
previous publish that the new one lacks stay for one more publish (hard links, listed in
RETIRED), and go at the publish after that.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

from shopkeeper.publish.errors import InputError

__all__ = ["RUNTIME_DIR", "model_file_name", "output_files", "write_output_atomically"]

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
MANIFEST = "manifest.json"
RETIRED = ".retired.json"   # the previous publish's files kept one publish longer


# A published name that carries its content hash (model-HASH.skm, worker-HASH.js): such a
# file never changes, so hosts may cache it for good.
HASHED_NAME = re.compile(r"-[0-9a-f]{12}\.")


def model_file_name(model: bytes) -> str:
    return f"model-{hashlib.sha256(model).hexdigest()[:12]}.skm"


def output_files(model: bytes, *, format_version: int, runtime_dir: str | PathLike | None = None,
                 shards: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of a publish by name: the runtime's files (checked against the hashes
    in its manifest), the model, and the runtime's manifest with the model added to
    `files` and described under `model` {name, size, sha256, format_version}. A sharded
    model's `model` is its main file, and its shards (shards/NAME, named by their hash in
    the main file's directory, not listed in the manifest) are counted under `model.shards`."""
    runtime = Path(runtime_dir) if runtime_dir is not None else RUNTIME_DIR
    try:
        manifest = json.loads((runtime / MANIFEST).read_text())
    except FileNotFoundError:
        raise InputError(runtime, None, "no runtime here (manifest.json is missing); build it with `make runtime`") from None
    except ValueError as error:
        raise InputError(runtime / MANIFEST, None, f"not valid JSON: {error}") from None
    files: dict[str, bytes] = {}
    for name, entry in manifest.get("files", {}).items():
        try:
            data = (runtime / name).read_bytes()
        except FileNotFoundError:
            raise InputError(runtime / name, None, "listed in the runtime manifest but missing; rebuild the runtime") from None
        if len(data) != entry.get("size") or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise InputError(runtime / name, None, "does not match the size and SHA-256 in the runtime manifest; rebuild the runtime")
        files[name] = data
    name, digest = model_file_name(model), hashlib.sha256(model).hexdigest()
    files[name] = model
    manifest["files"] = {**manifest.get("files", {}), name: {"size": len(model), "sha256": digest}}
    manifest["model"] = {"name": name, "size": len(model), "sha256": digest, "format_version": format_version}
    if shards:
        files.update(shards)
        manifest["model"]["shards"] = {"count": len(shards), "bytes": sum(map(len, shards.values()))}
    files[MANIFEST] = (json.dumps(manifest, indent=2) + "\n").encode()
    return files


def write_output_atomically(out_dir: str | PathLike, files: Mapping[str, bytes], *, keep_previous: bool = False) -> Path:
    """Make `out_dir` hold exactly `files` (with `keep_previous`, also the previous
    publish's content-hashed files for one more publish), or leave it untouched on failure.

    Refuses to replace a directory that holds files but no manifest.json, since that is
    not an earlier output (a mistyped --out must not delete a site).
    """
    out = Path(out_dir).absolute()
    for name in files:
        if not name or any(part in ("", ".", "..") or os.sep in part for part in name.split("/")) or name.count("/") > 1:
            raise ValueError(f"output file names must be plain names or FOLDER/NAME, got {name!r}")
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / MANIFEST).is_file())):
        raise InputError(out, None, "exists and is not an earlier shopkeeper output (no manifest.json); choose a new or empty directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        folders = sorted({name.split("/")[0] for name in files if "/" in name})
        for folder in folders:
            (staging / folder).mkdir()
        for name, data in files.items():
            _write(staging / name, data)
        if keep_previous and out.is_dir():
            _carry_previous(out, staging, files)
            folders = sorted(path.name for path in staging.iterdir() if path.is_dir())
        staging.chmod(0o755)
        for folder in folders:
            (staging / folder).chmod(0o755)
            _fsync_directory(staging / folder)
        _fsync_directory(staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _carry_previous(out: Path, staging: Path, files: Mapping[str, bytes]) -> None:
    """Link into `staging` the content-hashed files of `out` the new publish lacks, except
    those `out` itself carried (they have had their extra publish), and list them."""
    try:
        already = set(json.loads((out / RETIRED).read_text()))
    except (OSError, ValueError, TypeError):
        already = set()
    carried = []
    for path in sorted(out.glob("*")) + sorted(out.glob("*/*")):
        name = path.relative_to(out).as_posix()
        if path.is_file() and HASHED_NAME.search(path.name) and name not in files and name not in already:
            (staging / name).parent.mkdir(exist_ok=True)
            try:
                os.link(path, staging / name)
            except OSError:
                shutil.copy2(path, staging / name)
            carried.append(name)
    if carried:
        _write(staging / RETIRED, (json.dumps(carried, indent=0) + "\n").encode())


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _swap(staging: Path, out: Path) -> None:
    """Old aside, new in, old removed; if the second rename fails the old comes back."""
    if not out.exists():
        os.rename(staging, out)
        _fsync_directory(out.parent)
        return
    aside = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    os.rename(out, aside)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(aside, out)
        raise
    _fsync_directory(out.parent)
    shutil.rmtree(aside, ignore_errors=True)


def _fsync_directory(path: Path) -> None:
    """Renames and new entries reach the disk only when their directory is synced."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
