"""What a value in an event log means: ids, event type names, timestamps, amounts.

Logs come from analytics tools, warehouses and shop databases that each name event
types their own way and count time in seconds, milliseconds or microseconds; these are
the few rules that let one reader take all of them without a conversion script.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from shopkeeper.publish.read.catalog_formats import parse_price
from shopkeeper.publish.read.eventlog import CART, PURCHASE, REMOVE, SEARCH, VIEW

__all__ = ["KINDS", "Blank", "Codes", "Kinds", "Numbers", "Texts", "kind_name", "parse_amount", "parse_iso", "timestamp_unit"]

# Type names (lower case, words joined by "_") -> kind. GA4, Snowplow, RetailRocket and
# common shop exports are covered; anything else is counted and skipped.
KINDS = {
    **dict.fromkeys(("view", "view_item", "detail", "click", "product_view", "item_view", "pageview_product"), VIEW),
    **dict.fromkeys(("cart", "add_to_cart", "addtocart", "add", "basket", "add_to_basket"), CART),
    **dict.fromkeys(("purchase", "transaction", "order", "buy", "checkout_complete"), PURCHASE),
    **dict.fromkeys(("remove_from_cart", "removefromcart", "remove", "remove_from_basket"), REMOVE),
    **dict.fromkeys(("search", "view_search_results", "site_search"), SEARCH),
}

def kind_name(raw: object) -> str:
    """'Add to Cart', 'add-to-cart' and 'add_to_cart' all become 'add_to_cart'."""
    return "_".join(str(raw).strip().lower().replace("-", " ").split()) if raw is not None else ""


# Each unit's band of plausible magnitudes: now is about 1.7e9 s, 1.7e12 ms, 1.7e15 us,
# 1.7e18 ns, so each band leaves two orders of magnitude either side. Seconds have no lower
# bound, so that logs counting from zero (simulations, tests) read as seconds.
_UNITS = (
    ("seconds", 1.0, -np.inf, 1e11), ("milliseconds", 1e3, 1e11, 1e14),
    ("microseconds", 1e6, 1e14, 1e17), ("nanoseconds", 1e9, 1e17, np.inf),
)


def timestamp_unit(raw: np.ndarray) -> tuple[str, float, float, float]:
    """(unit name, units per second, low, high) of the band the median magnitude falls in;
    every timestamp of the log must then lie in [low, high)."""
    typical = float(np.median(np.abs(raw))) if len(raw) else 0.0
    return next(unit for unit in _UNITS if typical < unit[3])


def parse_iso(value: object) -> float:
    """Unix seconds from an ISO 8601 date or date-time; no offset means UTC. BigQuery's
    '2024-05-01 10:00:00 UTC' form is accepted too."""
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4]
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def parse_amount(value: object) -> float:
    """A unit price: a number, or text like '12.99' or '12.99 EUR'."""
    return parse_price(value)[0]


# Memo tables: a log repeats few distinct values per column (ids, type names, prices), so
# each distinct value is interpreted once and every row is a C-level dict lookup.


class Blank(Exception):
    """An empty id where one is required."""


class Codes(dict):
    """Codes 0, 1, 2... in order of first appearance; a blank id gets `blank` or raises."""

    def __init__(self, blank: int | None = None):
        super().__init__()
        self.count, self.blank = 0, blank

    def __missing__(self, key) -> int:
        if key is None or key == "":
            if self.blank is None:
                raise Blank
            return self.blank
        code = self[key] = self.count
        self.count += 1
        return code


class Texts(dict):
    """Product ids as clean strings, each distinct id stored once however often it occurs."""

    def __missing__(self, key) -> str:
        if isinstance(key, float) and key.is_integer():
            text = str(int(key))
        else:
            text = "" if key is None else str(key).strip()
        self[key] = text
        return text


class Numbers(dict):
    """Quantities and prices repeat a few distinct texts, so each is parsed once; blanks
    are nan. Cleared when large, so a column of all-different values costs no memory."""

    LIMIT = 65_536

    def __init__(self, parse):
        super().__init__()
        self.parse = parse

    def __missing__(self, key) -> float:
        blank = key is None or (isinstance(key, str) and not key.strip())
        value = self[key] = np.nan if blank else float(self.parse(key))
        return value


class Kinds(dict):
    def __missing__(self, key) -> int:
        kind = self[key] = KINDS.get(kind_name(key), -1)
        return kind
