"""Precomputed most-popular and trending lists, overall and per category prefix.

    header: depth u32, prefix table length u32 | prefix table (sorted strings)
    directory: four packed arrays, one entry per list: byte start, count, lowest index, bit width
    entries: each list's product indexes minus its lowest, packed, the list padded to a byte

Lists 0..P hold popularity for the whole catalog then for each prefix in table order;
lists P+1..2P+1 the same for trending. `popular()` reads one directory entry and the
first `limit` entries: it never visits the catalog. Lists stop at `depth` products, so
answers agree with ranking the whole catalog for any limit up to the depth.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from shopkeeper.model.data import CATEGORY_SEPARATOR, Product, category_key
from shopkeeper.model.format import ModelFormatError
from shopkeeper.model.packed import PackedInts, pack_array, pack_ints, packed_size, read_array
from shopkeeper.model.strings import StringTable, pack_strings, read_strings

DEFAULT_DEPTH = 200
_HEADER = struct.Struct("<II")


def category_prefixes(key: str) -> list[str]:
    """Every non-empty category a product with category `key` counts as within: the key
    itself and whatever precedes each ' > ' in it."""
    found = []
    at = key.find(CATEGORY_SEPARATOR)
    while at != -1:
        if at:
            found.append(key[:at])
        at = key.find(CATEGORY_SEPARATOR, at + 1)
    return found + [key] if key else found


def ranked_lists(products: list[Product], scores: list[float], prefixes: list[str], depth: int) -> list[list[int]]:
    """Overall then per prefix: indexes by score, highest first, ties by index (as InMemoryModel)."""
    order = sorted(range(len(products)), key=lambda i: (-(scores[i] if i < len(scores) else 0.0), i))
    slot = {prefix: position + 1 for position, prefix in enumerate(prefixes)}
    lists: list[list[int]] = [[] for _ in range(len(prefixes) + 1)]
    within: dict[tuple[str, ...], list[int]] = {}
    for index in order:
        category = products[index].category
        if category not in within:
            within[category] = [0] + [slot[prefix] for prefix in category_prefixes(category_key(category))]
        for position in within[category]:
            if len(lists[position]) < depth:
                lists[position].append(index)
    return lists


def pack_popular(products: list[Product], popularity: list[float], trending: list[float], depth: int) -> bytes:
    prefixes = sorted({prefix for product in products for prefix in category_prefixes(category_key(product.category))})
    lists = ranked_lists(products, popularity, prefixes, depth) + ranked_lists(products, trending, prefixes, depth)
    starts, lows, widths, entries = [0], [], [], []
    for indexes in lists:
        lows.append(min(indexes, default=0))
        widths.append((max(indexes, default=0) - lows[-1]).bit_length())
        entries.append(pack_ints([index - lows[-1] for index in indexes], widths[-1]))
        starts.append(starts[-1] + len(entries[-1]))
    directory = [starts[:-1], [len(indexes) for indexes in lists], lows, widths]
    table = pack_strings(prefixes)
    return _HEADER.pack(depth, len(table)) + table + b"".join(map(pack_array, directory)) + b"".join(entries)


@dataclass(frozen=True, eq=False)
class PopularLists:
    depth: int
    prefixes: StringTable
    directory: tuple[PackedInts, ...]
    entries: memoryview

    def top(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        if limit <= 0:
            return []
        slot = 0
        if category:
            found = self.prefixes.bisect(category)
            if found is None:
                return []
            slot = found + 1
        if trending:
            slot += len(self.prefixes) + 1
        start, count, low, width = (column[slot] for column in self.directory)
        values = PackedInts(self.entries[start:start + packed_size(count, width)], width, count)
        return [low + value for value in values.slice(0, limit)]


def read_popular(data: memoryview) -> PopularLists:
    what = "section 'popular'"
    if len(data) < _HEADER.size:
        raise ModelFormatError(f"{what}: expected a {_HEADER.size}-byte header, found {len(data)} bytes")
    depth, table_length = _HEADER.unpack_from(data)
    if _HEADER.size + table_length > len(data):
        raise ModelFormatError(f"{what}: expected a {table_length}-byte prefix table, found {len(data) - _HEADER.size} bytes")
    prefixes = read_strings(data[_HEADER.size:_HEADER.size + table_length], what)
    directory, entries = [], data[_HEADER.size + table_length:]
    for _ in range(4):
        column, entries = read_array(entries, what)
        directory.append(column)
    lists = 2 * (len(prefixes) + 1)
    if any(column.count != lists for column in directory):
        raise ModelFormatError(f"{what}: expected {lists} list entries for {len(prefixes)} prefixes, found {[c.count for c in directory]}")
    start, count, _, width = (column[lists - 1] for column in directory)
    if start + packed_size(count, width) != len(entries):
        raise ModelFormatError(f"{what}: expected {start + packed_size(count, width)} bytes of entries, found {len(entries)}")
    return PopularLists(depth, prefixes, tuple(directory), entries)
