"""The published directory changes all at once or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from shopkeeper.publish import output
from shopkeeper.publish.errors import InputError
from shopkeeper.publish.output import model_file_name, output_files, write_output_atomically


def make_runtime(folder: Path) -> Path:
    """A runtime directory shaped like build_scripts/build_runtime.py's, in miniature."""
    folder.mkdir()
    files = {"shopkeeper.js": b"/* loader */", "worker-0123456789ab.js": b"// worker"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    manifest = {"format": 1, "shopkeeper": "0.1.0", "worker": "worker-0123456789ab.js", "loader": "shopkeeper.js",
                "files": {name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in files.items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its path there (FOLDER/NAME for one level down)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_output_files_are_the_runtime_the_hashed_model_and_a_merged_manifest(tmp_path):
    files = output_files(b"MODEL BYTES", format_version=3, runtime_dir=make_runtime(tmp_path / "runtime"))
    digest = hashlib.sha256(b"MODEL BYTES").hexdigest()
    name = f"model-{digest[:12]}.skm"
    assert re.fullmatch(r"model-[0-9a-f]{12}\.skm", model_file_name(b"x"))
    assert sorted(files) == sorted(["manifest.json", "shopkeeper.js", "worker-0123456789ab.js", name])
    manifest = json.loads(files["manifest.json"])
    assert manifest["model"] == {"name": name, "size": 11, "sha256": digest, "format_version": 3}
    assert manifest["files"][name] == {"size": 11, "sha256": digest}
    assert manifest["worker"] == "worker-0123456789ab.js" and len(manifest["files"]) == 3


def test_a_runtime_that_is_missing_or_differs_from_its_manifest_is_refused(tmp_path):
    with pytest.raises(InputError, match="no runtime here .manifest.json is missing.; build it with `make runtime`"):
        output_files(b"m", format_version=1, runtime_dir=tmp_path / "nothing")
    runtime = make_runtime(tmp_path / "runtime")
    (runtime / "shopkeeper.js").write_bytes(b"/* edited by hand */")
    with pytest.raises(InputError, match=r"shopkeeper\.js: does not match the size and SHA-256 in the runtime manifest"):
        output_files(b"m", format_version=1, runtime_dir=runtime)


def test_writes_a_new_directory_and_replaces_an_earlier_output_without_leftovers(tmp_path):
    out = tmp_path / "site" / "sk"
    write_output_atomically(out, {"manifest.json": b"{}", "a.txt": b"first"})
    assert snapshot(out) == {"a.txt": b"first", "manifest.json": b"{}"}
    write_output_atomically(out, {"manifest.json": b"{ }", "b.txt": b"second"})
    assert snapshot(out) == {"b.txt": b"second", "manifest.json": b"{ }"}
    assert os.listdir(out.parent) == ["sk"]
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_a_failure_while_writing_leaves_the_previous_output_byte_identical(tmp_path, monkeypatch):
    out = tmp_path / "sk"
    write_output_atomically(out, {"manifest.json": b'{"v": 1}', "model-aaaaaaaaaaaa.skm": b"old model"})
    before = snapshot(out)
    real_write, written = output._write, []

    def failing_write(path, data):
        if written:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        real_write(path, data)

    monkeypatch.setattr(output, "_write", failing_write)
    with pytest.raises(OSError, match="No space left"):
        write_output_atomically(out, {"manifest.json": b'{"v": 2}', "model-bbbbbbbbbbbb.skm": b"new model"})
    assert snapshot(out) == before
    assert os.listdir(tmp_path) == ["sk"]


def test_a_failure_at_the_swap_puts_the_previous_output_back(tmp_path, monkeypatch):
    out = tmp_path / "sk"
    write_output_atomically(out, {"manifest.json": b'{"v": 1}'})
    before = snapshot(out)
    real_rename, calls = os.rename, []

    def rename(source, target):
        calls.append((Path(source).name, Path(target).name))
        if len(calls) == 2:
            raise OSError(16, "Device or resource busy")
        real_rename(source, target)

    monkeypatch.setattr(output.os, "rename", rename)
    with pytest.raises(OSError, match="busy"):
        write_output_atomically(out, {"manifest.json": b'{"v": 2}'})
    assert calls[0][0] == "sk" and calls[1][1] == "sk" and calls[2] == (calls[0][1], "sk")
    assert snapshot(out) == before
    assert os.listdir(tmp_path) == ["sk"]


def test_refuses_to_replace_a_directory_that_is_no_earlier_output(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>shop</h1>")
    with pytest.raises(InputError, match="exists and is not an earlier shopkeeper output"):
        write_output_atomically(site, {"manifest.json": b"{}"})
    assert snapshot(site) == {"index.html": b"<h1>shop</h1>"}
    empty = tmp_path / "empty"
    empty.mkdir()
    write_output_atomically(empty, {"manifest.json": b"{}"})
    assert snapshot(empty) == {"manifest.json": b"{}"}


@pytest.mark.parametrize("name", ["", "..", "sub/sub/file", "../file", "sub/", "/file", "."])
def test_file_names_must_be_plain(tmp_path, name):
    with pytest.raises(ValueError, match="plain names"):
        write_output_atomically(tmp_path / "out", {name: b""})


def test_a_folder_of_files_is_written_with_the_rest(tmp_path):
    out = write_output_atomically(tmp_path / "out", {"manifest.json": b"{}", "shards/p-1.skm": b"one", "shards/c-2.skm": b"two"})
    written = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert written == {"manifest.json": b"{}", "shards/p-1.skm": b"one", "shards/c-2.skm": b"two"}


def test_the_previous_publish_files_stay_one_publish_longer(tmp_path):
    """A browser holding the previous manifest (or a worker the previous model) still finds its files."""
    out = tmp_path / "sk"
    first = {"manifest.json": b"1", "model-aaaaaaaaaaaa.skm": b"A", "shards/p-111111111111.skm": b"a shard",
             "worker-cccccccccccc.js": b"worker", "notes.txt": b"not hashed"}
    write_output_atomically(out, first, keep_previous=True)
    second = {"manifest.json": b"2", "model-bbbbbbbbbbbb.skm": b"B", "shards/p-222222222222.skm": b"b shard",
              "worker-cccccccccccc.js": b"worker"}
    write_output_atomically(out, second, keep_previous=True)
    kept = snapshot(out)
    assert {name: kept[name] for name in ("model-aaaaaaaaaaaa.skm", "shards/p-111111111111.skm")} == {
        "model-aaaaaaaaaaaa.skm": b"A", "shards/p-111111111111.skm": b"a shard"}
    assert "notes.txt" not in kept and kept["manifest.json"] == b"2" and kept["model-bbbbbbbbbbbb.skm"] == b"B"
    assert json.loads(kept[".retired.json"]) == ["model-aaaaaaaaaaaa.skm", "shards/p-111111111111.skm"]
    write_output_atomically(out, {"manifest.json": b"3", "model-dddddddddddd.skm": b"D"}, keep_previous=True)
    third = snapshot(out)
    assert "model-aaaaaaaaaaaa.skm" not in third and "shards/p-111111111111.skm" not in third   # their extra publish is over
    assert third["model-bbbbbbbbbbbb.skm"] == b"B" and third["shards/p-222222222222.skm"] == b"b shard"
    assert third["worker-cccccccccccc.js"] == b"worker"
    assert oct((out / "shards").stat().st_mode & 0o777) == "0o755"
    write_output_atomically(out, {"manifest.json": b"4"})   # without keep_previous: exactly the files given
    assert snapshot(out) == {"manifest.json": b"4"}
