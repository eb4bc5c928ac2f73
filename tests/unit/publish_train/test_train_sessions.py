"""sessionize: catalog indexes, time order, gap splits, unknown products."""

import warnings

import numpy as np
import pytest
from train_logs import DAY, chunk

from shopkeeper.publish.read.eventlog import CART, VIEW
from shopkeeper.publish.train.sessions import NO_PRODUCT, sessionize

IDS = ["a", "b", "c"]


def test_events_are_grouped_by_session_in_time_order_and_sessions_by_start():
    log, counts = sessionize([chunk([(5, 100, "a", VIEW), (3, 50, "b", VIEW), (5, 90, "c", CART)]),
                              chunk([(3, 40, "", VIEW), (9, 10, "c", VIEW)])], IDS)
    assert log.item.tolist() == [2, NO_PRODUCT, 1, 2, 0]
    assert log.ts.tolist() == [10, 40, 50, 90, 100]
    assert log.kind.tolist() == [VIEW, VIEW, VIEW, CART, VIEW]
    assert log.starts.tolist() == [0, 1, 3, 5]
    assert log.session_lists() == [[2], [NO_PRODUCT, 1], [2, 0]]
    assert (counts.events, counts.sessions, counts.without_product, counts.unknown_events) == (5, 3, 1, 0)


def test_a_long_pause_starts_a_new_session_like_the_engine_does():
    log, _ = sessionize([chunk([(1, 0, "a", VIEW), (1, 60, "b", VIEW), (1, 60 + 1801, "c", VIEW)])], IDS)
    assert log.session_lists() == [[0, 1], [2]]
    log, _ = sessionize([chunk([(1, 0, "a", VIEW), (1, 60, "b", VIEW), (1, 60 + 1801, "c", VIEW)])], IDS,
                        gap_seconds=3600)
    assert log.session_lists() == [[0, 1, 2]]


def test_unknown_products_are_counted_dropped_and_warned_about_once():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log, counts = sessionize([chunk([(1, 0, "a", VIEW), (1, 1, "zz", VIEW), (2, 2, "zz", VIEW), (2, 3, "yy", VIEW)])], IDS)
    assert [str(w.message) for w in caught] == [
        "3 events name 2 product ids that are not in the catalog (for example yy, zz); they were left out of training"]
    assert counts.unknown_events == 3 and counts.unknown_ids == {"yy", "zz"}
    assert log.session_lists() == [[0]]


def test_sessions_out_of_time_order_within_the_log_are_sorted():
    log, _ = sessionize([chunk([(1, 30, "c", VIEW), (1, 10, "a", VIEW), (1, 20, "b", VIEW), (2, 5, "b", VIEW), (2, 5, "a", VIEW)])], IDS)
    assert log.session_lists() == [[1, 0], [0, 1, 2]]  # equal times keep log order


@pytest.mark.parametrize("codes", [[-7, 2**62], [10**15, 3]])
def test_any_int64_session_codes_work(codes):
    log, _ = sessionize([chunk([(codes[0], 1, "a", VIEW), (codes[1], 2, "b", VIEW), (codes[0], 3, "c", VIEW)])], IDS)
    assert log.session_lists() == [[0, 2], [1]]


def test_no_events_is_an_empty_log():
    log, counts = sessionize([], IDS)
    assert len(log) == 0 and log.n_sessions == 0 and counts.events == 0


def test_selecting_events_and_sessions_keeps_the_structure():
    log, _ = sessionize([chunk([(1, 0, "a", VIEW), (1, 1, "", VIEW), (2, DAY, "b", VIEW), (3, 2 * DAY, "", VIEW)])], IDS)
    products = log.select_events(log.item >= 0)
    assert products.session_lists() == [[0], [1]]
    assert log.select_sessions(np.array([False, True, True])).session_lists() == [[1], [NO_PRODUCT]]
