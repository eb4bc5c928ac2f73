"""Raw event columns (strings, JSON values or Arrow arrays) turned into EventChunk arrays.

Whatever must hold across a whole log lives here: the session and visitor code tables
(the same id always gets the same code, so memory grows with sessions, not events), the
timestamp unit decided on the first rows, and counts of event types we skip. Conversions
run over whole columns at C speed; only when one fails does a row-by-row pass look for
the culprit, to name its line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.event_values import Blank, Codes, Kinds, Numbers, Texts, parse_amount, parse_iso, timestamp_unit
from shopkeeper.publish.read.eventlog import ADDRESSES, VIEW, EventChunk

__all__ = ["Block", "ChunkBuilder"]


@dataclass(frozen=True)
class Block:
    """Rows of one read: field -> raw values, and each row's line (Parquet: row number)."""

    columns: dict[str, Sequence]
    lines: Sequence[int]
    ts_per_second: float | None = None  # timestamp units per second, when the format fixes them


class ChunkBuilder:
    def __init__(self, path, *, session_gap_s: float):
        self.path = path
        self.session_gap_s = session_gap_s
        self.sessions, self.visitors = Codes(), Codes(blank=-1)
        self.products, self.kinds = Texts(), Kinds()
        self.addresses = Texts()   # page addresses and referrers, for the report's traffic sources
        self.quantities, self.prices = Numbers(float), Numbers(parse_amount)
        self.gap_sessions = 0
        self._last_seen: dict[int, tuple[float, int]] = {}
        self.unknown: Counter[str] = Counter()
        self.unknown_line: dict[str, int] = {}
        self.notes: list[str] = []
        self._ts_mode: str | None = None
        self._ts_unit: str | None = None
        self._ts_per_second = 1.0
        self._ts_band = (-np.inf, np.inf)

    @property
    def session_count(self) -> int:
        return self.sessions.count + self.gap_sessions

    def convert(self, block: Block) -> EventChunk:
        """The block's rows of a known type, validated; unknown types are only counted."""
        columns, lines, n = block.columns, block.lines, len(block.lines)
        ts = self._seconds(columns["ts"], lines, block.ts_per_second)
        kind = self._kinds(columns["type"], lines) if "type" in columns else np.full(n, VIEW, np.int8)
        visitor = self._codes(self.visitors, columns["visitor"], lines, "visitor") if "visitor" in columns else np.full(n, -1, np.int64)
        if "session" in columns:
            session = self._codes(self.sessions, columns["session"], lines, "session")
        else:
            session = self._split_by_gap(visitor, ts)
        product = self._map(self.products, columns["product"], object, lines, "product") if "product" in columns else np.full(n, "", object)
        quantity = self._quantities(columns["quantity"], lines) if "quantity" in columns else np.ones(n, np.int32)
        price = self._repeated(self.prices, columns["price"], lines, "price") if "price" in columns else np.full(n, np.nan)
        url, referrer = (self._map(self.addresses, columns[field], object, lines, field) if field in columns else None
                         for field in ADDRESSES)
        chunk = EventChunk(session, visitor, ts, kind, product, quantity, price, url, referrer)
        keep = kind >= 0
        return chunk if keep.all() else chunk.take(keep)

    def _map(self, table: dict, values, dtype, lines, what: str) -> np.ndarray:
        try:
            if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
                unique, inverse = np.unique(values, return_inverse=True)
                return np.fromiter(map(table.__getitem__, unique.tolist()), dtype, len(unique))[inverse]
            return np.fromiter(map(table.__getitem__, values), dtype, len(values))
        except Blank:
            first = next(i for i, value in enumerate(values) if value is None or value == "")
            raise InputError(self.path, lines[first], f"empty {what} id") from None
        except TypeError:
            first = next(i for i, value in enumerate(values) if isinstance(value, (list, dict)))
            raise InputError(self.path, lines[first], f"{what} id {values[first]!r} is not text or a number") from None

    def _codes(self, table: Codes, values, lines, what: str) -> np.ndarray:
        return self._map(table, values, np.int64, lines, what)

    def _kinds(self, values, lines) -> np.ndarray:
        kind = self._map(self.kinds, values, np.int8, lines, "type")
        for i in np.flatnonzero(kind < 0).tolist():
            name = str(values[i])
            self.unknown[name] += 1
            self.unknown_line.setdefault(name, lines[i])
        return kind

    def _split_by_gap(self, visitor: np.ndarray, ts: np.ndarray) -> np.ndarray:
        """Without a session column, a visitor's session ends after `session_gap_s` without
        events, as analytics tools count them; rows without a visitor stand alone."""
        codes = np.empty(len(ts), np.int64)
        first = self.sessions.count
        for i, (who, when) in enumerate(zip(visitor.tolist(), ts.tolist())):
            last = self._last_seen.get(who) if who >= 0 else None
            if last is not None and abs(when - last[0]) <= self.session_gap_s:
                code = last[1]
                when = max(when, last[0])
            else:
                code = first + self.gap_sessions
                self.gap_sessions += 1
            if who >= 0:
                self._last_seen[who] = (when, code)
            codes[i] = code
        return codes

    def _seconds(self, values, lines, per_second: float | None) -> np.ndarray:
        """Unix seconds; dividing (not multiplying by 1e-3) keeps 1396860886998 ms exactly 1396860886.998."""
        if per_second is not None:
            return self._floats(values, lines, "timestamp") / per_second
        if self._ts_mode is None:
            self._ts_mode = "iso" if isinstance(values[0], str) and _is_text(values[0]) else "number"
            if self._ts_mode == "iso":
                self.notes.append(f"{self.path}: timestamps read as ISO 8601 date-times (UTC where no offset is given)")
        if self._ts_mode == "iso":
            return self._floats(values, lines, "timestamp", parse=parse_iso, expected="an ISO 8601 date-time like those before it")
        raw = self._floats(values, lines, "timestamp")
        if self._ts_unit is None:
            self._ts_unit, self._ts_per_second, *self._ts_band = timestamp_unit(raw)
            self.notes.append(f"{self.path}: timestamps read as Unix {self._ts_unit} (judged by their size, e.g. {raw[0]:.16g})")
        low, high = self._ts_band
        outside = np.flatnonzero((np.abs(raw) < low) | (np.abs(raw) >= high))
        if len(outside):
            i = outside[0]
            size = "larger" if abs(raw[i]) >= high else "smaller"
            raise InputError(self.path, lines[i], f"timestamp {values[i]!r} is far {size} than the others, which read as Unix {self._ts_unit}")
        return raw / self._ts_per_second

    def _quantities(self, values, lines) -> np.ndarray:
        quantity = self._repeated(self.quantities, values, lines, "quantity")
        quantity[np.isnan(quantity)] = 1
        bad = np.flatnonzero((quantity != np.floor(quantity)) | (np.abs(quantity) > 2**31 - 1))
        if len(bad):
            raise InputError(self.path, lines[bad[0]], f"quantity {values[bad[0]]!r} is not a whole number")
        return quantity.astype(np.int32)

    def _repeated(self, table: Numbers, values, lines, what: str) -> np.ndarray:
        if not isinstance(values, np.ndarray):
            try:
                numbers = np.fromiter(map(table.__getitem__, values), np.float64, len(values))
            except (ValueError, TypeError):
                numbers = None
            if len(table) > table.LIMIT:
                table.clear()
            if numbers is not None:
                return numbers
        return self._floats(values, lines, what, blank_ok=True, parse=table.parse)

    def _floats(self, values, lines, what: str, *, blank_ok: bool = False, parse=float, expected: str = "a number") -> np.ndarray:
        """float64 per row (nan for blanks when allowed); the first bad row is an InputError."""
        out = None
        if parse is float or parse is parse_amount:
            try:
                out = np.asarray(values, dtype=np.float64)
            except (ValueError, TypeError):
                out = None
        if out is None or out.ndim != 1:
            out = np.empty(len(values))
            for i, value in enumerate(values):
                if value is None or (isinstance(value, str) and not value.strip()):
                    out[i] = np.nan
                    continue
                try:
                    out[i] = parse(value)
                except (ValueError, TypeError, OverflowError):
                    raise InputError(self.path, lines[i], f"{what} {value!r} is not {expected}") from None
        if not blank_ok:
            missing = np.flatnonzero(~np.isfinite(out))
            if len(missing):
                value = values[missing[0]]
                message = f"{what} is empty" if value is None or str(value).strip() == "" else f"{what} {value!r} is not {expected}"
                raise InputError(self.path, lines[missing[0]], message)
        return out


def _is_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return True
    return False
