"""Tuning the next-item shelves on the end of the log: what it chooses on logs with a
planted habit, when it declines, and that its fast ranking is the shelf's own."""

import random

from train_logs import session_log, sessions_chunk

from shopkeeper.engine.recs.next_item import DEFAULTS, next_item_params
from shopkeeper.model import Product, decode_model, encode_model
from shopkeeper.publish.evaluate.replay import ShelfReplay, product_page_case
from shopkeeper.publish.train.pipeline import train_model
from shopkeeper.publish.train.tune import shelf_ranking, tune_next_item

PRODUCTS = [Product(f"p{i}") for i in range(40)]
IDS = [p.id for p in PRODUCTS]


def ring(sessions=300, returning=False):
    """Sessions stepping along a ring of products; when returning, two random detours
    and then back to the first product (p1, p2, p17, p5, p1)."""
    rng = random.Random(3)
    rows = []
    for s in range(sessions):
        first = (s * 7) % 40
        walk = [f"p{(first + i) % 40}" for i in range(6)]
        if returning:
            walk = walk[:2] + [f"p{rng.randrange(40)}", f"p{rng.randrange(40)}", walk[0]]
        rows.append(walk)
    return rows


def test_returns_to_earlier_views_are_learned_and_a_log_without_them_turns_remind_off():
    plain = tune_next_item(PRODUCTS, session_log(ring(), IDS))
    returning = tune_next_item(PRODUCTS, session_log(ring(returning=True), IDS))
    assert plain.params["remind"] == 0.0 and returning.params["remind"] > 0.0
    for tuning in (plain, returning):
        assert tuning.validation["hr@20"] >= tuning.defaults_validation["hr@20"]
        assert tuning.prefixes == tuning.sampled_from > 50 and set(tuning.params) == set(DEFAULTS)


def test_too_few_held_out_clicks_keep_the_defaults():
    messages = []
    assert tune_next_item(PRODUCTS, session_log(ring(sessions=20), IDS), progress=messages.append) is None
    assert "the defaults ship" in messages[-1]


def test_the_fast_ranking_is_the_product_page_shelf():
    log = ring(200)
    data, _ = train_model(PRODUCTS, [sessions_chunk(log)], {})
    model = decode_model(encode_model(data))
    ids = [model.product(index).id for index in range(len(model))]   # the model's own order (category, then id)
    replay, params, popular = ShelfReplay(model), next_item_params(model), model.popular(40)
    rng = random.Random(7)
    for _ in range(40):
        viewed = [rng.randrange(40) for _ in range(rng.randrange(1, 8))]
        case = product_page_case([ids[i] for i in viewed], [60.0 * n for n in range(len(viewed))], "viewed-together", 20)
        assert [ids[i] for i in shelf_ranking(model, viewed, params, popular)] == replay.ranked(case)
