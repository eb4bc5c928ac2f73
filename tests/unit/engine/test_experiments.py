import random

import pytest

from shopkeeper.engine.experiments import ASSIGNMENT_REASONS, Arm, Assignment, Experiment, assign, bucket_hash, fnv1a32

TWO_ARMS = Experiment("hero-copy", "hero-copy-2026-11", traffic=1.0, holdout=0.0, arms=(Arm("a"), Arm("b")))


def random_ids(count, seed=1):
    generator = random.Random(seed)
    return [f"{generator.getrandbits(128):032x}" for _ in range(count)]


SEQUENTIAL_IDS = [f"customer-{i}" for i in range(10_000)]


def shares(experiment, ids):
    counts: dict = {}
    for visitor_id in ids:
        assignment = assign(experiment, visitor_id)
        key = "holdout" if assignment.holdout else assignment.arm
        counts[key] = counts.get(key, 0) + 1
    return {key: count / len(ids) for key, count in counts.items()}


@pytest.mark.parametrize(("text", "expected"), [("", 0x811C9DC5), ("a", 0xE40C292C), ("foobar", 0xBF9CF968)])
def test_fnv1a32_matches_the_published_test_vectors(text, expected):
    assert fnv1a32(text) == expected


def test_hash_reads_utf8_bytes():
    expected = 0x811C9DC5
    for byte in (0xC3, 0xBC):   # "ü" in UTF-8
        expected = ((expected ^ byte) * 0x01000193) % 2**32
    assert fnv1a32("ü") == expected
    assert 0 <= bucket_hash("ü") < 2**32


@pytest.mark.parametrize("ids", [random_ids(10_000), SEQUENTIAL_IDS], ids=["random ids", "sequential ids"])
def test_distribution_follows_weights_holdout_and_traffic(ids):
    experiment = Experiment("x", "salt-1", traffic=0.8, holdout=0.1, arms=(Arm("a", 1), Arm("b", 2), Arm("c", 1)))
    observed = shares(experiment, ids)
    expected = {None: 0.2, "holdout": 0.08, "a": 0.18, "b": 0.36, "c": 0.18}
    for key, share in expected.items():
        assert abs(observed.get(key, 0) - share) < 0.02, (key, observed)


def test_traffic_and_arm_decisions_are_independent():
    ids = random_ids(20_000, seed=2)
    inside = [visitor_id for visitor_id in ids if assign(Experiment("x", "s", traffic=0.3, arms=TWO_ARMS.arms), visitor_id).in_experiment]
    assert abs(shares(TWO_ARMS, inside).get("a", 0) - 0.5) < 0.03


def test_raising_traffic_never_moves_anyone_between_arms():
    small = Experiment("x", "s", traffic=0.2, holdout=0.1, arms=TWO_ARMS.arms)
    large = Experiment("x", "s", traffic=0.9, holdout=0.1, arms=TWO_ARMS.arms)
    for visitor_id in random_ids(2000):
        before = assign(small, visitor_id)
        if before.in_experiment:
            after = assign(large, visitor_id)
            assert (after.arm, after.holdout) == (before.arm, before.holdout)


def test_assignment_is_sticky_and_the_salt_reshuffles():
    ids = random_ids(2000)
    first = [assign(TWO_ARMS, visitor_id).arm for visitor_id in ids]
    assert first == [assign(TWO_ARMS, visitor_id).arm for visitor_id in ids]
    resalted = Experiment("hero-copy", "hero-copy-2027-01", arms=TWO_ARMS.arms)
    moved = sum(a != assign(resalted, visitor_id).arm for a, visitor_id in zip(first, ids)) / len(ids)
    assert 0.45 < moved < 0.55


def test_extremes_of_traffic_and_holdout():
    ids = random_ids(500)
    nobody = Experiment("x", "s", traffic=0.0, arms=TWO_ARMS.arms)
    assert {assign(nobody, visitor_id).reason for visitor_id in ids} == {"outside_traffic"}
    assert {assign(TWO_ARMS, visitor_id).in_experiment for visitor_id in ids} == {True}
    all_held = Experiment("x", "s", holdout=1.0, arms=TWO_ARMS.arms)
    assert {assign(all_held, visitor_id) for visitor_id in ids} == {Assignment("x", None, True, True, "holdout")}


def test_a_single_arm_takes_everyone_not_held_out():
    experiment = Experiment("x", "s", holdout=0.5, arms=(Arm("only"),))
    assert {assign(experiment, visitor_id).arm for visitor_id in random_ids(300)} == {"only", None}


def test_no_visitor_id_and_no_arms_are_reasons_not_errors():
    assert assign(TWO_ARMS, "") == Assignment("hero-copy", None, False, False, "no_visitor_id")
    empty = Experiment("x", "s")
    assert assign(empty, "v1") == Assignment("x", None, False, False, "no_arms")
    zero_weights = Experiment("x", "s", arms=(Arm("a", 0), Arm("b", -1)))
    assert assign(zero_weights, "v1").reason == "no_arms"


def test_zero_weight_arms_are_never_chosen():
    experiment = Experiment("x", "s", arms=(Arm("off", 0), Arm("on", 1), Arm("also-off", 0)))
    assert {assign(experiment, visitor_id).arm for visitor_id in random_ids(500)} == {"on"}


def test_reasons_come_from_the_closed_set():
    experiment = Experiment("x", "s", traffic=0.5, holdout=0.3, arms=TWO_ARMS.arms)
    reasons = {assign(experiment, visitor_id).reason for visitor_id in [*random_ids(300), ""]}
    assert reasons <= ASSIGNMENT_REASONS and len(reasons) == 4
