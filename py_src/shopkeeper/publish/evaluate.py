"""Offline next-click evaluation: shopkeeper's published model against its peers on one split.

Every method is fitted on the past; then, for every prefix of every future session, it
predicts the next product and is scored on where the actual one lands (rank r, 1-based):
HR@10 and HR@20 (r <= 10, 20), MRR@20 (1/r when r <= 20) and NDCG@10 (1/log2(r + 1)
when r <= 10; one relevant product, so that is the whole formula), each averaged over all
prefixes. Test events naming products the past never saw are dropped first, then
sessions left with one event, as session-rec does.

shopkeeper is scored the way a browser will score it: the trained model goes through
shopkeeper.model.encode_model and decode_model, and the decoded model answers through
engine.next_item.score_next_items, given only the session's own product views.
Knobs (neighbour damping, decay, window; scorer weights) are tuned on a validation split
carved from the end of the past, never on the test; the peers' knobs likewise.
"""

from __future__ import annotations

import dataclasses
import math
import os
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from shopkeeper.engine.next_item import DEFAULTS, score_next_items
from shopkeeper.model import InMemoryModel, ModelData, Product
from shopkeeper.publish.baselines import ItemKNN, Popularity, SessionKNN
from shopkeeper.publish.eventlog import EventChunk
from shopkeeper.publish.neighbours import NeighbourParams
from shopkeeper.publish.sessions import SessionLog, sessionize
from shopkeeper.publish.train import TrainParams, model_from_log

METRICS = ("hr@10", "hr@20", "mrr@20", "ndcg@10")
TEST_SHARE = 0.2
NEIGHBOUR_GRID = {"alpha_together": (0.0, 0.25, 0.5), "backward": (0.25, 0.5, 1.0),
                  "half_life_days": (7.0, 30.0, 365.0), "window": (3, 10)}
SCORER_GRID = {"remind": (0.0, 1.0, 2.0, 4.0), "decay": (0.3, 0.6, 0.8)}
PEER_GRID = {"item_knn_full": (0.0, 20.0, 100.0), "session_knn": (100, 200, 500)}
Events = str | os.PathLike | Iterable[EventChunk]


def run_evaluation(train_events: Events, test_events: Events | None = None, *, columns: dict | None = None,
                   k: int = 20, cutoff: float | None = None, tune: bool = True,
                   progress: Callable[[str], None] | None = None) -> dict:
    """{method: {hr@10, hr@20, mrr@20, ndcg@10, model_bytes, ...}} for shopkeeper and its peers.

    Without test_events the log is split by time: sessions ending after `cutoff` (by
    default, the last TEST_SHARE of them) are the test.
    """
    say = progress or (lambda message: None)
    say("reading the training events")
    chunks = list(_read(train_events, columns))
    products = [Product(i) for i in sorted({p for c in chunks for p in c.product.tolist() if p})]
    ids = [p.id for p in products]
    log, _ = sessionize(chunks, ids)
    if test_events is None:
        past, future = time_split(log, cutoff)
        products, past, future = _catalog_of(products, past, future)
    else:
        past, future = log, _quiet_sessionize(_read(test_events, columns), ids)
    test = known_sessions(past, future)
    say(f"{past.n_sessions:,} past sessions, {len(test):,} test sessions, {sum(map(len, test)) - len(test):,} prefixes")
    fit, validation = time_split(past, None)
    val = known_sessions(fit, validation)
    params, tuned = _tune(products, fit, val, k, say) if tune else (TrainParams(next_item=dict(DEFAULTS)), {})
    say("training shopkeeper's model on the whole past")
    data, _ = model_from_log(products, past, {}, k=k, params=params)
    model, size, path = publish_round_trip(data)
    say(f"scoring shopkeeper through the {path}")
    split = {"past_events": len(past), "past_sessions": past.n_sessions, "test_sessions": len(test),
             "repeat_share": _repeat_share(test)}
    result = {"shopkeeper": {**evaluate_method(lambda recent: _indexes(model, recent, k), test),
                             "model_bytes": size, "scored_through": path, "params": dataclasses.asdict(params),
                             "validation": tuned, "split": split}}
    popular = Popularity(past)
    result["popularity"] = {**evaluate_method(lambda recent: popular.recommend(recent, k), test),
                            "model_bytes": popular.model_bytes}
    for name, make, knob in (("item_knn_full", lambda log, v: ItemKNN(log, Popularity(log), lmbd=v), "lambda"),
                             ("session_knn", lambda log, v: SessionKNN(log, Popularity(log), k=v), "k")):
        say(f"{name}: choosing {knob} on the validation split")
        best = max(PEER_GRID[name], key=lambda v: _key(evaluate_method(_recommender(make(fit, v), k), val))) \
            if tune else PEER_GRID[name][1]
        say(f"{name}: scoring the test with {knob} = {best}")
        peer = make(past, best)
        result[name] = {**evaluate_method(_recommender(peer, k), test), "model_bytes": peer.model_bytes, knob: best}
    return result


def evaluate_method(recommend: Callable[[list[int]], list[int]], sessions: list[list[int]]) -> dict:
    """The METRICS of one method over every prefix of every session."""
    ranks = []
    for session in sessions:
        for end in range(1, len(session)):
            listed = recommend(session[:end])
            target = session[end]
            ranks.append(listed.index(target) + 1 if target in listed else None)
    return rank_metrics(ranks)


def rank_metrics(ranks: list[int | None]) -> dict:
    """HR@10, HR@20, MRR@20 and NDCG@10 from the target's 1-based rank per prefix (None: not listed)."""
    n = max(len(ranks), 1)
    found = [r for r in ranks if r is not None]
    return {
        "hr@10": sum(r <= 10 for r in found) / n, "hr@20": sum(r <= 20 for r in found) / n,
        "mrr@20": sum(1 / r for r in found if r <= 20) / n,
        "ndcg@10": sum(1 / math.log2(r + 1) for r in found if r <= 10) / n, "prefixes": len(ranks),
    }


def known_sessions(past: SessionLog, future: SessionLog) -> list[list[int]]:
    """The future's sessions as product lists, without products the past never saw, at least two long."""
    seen = np.zeros(past.n_products + 1, dtype=bool)
    seen[past.item] = True  # index -1 (no product) lands on the spare last flag
    keep = (future.item >= 0) & seen[future.item]
    return [s for s in future.select_events(keep).session_lists() if len(s) > 1]


def _catalog_of(products: list[Product], past: SessionLog, future: SessionLog):
    """Only the products the past has events of: the catalog a model trained on it would know."""
    seen = np.unique(past.item[past.item >= 0])
    index = np.full(len(products) + 1, -1, dtype=np.int32)
    index[seen] = np.arange(len(seen), dtype=np.int32)
    narrowed = [dataclasses.replace(log, item=index[log.item], n_products=len(seen)) for log in (past, future)]
    return [products[i] for i in seen.tolist()], *narrowed


def time_split(log: SessionLog, cutoff: float | None) -> tuple[SessionLog, SessionLog]:
    """(sessions that end by cutoff, the rest); by default the last TEST_SHARE of sessions are the rest."""
    ends = log.ts[log.starts[1:] - 1]
    if cutoff is None:
        cutoff = float(np.quantile(ends, 1 - TEST_SHARE)) if len(ends) else 0.0
    return log.select_sessions(ends <= cutoff), log.select_sessions(ends > cutoff)


def publish_round_trip(data: ModelData):
    """(model to score through, its size in bytes, what it is): the real file when the format exists."""
    try:
        from shopkeeper.model import decode_model, encode_model
    except ImportError:
        return InMemoryModel(data), estimated_bytes(data), ("InMemoryModel: shopkeeper.model.encode_model/decode_model "
                                                            "do not exist yet, so no quantization and model_bytes is an estimate")
    blob = encode_model(data)
    return decode_model(blob), len(blob), "decoded binary model (encode_model, decode_model)"


def estimated_bytes(data: ModelData) -> int:
    """A stand-in for the file size: ids + one byte per list length, (index, 8-bit weight) per entry, 8-bit scores."""
    n = len(data.products)
    index_bytes = 2 if n <= 2**16 else 3
    entries = sum(len(entries) for lists in data.neighbours.values() for entries in lists)
    return sum(len(p.id.encode()) + 1 for p in data.products) + entries * (index_bytes + 1) + n * (len(data.neighbours) + 2)


def _tune(products, fit: SessionLog, val: list[list[int]], k: int, say) -> tuple[TrainParams, dict]:
    """One round of coordinate ascent over the grids, judged by validation (HR@20, MRR@20)."""
    neighbours, scorer = NeighbourParams(), dict(DEFAULTS)
    built: dict[NeighbourParams, ModelData] = {}

    def judge(nb: NeighbourParams, sc: dict) -> dict:
        if nb not in built:
            built[nb] = model_from_log(products, fit, {}, k=k, params=TrainParams(nb))[0]
        model = _PopularCache(InMemoryModel(dataclasses.replace(built[nb], config={"next_item": sc}), version="tuning"))
        return evaluate_method(lambda recent: _indexes(model, recent, k), val)

    best = judge(neighbours, scorer)
    for name, values in [*NEIGHBOUR_GRID.items(), *SCORER_GRID.items()]:
        for value in values:
            trial_nb = dataclasses.replace(neighbours, **{name: value}) if name in NEIGHBOUR_GRID else neighbours
            trial_sc = {**scorer, name: value} if name in SCORER_GRID else scorer
            figures = judge(trial_nb, trial_sc)
            if _key(figures) > _key(best):
                best, neighbours, scorer = figures, trial_nb, trial_sc
        say(f"validation: {name} = {getattr(neighbours, name, scorer.get(name))}, HR@20 {best['hr@20']:.4f}")
    return TrainParams(neighbours, scorer), best


def _repeat_share(sessions: list[list[int]]) -> float:
    """The share of prefixes whose next product is the one just viewed: what `remind` can win."""
    pairs = [(a, b) for s in sessions for a, b in zip(s, s[1:])]
    return sum(a == b for a, b in pairs) / max(len(pairs), 1)


def _key(figures: dict) -> tuple[float, float]:
    return figures["hr@20"], figures["mrr@20"]


def _recommender(peer, k: int) -> Callable[[list[int]], list[int]]:
    return lambda recent: peer.recommend(recent, k)


def _indexes(model, recent: list[int], k: int) -> list[int]:
    listed = score_next_items(model, [model.product(i).id for i in recent], k)
    return [model.index_of(product_id) for product_id in listed]


class _PopularCache:
    """The same model, with popular() remembered: tuning asks it thousands of times."""

    def __init__(self, model):
        self._model, self._popular = model, {}

    def __getattr__(self, name):
        return getattr(self._model, name)

    def popular(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        key = (limit, category, trending)
        if key not in self._popular:
            self._popular[key] = self._model.popular(limit, category, trending)
        return self._popular[key]


def _read(source, columns: dict | None) -> Iterable[EventChunk]:
    if isinstance(source, (str, os.PathLike)):
        try:
            from shopkeeper.publish.events import read_event_log
        except ImportError as missing:
            raise RuntimeError(f"reading {Path(source).name} needs shopkeeper.publish.events.read_event_log") from missing
        return read_event_log(source, columns=columns)
    return source


def _quiet_sessionize(chunks: Iterable[EventChunk], ids: list[str]) -> SessionLog:
    """Test events of products the past never saw are expected, not worth a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sessionize(chunks, ids)[0]


def format_table(result: dict) -> str:
    """The figures as the table `shopkeeper evaluate` prints."""
    lines = [f"{'method':<15}" + "".join(f"{m.upper():>9}" for m in METRICS) + f"{'model bytes':>14}"]
    for name, figures in result.items():
        lines.append(f"{name:<15}" + "".join(f"{figures[m]:>9.4f}" for m in METRICS) + f"{figures['model_bytes']:>14,}")
    return "\n".join(lines)
