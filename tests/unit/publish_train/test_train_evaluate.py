"""Evaluation: metrics against hand-computed values, the split, and a whole run on a small log."""

import math

import pytest

from shopkeeper.publish.evaluate import (evaluate_method, format_table, known_sessions, rank_metrics, run_evaluation,
                                         time_split)
from train_logs import session_log, sessions_chunk


def test_metrics_by_hand():
    figures = rank_metrics([1, 2, None, 11, 20])
    assert figures["hr@10"] == 2 / 5 and figures["hr@20"] == 4 / 5
    assert figures["mrr@20"] == pytest.approx((1 + 1 / 2 + 1 / 11 + 1 / 20) / 5)
    assert figures["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3)) / 5)
    assert figures["prefixes"] == 5


def test_every_prefix_predicts_its_next_product():
    seen = []

    def recommend(recent):
        seen.append(list(recent))
        return [recent[-1] + 1, 99]

    figures = evaluate_method(recommend, [[1, 2, 4], [7, 8]])
    assert seen == [[1], [1, 2], [7]]
    assert figures["hr@10"] == 2 / 3 and figures["mrr@20"] == pytest.approx(2 / 3)


def test_time_split_puts_sessions_ending_after_the_cutoff_in_the_test():
    log = session_log([["A"], ["B", "C"], ["C"]], ["A", "B", "C"])
    past, future = time_split(log, cutoff=3600.0 + 10)
    assert past.session_lists() == [[0], [1, 2]] and future.session_lists() == [[2]]
    past, future = time_split(log, None)  # the last fifth of sessions by end time
    assert past.n_sessions == 2 and future.n_sessions == 1


def test_test_sessions_lose_products_the_past_never_saw():
    log = session_log([["A", "B"], ["B", "C", "A"], ["D", "A", "C"], ["D", "B"]], list("ABCD"))
    past, future = time_split(log, cutoff=3600.0 + 100)
    assert known_sessions(past, future) == [[0, 2]]  # D dropped, and with it the second session


def cycle_log(sessions=300, products=40, length=6):
    """Sessions walking a ring of products one step at a time: next = current + 1."""
    rows = []
    for s in range(sessions):
        first = (s * 7) % products
        rows.append([f"p{(first + i) % products}" for i in range(length)])
    return rows


@pytest.mark.parametrize("tune, sessions", [(False, 300), (True, 100)])
def test_a_whole_evaluation_on_a_log_with_an_obvious_order(tune, sessions):
    events = [sessions_chunk(cycle_log(sessions))]
    messages = []
    result = run_evaluation(events, None, k=20, tune=tune, progress=messages.append)
    assert list(result) == ["shopkeeper", "popularity", "item_knn_full", "session_knn"]
    for figures in result.values():
        assert {"hr@10", "hr@20", "mrr@20", "ndcg@10", "model_bytes", "prefixes"} <= figures.keys()
    assert result["shopkeeper"]["prefixes"] == sessions // 5 * 5
    assert result["shopkeeper"]["scored_through"].startswith("decoded binary model")
    assert result["shopkeeper"]["hr@10"] > 0.95 > result["popularity"]["hr@10"]
    assert messages and "shopkeeper" in format_table(result)
