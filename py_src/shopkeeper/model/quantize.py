"""Neighbour weights on a log scale: 64 levels, six per octave, from 1 down to 2**-10.5.

The engine adds and compares weights, so what matters is their ratio: rounding in the
log domain keeps every weight w >= 2**-10.5 within a factor 2**(1/12) (5.9 %) of the
stored value, and a smaller weight becomes 2**-10.5 (an absolute error below 0.0007).
The level table travels in the model file, so reading never depends on the runtime's
`pow` (CPython's libm and Pyodide's may differ in the last bit).
"""

from __future__ import annotations

import math
import struct

from shopkeeper.model.data import ModelData
from shopkeeper.model.format import ModelFormatError

LEVEL_COUNT = 64
STEPS_PER_OCTAVE = 6
LEVELS = tuple(2.0 ** (-q / STEPS_PER_OCTAVE) for q in range(LEVEL_COUNT))
# Level q is the nearest in the log domain for weights down to the geometric mean of q and q+1.
_BOUNDS = tuple(math.sqrt(LEVELS[q] * LEVELS[q + 1]) for q in range(LEVEL_COUNT - 1))


def quantize_weight(weight: float) -> int:
    """The level (0 = weight 1.0) whose value is nearest to `weight` on a log scale."""
    level = 0
    while level < LEVEL_COUNT - 1 and weight < _BOUNDS[level]:
        level += 1
    return level


def canonical_list(pairs: list[tuple[int, float]]) -> list[tuple[int, int]]:
    """(index, level) pairs in the order a model returns them: best first, ties by index."""
    return sorted(((index, quantize_weight(weight)) for index, weight in pairs), key=lambda pair: (pair[1], pair[0]))


def quantize_weights(data: ModelData) -> ModelData:
    """The same data with every neighbour list as a binary model returns it (quantized
    weights, best first, ties by index): an in-memory preview that agrees exactly."""
    neighbours = {
        kind: [[(index, LEVELS[level]) for index, level in canonical_list(pairs)] for pairs in lists]
        for kind, lists in data.neighbours.items()
    }
    return ModelData(data.products, neighbours, data.popularity, data.trending, data.config, data.timing)


def pack_levels() -> bytes:
    return struct.pack(f"<{LEVEL_COUNT}d", *LEVELS)


def read_levels(data: memoryview) -> tuple[float, ...]:
    if len(data) != 8 * LEVEL_COUNT:
        raise ModelFormatError(f"section 'weights': expected {LEVEL_COUNT} float64 levels ({8 * LEVEL_COUNT} bytes), found {len(data)} bytes")
    return struct.unpack(f"<{LEVEL_COUNT}d", data)
