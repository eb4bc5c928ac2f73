"""Cases of kind traffic: a page context and now -> the visit it belongs to (engine/visit/traffic.py).

input: {"context": {...as the loader sends it}, "now_ms": n} and optionally "fields":
the Visit fields the case is about (all of them otherwise).
"""

from dataclasses import asdict

from shopkeeper.engine.events import parse_context
from shopkeeper.engine.visit.traffic import classify_visit


def run(given):
    visit = asdict(classify_visit(parse_context(given["context"]), given.get("now_ms", 0)))
    fields = given.get("fields")
    return {key: visit[key] for key in fields} if fields else visit
