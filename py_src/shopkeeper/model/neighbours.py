"""One neighbour kind as a section: every product's list, reachable without decoding the rest.

    header: products u32, fewest u16, longest u16, best u8, span u8, block size u16 (the ListShape)
    block starts: packed byte offsets into the stream, one per block of products and one past the end
    lengths:      packed bit length of each product's list
    stream:       each block's lists (listcode integers) back to back, the block padded to a byte

Finding list i reads one block start and the lengths before it in its block (one packed
slice); decoding it touches only its own bytes. Lengths need fewer bits than offsets,
and the block starts that turn them into offsets cost a bit per product.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from shopkeeper.model.format import ModelFormatError
from shopkeeper.model.listcode import ListShape, decode_list, encode_list, shape_of
from shopkeeper.model.packed import PackedInts, pack_array, read_array

BLOCK_SIZE = 32
_HEADER = struct.Struct("<IHHBBH")


def pack_neighbours(lists: list[list[tuple[int, int]]], universe: int) -> bytes:
    """`lists[i]`: product i's (index, level) pairs sorted by index."""
    shape = shape_of(lists, universe)
    block_starts, lengths, blocks = [0], [], []
    for first in range(0, len(lists), BLOCK_SIZE):
        block, position = 0, 0
        for pairs in lists[first:first + BLOCK_SIZE]:
            value = encode_list(pairs, shape)
            block |= value << position
            lengths.append(value.bit_length())
            position += lengths[-1]
        blocks.append(block.to_bytes((position + 7) // 8, "little"))
        block_starts.append(block_starts[-1] + len(blocks[-1]))
    header = _HEADER.pack(len(lists), shape.fewest, shape.longest, shape.best, shape.span, BLOCK_SIZE)
    return header + pack_array(block_starts) + pack_array(lengths) + b"".join(blocks)


@dataclass(frozen=True, eq=False)
class NeighbourLists:
    shape: ListShape
    block_size: int
    block_starts: PackedInts
    lengths: PackedInts
    stream: memoryview

    def pairs(self, index: int) -> list[tuple[int, int]]:
        """Product `index`'s (neighbour index, level) pairs, sorted by neighbour index."""
        first = index - index % self.block_size
        before = self.lengths.slice(first, index + 1)
        start = self.block_starts[index // self.block_size] * 8 + sum(before) - before[-1]
        length = before[-1]
        if not length:
            return decode_list(0, self.shape)
        chunk = int.from_bytes(self.stream[start >> 3:(start + length + 7) >> 3], "little") >> (start & 7)
        return decode_list(chunk & ((1 << length) - 1), self.shape)


def read_neighbours(data: memoryview, products: int, what: str) -> NeighbourLists:
    if len(data) < _HEADER.size:
        raise ModelFormatError(f"{what}: expected a {_HEADER.size}-byte header, found {len(data)} bytes")
    count, fewest, longest, best, span, block_size = _HEADER.unpack_from(data)
    block_starts, rest = read_array(data[_HEADER.size:], what)
    lengths, stream = read_array(rest, what)
    blocks = -(-count // block_size) if block_size else -1
    if count != products or block_starts.count != blocks + 1 or lengths.count != count or fewest > longest:
        raise ModelFormatError(
            f"{what}: expected lists for {products} products in blocks of {block_size}, "
            f"found {count} lists, {lengths.count} lengths and {block_starts.count} block starts"
        )
    if block_starts[blocks] != len(stream):
        raise ModelFormatError(f"{what}: expected a stream of {block_starts[blocks]} bytes, found {len(stream)}")
    return NeighbourLists(ListShape(count, fewest, longest, best, span), block_size, block_starts, lengths, stream)
