"""The next-item shelves' knobs, chosen on the end of the merchant's own log.

The latest VALIDATION_SHARE of sessions (by end time) are held out; a model is trained on
the sessions before them (at most FIT_EVENTS of the latest: a decaying model learns
mostly from the recent past, and publishing 10M events must stay quick), and each grid
point ranks the held-out sessions' next clicks (at most MAX_PREFIXES, drawn evenly) the
way the product page's default shelf ranks them: engine.next_item's candidates, the
product on screen left out, bestsellers filling the rest. A test holds this ranking to
the shelf's own (`rank_recommendations`) on the same inputs. One round of coordinate
ascent over SCORER_GRID, judged by (HR@20, MRR@20). The test period is never seen here:
`shopkeeper evaluate` tunes on the end of its training part, as publishing would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from shopkeeper.engine.recs.next_item import DEFAULTS, next_item_candidates
from shopkeeper.engine.shopper.profile import RECENT_LIMIT
from shopkeeper.model import InMemoryModel, ModelData, Product
from shopkeeper.publish.evaluate.metrics import rank_metrics
from shopkeeper.publish.progress import counted
from shopkeeper.publish.read.eventlog import VIEW
from shopkeeper.publish.train.neighbours import NeighbourParams, item_neighbours
from shopkeeper.publish.train.popularity import popularity_scores
from shopkeeper.publish.train.sessions import SessionLog, known_events, time_split

__all__ = ["SCORER_GRID", "Tuning", "shelf_ranking", "tune_next_item"]

SCORER_GRID = {"remind": (0.0, 1.0, 2.0, 4.0), "decay": (0.3, 0.6, 0.8), "hop": (0.0, 0.15, 0.3, 0.6)}
VALIDATION_SHARE = 0.2
FIT_EVENTS = 2_000_000
MAX_PREFIXES = 5_000
MIN_PREFIXES = 50   # fewer held-out next clicks than this decide nothing: the defaults ship
LIMIT = 20


@dataclass(frozen=True)
class Tuning:
    """What tuning chose and why: the knobs, the validation figures at them and at the
    defaults, and how much of the log it used."""

    params: dict[str, float]
    validation: dict[str, float]
    defaults_validation: dict[str, float]
    prefixes: int
    sampled_from: int
    fit_events: int
    seconds: float


def tune_next_item(products: list[Product], log: SessionLog, *, k: int = 20,
                   neighbour_params: NeighbourParams = NeighbourParams(),
                   progress: Callable[[str], None] | None = None) -> Tuning | None:
    """The chosen knobs, or None when the log holds too few held-out next clicks."""
    say = progress or (lambda message: None)
    begun = time.perf_counter()
    fit, held_out = time_split(log, None, VALIDATION_SHARE)
    fit = latest_events(fit, FIT_EVENTS)
    prefixes, total = validation_prefixes(fit, held_out, MAX_PREFIXES)
    if len(prefixes) < MIN_PREFIXES:
        say(f"tuning skipped: {total} held-out next clicks, fewer than {MIN_PREFIXES}; the defaults ship")
        return None
    sampled = f", {len(prefixes):,} of them drawn evenly" if len(prefixes) < total else ""
    say(f"tuning the shelves on the latest {VALIDATION_SHARE:.0%} of sessions: {total:,} next clicks{sampled}, "
        f"model trained on {len(fit):,} events before them")
    model = InMemoryModel(ModelData(
        products=list(products), neighbours=item_neighbours(fit, k, neighbour_params),
        popularity=popularity_scores(fit).tolist(), trending=[0.0] * len(products)), version="tuning")
    popular = model.popular(LIMIT + RECENT_LIMIT)

    def judge(params: dict) -> dict:
        listed = [shelf_ranking(model, recent, params, popular) for recent, _ in prefixes]
        figures = rank_metrics([r.index(target) + 1 if target in r else None for r, (_, target) in zip(listed, prefixes)])
        return {"hr@20": figures["hr@20"], "mrr@20": figures["mrr@20"]}

    params = dict(DEFAULTS)
    defaults = best = judge(params)
    for name, values in SCORER_GRID.items():
        trials = [float(value) for value in values if value != params[name]]
        for value in counted(say, trials, f"tuning {name}", len(trials), "settings tried"):
            trial = {**params, name: value}
            figures = judge(trial)
            if (figures["hr@20"], figures["mrr@20"]) > (best["hr@20"], best["mrr@20"]):
                best, params = figures, trial
        say(f"tuning: {name} = {params[name]:g}, validation HR@20 {best['hr@20']:.4f}, MRR@20 {best['mrr@20']:.4f}")
    return Tuning(params, best, defaults, len(prefixes), total, len(fit), round(time.perf_counter() - begun, 3))


def shelf_ranking(model, recent: list[int], params: dict, popular: list[int], limit: int = LIMIT) -> list[int]:
    """The product page's default shelf for a shopper whose views were `recent` (oldest
    first, the last on screen): what rank_recommendations returns for a catalog without
    stock or price rules. `popular`: the model's bestsellers, at least limit + RECENT_LIMIT."""
    on_screen = recent[-1]
    seen: list[int] = []
    for index in reversed(recent):
        if index not in seen:
            seen.append(index)
            if len(seen) == RECENT_LIMIT:
                break
    found = next_item_candidates(model, seen, params, on_screen=on_screen)
    found.sort(key=lambda c: (-c.score, c.index))
    ranked = [c.index for c in found if c.index != on_screen][:limit]
    if len(ranked) < limit:
        taken = set(ranked) | {on_screen}
        ranked += [index for index in popular if index not in taken][:limit - len(ranked)]
    return ranked


def latest_events(log: SessionLog, limit: int) -> SessionLog:
    """The latest sessions holding at most about `limit` events."""
    if len(log) <= limit:
        return log
    first = int(np.searchsorted(log.starts, len(log) - limit))
    keep = np.zeros(log.n_sessions, dtype=bool)
    keep[min(first, log.n_sessions - 1):] = True
    return log.select_sessions(keep)


def validation_prefixes(fit: SessionLog, held_out: SessionLog, limit: int) -> tuple[list[tuple[list[int], int]], int]:
    """(views so far, next view) for the held-out sessions' product views of products the
    fit part knows, at most `limit` drawn evenly; and how many there were."""
    views = known_events(fit, held_out, VIEW)
    first = np.zeros(len(views), dtype=bool)
    first[views.starts[:-1]] = True
    targets = np.flatnonzero(~first)
    if len(targets) > limit:
        targets = targets[np.linspace(0, len(targets) - 1, limit).astype(np.int64)]
    session = np.searchsorted(views.starts, targets, side="right") - 1
    items = views.item.tolist()
    pairs = [(items[start:end], items[end]) for start, end in zip(views.starts[session].tolist(), targets.tolist())]
    return pairs, int((~first).sum())
