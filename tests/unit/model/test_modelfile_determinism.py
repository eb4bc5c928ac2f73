"""Equal data gives equal bytes: in one process, across hash seeds, whatever the input order of sets."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from modelfile_builders import awkward_data, random_data

from shopkeeper.model import ModelData, decode_model, encode_model

ROOT = Path(__file__).resolve().parents[3]


def test_the_same_data_gives_the_same_bytes():
    assert encode_model(awkward_data()) == encode_model(awkward_data())
    assert encode_model(random_data(4, 120)) == encode_model(random_data(4, 120))


def test_config_key_order_and_neighbour_input_order_do_not_matter():
    data = awkward_data()
    shuffled = ModelData(
        data.products,
        {kind: [list(reversed(pairs)) for pairs in lists] for kind, lists in reversed(list(data.neighbours.items()))},
        data.popularity, data.trending, dict(reversed(list(data.config.items()))), data.timing,
    )
    # The version hashes the data as given (as InMemoryModel's does), so compare everything else.
    first, second = decode_model(encode_model(data)), decode_model(encode_model(shuffled))
    assert [first.neighbours(kind, i) for kind in data.neighbours for i in range(len(first))] == \
        [second.neighbours(kind, i) for kind in data.neighbours for i in range(len(second))]
    assert first.config == second.config


def test_created_at_is_the_only_clock():
    assert encode_model(awkward_data(), created_at="x") != encode_model(awkward_data())


@pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide cannot start a subprocess")
def test_string_hash_seeds_do_not_change_the_bytes():
    script = (
        "import hashlib, sys; sys.path[:0] = sys.argv[1:]; from modelfile_builders import awkward_data, random_data; "
        "from shopkeeper.model import encode_model; "
        "print(hashlib.sha256(encode_model(awkward_data()) + encode_model(random_data(8, 90))).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(ROOT / "tests" / "support"), str(ROOT / "py_src")],
            env={**os.environ, "PYTHONHASHSEED": seed}, check=True, capture_output=True, text=True,
        ).stdout.strip()
        for seed in ("0", "1", "4242")
    }
    expected = hashlib.sha256(encode_model(awkward_data()) + encode_model(random_data(8, 90))).hexdigest()
    assert digests == {expected}
