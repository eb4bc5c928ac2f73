"""The popup timing models, applied to the shopper's current session.

The published TimingModel names its features; the engine computes each from local events
exactly as publishing computed it from the event log (tests/unit/publish_train checks the
two against each other), and applies the two logistic models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shopkeeper.engine.events import Event
from shopkeeper.model import TimingModel

LOGGED_TYPES = frozenset({"product_view", "add_to_cart", "purchase", "remove_from_cart", "search"})


@dataclass(frozen=True)
class TimingOdds:
    leave_soon: float   # probability the shopper leaves within the next minute
    buy_anyway: float   # probability this session ends in a purchase without an incentive


def session_features(session: list[Event]) -> dict[str, float]:
    """The features of publish/train/timing.py (its docstring defines them) at the session's last
    event of a kind the event log also has; page views, engagement and the like are not in
    merchants' logs, so they are not counted here either."""
    logged = [event for event in session if event.type in LOGGED_TYPES]
    if not logged:
        return {}
    last = logged[-1]
    gap_ms = last.ts_ms - logged[-2].ts_ms if len(logged) > 1 else 0.0
    same_views = sum(event.type == "product_view" and event.product == last.product for event in logged) if last.product else 0
    hour = (last.ts_ms / 1000.0 % 86_400.0) / 3600.0
    return {
        "log_events": math.log1p(len(logged)),
        "log_seconds": math.log1p((last.ts_ms - logged[0].ts_ms) / 1000.0),
        "log_gap": math.log1p(gap_ms / 1000.0),
        "log_cart_adds": math.log1p(sum(event.type == "add_to_cart" for event in logged)),
        "log_same_product_views": math.log1p(same_views),
        "hour_sin": math.sin(2 * math.pi * hour / 24),
        "hour_cos": math.cos(2 * math.pi * hour / 24),
    }


def logistic(weights: tuple[float, ...], names: tuple[str, ...], features: dict[str, float]) -> float:
    if not weights:
        return 0.0
    z = weights[0] + sum(weight * features.get(name, 0.0) for weight, name in zip(weights[1:], names))
    z = max(-40.0, min(40.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def timing_odds(model: TimingModel, session: list[Event]) -> TimingOdds:
    features = session_features(session)
    return TimingOdds(
        leave_soon=round(logistic(model.leave_soon, model.features, features), 6),
        buy_anyway=round(logistic(model.buy_anyway, model.features, features), 6),
    )
