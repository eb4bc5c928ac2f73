"""Fuzz: the model reader refuses any file that is not a model it can read, with a
ModelFormatError (the worker then decides with no model: the page keeps its defaults).

Three kinds of input: any bytes; a real model with bytes flipped, cut or inserted (the
stored SHA-256 must catch it); and the same damage with the hash recomputed, as a buggy
writer or a forger would leave it, where the structure checks and the lazy readers must
refuse instead, and a file they accept must answer every question without raising."""

from conftest import tried
from hypothesis import given
from hypothesis import strategies as st
from modelfile_builders import awkward_data, rehash

from shopkeeper.model import ModelFormatError, decode_model, encode_model
from shopkeeper.model.format import HEADER_SIZE

BLOB = encode_model(awkward_data())
BODY = BLOB[HEADER_SIZE:]
edits = st.lists(st.tuples(st.sampled_from(["flip", "cut", "insert", "set"]), st.integers(0, len(BODY) - 1), st.integers(0, 255)),
                 min_size=1, max_size=4)


def damaged(body: bytes, changes) -> bytes:
    data = bytearray(body)
    for kind, position, value in changes:
        position %= max(1, len(data))
        if kind == "flip" and data:
            data[position] ^= 1 << (value % 8)
        elif kind == "cut":
            del data[position:position + 1 + value % 64]
        elif kind == "insert":
            data[position:position] = bytes([value]) * (1 + value % 8)
        elif data:
            data[position] = value
    return bytes(data)


def every_answer(model) -> None:
    """Ask the model everything the engine may ask."""
    count = len(model)
    for index in sorted({0, count // 2, count - 1} - {-1}):
        product = model.product(index)
        model.index_of(product.id)
        model.brief(index)
        model.facets(index)
        for kind in ("viewed_together", "viewed_next", "bought_together"):
            model.neighbours(kind, index)
    model.popular(5)
    model.popular(5, trending=True)
    assert isinstance(model.config, dict) and isinstance(model.version, str) and model.timing is not None


@given(st.binary(max_size=4096))
def test_any_bytes_are_refused(blob):
    try:
        decode_model(blob)
    except ModelFormatError:
        tried("decode_model: any bytes", refused=True)
        return
    raise AssertionError("random bytes opened as a model")


@given(edits)
def test_a_damaged_file_is_refused_by_its_hash(changes):
    body = damaged(BODY, changes)
    if body == BODY:
        return
    try:
        decode_model(BLOB[:HEADER_SIZE] + body)
    except ModelFormatError:
        tried("decode_model: damaged", refused=True)
        return
    raise AssertionError("a damaged model opened")


@given(edits)
def test_a_damaged_file_with_a_matching_hash_is_refused_or_answers(changes):
    try:
        every_answer(decode_model(rehash(damaged(BODY, changes))))
    except ModelFormatError:
        tried("decode_model: damaged, rehashed", refused=True)
        return
    tried("decode_model: damaged, rehashed")
