"""What an experiment earned, from the merchant's own analytics export.

shopkeeper sends nothing anywhere: the loader pushes `{event: "shopkeeper_exposure",
experiment, arm, holdout}` to the page's dataLayer, the merchant's analytics keeps it
with their purchases, and this reads that export back. The unit is the shopper (GA4's
user_pseudo_id, or the CSV's visitor): a shopper belongs to the group of their first
exposure to an experiment (the holdout, or an arm) and converts when they buy at or after
it; revenue per shopper counts every purchase from then on. Per group: shoppers,
conversion rate with a Wilson 95 % interval, revenue per shopper with a normal one; per
arm, the lift over the holdout (the ratio of conversion rates, its interval by the delta
method on the log ratio, and a two-proportion z-test); per experiment, a chi-square test
of the group sizes against the shares the site config asks for (sample-ratio mismatch),
flagged below SRM_P. Shoppers seen in two groups are left out and counted.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.event_values import parse_iso
from shopkeeper.publish.read.ga4 import event_param
from shopkeeper.publish.read.sources import json_record

__all__ = ["EXPOSURE_EVENT", "ExperimentLift", "GroupFigures", "experiment_lift", "experiment_splits", "lift_text",
           "read_exposures_and_purchases", "sample_ratio_p"]

HOLDOUT = "holdout"
EXPOSURE_EVENT = "shopkeeper_exposure"   # the event the loader pushes to dataLayer
Z95 = 1.959963984540054
SRM_P = 0.001
TRUE_TEXTS = {"true", "1", "yes"}


@dataclass
class Shopper:
    group: str | None = None     # the first exposure's group; None until exposed
    exposed_at: float = math.inf
    mixed: bool = False
    purchases: list[tuple[float, float]] = field(default_factory=list)   # (time, value)


@dataclass(frozen=True)
class GroupFigures:
    group: str
    shoppers: int
    converted: int
    rate: float
    rate_interval: tuple[float, float]
    revenue_per_shopper: float
    revenue_interval: tuple[float, float]
    lift: float | None = None                       # arm's rate / holdout's - 1
    lift_interval: tuple[float, float] | None = None
    p_value: float | None = None                    # arm against holdout, two-sided


@dataclass(frozen=True)
class ExperimentLift:
    experiment: str
    groups: list[GroupFigures]
    mixed_shoppers: int
    srm_p: float | None          # None when there is nothing to compare
    expected_shares: dict[str, float]

    @property
    def sample_ratio_mismatch(self) -> bool:
        return self.srm_p is not None and self.srm_p < SRM_P


def read_exposures_and_purchases(path: str | Path) -> tuple[dict[str, dict[str, Shopper]], int]:
    """{experiment: {shopper: Shopper}} and the purchases read, from a GA4 BigQuery export
    (JSON Lines) or a CSV with visitor, ts, event, experiment, arm, holdout, value."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            handle.seek(0)
            rows = _ga4_rows(path, handle) if first.lstrip().startswith("{") else _csv_rows(path, handle)
            exposures: list[tuple[str, float, str, str]] = []
            purchases: dict[str, list[tuple[float, float]]] = {}
            for visitor, ts, event, experiment, group, value in rows:
                if event == EXPOSURE_EVENT and visitor and experiment:
                    exposures.append((visitor, ts, experiment, group))
                elif event == "purchase" and visitor:
                    purchases.setdefault(visitor, []).append((ts, value))
    except OSError as error:
        raise InputError(path, None, (error.strerror or str(error)).lower()) from None
    except UnicodeDecodeError:
        raise InputError(path, None, "not UTF-8 text") from None
    experiments: dict[str, dict[str, Shopper]] = {}
    for visitor, ts, experiment, group in sorted(exposures, key=lambda row: row[1]):
        shopper = experiments.setdefault(experiment, {}).setdefault(visitor, Shopper())
        if shopper.group is None:
            shopper.group, shopper.exposed_at = group, ts
        elif shopper.group != group:
            shopper.mixed = True
    for shoppers in experiments.values():
        for visitor, shopper in shoppers.items():
            shopper.purchases = purchases.get(visitor, [])
    return experiments, sum(map(len, purchases.values()))


def _ga4_rows(path, handle):
    for line, text in enumerate(handle, 1):
        if not text.strip():
            continue
        record = json_record(path, line, text)
        if "event_name" not in record:
            raise InputError(path, line, "expected a GA4 export row with event_name, event_timestamp and user_pseudo_id")
        params = record.get("event_params")
        holdout = (event_param(params, "holdout") or "").lower() in TRUE_TEXTS
        group = HOLDOUT if holdout else event_param(params, "arm") or ""
        revenue = (record.get("ecommerce") or {}).get("purchase_revenue") if isinstance(record.get("ecommerce"), dict) else None
        value = _number(path, line, revenue if revenue is not None else event_param(params, "value") or 0.0, "purchase value")
        seconds = _number(path, line, record.get("event_timestamp"), "event_timestamp") / 1e6   # GA4 counts microseconds
        visitor = str(record.get("user_pseudo_id") or record.get("user_id") or "")
        yield visitor, seconds, record["event_name"], event_param(params, "experiment") or "", group, value


def _csv_rows(path, handle):
    reader = csv.DictReader(handle)
    missing = {"visitor", "ts", "event"} - set(reader.fieldnames or ())
    if missing:
        raise InputError(path, 1, f"no {', '.join(sorted(missing))} column: a CSV needs visitor, ts, event and, for exposures, "
                                  "experiment, arm, holdout; for purchases, value")
    for line, row in enumerate(reader, 2):
        holdout = (row.get("holdout") or "").strip().lower() in TRUE_TEXTS
        group = HOLDOUT if holdout else (row.get("arm") or "").strip()
        yield (row["visitor"].strip(), _time(path, line, row["ts"]), row["event"].strip(), (row.get("experiment") or "").strip(),
               group, _number(path, line, row.get("value") or 0.0, "value"))


def _time(path, line: int, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        try:
            return parse_iso(text)
        except ValueError:
            raise InputError(path, line, f"ts {text!r} is neither a number nor an ISO 8601 date-time") from None


def _number(path, line: int, value: object, what: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(path, line, f"{what} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InputError(path, line, f"{what} {value!r} is not a number")
    return number


def experiment_lift(name: str, shoppers: dict[str, Shopper], expected_shares: dict[str, float] | None = None) -> ExperimentLift:
    """The figures of one experiment. `expected_shares`: each group's share as the site
    config splits traffic (holdout included); without it, equal shares of the groups seen."""
    by_group: dict[str, list[Shopper]] = {}
    mixed = 0
    for shopper in shoppers.values():
        if shopper.mixed:
            mixed += 1
        else:
            by_group.setdefault(shopper.group or "", []).append(shopper)
    holdout = _group_figures(HOLDOUT, by_group[HOLDOUT]) if HOLDOUT in by_group else None
    groups = [holdout] if holdout else []
    for group in sorted(name for name in by_group if name != HOLDOUT):
        groups.append(_with_lift(_group_figures(group, by_group[group]), holdout))
    shares = expected_shares or {group.group: 1.0 / len(groups) for group in groups}
    return ExperimentLift(name, groups, mixed, sample_ratio_p({group.group: group.shoppers for group in groups}, shares), shares)


def _group_figures(group: str, members: list[Shopper]) -> GroupFigures:
    n = len(members)
    revenue = [sum(value for ts, value in shopper.purchases if ts >= shopper.exposed_at) for shopper in members]
    converted = sum(any(ts >= shopper.exposed_at for ts, _ in shopper.purchases) for shopper in members)
    mean = sum(revenue) / n
    sd = math.sqrt(sum((r - mean) ** 2 for r in revenue) / (n - 1)) if n > 1 else 0.0
    half = Z95 * sd / math.sqrt(n)
    return GroupFigures(group, n, converted, converted / n, wilson(converted, n), mean, (mean - half, mean + half))


def _with_lift(arm: GroupFigures, holdout: GroupFigures | None) -> GroupFigures:
    if holdout is None or not holdout.converted or not arm.converted:
        return arm
    p1, n1, p0, n0 = arm.rate, arm.shoppers, holdout.rate, holdout.shoppers
    log_ratio = math.log(p1 / p0)
    se = math.sqrt((1 - p1) / (n1 * p1) + (1 - p0) / (n0 * p0))
    pooled = (arm.converted + holdout.converted) / (n1 + n0)
    z = (p1 - p0) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0)) if 0 < pooled < 1 else 0.0
    return GroupFigures(**{**vars(arm), "lift": p1 / p0 - 1, "p_value": math.erfc(abs(z) / math.sqrt(2)),
                           "lift_interval": (math.exp(log_ratio - Z95 * se) - 1, math.exp(log_ratio + Z95 * se) - 1)})


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson's 95 % interval of a proportion: sound near 0 and 1, where conversion rates live."""
    if not n:
        return (0.0, 1.0)
    p, z2 = successes / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def experiment_splits(config) -> dict[str, dict[str, float]]:
    """Each experiment's share per group (holdout included) as a parsed site config splits
    the traffic it takes in."""
    splits = {}
    for experiment in config.experiments:
        total = sum(arm.weight for arm in experiment.arms if arm.weight > 0) or 1.0
        splits[experiment.name] = {HOLDOUT: experiment.holdout, **{
            arm.name: (1 - experiment.holdout) * arm.weight / total for arm in experiment.arms if arm.weight > 0}}
    return splits


def sample_ratio_p(counts: dict[str, int], shares: dict[str, float]) -> float | None:
    """Chi-square p of group sizes against the shares asked for (groups without a share are
    left out); None with fewer than two groups to compare."""
    counted = {group: count for group, count in counts.items() if shares.get(group, 0) > 0}
    if len(counted) < 2:
        return None
    total, share_sum = sum(counted.values()), sum(shares[group] for group in counted)
    expected = {group: total * shares[group] / share_sum for group in counted}
    return chi_square_sf(sum((count - expected[group]) ** 2 / expected[group] for group, count in counted.items()),
                         len(counted) - 1)


def chi_square_sf(x: float, df: int) -> float:
    """P(X >= x) for chi-square with df degrees of freedom, in closed form (whole df)."""
    if x <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    root = math.sqrt(x)
    total, term = math.erfc(root / math.sqrt(2)), root
    density = math.exp(-half) * math.sqrt(2 / math.pi)
    for i in range(1, (df - 1) // 2 + 1):
        total += density * term
        term *= x / (2 * i + 1)
    return min(1.0, total)


def lift_text(results: list[ExperimentLift], purchases: int) -> str:
    lines = [f"{purchases:,} purchases read"]
    for result in results:
        lines += ["", f"experiment {result.experiment}"]
        lines.append(f"  {'group':<10}{'shoppers':>10}{'converted':>11}{'rate':>8}  {'95% interval':<17}"
                     f"{'revenue/shopper':>16}  {'lift vs holdout':<28}{'p':>7}")
        for group in result.groups:
            rate = f"{group.rate_interval[0]:.2%}-{group.rate_interval[1]:.2%}"
            lift = (f"{group.lift:+.1%} ({group.lift_interval[0]:+.1%} to {group.lift_interval[1]:+.1%})"
                    if group.lift is not None else "")
            p = f"{group.p_value:.3f}" if group.p_value is not None else ""
            lines.append(f"  {group.group:<10}{group.shoppers:>10,}{group.converted:>11,}{group.rate:>8.2%}  {rate:<17}"
                         f"{group.revenue_per_shopper:>16.2f}  {lift:<28}{p:>7}")
        expected = ", ".join(f"{name} {share:.0%}" for name, share in result.expected_shares.items())
        if result.srm_p is None:
            lines.append("  sample ratio: nothing to compare")
        else:
            verdict = ("MISMATCH: the groups are not the sizes the split asks for; do not trust the lift until the cause is found"
                       if result.sample_ratio_mismatch else "as expected")
            lines.append(f"  sample ratio against {expected}: p = {result.srm_p:.2g}, {verdict}")
        if result.mixed_shoppers:
            lines.append(f"  {result.mixed_shoppers:,} shoppers seen in two groups were left out")
    return "\n".join(lines)
