"""Session features, labels, logistic regression, AUC and log-loss, each against hand-computed values."""

import math

import numpy as np
import pytest
from train_logs import DAY, chunk

from shopkeeper.publish.read.eventlog import CART, PURCHASE, SEARCH, VIEW
from shopkeeper.publish.train.sessions import sessionize
from shopkeeper.publish.train.timing import FEATURES, auc, fit_logistic, labels, log_loss, predict, session_features, train_timing

IDS = ["a", "b", "c"]
ROWS = [(1, 1000, "a", VIEW), (1, 1030, "b", VIEW), (1, 1100, "b", CART), (1, 1200, "a", VIEW),
        (1, 1210, "b", PURCHASE), (2, DAY, "", SEARCH)]


def test_features_of_one_event_by_hand():
    x = session_features(sessionize([chunk(ROWS)], IDS)[0])
    hour = 1200 / 3600
    assert FEATURES == ("log_events", "log_seconds", "log_gap", "log_cart_adds", "log_same_product_views", "hour_sin", "hour_cos")
    assert x[3].tolist() == pytest.approx([math.log(5), math.log(201), math.log(101), math.log(2), math.log(3),
                                           math.sin(2 * math.pi * hour / 24), math.cos(2 * math.pi * hour / 24)])
    assert x[0, :5].tolist() == pytest.approx([math.log(2), 0, 0, 0, math.log(2)])
    assert x[5, :5].tolist() == pytest.approx([math.log(2), 0, 0, 0, 0])  # a search names no product


def test_labels_by_hand():
    leave, buy, still_open = labels(sessionize([chunk(ROWS)], IDS)[0])
    # gaps 30, 70, 100, 10 s, then the session ends; the next session is one search
    assert leave.tolist() == [False, True, True, False, True, True]
    assert buy.tolist() == [True, True, True, True, False, False]
    assert still_open.tolist() == [True, True, True, True, False, True]


def test_logistic_regression_recovers_known_weights():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40_000, 2)) * [1.0, 3.0] + [0.0, 5.0]
    y = rng.random(40_000) < 1 / (1 + np.exp(-(0.5 + 1.0 * x[:, 0] - 0.6 * x[:, 1])))
    weights = fit_logistic(x, y)
    assert weights == pytest.approx((0.5, 1.0, -0.6), abs=0.08)
    assert predict(weights, np.zeros((1, 2)))[0] == pytest.approx(1 / (1 + math.exp(-weights[0])))


def test_one_class_gives_a_constant_model():
    assert fit_logistic(np.ones((9, 2)), np.zeros(9, dtype=bool)) == (math.log(0.5 / 9.5), 0.0, 0.0)


def test_auc_and_log_loss_by_hand():
    assert auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])) == 0.75  # 3 of 4 pairs in order
    assert auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5
    assert auc(np.array([1, 1]), np.array([0.2, 0.3])) is None
    assert log_loss(np.array([True, False]), np.array([0.8, 0.4])) == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2)


def test_trained_models_learn_a_planted_signal_and_report_held_out_quality():
    rng = np.random.default_rng(1)
    rows, ts = [], 0.0
    for session in range(3000):
        ts += 3 * DAY / 3000
        buyer = rng.random() < 0.3
        for step in range(int(rng.integers(2, 8))):
            # buyers put things in the cart early and wait longer between pages
            kind = CART if buyer and step == 1 else VIEW
            rows.append((session, ts + step * (90 if buyer else 20), "abc"[step % 3], kind))
        if buyer:
            rows.append((session, ts + 8 * 90, "a", PURCHASE))
    model, report = train_timing(sessionize([chunk(rows)], IDS)[0])
    assert model.features == FEATURES and len(model.leave_soon) == len(model.buy_anyway) == len(FEATURES) + 1
    assert report["buy_anyway"]["auc"] > 0.9 and report["leave_soon"]["auc"] > 0.7
    assert report["buy_anyway"]["log_loss"] < report["buy_anyway"]["log_loss_base_rate"]
    assert 0 < report["leave_soon"]["held_out_rows"] < report["leave_soon"]["rows"]


def test_a_log_without_purchases_reports_buy_anyway_untrained_and_ships_constant_odds():
    rows = [(session, session * 600.0 + step * 45.0, "abc"[step % 3], VIEW) for session in range(40) for step in range(4)]
    model, report = train_timing(sessionize([chunk(rows)], IDS)[0])
    assert report["buy_anyway"] == {"trained": False, "why": "the log has no purchases", "rows": 160}
    assert report["leave_soon"]["trained"] is True and report["leave_soon"]["held_out_rows"] > 0
    assert model.buy_anyway[1:] == (0.0,) * len(FEATURES) and 1 / (1 + math.exp(-model.buy_anyway[0])) < 0.01


def test_the_engine_computes_the_same_features_from_browser_events():
    from shopkeeper.engine.events import Event
    from shopkeeper.engine.popups.timing import session_features as engine_features

    types = {VIEW: "product_view", CART: "add_to_cart", PURCHASE: "purchase", SEARCH: "search"}
    rows = ROWS[:4]
    session = [Event(type=types[kind], ts_ms=ts * 1000.0, product=product) for _, ts, product, kind in rows]
    engine = engine_features(session)
    published = session_features(sessionize([chunk(rows)], IDS)[0])[-1]
    assert [engine.get(name) for name in FEATURES] == pytest.approx(published.tolist())
