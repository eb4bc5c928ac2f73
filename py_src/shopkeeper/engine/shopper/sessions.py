"""Sessions cut from the local event history by inactivity gaps.

The browser has no server-side session id; like analytics tools, a gap of more than
`gap_minutes` without an event starts a new session.
"""

from __future__ import annotations

from shopkeeper.engine.events import Event

DEFAULT_GAP_MINUTES = 30


def split_sessions(events: list[Event], now_ms: float, gap_minutes: float = DEFAULT_GAP_MINUTES) -> list[list[Event]]:
    """Events at or before now, oldest first, grouped into sessions (also oldest first)."""
    gap_ms = gap_minutes * 60_000
    sessions: list[list[Event]] = []
    last_ts = None
    for event in events:
        if event.ts_ms > now_ms:
            continue  # recorded under a clock that has since moved backwards
        if last_ts is None or event.ts_ms - last_ts > gap_ms:
            sessions.append([])
        sessions[-1].append(event)
        last_ts = event.ts_ms
    return sessions


def is_new_session(sessions: list[list[Event]]) -> bool:
    """True when the current session holds no page view before this one.

    The loader records the current page view before it asks for decisions, so the
    current session is the last one and already contains this page."""
    return not sessions or sum(event.type == "page_view" for event in sessions[-1]) <= 1
