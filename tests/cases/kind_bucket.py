"""Cases of kind bucket: an experiment as the site config writes it and fixed visitor ids
-> each visitor's arm and reason; or {"hash": text} -> the hashes bucketing uses.
These pin the algorithm in engine/experiments.py, so a port to another language can
prove it assigns every visitor the same arm.
"""

from shopkeeper.engine.config.campaigns import read_experiment
from shopkeeper.engine.experiments import assign, bucket_hash, fnv1a32


def run(given):
    if "hash" in given:
        text = given["hash"]
        return {"fnv1a32": fnv1a32(text), "bucket_hash": bucket_hash(text), "unit": bucket_hash(text) / 2**32}
    experiment = read_experiment(given["experiment"], "experiment")
    result = {}
    for visitor_id in given["visitor_ids"]:
        assignment = assign(experiment, visitor_id)
        result[visitor_id] = {"arm": assignment.arm, "reason": assignment.reason}
    return result
