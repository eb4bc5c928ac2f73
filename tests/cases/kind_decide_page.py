"""Cases of kind decide_page: a model (products, neighbours, config) + events + context +
now -> every decision for the page, exactly as the browser worker returns them."""

import json

from shopkeeper.engine import decide_page, parse_config, parse_context, parse_events
from shopkeeper.model import InMemoryModel


def run(given):
    model = InMemoryModel.from_json({**given.get("model", {}), "version": "case"})
    config = parse_config(model.config)
    decisions = decide_page(model, config, parse_events(given["events"]), parse_context(given["context"]), given["now_ms"])
    return json.loads(json.dumps(decisions.to_json_dict()))
