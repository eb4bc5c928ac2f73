"""Popularity and trending scores by hand."""

import math

import pytest
from train_logs import DAY, chunk

from shopkeeper.publish.read.eventlog import CART, PURCHASE, VIEW
from shopkeeper.publish.train.popularity import popularity_scores, trending_scores
from shopkeeper.publish.train.sessions import sessionize

IDS = ["A", "B", "C"]


def log_of(rows):
    return sessionize([chunk([(i, ts, product, kind) for i, (ts, product, kind) in enumerate(rows)])], IDS)[0]


def test_popularity_weighs_carts_and_purchases_on_a_log_scale():
    log = log_of([(0, "A", VIEW)] * 3 + [(0, "A", CART), (0, "B", VIEW), (0, "C", PURCHASE)])
    # interest A = 3 + 3 = 6, B = 1, C = 5; scaled by log(1 + x) / log(1 + 6)
    assert popularity_scores(log).tolist() == pytest.approx([1.0, math.log(2) / math.log(7), math.log(6) / math.log(7)])


def test_popularity_halves_per_half_life_of_age():
    log = log_of([(0, "A", VIEW), (0, "A", VIEW), (30 * DAY, "B", VIEW)])
    # A: 2 views a half-life old = 1, B: 1 fresh view = 1
    assert popularity_scores(log, half_life_days=30).tolist() == pytest.approx([1.0, 1.0, 0.0])


def test_trending_is_a_poisson_z_score_of_the_last_window_against_the_three_before():
    end = 40 * DAY
    rows = [(end, "A", VIEW)] * 4 + [(end - 10 * DAY, "A", VIEW)] * 3 + [(end - 10 * DAY, "B", VIEW)] * 6
    rows += [(end - DAY, "C", VIEW), (0, "B", VIEW)]
    # window 7 days; A: 4 now vs 3 / 3 = 1 expected -> 3 / sqrt(2); B falls -> 0; C: 1 vs 0 -> 1
    scores = trending_scores(log_of(rows), window_days=7)
    assert scores.tolist() == pytest.approx([1.0, 0.0, 1 / (3 / math.sqrt(2))])


def test_an_empty_log_scores_nothing():
    log = log_of([])
    assert popularity_scores(log).tolist() == [0.0] * 3 and trending_scores(log).tolist() == [0.0] * 3
