"""Why a product is recommended: a closed set of codes and the sentence each one shows.

The code is what a merchant's analytics sees; the sentence is what a shopper reads,
with the seed product's title filled in ("because you viewed ...").
"""

from __future__ import annotations

REASON_TEXT = {
    "bought_together": "Often bought with {seed}",
    "viewed_together": "Shoppers who viewed {seed} also viewed this",
    "viewed_next": "Because you viewed {seed}",
    "similar": "Similar to {seed}",
    "complementary": "Goes well with {seed}",
    "upsell": "A step up from {seed}",
    "recently_viewed": "You viewed this recently",
    "affinity": "Because you like {seed}",
    "trending": "Trending now",
    "bestseller": "A bestseller",
    "pinned": "Featured",
    "listing": "",
}


def reason_text(code: str, seed_title: str = "") -> str:
    template = REASON_TEXT.get(code, "")
    if "{seed}" in template and not seed_title:
        return REASON_TEXT["bestseller"] if code == "affinity" else ""
    return template.replace("{seed}", seed_title)
