"""The container: a fixed header, then a hashed body of named sections.

    header  magic (8) | format version u16 | reserved u16 = 0 | body length u32 | SHA-256 of body (32)
    body    section count u16 | per section: name length u8, ASCII name, offset u32, length u32
            | the sections, back to back, in table order (offsets count from the body's start)

The section table is inside the body, so the hash covers it: a flipped bit anywhere after
the header is refused, and a table that disagrees with the bytes it describes is refused
even when its hash was recomputed. The version sits at a fixed place forever, so any
runtime can say that a file is newer than it reads instead of misreading it.
"""

from __future__ import annotations

import hashlib
import struct

__all__ = ["FORMAT_VERSION", "MAGIC", "ModelFormatError", "frame", "section_sizes", "unframe"]

# PNG's trick: a high-bit byte catches 7-bit transfers, CR LF catches newline conversion,
# and 0x1A stops a text dump; the rest names the format.
MAGIC = b"\x89SKM\r\n\x1a\n"
# 1: four neighbour kinds (viewed_together, viewed_next, bought_together, similar).
# 2: two (viewed_together weighted by direction, bought_together); similar is derived
#    from the facets. A version 1 file is refused rather than read with lists missing.
FORMAT_VERSION = 2
_HEADER = struct.Struct("<8sHHI32s")
_ENTRY = struct.Struct("<II")
HEADER_SIZE = _HEADER.size


class ModelFormatError(ValueError):
    """A model file (or the data to write one) is not what this runtime reads; the message
    says what was expected and what was found."""


def frame(sections: list[tuple[str, bytes]]) -> bytes:
    """Header + section table + sections, hashed."""
    table = [struct.pack("<H", len(sections))]
    table_size = 2 + sum(1 + len(name) + _ENTRY.size for name, _ in sections)
    offset = table_size
    for name, payload in sections:
        raw = name.encode("ascii")
        table.append(struct.pack("<B", len(raw)) + raw + _ENTRY.pack(offset, len(payload)))
        offset += len(payload)
    body = b"".join(table) + b"".join(payload for _, payload in sections)
    return _HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(body), hashlib.sha256(body).digest()) + body


def unframe(blob: bytes, verify: bool = True) -> dict[str, memoryview]:
    """Sections by name, as zero-copy views; raises ModelFormatError on anything unexpected."""
    view = memoryview(blob)
    if len(view) < HEADER_SIZE:
        raise ModelFormatError(f"model file truncated: expected at least a {HEADER_SIZE}-byte header, found {len(view)} bytes")
    magic, version, reserved, body_length, digest = _HEADER.unpack_from(view)
    if magic != MAGIC:
        raise ModelFormatError(f"not a shopkeeper model: expected magic {MAGIC!r}, found {bytes(magic)!r}")
    if version > FORMAT_VERSION:
        raise ModelFormatError(
            f"model format {version} is newer than this runtime reads ({FORMAT_VERSION}); "
            "publish with a matching shopkeeper or update the runtime"
        )
    if version < FORMAT_VERSION:
        raise ModelFormatError(f"model format {version} is older than this runtime reads ({FORMAT_VERSION}); publish the model again")
    if reserved:
        raise ModelFormatError(f"model header: expected reserved field 0, found {reserved}")
    body = view[HEADER_SIZE:]
    if len(body) != body_length:
        state = "truncated" if len(body) < body_length else "has trailing bytes"
        raise ModelFormatError(f"model file {state}: header says the body holds {body_length} bytes, found {len(body)}")
    if verify and hashlib.sha256(body).digest() != digest:
        raise ModelFormatError("model file corrupt or tampered: SHA-256 of the body does not match the header")
    return _sections(body)


def _sections(body: memoryview) -> dict[str, memoryview]:
    if len(body) < 2:
        raise ModelFormatError(f"model body: expected a section table, found {len(body)} bytes")
    (count,) = struct.unpack_from("<H", body)
    position, entries = 2, []
    for _ in range(count):
        if position >= len(body) or position + 1 + body[position] + _ENTRY.size > len(body):
            raise ModelFormatError(f"section table: expected {count} entries, found the body ending after {len(entries)}")
        size = body[position]
        try:
            name = str(body[position + 1:position + 1 + size], "ascii")
        except UnicodeDecodeError:
            raise ModelFormatError(f"section table: expected an ASCII name for entry {len(entries)}") from None
        offset, length = _ENTRY.unpack_from(body, position + 1 + size)
        entries.append((name, offset, length))
        position += 1 + size + _ENTRY.size
    sections: dict[str, memoryview] = {}
    for name, offset, length in entries:
        if offset != position or offset + length > len(body) or name in sections:
            raise ModelFormatError(
                f"section table: expected section '{name}' at body offset {position} within {len(body)} bytes, "
                f"found offset {offset} and length {length}" + (" (a second time)" if name in sections else "")
            )
        sections[name] = body[offset:offset + length]
        position = offset + length
    if position != len(body):
        raise ModelFormatError(f"section table: expected sections up to the body's end at offset {len(body)}, found them ending at {position}")
    return sections


def section_sizes(blob: bytes) -> dict[str, int]:
    """Bytes per section, 'header' covering the fixed header and the section table; the
    values add up to the file's size (for `shopkeeper inspect` and the size benchmark)."""
    sections = unframe(blob)
    sizes = {"header": len(blob) - sum(len(payload) for payload in sections.values())}
    sizes.update((name, len(payload)) for name, payload in sections.items())
    return sizes
