"""Cases of kind decide_page: events + context + now -> every decision for the page."""

import json

from shopkeeper.browser import decide_json


def run(given):
    return json.loads(decide_json(json.dumps(given["events"]), json.dumps(given["context"]), given["now_ms"]))
