"""The Python side of the browser worker: JSON in, JSON out, nothing imported from `js`."""

from shopkeeper.browser.exercise import exercise_engine
from shopkeeper.browser.worker_entry import (
    add_archive,
    add_shard,
    as_store,
    decide_json,
    forget,
    history_shards,
    load_model,
    page_shards,
    profile_json,
)

__all__ = [
    "add_archive", "add_shard", "as_store", "decide_json", "exercise_engine", "forget", "history_shards", "load_model",
    "page_shards", "profile_json",
]
