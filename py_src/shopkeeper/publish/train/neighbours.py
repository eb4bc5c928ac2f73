"""Item-to-item neighbours from sessions: viewed together (by direction) and bought together.

viewed_together[a] ranks the products viewed within `window` steps of a in the same
session, each pair weighted 1/distance, and a product viewed *after* a counts fully while
one viewed *before* it counts `backward` times as much: the sequential rules of Kamehkhosh
et al. (the strongest simple next-click signal) and plain co-views in one list, one level
per entry. On the YOOCHOOSE validation split this one list, backward 0.5, scores the
HR@20 of the separate viewed-next and viewed-together lists it replaces (0.6760 against
0.6737), and on benchmarks/publish.py it takes 21.8 bytes per product where those took
48.5; the shelves that mixed the two lists mixed them in about this ratio anyway.
bought_together[a] pairs products purchased in the same session, at any distance, either order.
Every pair also decays with its age, halving every `half_life_days`, so this season's
taste outweighs last year's. Lists rank count(a, b) / support(b) ** alpha: alpha 0 is the
plain conditional frequency, 0.5 is cosine-like, 1 is lift; damping keeps bestsellers
from filling every list, and the evaluation measures what it costs in next-click hits.

Memory follows the number of distinct pairs, not of events: pairs of one block of
sessions at a time are packed with their age bucket and distance into one int64 key,
sorted (np.sort, far faster than argsort) and run-length counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from shopkeeper.publish.progress import counted
from shopkeeper.publish.read.eventlog import PURCHASE, VIEW
from shopkeeper.publish.train.sessions import SessionLog

_AGE_STEPS_PER_HALF_LIFE = 16
_AGE_BUCKETS = 20 * _AGE_STEPS_PER_HALF_LIFE + 1  # beyond 20 half-lives a pair weighs < 1e-6
_BLOCK_EVENTS = 4_000_000


@dataclass(frozen=True)
class NeighbourParams:
    """Defaults measured on a validation split of the YOOCHOOSE training period. For
    next clicks, undamped lists rank best (alpha 0) and a product viewed before the seed
    is worth about half one viewed after it (backward 0.5); shelves show the same list as
    it is, so alpha_together 0.25 damps bestsellers a little, for about half a point of
    HR@20, and keeps the lists inside their categories, where they cost fewer bytes
    (21.8 against 25.8 bytes per product on benchmarks/publish.py at K = 20).
    Entries below min_weight of their list's best decide almost nothing and cost bytes."""

    window: int = 10
    purchase_window: int = 50
    half_life_days: float = 30.0
    backward: float = 0.5
    alpha_together: float = 0.25
    alpha_bought: float = 0.5
    min_weight: float = 0.02


@dataclass(frozen=True)
class Pairs:
    """Decayed pair weights, sorted by (row, col), one entry per distinct pair; support:
    the decayed event count of every product in the same stream."""

    row: np.ndarray
    col: np.ndarray
    weight: np.ndarray
    support: np.ndarray


def item_neighbours(log: SessionLog, k: int, params: NeighbourParams = NeighbourParams(),
                    progress: Callable[[str], None] = lambda message: None) -> dict[str, list]:
    """viewed_together and bought_together lists for every product, best first."""
    now = float(log.ts.max()) if len(log) else 0.0
    views = log.select_events((log.kind == VIEW) & (log.item >= 0))
    bought = log.select_events((log.kind == PURCHASE) & (log.item >= 0))
    viewed = count_pairs(views, now, params.window, params.half_life_days, by_distance=True, backward=params.backward,
                         progress=progress)
    bought_together = count_pairs(bought, now, params.purchase_window, params.half_life_days, by_distance=False)
    return {
        "viewed_together": top_k(viewed, log.n_products, k, params.alpha_together, params.min_weight),
        "bought_together": top_k(bought_together, log.n_products, k, params.alpha_bought, params.min_weight),
    }


def pair_weight(distance: int, age_days: float, half_life_days: float, by_distance: bool = True) -> float:
    """What one co-occurrence adds: 1/distance (when by_distance) times the age decay,
    the age measured in 1/16 half-lives, rounded down."""
    steps = min(int(age_days / half_life_days * _AGE_STEPS_PER_HALF_LIFE), _AGE_BUCKETS - 1)
    return 0.5 ** (steps / _AGE_STEPS_PER_HALF_LIFE) / (distance if by_distance else 1)


def count_pairs(log: SessionLog, now: float, window: int, half_life_days: float, *, by_distance: bool,
                backward: float = 1.0, progress: Callable[[str], None] = lambda message: None) -> Pairs:
    """Pair weights of a then b within `window` steps (row a, column b), plus `backward`
    times those of b then a: 1.0 counts both orders alike, 0.0 only what follows."""
    n = log.n_products
    bits = _Bits(n, _AGE_BUCKETS * (window + 1))
    decay = 0.5 ** (np.arange(_AGE_BUCKETS) / _AGE_STEPS_PER_HALF_LIFE)
    distance = np.maximum(np.arange(window + 1, dtype=np.float64), 1.0)
    table = np.outer(decay, 1.0 / distance if by_distance else np.ones(window + 1)).ravel()
    age = np.minimum((now - log.ts) / 86400.0 / half_life_days * _AGE_STEPS_PER_HALF_LIFE, _AGE_BUCKETS - 1)
    age = age.astype(np.int64)
    support = np.bincount(log.item, weights=decay[age], minlength=n)
    session = log.session_index()
    blocks = list(_blocks(log.starts))
    if len(blocks) > 1:   # a log this long takes a while: count its blocks
        blocks = counted(progress, blocks, "pairs of events counted", len(blocks), f"blocks of about {_BLOCK_EVENTS:,} events")
    keys, weight = _merge([_block_pairs(log.item[a:b], session[a:b], age[a:b], window, table, bits) for a, b in blocks])
    if backward != 1.0:
        weight = np.where((keys & 1) == 0, weight, weight * backward)
        keep = weight > 0
        keys, weight = keys[keep], weight[keep]
    return _sum_runs(keys >> 1, weight, bits, support)


class _Bits:
    """The layout of a packed pair key: row | column | reversed | weight class, high to low."""

    def __init__(self, n: int, classes: int):
        self.index = max(1, int(n - 1).bit_length())
        self.cls = max(1, int(classes - 1).bit_length())
        if 2 * self.index + 1 + self.cls > 63:
            raise ValueError(f"{n} products are too many for 64-bit pair keys")


def _blocks(starts: np.ndarray):
    bounds = np.unique(np.append(starts[np.searchsorted(starts, np.arange(0, starts[-1], _BLOCK_EVENTS), "right") - 1],
                                 starts[-1]))
    return zip(bounds[:-1].tolist(), bounds[1:].tolist())


def _block_pairs(item, session, age, window, table, bits: _Bits) -> tuple[np.ndarray, np.ndarray]:
    """One block's pairs as sorted unique keys row | column | reversed, with summed weights.

    Keys are first packed with their weight class (age bucket, distance) so that np.sort
    alone groups them; each class's count times its weight then sums per pair.
    """
    start = np.arange(max(len(item) - 1, 0))
    keys = []
    for d in range(1, window + 1):
        start = start[start + d < len(item)]
        start = start[session[start + d] == session[start]]
        if not len(start):
            break
        pick = start[item[start] != item[start + d]]
        a, b = item[pick].astype(np.int64), item[pick + d].astype(np.int64)
        cls = age[pick + d] * (window + 1) + d
        keys.append((((a << bits.index) | b) << (1 + bits.cls)) | cls)
        keys.append((((((b << bits.index) | a) << 1) | 1) << bits.cls) | cls)
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0)
    packed = np.concatenate(keys)
    del keys
    packed.sort()
    first = _run_starts(packed)
    unique = packed[first]
    weight = np.diff(np.append(first, len(packed))) * table[unique & ((1 << bits.cls) - 1)]
    pair = unique >> bits.cls
    first = _run_starts(pair)
    return pair[first], np.add.reduceat(weight, first)


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal neighbours begins, in a sorted array."""
    return np.flatnonzero(np.append(True, values[1:] != values[:-1])) if len(values) else np.zeros(0, np.int64)


def _merge(partials: list) -> tuple[np.ndarray, np.ndarray]:
    if len(partials) == 1:
        return partials[0]
    keys = np.concatenate([p[0] for p in partials]) if partials else np.zeros(0, np.int64)
    weight = np.concatenate([p[1] for p in partials]) if partials else np.zeros(0)
    order = np.argsort(keys, kind="stable")  # a merge of sorted runs: timsort finds them
    keys, weight = keys[order], weight[order]
    first = _run_starts(keys)
    return keys[first], np.add.reduceat(weight, first) if len(first) else weight


def _sum_runs(pair: np.ndarray, weight: np.ndarray, bits: _Bits, support: np.ndarray) -> Pairs:
    first = _run_starts(pair)
    total = np.add.reduceat(weight, first) if len(first) else np.zeros(0)
    pair = pair[first]
    return Pairs((pair >> bits.index).astype(np.int32), (pair & ((1 << bits.index) - 1)).astype(np.int32), total, support)


def top_k(pairs: Pairs, n: int, k: int, alpha: float, min_weight: float = 0.0) -> list[list[tuple[int, float]]]:
    """The k best columns of every row by weight / support ** alpha, scaled so the best is 1.

    One np.sort of int64 keys packing (row, 1 - scaled score, column) ranks every row at
    once (scores equal to about 1e-10 tie, and ties go to the lower product index).
    """
    lists: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    if not len(pairs.row) or k <= 0:
        return lists
    score = pairs.weight / pairs.support[pairs.col] ** alpha
    first = _run_starts(pairs.row)
    score /= np.repeat(np.maximum.reduceat(score, first), np.diff(np.append(first, len(score))))
    index_bits = max(1, int(n - 1).bit_length())
    score_bits = min(40, 63 - 2 * index_bits)
    scale = float(2**score_bits - 1)
    rank = np.rint((1.0 - score) * scale).astype(np.int64)
    keys = np.sort((pairs.row.astype(np.int64) << (score_bits + index_bits)) | (rank << index_bits) | pairs.col)
    row = keys >> (score_bits + index_bits)
    first = _run_starts(row)
    position = np.arange(len(keys)) - np.repeat(first, np.diff(np.append(first, len(keys))))
    keys, row = keys[position < k], row[position < k]
    col = keys & (2**index_bits - 1)
    pair = (pairs.row.astype(np.int64) << index_bits) | pairs.col
    weight = score[np.searchsorted(pair, (row << index_bits) | col)]  # exact, not the key's rounded copy
    keep = (weight >= min_weight) & (weight > 0)
    row, col, weight = row[keep].tolist(), col[keep].tolist(), weight[keep].tolist()
    for r, c, w in zip(row, col, weight):
        lists[r].append((c, w))
    return lists
