"""Deterministic experiment bucketing: the same visitor id and salt give the same arm, anywhere.

Nothing is stored: assignment is a pure function of (salt, visitor id, traffic, holdout,
arms), so it is sticky for as long as those stay put, and a port to another language
that follows these steps gives the same arm for every visitor:

1. hash(text) = fmix32(fnv1a32(UTF-8 bytes of text)), where
   fnv1a32: h = 0x811C9DC5; for each byte b: h = ((h XOR b) * 0x01000193) mod 2**32
   fmix32 (MurmurHash3's finalizer): h ^= h >> 16; h = (h * 0x85EBCA6B) mod 2**32;
   h ^= h >> 13; h = (h * 0xC2B2AE35) mod 2**32; h ^= h >> 16
   (JavaScript: Math.imul(h, k) >>> 0 for each multiplication, `>>>` for each shift).
   FNV-1a alone leaves ids that differ only in their last characters (customer
   numbers, "visitor-41", "visitor-42") in neighbouring buckets; the finalizer spreads
   them, so a 50/50 split stays 50/50 for sequential ids too.
2. unit(text) = hash(text) / 2**32, a float in [0, 1).
3. The visitor is in the experiment when unit(f"{salt}:{visitor_id}") < traffic.
4. Otherwise u = unit(f"{salt}:{visitor_id}:arm"), a second hash, so raising traffic
   adds visitors without moving anyone already in between arms.
   If u < holdout: holdout (sees the default, is measured). Else v = (u - holdout) /
   (1 - holdout), and the arm is the first whose cumulative weight, summed left to
   right as floats, divided by the total weight, exceeds v (the last arm if none does).
An empty visitor id (none stored yet, or the shopper declined) is never in an experiment.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ASSIGNMENT_REASONS", "Arm", "Assignment", "Experiment", "assign", "bucket_hash", "fnv1a32"]

ASSIGNMENT_REASONS = frozenset({"assigned", "holdout", "outside_traffic", "no_visitor_id", "no_arms"})
MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class Arm:
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class Experiment:
    name: str
    salt: str
    traffic: float = 1.0           # share of visitors in the experiment
    holdout: float = 0.0           # share of those who see the default and are measured
    arms: tuple[Arm, ...] = ()


@dataclass(frozen=True)
class Assignment:
    experiment: str
    arm: str | None
    in_experiment: bool
    holdout: bool
    reason: str                    # one of ASSIGNMENT_REASONS


def fnv1a32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & MASK
    return value


def bucket_hash(text: str) -> int:
    """fnv1a32 followed by MurmurHash3's fmix32, so every input bit moves every output bit."""
    value = fnv1a32(text)
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & MASK
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & MASK
    return value ^ (value >> 16)


def unit(text: str) -> float:
    return bucket_hash(text) / 4294967296.0


def assign(experiment: Experiment, visitor_id: str) -> Assignment:
    name = experiment.name
    if not visitor_id:
        return Assignment(name, None, False, False, "no_visitor_id")
    if unit(f"{experiment.salt}:{visitor_id}") >= experiment.traffic:
        return Assignment(name, None, False, False, "outside_traffic")
    u = unit(f"{experiment.salt}:{visitor_id}:arm")
    if u < experiment.holdout:
        return Assignment(name, None, True, True, "holdout")
    total = sum(arm.weight for arm in experiment.arms if arm.weight > 0)
    if total <= 0:
        return Assignment(name, None, False, False, "no_arms")
    v = (u - experiment.holdout) / (1.0 - experiment.holdout)
    chosen, cumulative = experiment.arms[-1].name, 0.0
    for arm in experiment.arms:
        cumulative += max(arm.weight, 0.0)
        if arm.weight > 0 and v < cumulative / total:
            chosen = arm.name
            break
    return Assignment(name, chosen, True, False, "assigned")
