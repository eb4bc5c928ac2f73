"""Training: a catalog and an event log in, the model's data and a report of what was learned out.

Each step is its own module (sessions, popularity, neighbours, timing); this one runs
them in order, times them and collects their figures for the report that `shopkeeper
publish` prints. Progress goes through the `progress` callback, one short line per step,
because training 10M events takes long enough to want it. Content similarity is not
trained: the engine derives it from the catalog's facets (shopkeeper.engine.recs.similar).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace

from shopkeeper.engine.recs.next_item import DEFAULTS
from shopkeeper.model.data import ModelData, Product
from shopkeeper.publish.read.eventlog import EventChunk
from shopkeeper.publish.train.neighbours import NeighbourParams, item_neighbours
from shopkeeper.publish.train.popularity import popularity_scores, trending_scores
from shopkeeper.publish.train.sessions import DEFAULT_GAP_SECONDS, SessionLog, sessionize
from shopkeeper.publish.train.timing import train_timing
from shopkeeper.publish.train.tune import Tuning, tune_next_item

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainParams:
    """Knobs of the model.

    next_item: the next-item shelves' settings shipped in the model's config["next_item"]
    (see shopkeeper.engine.recs.next_item); None lets train_model tune them (publish.tune) or,
    with tuning off, ship none, so the engine's defaults apply.
    """

    neighbours: NeighbourParams = field(default_factory=NeighbourParams)
    next_item: dict | None = None


def train_model(
    products: list[Product], chunks: Iterable[EventChunk], config: dict, *, k: int = 20,
    progress: Progress | None = None, params: TrainParams | None = None, tune: bool = True,
) -> tuple[ModelData, dict]:
    """Read the event log once and train every part of the model; k neighbours per list.

    With `tune`, the next-item shelves' settings are chosen on the end of this log
    (publish.tune) unless `params` or the site config's [next_item] fix them.

    The model's products come out in category-path order (by id within a category):
    neighbours then sit in narrow index ranges and cost far fewer bytes
    (benchmarks/model_size.py measures both orders). Outside the model file the order is
    seen only where the engine breaks a tie by index; the engine and the page name
    products by id.
    """
    say = progress or (lambda message: None)
    products, log, read, seconds = read_sessions(products, chunks, config, say)
    data, report = train_on_sessions(products, log, config, k=k, progress=say, params=params, tune=tune)
    report["counts"].update(read)
    report["seconds"] = {"sessions": seconds, **report["seconds"]}
    return data, report


def read_sessions(products: list[Product], chunks: Iterable[EventChunk], config: dict,
                  progress: Progress) -> tuple[list[Product], SessionLog, dict, float]:
    """The products in category order, the log in sessions over them, what reading counted
    and the seconds it took; the report reads the log once this way for its training, its
    evaluation and its replay."""
    products = in_category_order(products)
    progress("reading events into sessions")
    begun = time.perf_counter()
    log, counts = sessionize(chunks, [product.id for product in products], gap_seconds=session_gap_seconds(config))
    read = {"events_read": counts.events + counts.unknown_events, "unknown_product_events": counts.unknown_events,
            "unknown_product_ids": len(counts.unknown_ids), "events_without_product": counts.without_product}
    return products, log, read, round(time.perf_counter() - begun, 3)


def train_on_sessions(products: list[Product], log: SessionLog, config: dict, *, k: int = 20,
                      progress: Progress | None = None, params: TrainParams | None = None,
                      tune: bool = True) -> tuple[ModelData, dict]:
    """train_model's steps after reading, on products in category order (read_sessions)."""
    say = progress or (lambda message: None)
    params, tuning = next_item_settings(products, log, config, params or TrainParams(), k=k, tune=tune, progress=say)
    data, report = model_from_log(products, log, config, k=k, progress=say, params=params)
    if tuning is not None:
        report["seconds"]["tuning"] = tuning.seconds
    report["next_item"] = next_item_report(tuning, data.config.get("next_item"), tune)
    return data, report


def next_item_settings(products: list[Product], log: SessionLog, config: dict, params: TrainParams, *, k: int,
                       tune: bool, progress: Progress) -> tuple[TrainParams, Tuning | None]:
    """`params` with the next-item shelves' settings to ship: tuned on the end of `log`,
    unless tuning is off or `params` or the site config's [next_item] fix them."""
    if tune and params.next_item is None and "next_item" not in config:
        tuning = tune_next_item(products, log, k=k, neighbour_params=params.neighbours, progress=progress)
        if tuning is not None:
            return replace(params, next_item=dict(tuning.params)), tuning
    return params, None


def next_item_report(tuning: Tuning | None, shipped: dict | None, tune: bool) -> dict:
    """What the next-item shelves ship with and where it came from, for the publish log."""
    if tuning is not None:
        return {"settings": "tuned on the latest sessions of this log", **tuning.params,
                "validation": {"chosen": tuning.validation, "defaults": tuning.defaults_validation,
                               "next_clicks": tuning.prefixes, "of": tuning.sampled_from, "fit_events": tuning.fit_events}}
    if shipped:
        return {"settings": "as given", **shipped}
    why = "too few held-out next clicks to tune on" if tune else "--no-tune"
    return {"settings": f"engine defaults ({why})", **DEFAULTS}


def in_category_order(products: list[Product]) -> list[Product]:
    """Products sorted by category path, then id: an order any subset of the catalog can be
    put in again, which the sharded model does (shopkeeper.model.sharded)."""
    return sorted(products, key=lambda product: (tuple(product.category), product.id))


def session_gap_seconds(config: dict) -> float:
    """The site config's shop.session_gap_minutes, the same gap the engine uses."""
    minutes = (config.get("shop") or {}).get("session_gap_minutes") if isinstance(config, dict) else None
    return float(minutes) * 60.0 if isinstance(minutes, (int, float)) and minutes > 0 else DEFAULT_GAP_SECONDS


def model_from_log(
    products: list[Product], log: SessionLog, config: dict, *, k: int = 20,
    progress: Progress | None = None, params: TrainParams | None = None,
) -> tuple[ModelData, dict]:
    """Training on events already in sessions: for the evaluation, which splits a log first."""
    say = progress or (lambda message: None)
    params = params or TrainParams()
    seconds: dict[str, float] = {}

    def step(name: str, message: str, compute):
        say(message)
        begun = time.perf_counter()
        result = compute()
        seconds[name] = round(time.perf_counter() - begun, 3)
        return result

    popularity = step("popularity", "popularity and trending", lambda: (popularity_scores(log), trending_scores(log)))
    neighbours = step("neighbours", f"item-to-item neighbours over {len(log):,} events",
                      lambda: item_neighbours(log, k, params.neighbours, progress=say))
    timing, timing_report = step("timing", "popup timing and purchase propensity", lambda: train_timing(log))
    model_config = dict(config)
    if params.next_item is not None:
        model_config["next_item"] = dict(params.next_item)
    data = ModelData(
        products=list(products), neighbours=neighbours, popularity=popularity[0].tolist(),
        trending=popularity[1].tolist(), config=model_config, timing=timing,
    )
    report = {
        "counts": {"products": len(products), "events": len(log), "sessions": log.n_sessions},
        "seconds": seconds,
        "neighbours": {kind: _coverage(lists) for kind, lists in neighbours.items()},
        "timing": timing_report,
        "params": asdict(params),
    }
    return data, report


def _coverage(lists: list[list]) -> dict:
    """How many products have a list of this kind and how long the lists are."""
    with_any = sum(1 for entries in lists if entries)
    entries = sum(len(entries) for entries in lists)
    return {"products": with_any, "entries": entries, "mean_length": round(entries / with_any, 2) if with_any else 0.0}
