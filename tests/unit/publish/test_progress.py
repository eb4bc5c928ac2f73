"""Progress as a merchant sees it: a bar on a terminal, sparse plain lines in a log, nothing with -q."""

from __future__ import annotations

import io

from shopkeeper.publish.progress import Progress, counted


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run(terminal: bool, quiet: bool = False) -> str:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(quiet=quiet, stream=stream, terminal=terminal, clock=clock)
    progress("reading the training events")
    with progress.count("session_knn: the test", 100, "sessions") as counter:
        for _ in range(100):
            clock.now += 0.25   # 25 s in all
            counter.advance()
    progress("done")
    return stream.getvalue()


def test_a_log_gets_a_line_every_ten_seconds_and_at_the_end():
    assert run(terminal=False).splitlines() == [
        "reading the training events",
        "session_knn: the test: 40/100 sessions (40%, 15 s left)",
        "session_knn: the test: 80/100 sessions (80%, 5 s left)",
        "session_knn: the test: 100/100 sessions in 25 s",
        "done",
    ]


def test_a_terminal_gets_one_line_redrawn_with_a_bar_and_the_time_left():
    text = run(terminal=True)
    lines = text.split("\n")
    assert lines[0] == "reading the training events" and lines[-2:] == ["done", ""]
    drawn = lines[1].split("\r")[1:]
    assert len(drawn) > 50   # redrawn every 0.1 s at most, not once per item
    assert drawn[39] == "session_knn: the test [##########..............] 40/100 sessions, 15 s left\x1b[K"
    assert drawn[-1] == "session_knn: the test: 100/100 sessions in 25 s\x1b[K"


def test_quiet_prints_nothing():
    assert run(terminal=False, quiet=True) == "" == run(terminal=True, quiet=True)


def test_counted_through_a_plain_callable_says_the_step_once():
    said = []
    assert list(counted(said.append, iter("abc"), "tuning decay", 3, "settings tried")) == ["a", "b", "c"]
    assert said == ["tuning decay: 3 settings tried"]
