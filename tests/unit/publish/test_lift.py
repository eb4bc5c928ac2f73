"""Experiment lift from an analytics export: planted effects found, A/A tests quiet, skewed splits flagged."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from shopkeeper.cli import main
from shopkeeper.engine.experiments import Arm, Experiment, assign
from shopkeeper.publish.lift import chi_square_sf, experiment_lift, read_exposures_and_purchases, wilson

EXPERIMENT = Experiment("hero-copy", salt="hero-copy-2026-11", holdout=0.1, arms=(Arm("a"), Arm("b")))
SHARES = {"holdout": 0.1, "a": 0.45, "b": 0.45}
RATES = {"holdout": 0.05, "a": 0.05, "b": 0.07}   # arm a is the default's copy again: an A/A test


def write_log(path: Path, shoppers: int = 30_000, seed: int = 1, drop_from_a: float = 0.0) -> None:
    """Exposures as the loader pushes them, each shopper in the arm the engine assigns, and
    purchases at each group's planted rate; a few purchases before the exposure never count."""
    rng = random.Random(seed)
    rows = ["visitor,ts,event,experiment,arm,holdout,value"]
    for number in range(shoppers):
        visitor = f"v{number}"
        assignment = assign(EXPERIMENT, visitor)
        group = "holdout" if assignment.holdout else assignment.arm
        if group == "a" and rng.random() < drop_from_a:
            continue   # a broken tag loses some of one arm's exposures
        exposed_at = 1_767_225_600 + number
        rows.append(f"{visitor},{exposed_at},shopkeeper_exposure,hero-copy,{assignment.arm or ''},{str(assignment.holdout).lower()},")
        if rng.random() < 0.02:
            rows.append(f"{visitor},{exposed_at - 3600},purchase,,,,500")   # before: not the experiment's doing
        if rng.random() < RATES[group]:
            rows.append(f"{visitor},{exposed_at + 600},purchase,,,,{rng.uniform(20, 80):.2f}")
    path.write_text("\n".join(rows) + "\n")


def test_a_planted_lift_is_inside_its_interval_and_an_aa_arm_is_not_significant(tmp_path):
    write_log(tmp_path / "export.csv")
    experiments, purchases = read_exposures_and_purchases(tmp_path / "export.csv")
    result = experiment_lift("hero-copy", experiments["hero-copy"], SHARES)
    groups = {group.group: group for group in result.groups}
    assert [group.group for group in result.groups] == ["holdout", "a", "b"]
    assert sum(group.shoppers for group in result.groups) == 30_000 and purchases > 1500
    b, a, holdout = groups["b"], groups["a"], groups["holdout"]
    assert b.lift_interval[0] < RATES["b"] / RATES["holdout"] - 1 < b.lift_interval[1] and b.p_value < 0.01
    assert a.lift_interval[0] < 0 < a.lift_interval[1] and a.p_value > 0.05
    assert holdout.rate_interval[0] < RATES["holdout"] < holdout.rate_interval[1] and holdout.lift is None
    assert 40 < b.revenue_per_shopper / b.rate < 60   # a purchase is worth 50 on average; the early 500s do not count
    assert not result.sample_ratio_mismatch and result.srm_p > SRM_QUIET


SRM_QUIET = 0.01


def test_a_skewed_split_is_flagged(tmp_path):
    write_log(tmp_path / "export.csv", drop_from_a=0.08)
    experiments, _ = read_exposures_and_purchases(tmp_path / "export.csv")
    result = experiment_lift("hero-copy", experiments["hero-copy"], SHARES)
    assert result.sample_ratio_mismatch and result.srm_p < 1e-6


def test_statistics_against_textbook_values():
    assert chi_square_sf(3.841458820694124, 1) == pytest.approx(0.05, abs=1e-9)
    assert chi_square_sf(5.991464547107979, 2) == pytest.approx(0.05, abs=1e-9)
    assert chi_square_sf(7.814727903251178, 3) == pytest.approx(0.05, abs=1e-9)
    assert chi_square_sf(9.487729036781154, 4) == pytest.approx(0.05, abs=1e-9)
    assert chi_square_sf(0.0, 2) == 1.0
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    assert wilson(50, 100) == pytest.approx((0.4038, 0.5962), abs=1e-4)


def ga4_row(event: str, visitor: str, ts_s: float, params: dict, revenue: float | None = None) -> str:
    values = [{"key": key, "value": {"int_value" if isinstance(value, int) else "string_value": value}} for key, value in params.items()]
    row = {"event_name": event, "event_timestamp": int(ts_s * 1e6), "user_pseudo_id": visitor, "event_params": values}
    if revenue is not None:
        row["ecommerce"] = {"purchase_revenue": revenue}
    return json.dumps(row)


def test_the_command_reads_a_ga4_export_and_checks_the_split_of_the_config(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rows = []
    for number in range(400):
        group = ("holdout", "a", "b")[number % 3]
        params = {"experiment": "hero-copy", "holdout": 1 if group == "holdout" else 0, **({"arm": group} if group != "holdout" else {})}
        rows.append(ga4_row("shopkeeper_exposure", f"u{number}", 1000 + number, params))
        if number % 5 == 0:
            rows.append(ga4_row("purchase", f"u{number}", 2000 + number, {}, revenue=40.0))
    Path("ga4.jsonl").write_text("\n".join(rows) + "\n")
    Path("site.toml").write_text('[[experiments]]\nname = "hero-copy"\nsalt = "s"\nholdout = 0.1\narms = [{ name = "a" }, { name = "b" }]\n')
    assert main(["lift", "--events", "ga4.jsonl", "--config", "site.toml"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "80 purchases read" and out[2] == "experiment hero-copy"
    assert out[4].split()[:3] == ["holdout", "134", "27"]
    assert out[-1].startswith("  sample ratio against holdout 10%, a 45%, b 45%: p = ") and "MISMATCH" in out[-1]
    assert main(["lift", "--events", "ga4.jsonl", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)[0]
    assert figures["experiment"] == "hero-copy" and not figures["sample_ratio_mismatch"]   # equal thirds, as seen
    assert math.isclose(figures["groups"][0]["rate"], 27 / 134)
    assert main(["lift", "--events", "ga4.jsonl", "--experiment", "other"]) == 2
    assert capsys.readouterr().err == "shopkeeper: error: ga4.jsonl: no exposures of experiment 'other'; found hero-copy\n"
