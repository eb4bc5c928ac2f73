"""CSV and TSV read in large blocks, as columns of strings.

Event logs run to tens of millions of rows, and the csv module's list per row (plus the
garbage collector walking all of them) costs more than everything else publishing does
per event. Most exports have no quoting, so a block without a quote character is split
with two C-level string operations, once its lines are checked to hold exactly the
header's number of fields. The first block that needs more (quotes, blank lines, a
malformed row) hands the rest of the file to the csv module, which also names the line
of a bad row.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator, Sequence
from operator import methodcaller
from typing import TextIO

from shopkeeper.publish.errors import InputError

__all__ = ["delimited_columns"]

BLOCK_CHARS = 1 << 22
CSV_BATCH_ROWS = 20_000

Columns = tuple[dict[int, Sequence[str]], Sequence[int]]


def delimited_columns(
    path, handle: TextIO, delimiter: str, width: int, wanted: Sequence[int], first_line: int, *, block_chars: int | None = None,
) -> Iterator[Columns]:
    """({column index: values}, line of each row) per block, for the rows after the header.

    `handle` is positioned after the header line, which was line `first_line - 1`.
    """
    line, carry, block_chars = first_line, "", block_chars or BLOCK_CHARS
    count_fields = methodcaller("count", delimiter)
    while True:
        data = handle.read(block_chars)
        text = carry + data
        if data:
            cut = text.rfind("\n") + 1
            if cut == 0:
                carry = text
                continue
            text, carry = text[:cut], text[cut:]
        else:
            carry = ""
            if not text:
                return
            text += "" if text.endswith("\n") else "\n"
        if '"' not in text:
            plain = text.replace("\r\n", "\n") if "\r" in text else text
            rows = plain.split("\n")
            rows.pop()
            if set(map(count_fields, rows)) == {width - 1}:
                fields = plain.replace("\n", delimiter).split(delimiter)
                fields.pop()
                yield {i: fields[i::width] for i in wanted}, range(line, line + len(rows))
                line += len(rows)
                continue
        rest = itertools.chain(io.StringIO(text + carry, newline=""), handle)
        yield from _csv_columns(path, rest, delimiter, width, wanted, line)
        return


def _csv_columns(path, lines, delimiter: str, width: int, wanted: Sequence[int], first_line: int) -> Iterator[Columns]:
    reader = csv.reader(lines, delimiter=delimiter)
    offset = first_line - 1
    while True:
        rows: list[list[str]] = []
        starts: list[int] = []
        try:
            previous = reader.line_num
            for row in reader:
                start, previous = offset + previous + 1, reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    raise InputError(path, start, f"expected {width} fields as in the header, found {len(row)}")
                rows.append(row)
                starts.append(start)
                if len(rows) == CSV_BATCH_ROWS:
                    break
        except csv.Error as error:
            raise InputError(path, offset + reader.line_num, f"cannot parse: {error}") from None
        if not rows:
            return
        columns = list(zip(*rows))
        yield {i: columns[i] for i in wanted}, starts
