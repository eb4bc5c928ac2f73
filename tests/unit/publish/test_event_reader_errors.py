"""Malformed event logs: each a one-line InputError naming the file and the line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read import delimited
from shopkeeper.publish.read.events import read_event_log

HEADER = "session,product,ts,type\n"
BAD_LOGS = [
    ("events.csv", HEADER + "s1,A,100,view\ns1,B,101,view,extra\n", "events.csv:3: expected 4 fields as in the header, found 5"),
    ("events.csv", HEADER + "s1,A,100,view\ns1,B,yesterday,view\n", "events.csv:3: timestamp 'yesterday' is not a number"),
    ("events.csv", HEADER + "s1,A,100,view\ns1,B,,view\n", "events.csv:3: timestamp is empty"),
    ("events.csv", HEADER + "s1,A,1396860669,view\ns1,B,1396860670,view\ns1,C,1396860671277,view\n",
     "events.csv:4: timestamp '1396860671277' is far larger than the others, which read as Unix seconds"),
    ("events.csv", HEADER + "s1,A,1396860669000,view\ns1,B,1396860670,view\ns1,C,1396860671277,view\n",
     "events.csv:3: timestamp '1396860670' is far smaller than the others, which read as Unix milliseconds"),
    ("events.csv", HEADER + "s1,A,2026-01-01T10:00:00Z,view\ns1,B,1767261600,view\n",
     "events.csv:3: timestamp '1767261600' is not an ISO 8601 date-time like those before it"),
    ("events.csv", HEADER + "s1,A,100,view\n,B,101,view\n", "events.csv:3: empty session id"),
    ("events.csv", "session,product,ts,quantity\ns1,A,100,1\ns1,B,101,1.5\n", "events.csv:3: quantity '1.5' is not a whole number"),
    ("events.csv", "session,product,ts,price\ns1,A,100,\ns1,B,101,cheap\n", "events.csv:3: price 'cheap' is not a number"),
    ("events.csv", 'session,product,ts,note\ns1,A,100,"two\nlines"\ns1,B,x,\n', "events.csv:4: timestamp 'x' is not a number"),
    ("events.csv", "session,ts,type\ns1,100,view\n",
     "events.csv:1: no product column (looked for product, product_id, item, item_id, sku, product_sku): every event is "
     "about a product; name yours with --columns product=NAME; the header has: 'session', 'ts', 'type'"),
    ("events.csv", "product,ts\nA,100\n",
     "events.csv:1: no session column (looked for session, session_id, sid, ga_session_id, visit_id): events are grouped "
     "into sessions (a visitor column would do: sessions are then cut at gaps); name yours with --columns session=NAME; "
     "the header has: 'product', 'ts'"),
    ("events.csv", "session,product\ns1,A\n",
     "events.csv:1: no ts column (looked for ts, timestamp, time, event_time, event_timestamp, datetime): sessions, their "
     "order and recency come from the time; name yours with --columns ts=NAME; the header has: 'session', 'product'"),
    ("events.csv", "", "events.csv:1: the file is empty: expected a header line or JSON Lines"),
    ("events.csv", HEADER, "events.csv: no events: the log has no rows after its header"),
    ("events.csv", HEADER + "s1,A,100,wishlist\ns1,A,101,share\n",
     "events.csv: no events of a type we use (skipped 2 events of types not used: 'wishlist' 1 (first on line 2), 'share' 1 (first on line 3))"),
    ("events.jsonl", '{"session": 1, "product": "A", "ts": 100}\n\n{"session": 1, "product": "B", "ts": 101,}\n',
     "events.jsonl:3: not valid JSON: Expecting property name enclosed in double quotes (column 42)"),
    ("events.jsonl", '{"session": 1, "product": "A", "ts": 100}\n{"session": [1], "product": "B", "ts": 101}\n',
     "events.jsonl:2: session id [1] is not text or a number"),
    ("events.jsonl", '{"session": 1, "product": "A", "ts": 100}\n{"session": 1, "product": "B"}\n', "events.jsonl:2: timestamp is empty"),
    ("events.jsonl", '{"session": 1, "product": "A", "ts": 100}\n"just text"\n', "events.jsonl:2: expected a JSON object, found str"),
    ("events.jsonl", '{"event_name": "view_item", "event_timestamp": "1", "items": {"item_id": "A"}}\n',
     "events.jsonl:1: items: expected a list, found dict"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_LOGS, ids=[message.split(": ", 1)[1][:45] for _, _, message in BAD_LOGS])
def test_bad_logs_fail_with_file_and_line(tmp_path, monkeypatch, name, text, message):
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text)
    with pytest.raises(InputError) as caught:
        list(read_event_log(name))
    assert str(caught.value) == message


def test_a_bad_row_far_into_a_large_unquoted_file_is_located_exactly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(delimited, "BLOCK_CHARS", 1000)
    rows = [f"s{i // 5},P{i % 97},{1700000000 + i}" for i in range(5000)]
    rows[4321] = "s1,P1,soon"
    Path("events.csv").write_text("session,product,ts\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError, match=r"^events\.csv:4323: timestamp 'soon' is not a number$"):
        list(read_event_log("events.csv", chunk_rows=1000))


def test_named_columns_must_exist_and_be_fields(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("events.csv").write_text("sid,item,when\ns1,A,100\n")
    named = r"^events\.csv:1: no column 'session' \(named for session in --columns\); the header has: 'sid', 'item', 'when'$"
    with pytest.raises(InputError, match=named):
        read_event_log("events.csv", columns={"session": "session"})
    with pytest.raises(InputError, match=r"^events\.csv: unknown field 'when' in --columns; fields are: session, visitor"):
        read_event_log("events.csv", columns={"when": "ts"})


def test_parquet_without_pyarrow_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("events.parquet").write_bytes(b"PAR1" + bytes(64) + b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(InputError, match=r"^events\.parquet: reading Parquet needs pyarrow: pip install shopkeeper\[parquet\]$"):
        read_event_log("events.parquet")


def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^events\.csv: no such file or directory$"):
        read_event_log("events.csv")
