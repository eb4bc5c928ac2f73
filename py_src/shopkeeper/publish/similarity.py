"""Content similarity, so that a product nobody has viewed yet still has neighbours.

    similarity(a, b) = 0.4 * shared category depth / deeper of the two paths
                     + 0.2 * [same brand]
                     + 0.2 * max(0, 1 - |ln price_a - ln price_b| / ln 2)   (0 at twice the price)
                     + 0.2 * attribute Jaccard (shared key=value pairs / all of them)

Only pairs scoring at least MIN_SIMILARITY are kept: sharing a top-level category alone
(0.4 * 1/depth) is not enough in a deep tree. Products are only compared within their
top-level category (a bag is not a similar product to a shoe of the same brand); a block
larger than `max_block` is split by its next category level, and one that cannot be
split further is compared in (brand, price) order against a sliding window, so the work
stays near-linear for a 100k catalog.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from shopkeeper.model.data import Product

WEIGHTS = {"category": 0.4, "brand": 0.2, "price": 0.2, "attributes": 0.2}
MIN_SIMILARITY = 0.3
_ROWS = 256


def similar_products(products: Sequence[Product], k: int, *, max_block: int = 4000) -> list[list[tuple[int, float]]]:
    """The k most similar products of every product, best first, weights in (0, 1]."""
    lists: list[list[tuple[int, float]]] = [[] for _ in products]
    if k <= 0 or len(products) < 2:
        return lists
    features = _Features(products)
    if not features.informative():
        return lists
    for rows, columns in _blocks(features, np.arange(len(products)), 0, max_block):
        for start in range(0, len(rows), _ROWS):
            chunk = rows[start:start + _ROWS]
            score = features.similarity(chunk, columns)
            score[columns[None, :] == chunk[:, None]] = 0.0
            score[score < MIN_SIMILARITY] = 0.0
            take = min(k, len(columns))
            best = np.argpartition(-score, take - 1, axis=1)[:, :take]
            for position, row in enumerate(chunk.tolist()):
                picks = best[position][score[position, best[position]] > 0]
                found = sorted(zip((-score[position, picks]).tolist(), columns[picks].tolist()))
                lists[row] = [(other, -negative) for negative, other in found]
    return lists


class _Features:
    """Products as integer codes and floats that similarity() compares in bulk."""

    def __init__(self, products: Sequence[Product]):
        depth = max((len(p.category) for p in products), default=0)
        prefixes: dict[tuple, int] = {}
        self.category = np.full((len(products), max(depth, 1)), -1, dtype=np.int64)
        for i, product in enumerate(products):
            for level in range(len(product.category)):
                self.category[i, level] = prefixes.setdefault(product.category[:level + 1], len(prefixes))
        self.depth = np.array([len(p.category) for p in products], dtype=np.float64)
        brands: dict[str, int] = {"": -1}
        self.brand = np.array([brands.setdefault(p.brand, len(brands)) for p in products], dtype=np.int64)
        prices = np.array([p.current_price for p in products], dtype=np.float64)
        self.log_price = np.where(prices > 0, np.log(np.where(prices > 0, prices, 1.0)), np.nan)
        tokens: dict[tuple[str, str], int] = {}
        self.attributes = [sorted({tokens.setdefault(pair, len(tokens)) for pair in p.attributes}) for p in products]
        self.n_attributes = np.array([len(a) for a in self.attributes], dtype=np.float64)

    def informative(self) -> bool:
        """Whether any product has something to compare: no metadata, no content neighbours."""
        return bool((self.category >= 0).any() or (self.brand >= 0).any() or self.n_attributes.any()
                    or np.isfinite(self.log_price).any())

    def similarity(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        shared = np.zeros((len(rows), len(columns)))
        for level in range(self.category.shape[1]):
            a, b = self.category[rows, level][:, None], self.category[columns, level][None, :]
            shared += (a == b) & (a >= 0)
        deeper = np.maximum(self.depth[rows][:, None], self.depth[columns][None, :])
        score = WEIGHTS["category"] * np.divide(shared, deeper, out=np.zeros_like(shared), where=deeper > 0)
        brand_a, brand_b = self.brand[rows][:, None], self.brand[columns][None, :]
        score += WEIGHTS["brand"] * ((brand_a == brand_b) & (brand_a >= 0))
        gap = np.abs(self.log_price[rows][:, None] - self.log_price[columns][None, :])
        score += WEIGHTS["price"] * np.nan_to_num(np.maximum(0.0, 1.0 - gap / np.log(2.0)), nan=0.0)
        score += WEIGHTS["attributes"] * self._jaccard(rows, columns)
        return np.minimum(score, 1.0)  # 0.4 + 0.2 + 0.2 + 0.2 is 1.0000000000000002 in floats

    def _jaccard(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        used = sorted({t for i in rows.tolist() for t in self.attributes[i]})
        if not used:
            return np.zeros((len(rows), len(columns)))
        position = {token: j for j, token in enumerate(used)}
        left = np.zeros((len(rows), len(used)), dtype=np.float32)
        right = np.zeros((len(columns), len(used)), dtype=np.float32)
        for matrix, indexes in ((left, rows), (right, columns)):
            for r, i in enumerate(indexes.tolist()):
                for token in self.attributes[i]:
                    if token in position:
                        matrix[r, position[token]] = 1.0
        both = left @ right.T
        union = self.n_attributes[rows][:, None] + self.n_attributes[columns][None, :] - both
        return np.divide(both, union, out=np.zeros_like(union), where=union > 0)


def _blocks(features: _Features, members: np.ndarray, level: int, max_block: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(rows, the columns to compare them with): one top-level category at a time (products
    without one together), a big block split by its next level, paths ending at a level
    compared with their whole parent block."""
    if level > 0 and len(members) <= max_block:
        yield members, members
        return
    if level >= features.category.shape[1]:
        yield from _windows(features, members, members, max_block)
        return
    codes = features.category[members, level]
    groups = np.unique(codes)
    if level > 0 and len(groups) == 1:
        yield from _blocks(features, members, level + 1, max_block)
        return
    for code in groups.tolist():
        group = members[codes == code]
        if code < 0 and level > 0:
            yield from _windows(features, group, members, max_block)
        else:
            yield from _blocks(features, group, level + 1, max_block)


def _windows(features: _Features, rows: np.ndarray, columns: np.ndarray, max_block: int):
    """Rows against the max_block columns nearest in (brand, price): for blocks no category splits."""
    if len(columns) <= max_block:
        yield rows, columns
        return
    key = np.lexsort((np.nan_to_num(features.log_price[columns], nan=-1.0), features.brand[columns]))
    columns = columns[key]
    place = {c: j for j, c in enumerate(columns.tolist())}
    rows = columns[np.isin(columns, rows)]
    for start in range(0, len(rows), _ROWS):
        chunk = rows[start:start + _ROWS]
        low = max(0, min(place[int(chunk[0])] - max_block // 2, len(columns) - max_block))
        yield chunk, columns[low:low + max_block]
