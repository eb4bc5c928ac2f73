"""Every damaged, truncated, foreign or newer file is refused with a ModelFormatError that
says what was expected and what was found; nothing is misread."""

import random
import struct

import pytest
from modelfile_builders import awkward_data, rehash

from shopkeeper.model import FORMAT_VERSION, MAGIC, ModelFormatError, decode_model, encode_model, section_sizes
from shopkeeper.model.format import HEADER_SIZE, frame, unframe

BLOB = encode_model(awkward_data())


def test_the_intact_file_opens():
    assert len(decode_model(BLOB)) == len(awkward_data().products)


@pytest.mark.parametrize("seed", range(40))
def test_a_flipped_bit_after_the_header_is_refused(seed):
    rng = random.Random(seed)
    position = rng.randrange(HEADER_SIZE, len(BLOB))
    damaged = bytearray(BLOB)
    damaged[position] ^= 1 << rng.randrange(8)
    with pytest.raises(ModelFormatError, match="corrupt or tampered"):
        decode_model(bytes(damaged))


def test_a_flipped_bit_in_the_stored_hash_is_refused():
    damaged = bytearray(BLOB)
    damaged[HEADER_SIZE - 1] ^= 0x80
    with pytest.raises(ModelFormatError, match="SHA-256"):
        decode_model(bytes(damaged))


@pytest.mark.parametrize("length", [0, 1, 7, 8, 12, HEADER_SIZE - 1, HEADER_SIZE, HEADER_SIZE + 1, len(BLOB) // 2, len(BLOB) - 1])
def test_a_truncated_file_is_refused(length):
    with pytest.raises(ModelFormatError, match="truncated|not a shopkeeper model"):
        decode_model(BLOB[:length])


def test_trailing_bytes_are_refused():
    with pytest.raises(ModelFormatError, match="trailing bytes"):
        decode_model(BLOB + b"\0")


@pytest.mark.parametrize("magic", [b"PK\x03\x04\0\0\0\0", b"\x89PNG\r\n\x1a\n", b"\x89SKM\n\x1a\n\0", b"{\"produc"])
def test_a_foreign_file_is_refused(magic):
    with pytest.raises(ModelFormatError, match=r"not a shopkeeper model: expected magic .* found"):
        decode_model(magic + BLOB[8:])


def test_a_newer_format_is_refused_with_advice():
    newer = MAGIC + struct.pack("<H", FORMAT_VERSION + 2) + BLOB[10:]
    message = (f"model format {FORMAT_VERSION + 2} is newer than this runtime reads ({FORMAT_VERSION}); "
               "publish with a matching shopkeeper or update the runtime")
    with pytest.raises(ModelFormatError) as raised:
        decode_model(newer)
    assert str(raised.value) == message


@pytest.mark.parametrize("version", [0, FORMAT_VERSION - 1])
def test_an_older_format_is_refused(version):
    # format 1 held four neighbour kinds; reading one now would silently lose two of them
    message = rf"model format {version} is older than this runtime reads \({FORMAT_VERSION}\); publish the model again"
    with pytest.raises(ModelFormatError, match=message):
        decode_model(MAGIC + struct.pack("<H", version) + BLOB[10:])


def test_a_reserved_field_that_is_not_zero_is_refused():
    with pytest.raises(ModelFormatError, match="reserved"):
        decode_model(BLOB[:10] + struct.pack("<H", 1) + BLOB[12:])


@pytest.mark.parametrize("claimed", [0, 1, len(BLOB) - HEADER_SIZE - 1, len(BLOB) - HEADER_SIZE + 1, 2**32 - 1])
def test_a_header_that_lies_about_the_body_length_is_refused(claimed):
    with pytest.raises(ModelFormatError, match=f"header says the body holds {claimed} bytes"):
        decode_model(BLOB[:12] + struct.pack("<I", claimed) + BLOB[16:])


def _table(entries: list[tuple[str, int, int]]) -> bytes:
    return struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<B", len(name)) + name.encode() + struct.pack("<II", offset, length) for name, offset, length in entries
    )


TABLE_SIZE = len(_table([("a", 0, 0), ("b", 0, 0)]))
PAYLOAD = b"0123456789"
LYING_TABLES = {
    "gap": _table([("a", TABLE_SIZE + 1, 3), ("b", TABLE_SIZE + 4, 6)]),
    "overlap": _table([("a", TABLE_SIZE, 5), ("b", TABLE_SIZE + 4, 6)]),
    "beyond the end": _table([("a", TABLE_SIZE, 4), ("b", TABLE_SIZE + 4, 600)]),
    "short of the end": _table([("a", TABLE_SIZE, 4), ("b", TABLE_SIZE + 4, 5)]),
    "twice": _table([("a", TABLE_SIZE, 4), ("a", TABLE_SIZE + 4, 6)]),
    "more entries than present": struct.pack("<H", 3) + _table([("a", TABLE_SIZE, 4), ("b", TABLE_SIZE + 4, 6)])[2:],
}


def test_an_honest_section_table_reads():
    honest = _table([("a", TABLE_SIZE, 4), ("b", TABLE_SIZE + 4, 6)]) + PAYLOAD
    assert {name: bytes(view) for name, view in unframe(rehash(honest)).items()} == {"a": b"0123", "b": b"456789"}


@pytest.mark.parametrize("lie", sorted(LYING_TABLES))
def test_a_section_table_that_lies_is_refused_even_with_a_matching_hash(lie):
    with pytest.raises(ModelFormatError, match="section table: expected"):
        unframe(rehash(LYING_TABLES[lie] + PAYLOAD))


def test_every_flipped_bit_in_the_header_is_refused():
    for position in range(HEADER_SIZE):
        for bit in range(8):
            damaged = bytearray(BLOB)
            damaged[position] ^= 1 << bit
            with pytest.raises(ModelFormatError):
                decode_model(bytes(damaged))


def test_a_well_framed_file_missing_a_section_is_refused():
    sections = [(name, bytes(view)) for name, view in unframe(BLOB).items() if name != "titles"]
    with pytest.raises(ModelFormatError, match="found none named titles"):
        decode_model(frame(sections))


@pytest.mark.parametrize("name", ["meta", "facets", "popular", "nbr.viewed_together", "ids", "prices", "attributes", "weights", "id_order"])
def test_a_section_whose_content_disagrees_with_its_size_is_refused(name):
    sections = [(key, bytes(view)[:-1] if key == name else bytes(view)) for key, view in unframe(BLOB).items()]
    with pytest.raises(ModelFormatError, match="expected"):
        decode_model(frame(sections))


def test_verify_false_skips_only_the_hash():
    damaged = bytearray(BLOB)
    damaged[-1] ^= 1
    decode_model(bytes(damaged), verify=False)
    with pytest.raises(ModelFormatError, match="truncated"):
        decode_model(BLOB[:-1], verify=False)


def test_section_sizes_refuses_a_damaged_file_too():
    with pytest.raises(ModelFormatError):
        section_sizes(BLOB[:-3])
