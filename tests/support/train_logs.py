"""Tiny event logs for the training tests: sessions written as lists, turned into EventChunks."""

import numpy as np

from shopkeeper.publish.read.eventlog import VIEW, EventChunk
from shopkeeper.publish.train.sessions import sessionize

DAY = 86400.0


def chunk(rows):
    """rows: (session, ts, product, kind) tuples."""
    session, ts, product, kind = zip(*rows) if rows else ((), (), (), ())
    n = len(rows)
    return EventChunk(np.array(session, np.int64), np.full(n, -1, np.int64), np.array(ts, np.float64),
                      np.array(kind, np.int8), np.array(product, dtype=object), np.ones(n, np.int32), np.full(n, np.nan))


def sessions_chunk(sessions, start=0.0, step=10.0, kind=VIEW, spacing=3600.0):
    """Each session a list of product ids (or (id, kind) pairs), `step` seconds apart, sessions
    `spacing` seconds apart (an hour: separate sessions, too close for any age decay)."""
    rows = []
    for number, session in enumerate(sessions):
        for position, entry in enumerate(session):
            product, what = entry if isinstance(entry, tuple) else (entry, kind)
            rows.append((number, start + number * spacing + position * step, product, what))
    return chunk(rows)


def session_log(sessions, ids, **kwargs):
    return sessionize([sessions_chunk(sessions, **kwargs)], ids)[0]
