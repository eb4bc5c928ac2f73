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

import heapq

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


class ItemKNN:
    def __init__(self, log: SessionLog, popular: Popularity, lmbd: float = 20.0):
        n = log.n_products
        item, session = log.item.astype(np.int64), log.session_index()
        keys = []
        for d in range(1, int(np.diff(log.starts).max(initial=1))):
            same = session[d:] == session[:-d]
            a, b = item[:-d][same], item[d:][same]
            keys += [a * n + b, b * n + a]
        pairs, counts = np.unique(np.concatenate(keys), return_counts=True) if keys else (np.zeros(0, np.int64),) * 2
        row, col = pairs // n, pairs % n
        support = np.bincount(item, minlength=n) + lmbd
        off_diagonal = row != col
        row, col = row[off_diagonal], col[off_diagonal]
        sim = counts[off_diagonal] / np.sqrt(support[row] * support[col])
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
    def __init__(self, log: SessionLog, popular: Popularity, k: int = 100, sample_size: int = 500):
        self.k, self.sample_size, self.popular = k, sample_size, popular
        self.items = [frozenset(s) for s in log.session_lists()]
        self.last_time = log.ts[log.starts[1:] - 1].tolist() if log.n_sessions else []
        self.sessions_of: dict[int, list[int]] = {}
        for s, items in enumerate(self.items):
            for i in items:
                self.sessions_of.setdefault(i, []).append(s)
        self.model_bytes = len(log) * 8 + log.n_sessions * 8  # int32 session + int32 item, float64 time

    def recommend(self, recent: list[int], k: int) -> list[int]:
        relevant = set().union(*(self.sessions_of.get(i, ()) for i in recent))
        if len(relevant) > self.sample_size:
            relevant = heapq.nlargest(self.sample_size, relevant, key=lambda s: (self.last_time[s], s))
        weight = {item: position / len(recent) for position, item in enumerate(recent, 1)}
        current = set(recent)
        similar = []
        for s in relevant:
            shared = current & self.items[s]
            if shared:
                similar.append((sum(weight[i] for i in shared) / len(weight), s))
        scores: dict[int, float] = {}
        for similarity, s in heapq.nlargest(self.k, similar):
            step = next(step for step, i in enumerate(reversed(recent), 1) if i in self.items[s])
            for i in self.items[s]:
                scores[i] = scores.get(i, 0.0) + similarity / step
        ranked = sorted(scores, key=lambda i: (-scores[i], i))[:k]
        return _fill(ranked, self.popular, k)


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
