"""Unsigned integers of one fixed bit width, packed back to back: O(1) random access.

Value i occupies bits [i*width, (i+1)*width) of the bytes read as one little-endian
integer, so a reader converts only the two or three bytes that hold it. Every plain
per-product array in the model (offsets, facets, orders, prices) is one of these.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from shopkeeper.model.format import ModelFormatError

_HEADER = struct.Struct("<IB")


def packed_size(count: int, width: int) -> int:
    return (count * width + 7) // 8


def pack_ints(values: list[int], width: int) -> bytes:
    """Eight values of `width` bits fill exactly `width` bytes, so packing goes eight at a time
    (linear time, where shifting one growing integer would be quadratic)."""
    chunks = []
    for start in range(0, len(values), 8):
        group = 0
        for shift, value in enumerate(values[start:start + 8]):
            group |= value << (shift * width)
        chunks.append(group.to_bytes(width, "little"))
    return b"".join(chunks)[:packed_size(len(values), width)]


def pack_array(values: list[int]) -> bytes:
    """A self-describing array: count u32, width u8, then the packed values."""
    width = max(values, default=0).bit_length()
    return _HEADER.pack(len(values), width) + pack_ints(values, width)


@dataclass(frozen=True, eq=False)
class PackedInts:
    data: memoryview
    width: int
    count: int
    mask: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mask", (1 << self.width) - 1)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self.count:
            raise IndexError(index)
        bit = index * self.width
        return (int.from_bytes(self.data[bit >> 3:(bit + self.width + 7) >> 3], "little") >> (bit & 7)) & self.mask

    def pair(self, index: int) -> tuple[int, int]:
        """Values index and index + 1, from one conversion (a string's start and end)."""
        if not 0 <= index < self.count - 1:
            raise IndexError(index)
        width, bit = self.width, index * self.width
        both = int.from_bytes(self.data[bit >> 3:(bit + 2 * width + 7) >> 3], "little") >> (bit & 7)
        return both & self.mask, (both >> width) & self.mask

    def slice(self, start: int, stop: int) -> list[int]:
        """Values start..stop-1 from one conversion of the bytes that hold them."""
        stop = min(stop, self.count)
        if start >= stop:
            return []
        bit = start * self.width
        bits = int.from_bytes(self.data[bit >> 3:(stop * self.width + 7) >> 3], "little") >> (bit & 7)
        width, mask = self.width, self.mask
        return [(bits >> (i * width)) & mask for i in range(stop - start)]


def read_packed(data: memoryview, count: int, width: int, what: str) -> PackedInts:
    """A view over exactly `count` values, refusing a buffer of the wrong size."""
    expected = packed_size(count, width)
    if len(data) != expected:
        raise ModelFormatError(f"{what}: expected {expected} bytes for {count} values of {width} bits, found {len(data)}")
    return PackedInts(data, width, count)


def read_array(data: memoryview, what: str) -> tuple[PackedInts, memoryview]:
    """The array written by pack_array at the start of `data`, and the bytes after it."""
    if len(data) < _HEADER.size:
        raise ModelFormatError(f"{what}: expected an array header, found {len(data)} bytes")
    count, width = _HEADER.unpack_from(data)
    end = _HEADER.size + packed_size(count, width)
    if end > len(data):
        raise ModelFormatError(f"{what}: expected {end} bytes for {count} values of {width} bits, found {len(data)}")
    return PackedInts(data[_HEADER.size:end], width, count), data[end:]
