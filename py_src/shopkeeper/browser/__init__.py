"""The Python side of the browser worker: JSON in, JSON out, nothing imported from `js`."""

from shopkeeper.browser.worker_entry import decide_json

__all__ = ["decide_json"]
