"""Evaluation: metrics against hand-computed values, the split, the replay through the
worker's decision function, and whole runs on small logs."""

import json
import math

import pytest
from train_logs import session_log, sessions_chunk

from shopkeeper.browser import worker_entry
from shopkeeper.model import Product, decode_model, encode_model
from shopkeeper.publish.evaluate.holdout import (
    BUILT_IN,
    ceiling,
    evenly_drawn,
    format_table,
    known_views,
    rank_both,
    rank_metrics,
    run_evaluation,
    time_split,
)
from shopkeeper.publish.evaluate.replay import ShelfReplay, cart_page_case, product_page_case
from shopkeeper.publish.read.eventlog import PURCHASE, VIEW
from shopkeeper.publish.train.pipeline import train_model


def test_metrics_by_hand():
    figures = rank_metrics([1, 2, None, 11, 20])
    assert figures["hr@10"] == 2 / 5 and figures["hr@20"] == 4 / 5
    assert figures["mrr@20"] == pytest.approx((1 + 1 / 2 + 1 / 11 + 1 / 20) / 5)
    assert figures["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3)) / 5)
    assert figures["prefixes"] == 5


def test_every_prefix_predicts_its_next_product_under_both_exclusions():
    seen = []

    def recommend(recent, n):
        seen.append((list(recent), n))
        return {"peer": [recent[-1], recent[-1] + 1, 1, 99][:n]}

    ranks = rank_both(recommend, [([1, 2, 1], [0.0, 1.0, 2.0]), ([7, 8], [0.0, 1.0])], lambda message: None, "")
    assert seen == [([1], 21), ([1, 2], 22), ([7], 21)]   # the list cut without the viewed ones stays 20 long
    # after [1]: 2 is second, first once 1 (on screen) is cut; after [1, 2]: 1 (viewed) is cut only when viewed are left out
    assert ranks == {"peer": {False: [1, 2, 1], True: [1, None, 1]}}
    assert rank_metrics(ranks["peer"][False])["mrr@20"] == pytest.approx((1 + 1 / 2 + 1) / 3)


def test_validation_is_drawn_evenly_in_whole_sessions_on_large_logs():
    sessions = [([i, i + 1, i + 2], [0.0, 1.0, 2.0]) for i in range(100)]   # two next clicks each
    assert evenly_drawn(sessions, 500) is sessions
    drawn = evenly_drawn(sessions, 50)
    assert len(drawn) == 25 and drawn[0] is sessions[0] and drawn[1] is sessions[4] and drawn[-1] is sessions[96]


def test_time_split_puts_sessions_ending_after_the_cutoff_in_the_test():
    log = session_log([["A"], ["B", "C"], ["C"]], ["A", "B", "C"])
    past, future = time_split(log, cutoff=3600.0 + 10)
    assert past.session_lists() == [[0], [1, 2]] and future.session_lists() == [[2]]
    past, future = time_split(log, None)  # the last fifth of sessions by end time
    assert past.n_sessions == 2 and future.n_sessions == 1


def test_test_sessions_lose_products_the_past_never_saw():
    log = session_log([["A", "B"], ["B", "C", "A"], ["D", "A", "C"], ["D", "B"]], list("ABCD"))
    past, future = time_split(log, cutoff=3600.0 + 100)
    assert [items for items, _ in known_views(past, future)] == [[0, 2]]  # D dropped, and with it the second session


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
    assert list(result) == ["shopkeeper", "popularity", "item_knn_full", "session_knn", "placements"]
    assert list(result["placements"]) == ["viewed-together", "viewed-together-unseen"]   # no purchases: no cart shelf
    for name, figures in result["placements"].items():
        assert {"hr@20", "mrr@20", "hr@10", "ndcg@10", "prefixes", "excludes_viewed"} <= figures.keys()
        assert figures["excludes_viewed"] == (name == "viewed-together-unseen")
        assert figures["prefixes"] == sessions // 5 * 5
        assert figures["hr@10"] > 0.95 > figures["peers"]["popularity"]["hr@10"]
    top = result["shopkeeper"]
    assert top["placement"] == "viewed-together" and top["scored_through"].startswith("decide_page")
    assert top["hr@20"] == result["placements"]["viewed-together"]["hr@20"]
    assert result["session_knn"] == result["placements"]["viewed-together"]["peers"]["session_knn"]
    assert (top["settings"].startswith("tuned") and top["tuning"]["prefixes"] > 0) if tune else top["settings"] == "engine defaults (--no-tune)"
    assert messages and "viewed-together-unseen" in format_table(result)


def test_the_replay_ranks_what_the_worker_returns_for_the_same_records():
    """The function evaluate scores with and the one the browser worker calls give the
    same list for the same stored records, page context and time."""
    log = [sessions_chunk(cycle_log(200, products=30))]
    products = [Product(f"p{i}", title=f"Product {i}") for i in range(30)]
    data, _ = train_model(products, log, {"placements": BUILT_IN}, tune=False)
    blob = encode_model(data)
    worker_entry.load_model(blob)
    replay = ShelfReplay(decode_model(blob))
    cases = [product_page_case(["p3", "p4", "p9"], [100.0, 130.0, 170.0], "viewed-together", 20),
             product_page_case(["p3", "p4", "p9"], [100.0, 130.0, 170.0], "viewed-together-unseen", 20),
             product_page_case(["p7"], [100.0], "personalized", 8),
             cart_page_case(["p1", "p2"], 500.0, "bought-together", 10)]
    try:
        for case in cases:
            keys, records = worker_entry.as_store(list(case.records))
            decisions = json.loads(worker_entry.decide_json(keys, records, json.dumps(case.context), case.now_ms))
            worker_entry.forget()
            listed = [item["id"] for item in decisions["recs"][case.placement]["items"]]
            assert replay.ranked(case) == listed and listed
        shown = replay.ranked(cases[0])
        assert shown[:2] == ["p4", "p10"]   # the view before, then the next on the ring; never p9, on screen
        assert "p9" not in shown
        assert not {"p3", "p4", "p9"} & set(replay.ranked(cases[1]))
    finally:
        worker_entry.load_model(encode_model(type(data)(products=[])))


def test_the_ceiling_counts_what_a_shelf_may_show():
    sessions = [([1, 1, 2, 1], [0.0, 1.0, 2.0, 3.0])]   # next clicks: 1 (on screen), 2, 1 (seen before)
    assert ceiling(sessions, excludes_viewed=False) == pytest.approx(2 / 3)
    assert ceiling(sessions, excludes_viewed=True) == pytest.approx(1 / 3)


def test_the_cart_shelf_is_measured_on_orders_with_one_product_hidden():
    """Orders pair a tent with its stove and a boot with its socks: bought together finds
    the hidden half, where the most bought products alone find it half the time."""
    pairs = [("tent", "stove"), ("boots", "socks"), ("mug", "cup")]
    sessions = []
    for number in range(120):
        a, b = pairs[number % 3]
        sessions.append([a, b, (a, PURCHASE), (b, PURCHASE)] if number % 2 == 0 else [a, b, "mug", (a, VIEW)])
    result = run_evaluation([sessions_chunk(sessions)], None, k=20, tune=False)
    cart = result["placements"]["bought-together"]
    assert cart["page"] == "cart" and cart["prefixes"] == 12 * 2
    assert cart["hr@10"] == 1.0 and cart["mrr@20"] == 1.0
    assert cart["peers"]["co_purchase"]["mrr@20"] == 1.0 > cart["peers"]["popularity"]["mrr@20"]


def test_a_large_test_is_drawn_down_and_says_so(monkeypatch):
    import shopkeeper.publish.evaluate.holdout as holdout

    monkeypatch.setattr(holdout, "MAX_VALIDATION_PREFIXES", 30)
    messages = []
    result = run_evaluation([sessions_chunk(cycle_log(300))], None, k=20, tune=False, max_test_pages=100, progress=messages.append)
    split = result["shopkeeper"]["split"]
    assert split["test_pages_in_split"] == 300 and 95 <= split["test_pages"] <= 105
    assert result["placements"]["viewed-together"]["prefixes"] == split["test_pages"]
    assert split["validation_prefixes"] < 40 < split["validation_prefixes_in_split"]
    assert any("of them scored: whole sessions drawn evenly" in message for message in messages)
    assert any(message.startswith("the peers' knobs are chosen on") for message in messages)
    assert f"{split['test_pages']:,} cases of 300, drawn evenly" in format_table(result)
