"""Item-to-item neighbours: known answers on tiny logs, and a brute-force oracle on random ones."""

import numpy as np
import pytest
from train_logs import DAY, chunk, session_log

from shopkeeper.publish.read.eventlog import PURCHASE, VIEW
from shopkeeper.publish.train import neighbours as nb
from shopkeeper.publish.train.neighbours import NeighbourParams, count_pairs, item_neighbours, pair_weight, top_k
from shopkeeper.publish.train.sessions import sessionize

IDS = list("ABCDEF")
A, B, C, D, E, F = range(6)


def test_viewed_together_weighs_by_distance_and_what_came_before_by_backward():
    lists = item_neighbours(session_log([["A", "B", "C"]], IDS), k=5)
    assert lists["viewed_together"][A] == [(B, 1.0), (C, 0.5)]
    assert lists["viewed_together"][B] == [(C, 1.0), (A, 0.5)]  # A came before B: half as much
    assert lists["viewed_together"][C] == [(B, 1.0), (A, 0.5)]  # both before C: B at 0.5, A at 0.25, scaled
    assert lists["bought_together"][A] == []
    both_ways = item_neighbours(session_log([["A", "B", "C"]], IDS), k=5, params=NeighbourParams(backward=1.0))
    assert both_ways["viewed_together"][B] == [(A, 1.0), (C, 1.0)]
    only_after = item_neighbours(session_log([["A", "B", "C"]], IDS), k=5, params=NeighbourParams(backward=0.0))
    assert only_after["viewed_together"][B] == [(C, 1.0)] and only_after["viewed_together"][C] == []


def test_a_product_is_never_its_own_neighbour():
    lists = item_neighbours(session_log([["A", "A", "B"]], IDS), k=5)
    assert lists["viewed_together"][A] == [(B, 1.0)]  # A->B at distances 1 and 2: 1 + 1/2, scaled to 1


def test_older_sessions_count_half_per_half_life():
    # A->B today, A->C one half-life (30 days) earlier: C weighs half of B
    log = sessionize([chunk([(1, 30 * DAY, "A", VIEW), (1, 30 * DAY + 5, "B", VIEW),
                             (2, 0, "A", VIEW), (2, 5, "C", VIEW)])], IDS)[0]
    assert item_neighbours(log, k=5, params=NeighbourParams(alpha_together=0.0))["viewed_together"][A] == [(B, 1.0), (C, 0.5)]


def test_damping_by_popularity_lets_a_rarer_product_overtake_a_bestseller():
    # after A: B twice, C once; but B is viewed 8 times overall, C once
    sessions = [["A", "B"], ["A", "B"], ["A", "C"]] + [["B"]] * 6
    plain = item_neighbours(session_log(sessions, IDS), k=5, params=NeighbourParams(alpha_together=0.0))
    assert plain["viewed_together"][A] == [(B, 1.0), (C, 0.5)]
    damped = item_neighbours(session_log(sessions, IDS), k=5, params=NeighbourParams(alpha_together=0.5))
    # B: 2 / sqrt(8) = 0.7071, C: 1 / sqrt(1) = 1
    assert damped["viewed_together"][A][0] == (C, 1.0)
    assert damped["viewed_together"][A][1][0] == B
    assert damped["viewed_together"][A][1][1] == pytest.approx(2 / 8**0.5, abs=1e-9)


def test_bought_together_pairs_purchases_in_a_session_at_any_distance():
    sessions = [[("A", PURCHASE)] + [("C", VIEW)] * 3 + [("B", PURCHASE)]]
    lists = item_neighbours(session_log(sessions, IDS), k=5)
    assert lists["bought_together"][A] == [(B, 1.0)] and lists["bought_together"][B] == [(A, 1.0)]
    assert lists["viewed_together"][A] == []  # purchases are not views


def test_min_weight_and_k_trim_the_lists():
    lists = item_neighbours(session_log([["A", "B", "C", "D"]], IDS), k=2)
    assert lists["viewed_together"][A] == [(B, 1.0), (C, 0.5)]
    lists = item_neighbours(session_log([["A", "B", "C", "D"]], IDS), k=5, params=NeighbourParams(min_weight=0.4))
    assert lists["viewed_together"][A] == [(B, 1.0), (C, 0.5)]


def test_pair_weight_by_hand():
    assert pair_weight(1, 0.0, 30.0) == 1.0
    assert pair_weight(4, 0.0, 30.0) == 0.25
    assert pair_weight(2, 15.0, 30.0) == pytest.approx(0.5 * 2**-0.5)
    assert pair_weight(2, 15.0, 30.0, by_distance=False) == pytest.approx(2**-0.5)
    assert pair_weight(1, 1e9, 30.0) == pytest.approx(2.0**-20)


def brute_force(sessions, now, window, half_life, by_distance, backward):
    """Every pair of every session, in plain Python: a then b, plus backward times b then a."""
    directed, support = {}, {}
    for session in sessions:
        for q, (b, tb) in enumerate(session):
            support[b] = support.get(b, 0.0) + pair_weight(1, (now - tb) / DAY, half_life)
            for p in range(max(0, q - window), q):
                a = session[p][0]
                if a != b:
                    directed[a, b] = directed.get((a, b), 0.0) + pair_weight(q - p, (now - tb) / DAY, half_life, by_distance)
    combined = dict(directed)
    for (a, b), w in directed.items():
        combined[b, a] = combined.get((b, a), 0.0) + backward * w
    return {pair: w for pair, w in combined.items() if w > 0}, support


def brute_top_k(pairs, support, alpha, k, n):
    lists = []
    for a in range(n):
        scores = {b: w / support[b] ** alpha for (x, b), w in pairs.items() if x == a}
        best = max(scores.values(), default=1.0)
        lists.append(sorted(((b, s / best) for b, s in scores.items()), key=lambda e: (-e[1], e[0]))[:k])
    return lists


def random_sessions(seed, n_sessions=40, n_products=6):
    rng = np.random.default_rng(seed)
    sessions = []
    for _ in range(n_sessions):
        start = rng.uniform(0, 120 * DAY)
        length = int(rng.integers(1, 9))
        sessions.append([(int(rng.integers(0, n_products)), start + 7.0 * i) for i in range(length)])
    return sessions


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("block_events", [3, 10**6])
def test_counts_and_lists_match_the_brute_force_oracle(seed, block_events, monkeypatch):
    monkeypatch.setattr(nb, "_BLOCK_EVENTS", block_events)
    sessions = random_sessions(seed)
    rows = [(number, ts, IDS[item], VIEW) for number, session in enumerate(sessions) for item, ts in session]
    log = sessionize([chunk(rows)], IDS, gap_seconds=DAY)[0]
    now = float(log.ts.max())
    window, half_life, by_distance = (3, 20.0, True) if seed % 2 else (10, 45.0, False)
    backward = (1.0, 0.5, 0.0)[seed % 3]
    expected, support = brute_force(sessions, now, window, half_life, by_distance, backward)
    got = count_pairs(log, now, window, half_life, by_distance=by_distance, backward=backward)
    as_dict = {(a, b): w for a, b, w in zip(got.row.tolist(), got.col.tolist(), got.weight.tolist())}
    assert as_dict.keys() == expected.keys()
    assert all(as_dict[key] == pytest.approx(expected[key], rel=1e-12) for key in expected)
    assert got.support.tolist() == pytest.approx([support.get(i, 0.0) for i in range(6)], rel=1e-12)
    for alpha in (0.0, 0.5, 1.0):
        lists = top_k(got, 6, 3, alpha)
        for got_list, expected_list in zip(lists, brute_top_k(expected, support, alpha, 3, 6)):
            assert [b for b, _ in got_list] == [b for b, _ in expected_list]
            assert [w for _, w in got_list] == pytest.approx([w for _, w in expected_list], abs=1e-9)
