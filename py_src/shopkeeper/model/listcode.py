"""One neighbour list as one integer: mixed-radix digits, indexes by interpolative coding.

A list of (index, level) pairs sorted by index becomes the digits
    count - fewest | best level | level span | lowest index | highest index | inner index digits
    | level - best, one per index
where each digit has a radix known from the section's `ListShape` and the digits before
it, and the integer is d0 + r0 * (d1 + r1 * (d2 + ...)). That spends log2(radix) bits
per digit, not a whole number of bits, and a digit whose radix is 1 costs nothing: when
every list has K entries, or every best weight is 1.0, the section pays nothing for it.

Inner indexes come from binary interpolative coding (Moffat & Stuiver, 2000) between the
lowest and the highest: the middle index is stored as its offset within the range its
position allows, then each half the same way. Neighbours cluster (same category,
adjacent in a catalog ordered by category), and a tight cluster leaves ranges of width
one that cost nothing; storing the two ends first keeps a cluster far from index 0 from
paying for its distance at every level. A list spread over the whole catalog costs close
to log2(C(products, count)) bits, the least possible.
Decoding is a few dozen divmods on an integer of a few hundred bits.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.model.quantize import LEVEL_COUNT


@dataclass(frozen=True)
class ListShape:
    """Bounds shared by every list of a section: product count, list lengths, levels."""

    universe: int
    fewest: int = 0
    longest: int = 0
    best: int = 0   # the highest (worst) level any list's best weight has
    span: int = 0   # the widest level range of any list


def shape_of(lists: list[list[tuple[int, int]]], universe: int) -> ListShape:
    counts = [len(pairs) for pairs in lists] or [0]
    filled = [[level for _, level in pairs] for pairs in lists if pairs]
    return ListShape(
        universe, min(counts), max(counts),
        max((min(levels) for levels in filled), default=0), max((max(levels) - min(levels) for levels in filled), default=0),
    )


def encode_list(pairs: list[tuple[int, int]], shape: ListShape) -> int:
    """`pairs`: (index, level) sorted by index, distinct indexes below the universe."""
    digits = [(len(pairs) - shape.fewest, shape.longest - shape.fewest + 1)]
    if pairs:
        levels = [level for _, level in pairs]
        best, span = min(levels), max(levels) - min(levels)
        digits += [(best, shape.best + 1), (span, min(shape.span, LEVEL_COUNT - 1 - best) + 1)]
        indexes = [index for index, _ in pairs]
        lowest, highest, count = indexes[0], indexes[-1], len(indexes)
        digits.append((lowest, shape.universe - count + 1))
        if count > 1:
            digits.append((highest - lowest - count + 1, shape.universe - lowest - count + 1))
        stack = [(1, count - 1, lowest + 1, highest - 1)] if count > 2 else []
        while stack:
            start, stop, low, high = stack.pop()
            middle = (start + stop) // 2
            first, last = low + middle - start, high - (stop - 1 - middle)
            value = indexes[middle]
            digits.append((value - first, last - first + 1))
            if middle > start:
                stack.append((start, middle, low, value - 1))
            if stop > middle + 1:
                stack.append((middle + 1, stop, value + 1, high))
        digits += [(level - best, span + 1) for level in levels]
    value = 0
    for digit, radix in reversed(digits):
        value = value * radix + digit
    return value


def decode_list(value: int, shape: ListShape) -> list[tuple[int, int]]:
    """The (index, level) pairs `encode_list` was given, sorted by index."""
    value, count = divmod(value, shape.longest - shape.fewest + 1)
    count += shape.fewest
    if not count:
        return []
    value, best = divmod(value, shape.best + 1)
    value, span = divmod(value, min(shape.span, LEVEL_COUNT - 1 - best) + 1)
    value, lowest = divmod(value, shape.universe - count + 1)
    indexes = [lowest] * count
    if count > 1:
        value, extra = divmod(value, shape.universe - lowest - count + 1)
        indexes[-1] = lowest + count - 1 + extra
    stack = [(1, count - 1, lowest + 1, indexes[-1] - 1)] if count > 2 else []
    while stack:
        start, stop, low, high = stack.pop()
        middle = (start + stop) // 2
        first, last = low + middle - start, high - (stop - 1 - middle)
        if last > first:
            value, digit = divmod(value, last - first + 1)
            first += digit
        indexes[middle] = first
        if middle > start:
            stack.append((start, middle, low, first - 1))
        if stop > middle + 1:
            stack.append((middle + 1, stop, first + 1, high))
    if not span:
        return [(index, best) for index in indexes]
    pairs = []
    for index in indexes:
        value, digit = divmod(value, span + 1)
        pairs.append((index, best + digit))
    return pairs
