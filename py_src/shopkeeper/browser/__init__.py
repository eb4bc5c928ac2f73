"""The Python side of the browser worker: JSON in, JSON out, nothing imported from `js`.

The worker imports this at boot, so it imports only what deciding needs: the build's
`exercise_engine` (which writes models) lives in `shopkeeper.browser.exercise`."""

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
    "add_archive", "add_shard", "as_store", "decide_json", "forget", "history_shards", "load_model",
    "page_shards", "profile_json",
]
