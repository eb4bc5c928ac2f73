"""next_item_candidates: the formula on a tiny model with hand-computed scores (runs in Pyodide too)."""

import pytest

from shopkeeper.engine.recs.next_item import DEFAULTS, next_item_candidates, next_item_params
from shopkeeper.model import InMemoryModel


def model(next_item=None, popularity=None):
    raw = {
        "products": [{"id": name} for name in "ABCDEF"],
        "neighbours": {
            "viewed_together": {"A": [["B", 1.0], ["C", 0.5], ["D", 0.5]], "B": [["C", 1.0], ["A", 0.5], ["D", 0.25]]},
            "bought_together": {"E": [["F", 1.0], ["C", 0.5]]},
        },
        "popularity": popularity or {"F": 1.0, "E": 0.5, "A": 0.25},
    }
    if next_item is not None:
        raw["config"] = {"next_item": next_item}
    return InMemoryModel.from_json(raw)


PLAIN = {"remind": 0.0, "decay": 0.5, "horizon": 10, "hop": 0.0, "cart": 1.0}


def ranked(m, recent, params=PLAIN, *, on_screen=None, cart=(), remind=True):
    """(id, score, reason, seed id) best first, ties by index, as the shelves sort them."""
    index = m.index_of
    found = next_item_candidates(
        m, [index(p) for p in recent], {**DEFAULTS, **params},
        on_screen=index(on_screen) if on_screen else None, cart=[index(p) for p in cart], remind=remind,
    )
    found.sort(key=lambda c: (-c.score, c.index))
    return [(m.product(c.index).id, round(c.score, 6), c.reason, m.product(c.seed).id if c.seed is not None else "")
            for c in found]


def test_one_recent_product_ranks_its_list():
    assert ranked(model(), ["A"]) == [
        ("B", 1.0, "viewed_next", "A"), ("C", 0.5, "viewed_next", "A"), ("D", 0.5, "viewed_next", "A")]


def test_the_product_on_screen_reads_viewed_together():
    assert ranked(model(), ["A"], on_screen="A")[0] == ("B", 1.0, "viewed_together", "A")


def test_older_views_count_less_by_the_decay_and_the_strongest_seed_is_the_reason():
    # B newest (weight 1): C 1.0, A 0.5, D 0.25; A before it (x0.5): B 0.5, C 0.25, D 0.25
    assert ranked(model(), ["B", "A"]) == [
        ("C", 1.25, "viewed_next", "B"), ("A", 0.5, "viewed_next", "B"),
        ("B", 0.5, "viewed_next", "A"), ("D", 0.5, "viewed_next", "B")]


def test_hop_follows_the_lists_of_the_products_on_screens_list():
    # A's list: B 1.0, C 0.5, D 0.5; through B (strength 1.0) x hop 0.5: C 0.5, A 0.25, D 0.125
    assert ranked(model(), ["A"], {**PLAIN, "hop": 0.5}, on_screen="A") == [
        ("B", 1.0, "viewed_together", "A"), ("C", 1.0, "viewed_together", "A"),
        ("D", 0.625, "viewed_together", "A"), ("A", 0.25, "viewed_together", "A")]


def test_remind_brings_back_an_earlier_view_but_never_the_product_on_screen():
    # A on screen, B before it (weight 0.5): remind 4 x 0.5 = 2.0 for B, beside A's 1.0 for it
    top = ranked(model(), ["A", "B"], {**PLAIN, "remind": 4.0}, on_screen="A")
    assert top[0] == ("B", 3.0, "recently_viewed", "")
    assert ("A", 0.25, "viewed_next", "B") in top   # only B's list, no remind for the product on screen


def test_remind_off_lets_no_view_come_back_by_itself():
    top = ranked(model(), ["A", "B"], {**PLAIN, "remind": 4.0}, on_screen="A", remind=False)
    assert top[0] == ("B", 1.0, "viewed_together", "A")


def test_off_a_product_page_the_last_view_may_come_back():
    assert ranked(model(), ["A"], {**PLAIN, "remind": 2.0})[0] == ("A", 2.0, "recently_viewed", "")


def test_the_cart_adds_what_is_bought_with_it():
    assert ranked(model(), [], cart=["E"]) == [("F", 1.0, "bought_together", "E"), ("C", 0.5, "bought_together", "E")]
    assert ranked(model(), [], {**PLAIN, "cart": 0.0}, cart=["E"]) == []


def test_horizon_limits_how_far_back_views_count():
    # only B counts: C 1.0, A 0.5, D 0.25
    assert [row[0] for row in ranked(model(), ["B", "A"], {**PLAIN, "horizon": 1})] == ["C", "A", "D"]


def test_params_come_from_the_model_config_and_bad_values_are_ignored():
    assert next_item_params(model()) == DEFAULTS
    params = next_item_params(model({"remind": "lots", "decay": -1, "horizon": 3, "together": 0.0}))
    assert params == {**DEFAULTS, "horizon": 3.0}  # "together" was a knob of format 1's two lists
    assert next_item_params(model(["not", "a", "dict"])) == DEFAULTS


@pytest.mark.parametrize("recent", [["A"], ["B", "A"], ["B", "A", "C"], ["C"]])
def test_matches_a_brute_force_oracle(recent):
    m = model()
    params = {**PLAIN, "hop": 0.3, "remind": 1.5}
    scores = {}
    for age, product in enumerate(recent):
        seed = m.index_of(product)
        for other, weight in m.neighbours("viewed_together", seed):
            scores[other] = scores.get(other, 0.0) + 0.5**age * weight
            if age == 0:
                for far, far_weight in m.neighbours("viewed_together", other):
                    scores[far] = scores.get(far, 0.0) + 0.3 * weight * far_weight
        if age > 0:
            scores[seed] = scores.get(seed, 0.0) + 0.5**age * 1.5
    expected = sorted(((m.product(i).id, round(s, 6)) for i, s in scores.items()), key=lambda x: (-x[1], m.index_of(x[0])))
    assert [row[:2] for row in ranked(m, recent, params, on_screen=recent[0])] == expected
