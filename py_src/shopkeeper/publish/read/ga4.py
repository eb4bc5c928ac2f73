"""GA4 e-commerce events as the BigQuery export writes them (one JSON object per line).

Most shops already collect these, so a merchant can publish from the export as it is:
`event_name` (view_item, add_to_cart, remove_from_cart, purchase, view_search_results,
search), `event_timestamp` in microseconds, `user_pseudo_id`, the session number in
`event_params` under `ga_session_id`, and an `items` array. Each item becomes one row;
events of other names stay one row, to be counted and skipped like any unknown type.
A GA4 session number is unique per visitor only, so the session is the pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.event_formats import json_records
from shopkeeper.publish.read.event_values import KINDS, kind_name
from shopkeeper.publish.read.eventlog import ADDRESSES

__all__ = ["GA4_PER_SECOND", "event_param", "ga4_columns", "is_ga4"]

GA4_PER_SECOND = 1e6  # event_timestamp counts microseconds
FIELDS = ("session", "visitor", "ts", "type", "product", "quantity", "price")
NOT_SET = "(not set)"


def is_ga4(record: dict) -> bool:
    return "event_name" in record and "event_timestamp" in record


def ga4_columns(path, handle: TextIO, addresses: bool = False) -> Iterator[tuple[dict[str, list], list[int]]]:
    """({field: values}, line of each row) per batch of export lines; with `addresses`, also
    each row's page address and referrer."""
    fields = FIELDS + ADDRESSES if addresses else FIELDS
    for records, lines in json_records(path, handle):
        columns: dict[str, list] = {field: [] for field in fields}
        rows: list[int] = []
        for record, line in zip(records, lines):
            if not is_ga4(record):
                raise InputError(path, line, "expected a GA4 export row with event_name and event_timestamp like the first line")
            visitor = record.get("user_pseudo_id") or record.get("user_id") or ""
            params = record.get("event_params")
            session = (visitor, event_param(params, "ga_session_id"))
            if addresses:
                url, referrer = event_param(params, "page_location") or "", event_param(params, "page_referrer") or ""
            items = record.get("items") or [None]
            if not isinstance(items, list):
                raise InputError(path, line, f"items: expected a list, found {type(items).__name__}")
            if kind_name(record["event_name"]) not in KINDS:
                items = [None]
            for item in items:
                if item is not None and not isinstance(item, dict):
                    raise InputError(path, line, f"items: expected objects, found {type(item).__name__}")
                product = (item or {}).get("item_id")
                columns["session"].append(session)
                columns["visitor"].append(visitor)
                columns["ts"].append(record["event_timestamp"])
                columns["type"].append(record["event_name"])
                columns["product"].append("" if product == NOT_SET else product)
                columns["quantity"].append((item or {}).get("quantity"))
                columns["price"].append((item or {}).get("price"))
                if addresses:
                    columns["url"].append(url)
                    columns["referrer"].append(referrer)
                rows.append(line)
        yield columns, rows


def event_param(params: object, key: str) -> str | None:
    """A value from event_params: [{key, value: {int_value | string_value | ...}}]."""
    if not isinstance(params, list):
        return None
    for param in params:
        if isinstance(param, dict) and param.get("key") == key and isinstance(param.get("value"), dict):
            value = param["value"]
            for kind in ("int_value", "string_value", "double_value", "float_value"):
                if value.get(kind) is not None:
                    return str(value[kind])
    return None
