"""Progress on stderr for the long steps of publish and evaluate.

A step whose amount of work is known is counted: on a terminal, one line redrawn in place
(a bar, the count and the time left); elsewhere (a CI log, a pipe) a plain line every
LOG_EVERY_S seconds while it runs and one when it ends, so a log stays short and a long
step is never silent. Quiet
prints nothing. Library code takes any callable that accepts a message (tests pass
list.append); counted() counts through a Progress and says the step's name once through
anything else.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

__all__ = ["Progress", "counted"]

T = TypeVar("T")
LOG_EVERY_S = 10.0
REDRAW_EVERY_S = 0.1
BAR_WIDTH = 24


class Progress:
    """Messages and counted steps, written to `stream` (stderr by default)."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None, terminal: bool | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.quiet, self.stream, self.clock = quiet, stream or sys.stderr, clock
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self._open_bar = False

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        self._end_bar()
        print(message, file=self.stream, flush=True)

    def count(self, label: str, total: int, unit: str) -> Counter:
        return Counter(self, label, total, unit)

    def _draw(self, text: str) -> None:
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self._open_bar = True

    def _end_bar(self) -> None:
        if self._open_bar:
            self.stream.write("\n")
            self._open_bar = False


class Counter:
    """One counted step: advance() as the work gets done, close() (or leave the with block) at the end."""

    def __init__(self, progress: Progress, label: str, total: int, unit: str):
        self.progress, self.label, self.total, self.unit = progress, label, max(int(total), 0), unit
        self.done = 0
        self.started = self.shown_at = progress.clock()

    def __enter__(self) -> Counter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def advance(self, amount: int = 1) -> None:
        self.to(self.done + amount)

    def to(self, done: int) -> None:
        """The work done so far is `done` (for steps that know where they are, not how much they just did)."""
        self.done = done
        progress = self.progress
        if progress.quiet:
            return
        now = progress.clock()
        every = REDRAW_EVERY_S if progress.terminal else LOG_EVERY_S
        if now - self.shown_at >= every:
            self.shown_at = now
            if progress.terminal:
                progress._draw(self.line(now))
            else:
                print(self.line(now), file=progress.stream, flush=True)

    def close(self) -> None:
        progress = self.progress
        if progress.quiet:
            return
        now = progress.clock()
        if progress.terminal:
            progress._draw(self.line(now, finished=True))
            progress._end_bar()
        else:
            print(self.line(now, finished=True), file=progress.stream, flush=True)

    def line(self, now: float, finished: bool = False) -> str:
        elapsed = now - self.started
        count = f"{self.done:,}/{self.total:,} {self.unit}"
        if finished:
            return f"{self.label}: {count} in {_duration(elapsed)}"
        share = self.done / self.total if self.total else 1.0
        left = f", {_duration(elapsed / self.done * (self.total - self.done))} left" if self.done else ""
        if not self.progress.terminal:
            return f"{self.label}: {count} ({share:.0%}{left})"
        filled = round(share * BAR_WIDTH)
        return f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {count}{left}"


def counted(progress: Callable[[str], None], items: Iterable[T], label: str, total: int, unit: str) -> Iterator[T]:
    """The items, counted on `progress` when it is a Progress; otherwise the label is said once."""
    if not isinstance(progress, Progress):
        progress(f"{label}: {total:,} {unit}")
        yield from items
        return
    with progress.count(label, total, unit) as counter:
        for item in items:
            yield item
            counter.advance()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"
