"""Which products a shopper is likely to open next, from the model and their own recent views.

    score(c) = sum over r of decay**r * (viewed_together[s_r](c) + remind * [c == s_r])

s_0 is the product viewed last, s_1 the one before, and so on for `horizon` views. Which
product tends to be viewed *after* which carries most of the signal (sequential rules), so
publishing weights viewed_together by direction: a product opened after s_r counts fully,
one opened before it at a fraction (NeighbourParams.backward). The recency decay lets the
current interest lead. `remind` lets a product seen moments ago come back, as it often
does: a quarter of the next clicks in the YOOCHOOSE log re-open the product just seen.
When the recent views point to fewer than `limit` products, the model's bestsellers fill
the rest.

The defaults were chosen on a validation split carved from the YOOCHOOSE training
period; a model may carry its own under config["next_item"] (shopkeeper evaluate tunes
them). Pure Python: this runs in the browser.
"""

from __future__ import annotations

from collections.abc import Iterable

from shopkeeper.model.view import Model

DEFAULTS = {"remind": 2.0, "decay": 0.6, "horizon": 10.0}


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


def score_next_items(model: Model, recent_products: list[str], limit: int, *,
                     exclude: Iterable[str] = ()) -> list[str]:
    """Up to `limit` product ids, most likely next first.

    recent_products: the shopper's product views, oldest first (ids the model does not
    know are skipped); exclude: ids never to return, such as the product on screen.
    """
    if limit <= 0:
        return []
    params = next_item_params(model)
    banned = {index for index in map(model.index_of, exclude) if index is not None}
    recent = [index for index in map(model.index_of, reversed(recent_products)) if index is not None]
    scores: dict[int, float] = {}
    weight = 1.0
    for index in recent[:int(params["horizon"])]:
        for other, strength in model.neighbours("viewed_together", index):
            scores[other] = scores.get(other, 0.0) + weight * strength
        if params["remind"]:
            scores[index] = scores.get(index, 0.0) + weight * params["remind"]
        weight *= params["decay"]
    ranked = sorted((index for index in scores if index not in banned), key=lambda index: (-scores[index], index))
    ranked = ranked[:limit]
    if len(ranked) < limit:
        taken = banned.union(ranked)
        for index in model.popular(limit + len(taken)):
            if index not in taken:
                ranked.append(index)
                taken.add(index)
                if len(ranked) == limit:
                    break
    return [model.product(index).id for index in ranked]
