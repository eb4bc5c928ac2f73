"""train_model end to end: every part of the model, the report, and a model file that reads back."""

import warnings

import pytest
from train_logs import chunk, sessions_chunk

from shopkeeper.engine.recs.next_item import next_item_params
from shopkeeper.model import NEIGHBOUR_KINDS, InMemoryModel, Product, decode_model, encode_model, quantize_weights
from shopkeeper.publish.read.eventlog import CART, PURCHASE, VIEW
from shopkeeper.publish.train.pipeline import TrainParams, train_model
from shopkeeper.publish.train.tune import shelf_ranking

CATALOG = [
    Product("tent", price=200.0, category=("Outdoor", "Tents"), brand="Acme"),
    Product("tent-xl", price=260.0, category=("Outdoor", "Tents"), brand="Acme"),
    Product("pegs", price=9.0, category=("Outdoor", "Parts"), brand="Acme"),
    Product("mat", price=30.0, category=("Outdoor", "Sleeping"), brand="Zed"),
    Product("new-stove", price=45.0, category=("Outdoor", "Cooking"), brand="Zed"),
]
SESSIONS = [
    ["tent", "tent-xl", ("tent", CART), "pegs", ("pegs", CART), ("tent", PURCHASE), ("pegs", PURCHASE)],
    ["tent", "pegs", "mat"],
    ["mat", "tent"],
    ["tent-xl", "tent", "unknown-sku"],
] * 5


def train(**kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data, report = train_model(CATALOG, [sessions_chunk(SESSIONS, kind=VIEW)], {}, **kwargs)
    return data, report, [str(w.message) for w in caught]


def test_every_part_of_the_model_is_trained():
    data, report, caught = train(k=3)
    n = len(CATALOG)
    ids = [product.id for product in data.products]
    assert ids == ["new-stove", "pegs", "mat", "tent", "tent-xl"]  # in category-path order
    index = {product_id: i for i, product_id in enumerate(ids)}
    assert set(data.neighbours) == set(NEIGHBOUR_KINDS)
    assert all(len(lists) == n and all(len(entries) <= 3 for entries in lists) for lists in data.neighbours.values())
    # after a tent: pegs at distances 2 and 1 (1.5); tent-xl after it once (1) and before it once (0.5);
    # mat after it at distance 2 (0.5) and before it once (0.5); equal support, so damping keeps the ratios
    together = [(ids[other], round(weight, 3)) for other, weight in data.neighbours["viewed_together"][index["tent"]]]
    assert together == [("pegs", 1.0), ("tent-xl", 1.0), ("mat", 0.667)]
    assert [ids[other] for other, _ in data.neighbours["bought_together"][index["tent"]]] == ["pegs"]
    assert data.neighbours["viewed_together"][index["new-stove"]] == []  # no history: the engine derives similar ones
    assert len(data.popularity) == len(data.trending) == n and max(data.popularity) == 1.0
    assert data.timing.features and len(data.timing.leave_soon) == len(data.timing.features) + 1
    assert caught == ["5 events name 1 product ids that are not in the catalog (for example unknown-sku); "
                      "they were left out of training"]
    counts = report["counts"]
    assert (counts["unknown_product_events"], counts["unknown_product_ids"], counts["sessions"]) == (5, 1, 20)
    assert counts["events_read"] == counts["events"] + 5
    assert set(report["seconds"]) == {"sessions", "popularity", "neighbours", "timing"}
    assert report["neighbours"]["bought_together"]["products"] == 2
    assert report["timing"]["leave_soon"]["rows"] == counts["events"]


@pytest.mark.filterwarnings("ignore:5 events name 1 product ids")
def test_progress_is_reported_step_by_step():
    messages = []
    train_model(CATALOG, [sessions_chunk(SESSIONS)], {}, progress=messages.append)
    assert messages[0] == "reading events into sessions" and len(messages) == 5
    assert messages[1].startswith("tuning skipped: ")   # five sessions hold too few next clicks to tune on


def test_the_model_file_reads_back_as_trained():
    data, _, _ = train(params=TrainParams(next_item={"remind": 0.0}))
    model = decode_model(encode_model(data))
    expected = InMemoryModel(quantize_weights(data))
    for kind in NEIGHBOUR_KINDS:
        for i in range(len(CATALOG)):
            assert model.neighbours(kind, i) == expected.neighbours(kind, i)
    assert model.config["next_item"] == {"remind": 0.0}
    tent, params = model.index_of("tent"), next_item_params(model)
    assert params["remind"] == 0.0
    assert shelf_ranking(model, [tent], params, model.popular(40), 2) == shelf_ranking(expected, [tent], params, expected.popular(40), 2)


@pytest.mark.parametrize("minutes, sessions", [(30, 4), (60 * 24, 1)])
def test_the_site_configs_session_gap_is_used(minutes, sessions):
    one_visitor = chunk([(1, hour * 3600.0, "tent", VIEW) for hour in range(4)])
    _, report = train_model(CATALOG, [one_visitor], {"shop": {"session_gap_minutes": minutes}})
    assert report["counts"]["sessions"] == sessions
