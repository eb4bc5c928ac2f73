"""What a shopper is likely to open next: the one ranking of the shelves that answer it
(viewed together, personalized) and of the evaluation that measures those shelves.

    score(c) = sum over r < horizon of  decay**r * viewed_together[s_r](c)
             + hop * sum over the first HOP_DEPTH entries n of viewed_together[s_0]
                       of viewed_together[s_0](n) * viewed_together[n](c)
             + remind * decay**r                       where c is s_r (r >= 1, or s_0 off its page)
             + cart * sum over the cart's products i of bought_together[i](c)

s_0 is the product on screen (or, off a product page, the one viewed last), s_1 the one
before, and so on. Which product tends to be viewed *after* which carries most of the
signal, so publishing weights viewed_together by direction. The recency decay lets the
current interest lead; `hop` reaches the products two steps on from the one on screen,
which a list of K = 20 alone misses; `remind` lets a product seen earlier come back, as it
often does (a tenth of next clicks in the YOOCHOOSE log re-open an earlier view, beside
the quarter that re-open the product on screen, which no shelf on its own page serves).

A list that weighs less (an older view's, one two steps on) contributes only its head,
in proportion to its weight (candidates.add_contributions): its tail could reach a shelf
only through sums of many small weights, and Pyodide pays for every entry. Every
candidate's reason is its largest contribution, so "because you viewed X" names the
seed that actually drove it. The defaults were chosen on a validation split carved
from the YOOCHOOSE training period; `shopkeeper publish` tunes them on the end of the
merchant's own log and ships them in the model's config["next_item"]. Pure Python: this
runs in the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from shopkeeper.engine.recs.candidates import Candidate, Contributions, add_contributions, candidate
from shopkeeper.model.view import Model

__all__ = ["DEFAULTS", "HOP_DEPTH", "NEXT_ITEM_STRATEGIES", "next_item_candidates", "next_item_params"]

DEFAULTS = {"remind": 2.0, "decay": 0.6, "horizon": 10.0, "hop": 0.3, "cart": 1.0}
HOP_DEPTH = 10   # neighbours of the product on screen whose own lists are followed
NEXT_ITEM_STRATEGIES = frozenset({"viewed_together", "personalized"})


def next_item_params(model: Model) -> dict[str, float]:
    """DEFAULTS, overridden by the model's config["next_item"] where it holds a usable number."""
    params = dict(DEFAULTS)
    raw = model.config.get("next_item") if isinstance(model.config, dict) else None
    if isinstance(raw, dict):
        for name in DEFAULTS:
            value = raw.get(name)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < float("inf"):
                params[name] = float(value)
    return params


def next_item_candidates(model: Model, recent: Sequence[int], params: dict[str, float], *,
                         on_screen: int | None = None, cart: Sequence[int] = (),
                         remind: bool = True) -> list[Candidate]:
    """Scored candidates, unsorted; the caller filters and ranks them.

    recent: the shopper's viewed products as indexes, most recent first (the product on
    screen first where there is one); on_screen: that product, whose list's entries read
    "viewed together" rather than "because you viewed"; cart: indexes in the cart;
    remind: whether viewed products may come back (a shelf that shows only unseen
    products passes False, and leaves them out anyway).
    """
    best: Contributions = {}
    add = partial(add_contributions, best)
    neighbours, decay, weight = model.neighbours, params["decay"], 1.0
    for rank, seed in enumerate(recent[:int(params["horizon"])]):
        reason = "viewed_together" if seed == on_screen else "viewed_next"
        listed = neighbours("viewed_together", seed)
        add(listed, weight, reason, seed)
        if rank == 0 and params["hop"]:
            for middle, strength in listed[:HOP_DEPTH]:
                add(neighbours("viewed_together", middle), params["hop"] * strength, reason, seed)
        if remind and params["remind"] and seed != on_screen:
            add(((seed, 1.0),), weight * params["remind"], "recently_viewed", seed)
        weight *= decay
    if params["cart"]:
        for item in cart:
            add(neighbours("bought_together", item), params["cart"], "bought_together", item)
    return [candidate((index, total, reason, None if reason == "recently_viewed" else seed))
            for index, (total, _, reason, seed) in best.items()]
