"""The evaluation's peers on tiny logs with hand-computed answers (one contract test each)."""

import math

import numpy as np
import pytest
from train_logs import session_log

from shopkeeper.publish.evaluate.baselines import ItemKNN, Popularity, SessionKNN

IDS = list("ABCD")
A, B, C, D = range(4)
LOG = [["A", "B", "C"], ["A", "B"], ["B", "C"], ["D"]]


def test_popularity_lists_the_most_viewed_first_ties_by_index():
    popular = Popularity(session_log(LOG, IDS))
    assert popular.recommend([D], 3) == [B, A, C]
    assert popular.model_bytes == 4 * 4


def test_item_knn_is_cosine_over_session_co_occurrence_of_the_last_product():
    log = session_log(LOG, IDS)
    knn = ItemKNN(log, Popularity(log), lmbd=0.0)
    # c(A,B) = 2, c(A,C) = 1, supports A 2, B 3, C 2: sim(A,B) = 2 / sqrt(6) = 0.816 > sim(A,C) = 1 / 2
    assert knn.recommend([C, A], 3) == [B, C, A]  # A itself only as popularity filling
    assert knn.sim[:2].tolist() == pytest.approx([2 / math.sqrt(6), 0.5])
    assert knn.recommend([D], 2) == [B, A]  # no co-occurrence at all: popularity
    assert knn.model_bytes == 6 * 8 + 5 * 4  # six directed entries, indptr of five
    damped = ItemKNN(log, Popularity(log), lmbd=20.0)
    assert damped.sim[0] == pytest.approx(2 / math.sqrt(22 * 23))


def test_session_knn_votes_of_similar_sessions_decay_with_the_step_back():
    log = session_log(LOG, IDS)
    sknn = SessionKNN(log, Popularity(log))
    # recent B then C: weights B 1/2, C 1; sessions ABC and BC share both (0.75), AB shares B (0.25)
    # and matched only one step back (vote / 2): A 0.75 + 0.125, B 0.75 + 0.125 + 0.75, C 1.5
    assert sknn.recommend([B, C], 4) == [B, C, A, D]
    assert sknn.model_bytes == 8 * 8 + 4 * 8


def test_session_knn_samples_the_most_recent_sessions():
    sessions = [["D"], ["D"], ["D"], ["A", "C"], ["A", "B"]]
    log = session_log(sessions, IDS)
    assert SessionKNN(log, Popularity(log)).recommend([A], 4) == [A, B, C, D]
    assert SessionKNN(log, Popularity(log), sample_size=1).recommend([A], 4) == [A, B, D, C]


def reference_session_knn(sessions: list[list[int]], last_time: list[float], recent: list[int], k: int, sample: int) -> list[int]:
    """V-SKNN written out session by session, as session-rec's VMContextKNN reads: the oracle for the array version."""
    items = [frozenset(s) for s in sessions]
    relevant = {s for s, held in enumerate(items) if held & set(recent)}
    relevant = sorted(relevant, key=lambda s: (last_time[s], s), reverse=True)[:sample]
    weight = {item: position / len(recent) for position, item in enumerate(recent, 1)}
    similar = sorted(((sum(weight[i] for i in sorted(items[s] & set(recent))) / len(weight), s) for s in relevant), reverse=True)
    scores: dict[int, float] = {}
    for similarity, s in similar[:k]:
        step = next(step for step, i in enumerate(reversed(recent), 1) if i in items[s])
        for i in sorted(items[s]):
            scores[i] = scores.get(i, 0.0) + similarity / step
    return sorted(scores, key=lambda i: (-scores[i], i))


def test_session_knn_gives_the_session_by_session_answers_on_a_random_log():
    rng = np.random.default_rng(3)
    ids = [f"P{i}" for i in range(30)]
    sessions = [[ids[i] for i in rng.integers(0, 30, rng.integers(1, 7))] for _ in range(400)]
    log = session_log(sessions, ids)
    as_lists = log.session_lists()
    last_time = log.ts[log.starts[1:] - 1].tolist()
    for sample, k in ((500, 100), (40, 10), (15, 3)):
        sknn = SessionKNN(log, Popularity(log), k=k, sample_size=sample)
        for _ in range(60):
            recent = rng.integers(0, 30, rng.integers(1, 6)).tolist()
            expected = reference_session_knn(as_lists, last_time, recent, k, sample)[:20]
            assert sknn.recommend(recent, 20)[:len(expected)] == expected
            grid = sknn.recommend_grid(recent, (k, 2 * k), 20)
            assert grid[k] == sknn.recommend(recent, 20)
            assert grid[2 * k] == SessionKNN(log, Popularity(log), k=2 * k, sample_size=sample).recommend(recent, 20)
