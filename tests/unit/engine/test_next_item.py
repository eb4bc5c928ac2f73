"""score_next_items: the formula on a tiny model with hand-computed scores (runs in Pyodide too)."""

import pytest

from shopkeeper.engine.next_item import DEFAULTS, next_item_params, score_next_items
from shopkeeper.model import InMemoryModel


def model(next_item=None, popularity=None):
    raw = {
        "products": [{"id": name} for name in "ABCDEF"],
        "neighbours": {
            "viewed_together": {"A": [["B", 1.0], ["C", 0.5], ["D", 0.5]], "B": [["C", 1.0], ["A", 0.5], ["D", 0.25]]},
        },
        "popularity": popularity or {"F": 1.0, "E": 0.5, "A": 0.25},
    }
    if next_item is not None:
        raw["config"] = {"next_item": next_item}
    return InMemoryModel.from_json(raw)


PLAIN = {"remind": 0.0, "decay": 0.5, "horizon": 10}


def test_one_recent_product_ranks_its_list():
    # after A: B 1.0, C 0.5, D 0.5 (tie: lower index first)
    assert score_next_items(model(PLAIN), ["A"], 3) == ["B", "C", "D"]


def test_older_views_count_less_by_the_decay():
    # recent = A then B (B newest, weight 1; A weight 0.5):
    # from B: C 1.0, A 0.5, D 0.25; from A (x0.5): B 0.5, C 0.25, D 0.25
    # totals: C 1.25, then A, B and D at 0.5 in index order
    assert score_next_items(model(PLAIN), ["A", "B"], 4) == ["C", "A", "B", "D"]


def test_remind_brings_back_what_was_just_viewed():
    params = {**PLAIN, "remind": 2.0}
    # A gets 2.0 from itself: above B's 1.0
    assert score_next_items(model(params), ["A"], 2) == ["A", "B"]


def test_bestsellers_fill_the_list_after_the_scored_products():
    assert score_next_items(model(PLAIN), ["A"], 6) == ["B", "C", "D", "F", "E", "A"]


def test_exclude_removes_products_from_both_the_scores_and_the_filling():
    assert score_next_items(model(PLAIN), ["A"], 4, exclude=["B", "F", "unknown"]) == ["C", "D", "E", "A"]


def test_unknown_ids_and_an_empty_history_fall_back_to_bestsellers():
    assert score_next_items(model(PLAIN), ["nope"], 2) == ["F", "E"]
    assert score_next_items(model(PLAIN), [], 2) == ["F", "E"]


def test_horizon_limits_how_far_back_views_count():
    params = {**PLAIN, "horizon": 1}
    # only B counts: C 1.0, A 0.5, D 0.25
    assert score_next_items(model(params), ["A", "B"], 3) == ["C", "A", "D"]


def test_no_limit_no_list():
    assert score_next_items(model(PLAIN), ["A"], 0) == []


def test_params_come_from_the_model_config_and_bad_values_are_ignored():
    assert next_item_params(model()) == DEFAULTS
    params = next_item_params(model({"remind": "lots", "decay": -1, "horizon": 3, "together": 0.0}))
    assert params == {**DEFAULTS, "horizon": 3.0}  # "together" was a knob of format 1's two lists
    assert next_item_params(model(["not", "a", "dict"])) == DEFAULTS


@pytest.mark.parametrize("recent", [["A"], ["A", "B"], ["B", "A", "B"], ["C"]])
def test_matches_a_brute_force_oracle(recent):
    m = model(PLAIN)
    scores = {}
    for age, product in enumerate(reversed(recent)):
        index = m.index_of(product)
        for other, weight in m.neighbours("viewed_together", index):
            scores[other] = scores.get(other, 0.0) + 0.5**age * weight
    expected = [m.product(i).id for i in sorted(scores, key=lambda i: (-scores[i], i))]
    assert score_next_items(m, recent, len(expected)) == expected
