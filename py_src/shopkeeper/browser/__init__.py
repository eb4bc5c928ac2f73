"""The Python side of the browser worker: JSON in, JSON out, nothing imported from `js`."""

from shopkeeper.browser.exercise import exercise_engine
from shopkeeper.browser.worker_entry import add_archive, as_store, decide_json, forget, load_model, profile_json

__all__ = ["add_archive", "as_store", "decide_json", "exercise_engine", "forget", "load_model", "profile_json"]
