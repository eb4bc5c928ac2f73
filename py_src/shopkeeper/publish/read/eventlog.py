"""The columnar shape every event-log reader yields and training consumes.

Readers of any format (CSV/TSV, JSON Lines, Parquet, GA4 exports) produce EventChunks of
at most a few hundred thousand rows, so memory is bounded by the model, not the log.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VIEW, CART, PURCHASE, REMOVE, SEARCH = 0, 1, 2, 3, 4
ADDRESSES = ("url", "referrer")   # the optional columns readers fill only when asked for


@dataclass(frozen=True)
class EventChunk:
    """Parallel arrays, one row per event, in the order the log has them.

    session: int64 codes, stable across the chunks of one log (the same session id always
      gets the same code); visitor: int64 codes likewise (-1 when the log has none);
    ts: float64 Unix seconds; kind: int8, one of VIEW..SEARCH; product: object array of
    product id strings ('' for events without a product); quantity: int32 (1 when absent);
    price: float64 unit price (nan when absent); url, referrer: object arrays of the page's
    address and its referrer ('' on rows without), or None when the log has no such column:
    only the report's replay reads them, to give a session the traffic source the engine
    would give it.
    """

    session: np.ndarray
    visitor: np.ndarray
    ts: np.ndarray
    kind: np.ndarray
    product: np.ndarray
    quantity: np.ndarray
    price: np.ndarray
    url: np.ndarray | None = None
    referrer: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ts)

    def take(self, rows) -> EventChunk:
        """These rows (a slice, a mask or indexes) of every column."""
        return EventChunk(*(None if column is None else column[rows] for column in self._columns()))

    @staticmethod
    def concat(pieces: list[EventChunk]) -> EventChunk:
        if len(pieces) == 1:
            return pieces[0]
        columns = zip(*(piece._columns() for piece in pieces))
        return EventChunk(*(None if any(part is None for part in parts) else np.concatenate(parts) for parts in columns))

    def _columns(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)
