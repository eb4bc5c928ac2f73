"""The peers shopkeeper's model is measured against, fitted on the same past in the same run.

Each takes the training SessionLog and answers recommend(recent, k) with product indexes,
filling up with the most popular products when its own candidates run out (as
shopkeeper's scorer does), so that every method is judged on full lists of k.

- Popularity: the k most viewed products, whoever asks.
- ItemKNN: session-rec's item-kNN baseline (Hidasi et al. 2016): the last product's
  neighbours by cosine over session co-occurrence, sim(i, j) = c(i, j) / sqrt((n_i + lambda)(n_j + lambda)),
  c counting pairs of events in a session and n_i the events of i; never itself. Full:
  unquantized and untruncated, so its size is the whole sparse similarity matrix.
- SessionKNN: V-SKNN (Ludewig & Jannach 2018), session-rec's VMContextKNN with its
  defaults: the current session against past sessions holding any of its products (the
  `sample_size` most recent), similarity = sum of the shared products' position weights
  (linear: position / length) / distinct products; the `k` most similar sessions vote for their
  products, each vote divided by how far back the most recent shared product is. It needs
  the whole training log at decision time: its size is that log, compactly stored.
- CoPurchase: for a cart, the products bought in the same past sessions as its products,
  by how many sessions bought both, summed over the cart; never a product in the cart.
"""

from __future__ import annotations

import numpy as np

from shopkeeper.publish.read.eventlog import PURCHASE
from shopkeeper.publish.train.sessions import SessionLog


class Popularity:
    def __init__(self, log: SessionLog, keep: int = 200):
        counts = np.bincount(log.item[log.item >= 0], minlength=log.n_products)
        self.ranked = np.argsort(-counts, kind="stable")[:keep].tolist()
        self.model_bytes = 4 * log.n_products  # one float32 score per product

    def recommend(self, recent: list[int], k: int) -> list[int]:
        return self.ranked[:k]


def _fill(ranked: list[int], popular: Popularity, k: int, exclude: frozenset[int] = frozenset()) -> list[int]:
    if len(ranked) < k:
        seen = set(ranked) | exclude
        ranked += [i for i in popular.ranked[:k + len(seen)] if i not in seen][:k - len(ranked)]
    return ranked


class CoOccurrence:
    """Pairs of events in a session, counted once for every lambda item-kNN is fitted with:
    (row, col, count) of the distinct off-diagonal pairs, and each product's events."""

    def __init__(self, log: SessionLog):
        n = self.n_products = log.n_products
        item, session = log.item.astype(np.int64), log.session_index()
        keys = []
        for d in range(1, int(np.diff(log.starts).max(initial=1))):
            same = session[d:] == session[:-d]
            a, b = item[:-d][same], item[d:][same]
            keys += [a * n + b, b * n + a]
        pairs, counts = np.unique(np.concatenate(keys), return_counts=True) if keys else (np.zeros(0, np.int64),) * 2
        row, col = pairs // n, pairs % n
        off_diagonal = row != col
        self.row, self.col, self.count = row[off_diagonal], col[off_diagonal], counts[off_diagonal]
        self.events = np.bincount(item, minlength=n)


class ItemKNN:
    def __init__(self, log: SessionLog | CoOccurrence, popular: Popularity, lmbd: float = 20.0):
        pairs = log if isinstance(log, CoOccurrence) else CoOccurrence(log)
        n, row, col = pairs.n_products, pairs.row, pairs.col
        support = pairs.events + lmbd
        sim = pairs.count / np.sqrt(support[row] * support[col])
        order = np.lexsort((col, -sim, row))
        self.col, self.sim = col[order].tolist(), sim[order]
        self.indptr = np.searchsorted(row[order], np.arange(n + 1)).tolist()
        self.popular = popular
        self.model_bytes = len(self.col) * (4 + 4) + (n + 1) * 4  # CSR: int32 index + float32 weight, int32 indptr

    def recommend(self, recent: list[int], k: int) -> list[int]:
        last = recent[-1]
        start = self.indptr[last]
        return _fill(self.col[start:min(start + k, self.indptr[last + 1])], self.popular, k)


class SessionKNN:
    """V-SKNN over numpy arrays: per decision a few array operations instead of Python loops
    over every past session that shares a product (what made evaluate slow on large logs).

    Sessions are numbered by recency (rank 0 ends last; ties by the later session), so the
    `sample_size` most recent sessions holding any product of the current one are the
    smallest ranks among each product's first `sample_size`. recommend_grid answers for
    several k at once: everything but the final vote is shared.
    """

    def __init__(self, log: SessionLog, popular: Popularity, k: int = 100, sample_size: int = 500):
        self.k, self.sample_size, self.popular = k, sample_size, popular
        n, sessions = log.n_products, log.n_sessions
        last_time = log.ts[log.starts[1:] - 1] if sessions else np.zeros(0)
        self.session_of_rank = np.lexsort((np.arange(sessions), last_time))[::-1]
        rank = np.empty(sessions, dtype=np.int64)
        rank[self.session_of_rank] = np.arange(sessions)
        pairs = np.unique(rank[log.session_index()] * n + log.item.astype(np.int64))  # distinct (rank, product)
        pair_rank, pair_item = pairs // n, pairs % n
        self.items_of = pair_item                                       # by rank, then product
        self.items_start = np.searchsorted(pair_rank, np.arange(sessions + 1))
        by_item = np.argsort(pair_item, kind="stable")                  # ranks ascending within a product
        self.ranks_of = pair_rank[by_item]
        self.ranks_start = np.searchsorted(pair_item[by_item], np.arange(n + 1))
        self._weight = np.zeros(n)
        self._step = np.full(n, np.iinfo(np.int64).max)
        self.model_bytes = len(log) * 8 + log.n_sessions * 8  # int32 session + int32 item, float64 time

    def recommend(self, recent: list[int], k: int) -> list[int]:
        return self.recommend_grid(recent, (self.k,), k)[self.k]

    def recommend_grid(self, recent: list[int], ks: tuple[int, ...], limit: int) -> dict[int, list[int]]:
        """{k: the `limit` products the k most similar sessions vote for}, popular ones filling up."""
        weight = {item: position / len(recent) for position, item in enumerate(recent, 1)}
        current = np.fromiter(weight, dtype=np.int64, count=len(weight))
        sample = self.sample_size
        starts = self.ranks_start[current]
        ranks = np.unique(np.concatenate([self.ranks_of[a:min(b, a + sample)]
                                          for a, b in zip(starts.tolist(), self.ranks_start[current + 1].tolist())]))[:sample]
        if not len(ranks):
            return {k: _fill([], self.popular, limit) for k in ks}
        items, offsets, lengths = self._items(ranks)
        self._weight[current] = np.fromiter(weight.values(), dtype=np.float64, count=len(weight))
        similarity = np.add.reduceat(self._weight[items], offsets) / len(weight)
        self._weight[current] = 0.0
        for step, item in enumerate(reversed(recent), 1):
            self._step[item] = min(self._step[item], step)
        steps = np.minimum.reduceat(self._step[items], offsets)
        self._step[current] = np.iinfo(np.int64).max
        sessions = self.session_of_rank[ranks]
        order = np.lexsort((sessions, similarity))[::-1][:max(ks)]      # most similar first, ties: the later session
        voted, _, voted_lengths = self._items(ranks[order])              # the voters' products, best voter first
        votes = np.repeat((similarity / steps)[order], voted_lengths)
        ends = np.cumsum(voted_lengths)
        products, voter_of = np.unique(voted, return_inverse=True)      # counted over these, not the catalog
        ranked = {}
        for k in ks:
            end = int(ends[min(k, len(ends)) - 1])
            scores = np.bincount(voter_of[:end], weights=votes[:end], minlength=len(products))
            kept = np.flatnonzero(scores)
            best = products[kept[np.lexsort((kept, -scores[kept]))[:limit]]]
            ranked[k] = _fill(best.tolist(), self.popular, limit)
        return ranked

    def _items(self, ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The products of these sessions laid end to end, where each session's begin, and their counts."""
        begins = self.items_start[ranks]
        lengths = self.items_start[ranks + 1] - begins
        offsets = np.cumsum(lengths) - lengths
        flat = np.arange(int(lengths.sum())) - np.repeat(offsets - begins, lengths)
        return self.items_of[flat], offsets, lengths


class CoPurchase:
    def __init__(self, log: SessionLog):
        bought = log.select_events((log.kind == PURCHASE) & (log.item >= 0))
        self.together: dict[int, dict[int, int]] = {}
        for items in bought.session_lists():
            distinct = sorted(set(items))
            for a in distinct:
                row = self.together.setdefault(a, {})
                for b in distinct:
                    if a != b:
                        row[b] = row.get(b, 0) + 1
        self.popular = Popularity(bought)

    def recommend(self, cart: list[int], k: int) -> list[int]:
        scores: dict[int, int] = {}
        for item in cart:
            for other, count in self.together.get(item, {}).items():
                scores[other] = scores.get(other, 0) + count
        in_cart = frozenset(cart)
        ranked = sorted((i for i in scores if i not in in_cart), key=lambda i: (-scores[i], i))[:k]
        return _fill(ranked, self.popular, k, in_cart)
