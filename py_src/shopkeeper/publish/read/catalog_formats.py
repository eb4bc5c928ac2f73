"""Catalog values as merchants write them, parsed strictly.

A Google Merchant Center feed writes `12.99 EUR`, `in stock` and `A > B > C`; a shop's
own export writes `12.99`, `true` and maybe a JSON list. Both are read here. Anything
unrecognised raises ValueError with the message the reader puts after `file:line:`,
because a silently zeroed price or stock flag would mislead every recommendation.
"""

from __future__ import annotations

import json
import math
import re

__all__ = ["ALIASES", "EXPECTED", "REQUIRED", "attribute_text", "parse_category", "parse_flag", "parse_price", "parse_stock"]

# Field -> column names recognised without configuration (Merchant Center names included).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "product_id", "sku", "item_id"),
    "title": ("title", "name", "product_name"),
    "url": ("url", "link", "product_url"),
    "image": ("image", "image_link", "image_url"),
    "price": ("price",),
    "sale_price": ("sale_price",),
    "category": ("category", "product_type", "category_path", "categories"),
    "brand": ("brand",),
    "in_stock": ("in_stock", "availability", "stock"),
    "replenishable": ("replenishable",),
}
# Why a field matters. A publish stops when a REQUIRED column is missing; an EXPECTED field
# missing (no column, or empty values) is a warning saying what goes without it; every other
# field is optional. The README's catalog table says the same (a test holds them together).
REQUIRED: dict[str, str] = {"id": "every event and every recommendation list names products by it"}
EXPECTED: dict[str, str] = {
    "title": "shelf cards show no product name",
    "url": "shelf cards link nowhere",
    "price": "products count as unpriced (price 0): no price band for similar products, "
             "no price sensitivity, and price rules never match them",
}

_PRICE = re.compile(r"^(?:([A-Za-z]{3})\s*|([$€£¥]))?\s*([-+]?(?:\d+(?:\.\d+)?|\.\d+))\s*(?:([A-Za-z]{3})|([$€£¥]))?$")
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
# Merchant Center availability values; preorder and backorder can be bought now, so they
# count as in stock for "exclude out of stock" (the raw value stays an attribute).
_STOCK = {
    "in stock": True, "instock": True, "available": True, "preorder": True, "backorder": True,
    "out of stock": False, "outofstock": False, "sold out": False, "soldout": False, "discontinued": False,
}
_FLAGS = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}


def parse_price(value: object, what: str = "price") -> tuple[float, str]:
    """(amount, currency code or '') from 12.99, '12.99', '12.99 EUR', 'EUR 12.99', '$12.99'."""
    if value is None:
        raise ValueError(f"{what} is empty")
    if isinstance(value, bool):
        raise ValueError(f"{what} {value!r} is not a number")
    if isinstance(value, (int, float)):
        amount, currency = float(value), ""
    else:
        text = str(value).strip()
        if not text:
            raise ValueError(f"{what} is empty")
        match = _PRICE.match(text)
        if not match:
            raise ValueError(f"{what} {text!r} is not a number")
        code, symbol, number, code_after, symbol_after = match.groups()
        if (code or symbol) and (code_after or symbol_after):
            raise ValueError(f"{what} {text!r} names its currency twice")
        amount = float(number)
        currency = (code or code_after or "").upper() or _SYMBOLS.get(symbol or symbol_after or "", "")
    if not math.isfinite(amount):
        raise ValueError(f"{what} {value!r} is not a finite number")
    if amount < 0:
        raise ValueError(f"{what} {value!r} is negative")
    return amount, currency


def parse_stock(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = " ".join(str(value).strip().lower().replace("_", " ").split())
    if text in _STOCK:
        return _STOCK[text]
    if text in _FLAGS:
        return _FLAGS[text]
    raise ValueError(f"availability {value!r} is not one of: in stock, out of stock, preorder, backorder, true, false")


def parse_flag(value: object, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _FLAGS:
        return _FLAGS[text]
    raise ValueError(f"{what} {value!r} is not true or false")


def parse_category(value: object) -> tuple[str, ...]:
    """('Shoes', 'Trail') from 'Shoes > Trail' or ['Shoes', 'Trail']."""
    parts = value if isinstance(value, list) else str(value).split(">")
    return tuple(part for part in (str(item).strip() for item in parts) if part)


def attribute_text(value: object) -> str:
    """Attributes are strings in the model; JSON values keep a readable form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(attribute_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return "" if value is None else str(value).strip()
