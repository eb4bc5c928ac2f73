"""String tables: many strings in one UTF-8 buffer behind packed offsets.

    array of count+1 byte offsets (packed.pack_array) | UTF-8 bytes of every string, back to back

Reading string i decodes that string only. A table written sorted can be searched by
bisection on the raw bytes: UTF-8 byte order is code point order, which is Python's
order for str, so nothing is decoded while searching.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.model.format import ModelFormatError
from shopkeeper.model.packed import PackedInts, pack_array, read_array


def pack_strings(strings: list[str]) -> bytes:
    encoded = [text.encode("utf-8") for text in strings]
    offsets = [0]
    for raw in encoded:
        offsets.append(offsets[-1] + len(raw))
    return pack_array(offsets) + b"".join(encoded)


@dataclass(frozen=True, eq=False)
class StringTable:
    offsets: PackedInts
    data: memoryview

    def __len__(self) -> int:
        return self.offsets.count - 1

    def raw(self, index: int) -> memoryview:
        start, stop = self.offsets.pair(index)
        return self.data[start:stop]

    def __getitem__(self, index: int) -> str:
        return str(self.raw(index), "utf-8")

    def bisect(self, key: str, order: PackedInts | None = None, low: int = 0, high: int | None = None) -> int | None:
        """Where `key` is in a sorted table (or in the table read in `order`), or None;
        `low` and `high` narrow the search to those sorted positions."""
        wanted = key.encode("utf-8")
        high = len(self) if high is None else high
        while low < high:
            middle = (low + high) // 2
            index = order[middle] if order is not None else middle
            found = bytes(self.raw(index))
            if found == wanted:
                return index
            if found < wanted:
                low = middle + 1
            else:
                high = middle
        return None


def read_strings(data: memoryview, what: str) -> StringTable:
    offsets, rest = read_array(data, what)
    if offsets.count < 1 or offsets[0] != 0 or offsets[offsets.count - 1] != len(rest):
        raise ModelFormatError(f"{what}: expected string offsets from 0 to {len(rest)}, found a table that does not end there")
    return StringTable(offsets, rest)
