"""Event logs as JSON Lines and Parquet, read as blocks of raw columns.

JSON Lines blocks are decoded with one `json.loads` over many lines (several times
faster than one call per line); only a block that fails is decoded line by line, to name
the bad line. Parquet needs pyarrow, an optional dependency, imported only here.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from typing import TextIO

import numpy as np

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.sources import json_record

__all__ = ["first_json_record", "json_columns", "json_records", "parquet_columns", "parquet_schema"]

JSON_BATCH_LINES = 20_000
PARQUET_BATCH_ROWS = 65_536
_ARROW_UNITS = {"s": 1.0, "ms": 1e3, "us": 1e6, "ns": 1e9}


def first_json_record(path, handle: TextIO) -> dict:
    for line, text in enumerate(handle, 1):
        if text.strip():
            return json_record(path, line, text)
    raise InputError(path, 1, "the file is empty: expected JSON Lines")


def json_records(path, handle: TextIO) -> Iterator[tuple[list[dict], list[int]]]:
    """(records, line of each) per batch of lines, blank lines skipped."""
    line = 0
    while True:
        texts, lines = [], []
        first = line
        for text in itertools.islice(handle, JSON_BATCH_LINES):
            line += 1
            if text.strip():
                texts.append(text)
                lines.append(line)
        if line == first:
            return
        if not texts:
            continue
        try:
            records = json.loads("[" + ",".join(texts) + "]")
        except json.JSONDecodeError:
            records = []
        if len(records) != len(texts) or not all(isinstance(record, dict) for record in records):
            records = [json_record(path, number, text) for number, text in zip(lines, texts)]
        yield records, lines


def json_columns(path, handle: TextIO, keys: Mapping[str, str]) -> Iterator[tuple[dict[str, list], list[int]]]:
    """({field: values}, lines) per batch; `keys` maps each field to its JSON key, as the
    first record names them (a key missing from a later record reads as blank)."""
    for records, lines in json_records(path, handle):
        yield {field: [record.get(key) for record in records] for field, key in keys.items()}, lines


def parquet_file(path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(path, None, "reading Parquet needs pyarrow: pip install shopkeeper[parquet]") from None
    try:
        return pq.ParquetFile(path)
    except (OSError, ValueError) as error:
        raise InputError(path, None, f"cannot read Parquet: {error}") from None


def parquet_schema(path) -> list[str]:
    return list(parquet_file(path).schema_arrow.names)


def parquet_columns(path, names: Mapping[str, str]) -> Iterator[tuple[dict[str, object], range, float | None]]:
    """({field: values}, row numbers, timestamp units per second if typed) per batch."""
    import pyarrow as pa

    row = 1
    for batch in parquet_file(path).iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=sorted(set(names.values()))):
        columns, per_second = {}, None
        for field, name in names.items():
            array = batch.column(name)
            if field == "ts" and pa.types.is_timestamp(array.type):
                per_second = _ARROW_UNITS[array.type.unit]
                array = array.cast(pa.int64())
            columns[field] = _values(array, pa)
        yield columns, range(row, row + batch.num_rows), per_second
        row += batch.num_rows


def _values(array, pa) -> object:
    """Numbers without nulls as a numpy array (fast paths downstream), else Python values."""
    if array.null_count == 0 and (pa.types.is_integer(array.type) or pa.types.is_floating(array.type)):
        return np.asarray(array.to_numpy(zero_copy_only=False))
    return array.to_pylist()
