"""The popup timing and purchase-propensity models: two logistic regressions on session features.

The engine computes the same features from the shopper's own events, so they are defined
here exactly. A session is a run of events with no gap over `session_gap_minutes`; an
event counts whether or not it names a product (log kinds view, cart, purchase, remove,
search are the engine's product_view, add_to_cart, purchase, remove_from_cart, search).
At event e, the p-th of its session (p = 1 for the first), with everything up to and
including e:

    log_events              ln(1 + p)
    log_seconds             ln(1 + seconds from the session's first event to e)
    log_gap                 ln(1 + seconds from the previous event to e), 0 for the first
    log_cart_adds           ln(1 + cart adds so far)
    log_same_product_views  ln(1 + views so far of e's product), 0 when e names none
    hour_sin, hour_cos      sin and cos of 2 pi h / 24, h the UTC hour of e with its fraction

Labels: leave_soon = e is the session's last event or the next comes over 60 s later;
buy_anyway = the session has a purchase after e (rows after the first purchase are left
out: the question is settled). P(label) = 1 / (1 + exp(-(w0 + sum w_i x_i))), weights in
TimingModel order. Quality is measured on the sessions that start last (a time split).
"""

from __future__ import annotations

import numpy as np

from shopkeeper.model.data import TimingModel
from shopkeeper.publish.read.eventlog import CART, PURCHASE, VIEW
from shopkeeper.publish.train.sessions import SessionLog

FEATURES = ("log_events", "log_seconds", "log_gap", "log_cart_adds", "log_same_product_views", "hour_sin", "hour_cos")
LEAVE_GAP_SECONDS = 60.0
MAX_SESSIONS = 200_000
HELD_OUT = 0.2
CALIBRATION_BINS = 10
L2 = 1.0


def session_features(log: SessionLog) -> np.ndarray:
    """One row of FEATURES per event of the log."""
    n = len(log)
    session = log.session_index()
    first = log.starts[:-1][session]
    position = np.arange(n) - first + 1
    gap = np.zeros(n)
    gap[1:] = np.diff(log.ts)
    gap[first == np.arange(n)] = 0.0
    carts = np.cumsum(log.kind == CART)
    carts_before = np.concatenate(([0], carts))[log.starts[:-1]][session]
    views = (log.kind == VIEW) & (log.item >= 0)
    hour = np.mod(log.ts, 86400.0) / 3600.0
    return np.column_stack([
        np.log1p(position), np.log1p(log.ts - log.ts[first]), np.log1p(gap), np.log1p(carts - carts_before),
        np.log1p(_views_of_same_product(session, log.item, views)),
        np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24),
    ])


def _views_of_same_product(session: np.ndarray, item: np.ndarray, views: np.ndarray) -> np.ndarray:
    order = np.lexsort((np.arange(len(item)), item, session))
    group = np.append(True, (session[order][1:] != session[order][:-1]) | (item[order][1:] != item[order][:-1]))
    counted = np.cumsum(views[order])
    base = np.maximum.accumulate(np.where(group, counted - views[order], 0))
    result = np.empty(len(item))
    result[order] = counted - base
    return np.where(item >= 0, result, 0.0)


def labels(log: SessionLog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(leave_soon, buy_anyway, rows where buy_anyway is still open) per event."""
    n = len(log)
    leave = np.zeros(n, dtype=bool)
    leave[log.starts[1:] - 1] = True
    leave[:-1] |= np.diff(log.ts) > LEAVE_GAP_SECONDS
    session = log.session_index()
    bought = log.kind == PURCHASE
    before = np.concatenate(([0], np.cumsum(bought)))  # before[i]: purchases among events < i
    index = np.arange(n)
    after = before[log.starts[1:][session]] - before[index + 1]
    earlier = before[index] - before[log.starts[:-1][session]]
    return leave, after > 0, (earlier == 0) & ~bought


def train_timing(log: SessionLog) -> tuple[TimingModel, dict]:
    """Both models fitted on (a sample of) the log, with held-out AUC and log-loss."""
    if log.n_sessions > MAX_SESSIONS:
        chosen = np.zeros(log.n_sessions, dtype=bool)
        chosen[np.random.default_rng(0).choice(log.n_sessions, MAX_SESSIONS, replace=False)] = True
        log = log.select_sessions(chosen)
    x = session_features(log)
    leave, buy, open_rows = labels(log)
    cut = np.quantile(log.ts[log.starts[:-1]], 1 - HELD_OUT) if log.n_sessions else 0.0
    later = (log.ts[log.starts[:-1]] >= cut)[log.session_index()]
    report, weights = {}, {}
    for name, y, rows in (("leave_soon", leave, np.ones(len(log), dtype=bool)), ("buy_anyway", buy, open_rows)):
        weights[name] = fit_logistic(x[rows], y[rows])
        untrained = one_class(name, y[rows])
        if untrained:
            report[name] = {"trained": False, "why": untrained, "rows": int(rows.sum())}
            continue
        report[name] = quality(fit_logistic(x[rows & ~later], y[rows & ~later]), x[rows & later], y[rows & later])
        report[name].update(trained=True, rows=int(rows.sum()))
    return TimingModel(FEATURES, weights["leave_soon"], weights["buy_anyway"]), report


def one_class(name: str, y: np.ndarray) -> str:
    """Why a label cannot be learned from this log ('' when it can): it never or always holds.
    The model then ships the constant odds fit_logistic gives."""
    if name == "buy_anyway" and not y.any():
        return "the log has no purchases"
    if y.all() or not y.any():
        return f"every event of the log {'is' if y.all() else 'is not'} a {name.replace('_', ' ')} event"
    return ""


def predict(weights: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(weights[0] + x @ np.asarray(weights[1:]))))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 30) -> tuple[float, ...]:
    """Intercept and weights by Newton's method (IRLS) with an L2 penalty, on standardised
    features folded back to the raw ones; a constant model when y has only one class."""
    positives, n = float(np.sum(y)), len(y)
    if positives in (0.0, float(n)):
        return (float(np.log((positives + 0.5) / (n - positives + 0.5))),) + (0.0,) * x.shape[1]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.column_stack([np.ones(n), (x - mean) / scale])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    w = np.zeros(z.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        gradient = z.T @ (y - p) - penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w += step
        if np.max(np.abs(step)) < 1e-8:
            break
    raw = w[1:] / scale
    return (float(w[0] - raw @ mean),) + tuple(float(v) for v in raw)


def quality(weights: tuple[float, ...], x: np.ndarray, y: np.ndarray) -> dict:
    p = predict(weights, x) if len(y) else np.zeros(0)
    base = float(np.mean(y)) if len(y) else 0.0
    return {"held_out_rows": int(len(y)), "base_rate": base, "auc": auc(y, p), "log_loss": log_loss(y, p),
            "log_loss_base_rate": log_loss(y, np.full(len(y), base)), "calibration": calibration(y, p)}


def calibration(y: np.ndarray, p: np.ndarray, bins: int = CALIBRATION_BINS) -> list[dict]:
    """Held-out rows in bins of equal size by predicted probability: each bin's mean
    prediction beside how often the event happened (a calibrated model has them equal).
    Ties stay in one bin, so a model with few distinct predictions has fewer bins."""
    if not len(y):
        return []
    order = np.argsort(p, kind="stable")
    ordered, outcome = p[order], np.asarray(y, dtype=float)[order]
    edges = np.unique(np.searchsorted(ordered, ordered[(np.arange(1, bins) * len(p)) // bins], side="left"))
    bounds = np.unique(np.concatenate(([0], edges, [len(p)])))
    return [{"predicted": float(ordered[a:b].mean()), "observed": float(outcome[a:b].mean()), "rows": int(b - a)}
            for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


def auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """Area under the ROC curve by the rank-sum (Mann-Whitney) formula, ties at half."""
    positives = int(np.sum(y))
    negatives = len(y) - positives
    if not positives or not negatives:
        return None
    order = np.argsort(score, kind="stable")
    ordered = score[order]
    first = np.flatnonzero(np.append(True, ordered[1:] != ordered[:-1]))
    size = np.diff(np.append(first, len(ordered)))
    ranks = np.empty(len(y))
    ranks[order] = np.repeat(first + (size + 1) / 2.0, size)
    return float((ranks[np.asarray(y, dtype=bool)].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def log_loss(y: np.ndarray, p: np.ndarray) -> float | None:
    if not len(y):
        return None
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.where(y, np.log(p), np.log(1 - p))))
