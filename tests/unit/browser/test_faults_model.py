"""Faults, the model, as the worker's Python meets them: every file it cannot use is
refused, and the worker then decides without a model (the page keeps its defaults, the
decisions carry one `warning`), never failing a page view.

Elsewhere: truncated, bit-flipped, foreign and newer files (tests/unit/model/
test_modelfile_corruption.py, also fuzzed in tests/fuzz/test_fuzz_model.py); in Chromium,
a 404 manifest and a tampered model (tests/e2e/test_skeleton.py)."""

import json

import pytest
from catalog import NOW, model, view
from modelfile_builders import rehash

from shopkeeper.browser import worker_entry
from shopkeeper.model import ModelFormatError, decode_model, encode_model
from shopkeeper.model.format import HEADER_SIZE

CONFIG = {"shop": {"name": "Outfitters", "currency": "EUR"},
          "placements": [{"name": "for-you", "strategy": "personalized", "count": 3}]}
BLOB = encode_model(model(CONFIG).data)
CONTEXT = json.dumps({"page": "product", "product": "tent", "placements": [{"name": "for-you", "count": 3}]})
STORE = worker_entry.as_store([view("boots", 1), view("stove", 0.5)])


def decide() -> dict:
    return json.loads(worker_entry.decide_json(*STORE, CONTEXT, NOW))


def every_answer(opened) -> None:
    for index in range(len(opened)):
        opened.product(index)
        opened.brief(index)
        for kind in ("viewed_together", "bought_together"):
            opened.neighbours(kind, index)


def damaged_behind_its_hash() -> bytes:
    """The first one-byte change of the body that opens (hash recomputed) but fails when asked."""
    body = BLOB[HEADER_SIZE:]
    for position in range(len(body)):
        for value in (0xFF, 0x03):
            blob = rehash(body[:position] + bytes([value]) + body[position + 1:])
            try:
                every_answer(decode_model(blob))
            except ModelFormatError:
                try:
                    decode_model(blob)
                except ModelFormatError:
                    continue   # refused at once: not the case wanted here
                return blob
    raise AssertionError("no one-byte change of this model opens and then fails")


@pytest.fixture(autouse=True)
def fresh_worker():
    worker_entry.forget()
    yield
    worker_entry.load_model(BLOB)


def test_a_good_model_personalizes():
    worker_entry.load_model(BLOB)
    answer = decide()
    assert answer["recs"]["for-you"]["items"] and "warning" not in answer


@pytest.mark.parametrize("blob", [b"", b"<html>404 Not Found</html>", BLOB[:len(BLOB) // 2], BLOB + b"\0",
                                  BLOB[:4] + b"\xff\x7f" + BLOB[6:]], ids=["empty", "an error page", "truncated", "trailing", "newer format"])
def test_a_file_that_is_no_model_is_refused_and_the_worker_decides_without_one(blob):
    worker_entry.load_model(BLOB)
    with pytest.raises(ModelFormatError):
        worker_entry.load_model(blob)
    answer = decide()
    assert answer["recs"] == {} and answer["model_version"] == worker_entry.current()[0].version != decode_model(BLOB).version


def test_a_model_damaged_behind_a_matching_hash_is_refused_when_it_fails_and_stays_refused():
    worker_entry.load_model(damaged_behind_its_hash())   # opens: its structure and hash are fine
    first = decide()
    assert first["warning"].startswith("the model was refused: model file:") and "damaged" in first["warning"]
    assert first["recs"] == {}
    assert "warning" not in decide() and decide()["recs"] == {}, "the worker keeps deciding without it"
