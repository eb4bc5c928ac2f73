"""Popularity and trending, one score in [0, 1] per product.

The model writer derives the overall and per-category top lists from these scores, so
they only have to rank well and survive 8-bit quantization: popularity is therefore on a
log scale (a long tail of products on a linear scale would all quantize to 0).
"""

from __future__ import annotations

import numpy as np

from shopkeeper.publish.read.eventlog import CART, PURCHASE, VIEW
from shopkeeper.publish.train.sessions import SessionLog

# A cart add says more than a view, a purchase more than a cart add.
INTEREST = {VIEW: 1.0, CART: 3.0, PURCHASE: 5.0}


def interest(log: SessionLog) -> np.ndarray:
    """The weight of every event: INTEREST by kind, 0 for other kinds and for no product."""
    table = np.zeros(256)
    for kind, weight in INTEREST.items():
        table[kind] = weight
    return np.where(log.item >= 0, table[log.kind.astype(np.uint8)], 0.0)


def popularity_scores(log: SessionLog, *, half_life_days: float = 30.0) -> np.ndarray:
    """log(1 + decayed interest) / log(1 + the largest): halves every half_life_days of age."""
    if not len(log):
        return np.zeros(log.n_products)
    decay = 0.5 ** ((log.ts.max() - log.ts) / 86400.0 / half_life_days)
    total = np.bincount(np.maximum(log.item, 0), weights=interest(log) * decay, minlength=log.n_products)
    top = total.max()
    return np.log1p(total) / np.log1p(top) if top > 0 else total


def trending_scores(log: SessionLog, *, window_days: float = 7.0) -> np.ndarray:
    """Growth of the last window over the three before it, as a Poisson z-score.

    z = (recent - expected) / sqrt(expected + 1), expected = the earlier interest per window:
    a product rising from 0 to 50 views outranks one rising from 0 to 2, and falling
    products score 0. Scaled so the steepest riser is 1. The window shrinks to a quarter
    of the log's span for short logs, so a week-long log still has a trend.
    """
    scores = np.zeros(log.n_products)
    if not len(log):
        return scores
    end, span = log.ts.max(), log.ts.max() - log.ts.min()
    window = min(window_days * 86400.0, span / 4.0)
    if window <= 0:
        return scores
    weight = interest(log)
    item = np.maximum(log.item, 0)
    recent = log.ts > end - window
    earlier = (log.ts > end - 4 * window) & ~recent
    now = np.bincount(item[recent], weights=weight[recent], minlength=log.n_products)
    expected = np.bincount(item[earlier], weights=weight[earlier], minlength=log.n_products) / 3.0
    z = np.maximum((now - expected) / np.sqrt(expected + 1.0), 0.0)
    top = z.max()
    return z / top if top > 0 else scores
