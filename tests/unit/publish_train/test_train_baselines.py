"""The evaluation's peers on tiny logs with hand-computed answers (one contract test each)."""

import math

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
