"""Reading an event log of any common shape as a stream of EventChunks.

CSV/TSV, JSON Lines, Parquet and GA4's BigQuery export are told apart by content; the
columns are found by name (or named by the merchant), so a log such as the public
`SessionId, ItemId, Time` click logs reads as it is, every row a view. The header is
checked when the stream is created, so a wrong column fails before any work is done;
rows are checked as they stream, each problem an InputError with file and line.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from os import PathLike

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.columns import require, resolve_columns
from shopkeeper.publish.read.delimited import delimited_columns
from shopkeeper.publish.read.event_columns import Block, ChunkBuilder
from shopkeeper.publish.read.event_formats import first_json_record, json_columns, parquet_columns, parquet_schema
from shopkeeper.publish.read.eventlog import ADDRESSES, EventChunk
from shopkeeper.publish.read.ga4 import GA4_PER_SECOND, ga4_columns, is_ga4
from shopkeeper.publish.read.sources import open_text, read_error, sniff

__all__ = ["ALIASES", "EventStream", "read_event_log"]

ALIASES: dict[str, tuple[str, ...]] = {
    "session": ("session", "session_id", "sid", "ga_session_id", "visit_id"),
    "visitor": ("visitor", "visitor_id", "user", "user_id", "user_pseudo_id", "customer_id", "client_id", "full_visitor_id"),
    "product": ("product", "product_id", "item", "item_id", "sku", "product_sku"),
    "ts": ("ts", "timestamp", "time", "event_time", "event_timestamp", "datetime", "created_at", "occurred_at"),
    "type": ("type", "event_type", "event", "event_name", "kind", "action"),
    "quantity": ("quantity", "qty"),
    "price": ("price", "unit_price", "item_price"),
    "url": ("url", "page_url", "page_location", "landing_page"),
    "referrer": ("referrer", "referer", "page_referrer", "page_referer"),
}
# Why a column is required (a visitor column stands in for the session's: sessions are then
# cut at gaps), and the option that names columns.
REQUIRED: dict[str, str] = {
    "product": "every event is about a product",
    "ts": "sessions, their order and recency come from the time",
    "session": "events are grouped into sessions (a visitor column would do: sessions are then cut at gaps)",
}
OPTION = "--columns"


def read_event_log(
    path: str | PathLike, *, columns: Mapping[str, str] | None = None, chunk_rows: int = 500_000, session_gap_minutes: float = 30,
    addresses: bool = False,
) -> EventStream:
    """The log's events of known types, in file order, in chunks of at most `chunk_rows`.

    `columns` names a field's column where ours are not recognised, e.g.
    {"session": "sid", "product": "item", "ts": "when", "type": "event"}. Without a
    session column, a visitor's events split into sessions at `session_gap_minutes`
    without activity. With `addresses`, the chunks keep each event's page address and
    referrer when the log has them (the report's traffic sources); training never needs
    them, and a log whose addresses are all different would cost memory for nothing.
    """
    return EventStream(path, columns, chunk_rows, session_gap_minutes, addresses)


class EventStream(Iterator[EventChunk]):
    """The chunks of one log, and what reading it found out. Iterate once.

    `notes` say how the log was understood (format, columns, timestamp unit); `warnings`
    what was skipped; `rows`, `sessions` and `visitors` count what was yielded so far.
    An empty log raises InputError when iteration ends.
    """

    def __init__(self, path, columns: Mapping[str, str] | None, chunk_rows: int, session_gap_minutes: float,
                 addresses: bool = False):
        if chunk_rows < 1:
            raise ValueError(f"chunk_rows must be positive, got {chunk_rows}")
        self.path, self.chunk_rows, self.rows = path, chunk_rows, 0
        self._reading = None   # the binary file under the text being read, for read_share
        self._builder = ChunkBuilder(path, session_gap_s=session_gap_minutes * 60)
        self._addresses = addresses
        self.notes = self._builder.notes
        try:
            blocks = self._blocks(columns)
        except (UnicodeDecodeError, OSError, EOFError, csv.Error) as error:
            raise read_error(path, error) from None
        self._chunks = self._generate(blocks)

    def read_share(self) -> float | None:
        """How far through the file reading has got, 0 to 1 (of its bytes on disk, compressed
        or not); None before reading starts and for Parquet."""
        handle = self._reading
        if handle is None:
            return None
        if handle.closed:
            return 1.0   # the whole file is read; the last chunk comes after
        try:
            raw = getattr(handle, "fileobj", None) or handle   # a GzipFile reads from its fileobj
            return min(1.0, raw.tell() / max(os.fstat(raw.fileno()).st_size, 1))
        except (OSError, ValueError, AttributeError):
            return None

    @property
    def sessions(self) -> int:
        return self._builder.session_count

    @property
    def visitors(self) -> int:
        return self._builder.visitors.count

    @property
    def skipped(self) -> Counter:
        """Rows of types not used, by type name as the log spells it."""
        return Counter(self._builder.unknown)

    @property
    def warnings(self) -> list[str]:
        return [f"{self.path}: {self._skipped()}"] if self._builder.unknown else []

    def _skipped(self) -> str:
        unknown = self._builder.unknown
        top = unknown.most_common(5)
        listed = ", ".join(f"{name!r} {count:,} (first on line {self._builder.unknown_line[name]})" for name, count in top)
        more = f" and {len(unknown) - len(top)} more" if len(unknown) > len(top) else ""
        total = sum(unknown.values())
        return f"skipped {total:,} event{'' if total == 1 else 's'} of types not used: {listed}{more}"

    def __next__(self) -> EventChunk:
        return next(self._chunks)

    def close(self) -> None:
        self._chunks.close()

    def _blocks(self, columns) -> Iterator[Block]:
        """Checks the header now; returns the (lazy) blocks of raw rows."""
        path, kind = self.path, sniff(self.path)
        if kind.kind == "parquet":
            header = parquet_schema(path)
            names = {field: header[i] for field, i in self._fields(header, columns).items()}
            return (Block(values, rows, per_second) for values, rows, per_second in parquet_columns(path, names))
        if kind.kind == "jsonl":
            with open_text(path) as handle:
                first = first_json_record(path, handle)
            if is_ga4(first):
                ignored = " (its fields are fixed, so columns are ignored)" if columns else ""
                self.notes.append(f"{path}: read as a GA4 BigQuery export, one row per item{ignored}")
                return (Block(values, lines, GA4_PER_SECOND) for values, lines in self._text(ga4_columns, self._addresses))
            keys = list(first)
            fields = {field: keys[i] for field, i in self._fields(keys, columns).items()}
            return (Block(values, lines) for values, lines in self._text(json_columns, fields))
        with open_text(path) as handle:
            reader = csv.reader(handle, delimiter=kind.delimiter)
            header = next(reader, [])
            first_line = reader.line_num + 1
        found = self._fields(header, columns)
        return self._delimited(kind.delimiter, len(header), found, first_line)

    def _fields(self, header: list[str], columns) -> dict[str, int]:
        found = resolve_columns(self.path, header, ALIASES, columns, OPTION)
        if not self._addresses:
            found = {field: i for field, i in found.items() if field not in ADDRESSES}
        for field, why in REQUIRED.items():
            if field != "session" or "visitor" not in found:
                require(self.path, found, field, why, ALIASES, header, OPTION)
        used = ", ".join(f"{field}={header[i]}" for field, i in found.items())
        self.notes.append(f"{self.path}: columns {used}" + ("" if "type" in found else "; no event type column, so every row is a view"))
        if "session" not in found:
            gap_minutes = self._builder.session_gap_s / 60
            self.notes.append(f"{self.path}: no session column: a visitor's session ends after {gap_minutes:g} minutes without events")
        return found

    def _text(self, reader, *args) -> Iterator:
        with open_text(self.path) as handle:
            self._reading = handle.buffer
            yield from reader(self.path, handle, *args)

    def _delimited(self, delimiter: str, width: int, found: dict[str, int], first_line: int) -> Iterator[Block]:
        with open_text(self.path) as handle:
            self._reading = handle.buffer
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            for values, lines in delimited_columns(self.path, handle, delimiter, width, list(found.values()), first_line):
                yield Block({field: values[i] for field, i in found.items()}, lines)

    def _generate(self, blocks: Iterator[Block]) -> Iterator[EventChunk]:
        pending: list[EventChunk] = []
        size = 0
        try:
            for block in blocks:
                if not len(block.lines):
                    continue
                piece = self._builder.convert(block)
                if len(piece):
                    pending.append(piece)
                    size += len(piece)
                while size >= self.chunk_rows:
                    chunk = EventChunk.concat(pending)
                    pending = [chunk.take(slice(self.chunk_rows, None))] if size > self.chunk_rows else []
                    size -= self.chunk_rows
                    yield self._counted(chunk.take(slice(0, self.chunk_rows)))
        except (UnicodeDecodeError, OSError, EOFError) as error:
            raise read_error(self.path, error) from None
        if size:
            yield self._counted(EventChunk.concat(pending))
        if not self.rows:
            skipped = f" of a type we use ({self._skipped()})" if self._builder.unknown else ": the log has no rows after its header"
            raise InputError(self.path, None, f"no events{skipped}")

    def _counted(self, chunk: EventChunk) -> EventChunk:
        self.rows += len(chunk)
        return chunk
