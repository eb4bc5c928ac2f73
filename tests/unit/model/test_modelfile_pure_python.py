"""The binary model file, written and read by the same pure-Python code the browser runs.

The Pyodide tier runs it inside Pyodide's own Python: encoding is pure Python too, so the
blob is built here rather than checked in, and the answers must equal InMemoryModel's over
the same (quantized) data on both runtimes.
"""

import hashlib

import pytest

from shopkeeper.model import (
    NEIGHBOUR_KINDS,
    InMemoryModel,
    ModelData,
    ModelFormatError,
    Product,
    TimingModel,
    decode_model,
    encode_model,
    quantize_weights,
)
from shopkeeper.model.format import unframe

PRODUCTS = [
    Product("SKU-1", "Wanderschuh «Gipfel» 🥾", "/p/1", "/i/1.jpg", 129.99, 99.5, ("Schuhe", "Trail"), "Bergfuß",
            attributes=(("Farbe", "Grün"),)),
    Product("SKU-2", "Socke", price=4.0, category=("Schuhe",), brand="Acme", replenishable=True),
    Product("日本-3", "Kimono", price=0.1 + 0.2, category=(), in_stock=False),
    Product("SKU-4", "Flask", price=19.95, category=("Outdoor", "Trail"), brand="Acme"),
]
DATA = ModelData(
    PRODUCTS,
    {"viewed_together": [[(1, 1.0), (3, 0.31)], [], [(0, 0.004)], [(2, 0.5), (0, 0.5), (1, 0.5)]], "bought_together": [[(3, 0.7)]]},
    popularity=[3.0, 9.0, 3.0, 1.0], trending=[0.5, 0.1, 2.0],
    config={"shop": {"name": "Démo"}}, timing=TimingModel(("dwell",), (0.25, -1.5), (-3.0, 0.125)),
)


def test_a_written_model_reads_back_with_the_in_memory_answers():
    binary = decode_model(encode_model(DATA))
    memory = InMemoryModel(quantize_weights(DATA), version=InMemoryModel(DATA).version)
    assert (binary.version, binary.config, binary.timing, len(binary)) == (memory.version, memory.config, memory.timing, 4)
    for i, product in enumerate(PRODUCTS):
        assert binary.product(i) == memory.product(i) == product
        assert binary.index_of(product.id) == i
        assert [binary.neighbours(kind, i) for kind in NEIGHBOUR_KINDS] == [memory.neighbours(kind, i) for kind in NEIGHBOUR_KINDS]
    assert binary.index_of("SKU-9") is None
    for category in ("", "Schuhe", "Schuhe > Trail", "Trail", "Outdoor"):
        for trending in (False, True):
            assert binary.popular(10, category, trending) == memory.popular(10, category, trending)


def test_weights_come_back_quantized_best_first():
    binary = decode_model(encode_model(DATA))
    assert binary.neighbours("viewed_together", 0) == [(1, 1.0), (3, 2.0 ** (-10 / 6))]
    assert binary.neighbours("viewed_together", 3) == [(0, 0.5), (1, 0.5), (2, 0.5)]


def test_a_damaged_or_newer_file_is_refused():
    blob = encode_model(DATA)
    with pytest.raises(ModelFormatError, match="corrupt or tampered"):
        decode_model(blob[:-1] + bytes([blob[-1] ^ 1]))
    with pytest.raises(ModelFormatError, match="model format 9 is newer than this runtime reads"):
        decode_model(blob[:8] + b"\x09\x00" + blob[10:])


def test_every_runtime_writes_the_same_bytes():
    """A golden digest, so CPython and Pyodide must agree byte for byte and a format change
    cannot slip in unnoticed (bump FORMAT_VERSION, then this digest). 'meta' is left out:
    it holds the version, a hash of all of ModelData, which changes when data.py gains a field."""
    sections = unframe(encode_model(DATA))
    digest = hashlib.sha256(b"".join(bytes(payload) for name, payload in sections.items() if name != "meta")).hexdigest()
    assert digest == "44e2edeb75da20315ade13956e20526e3191c8312262cb36e2b2e5f63d8f3774"
