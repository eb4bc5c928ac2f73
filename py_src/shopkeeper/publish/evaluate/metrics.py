"""Ranking metrics of one relevant product per case, shared by the evaluation and tuning.

From the target's 1-based rank r per case (None: not listed): HR@10 and HR@20 (r <= 10,
20), MRR@20 (1/r when r <= 20) and NDCG@10 (1/log2(r + 1) when r <= 10; one relevant
product, so that is the whole formula), each averaged over all cases.
"""

from __future__ import annotations

import math

__all__ = ["METRICS", "rank_metrics"]

METRICS = ("hr@10", "hr@20", "mrr@20", "ndcg@10")


def rank_metrics(ranks: list[int | None]) -> dict:
    n = max(len(ranks), 1)
    found = [r for r in ranks if r is not None]
    return {
        "hr@10": sum(r <= 10 for r in found) / n, "hr@20": sum(r <= 20 for r in found) / n,
        "mrr@20": sum(1 / r for r in found if r <= 20) / n,
        "ndcg@10": sum(1 / math.log2(r + 1) for r in found if r <= 10) / n, "prefixes": len(ranks),
    }
