"""Event logs of every supported shape read into the same EventChunk columns."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import numpy as np
import pytest

from shopkeeper.publish.read import delimited
from shopkeeper.publish.read.eventlog import CART, PURCHASE, REMOVE, SEARCH, VIEW, EventChunk
from shopkeeper.publish.read.events import read_event_log

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[3]
YOOCHOOSE = ROOT.parent / "shared" / "data" / "yoochoose-clicks-100k"
FIELDS = ("session", "visitor", "ts", "kind", "product", "quantity", "price")


def whole(stream) -> EventChunk:
    chunks = list(stream)
    return EventChunk.concat(chunks)


def assert_same(first: EventChunk, second: EventChunk) -> None:
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name), err_msg=name)


def test_yoochoose_test_log_reads_as_it_is():
    stream = read_event_log(YOOCHOOSE / "test.tsv")
    events = whole(stream)
    assert (len(events), stream.rows, stream.sessions) == (13_568, 13_568, 3_416)
    assert set(events.kind.tolist()) == {VIEW}
    assert (events.product[0], events.ts[0], events.quantity[0]) == ("214536502", 1396860669.277, 1)
    assert np.isnan(events.price).all() and (events.visitor == -1).all()
    assert "timestamps read as Unix seconds" in stream.notes[-1]
    assert "no event type column, so every row is a view" in stream.notes[0]
    assert (events.session.dtype, events.ts.dtype, events.kind.dtype, events.quantity.dtype) == (
        np.int64, np.float64, np.int8, np.int32)


def test_yoochoose_train_log_matches_a_plain_csv_reading_in_chunks():
    path = YOOCHOOSE / "train_full.tsv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    stream = read_event_log(path, chunk_rows=20_000)
    chunks = list(stream)
    assert [len(chunk) for chunk in chunks] == [20_000, 20_000, 20_000, 10_278]
    events = whole(chunks)
    assert len(events) == len(rows) == 70_278
    assert events.product.tolist() == [row[1] for row in rows]
    np.testing.assert_array_equal(events.ts, [float(row[2]) for row in rows])
    codes: dict[str, int] = {}
    assert events.session.tolist() == [codes.setdefault(row[0], len(codes)) for row in rows]
    assert stream.sessions == len(codes)


def test_csv_with_types_quantities_prices_and_an_unknown_type():
    stream = read_event_log(FIXTURES / "events.csv")
    events = whole(stream)
    assert events.kind.tolist() == [VIEW, VIEW, CART, PURCHASE, VIEW, SEARCH, CART, REMOVE, VIEW]
    assert events.session.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2]
    assert events.visitor.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, -1]
    assert events.product.tolist()[4:6] == ["SKU-102", ""]
    assert events.quantity.tolist() == [1, 1, 1, 1, 1, 1, 2, 1, 1]
    np.testing.assert_array_equal(events.price, [np.nan, np.nan, 99, 99, np.nan, np.nan, 19.5, 19.5, np.nan])
    assert events.ts[0] == 1767225600.0
    assert "timestamps read as Unix milliseconds (judged by their size, e.g. 1767225600000)" in stream.notes[-1]
    assert stream.warnings == [f"{FIXTURES / 'events.csv'}: skipped 1 event of types not used: 'wishlist' 1 (first on line 8)"]


def test_tsv_with_named_columns_and_iso_timestamps():
    columns = {"session": "sid", "product": "item", "ts": "when", "type": "event", "visitor": "user",
               "quantity": "qty", "price": "unit_price"}
    stream = read_event_log(FIXTURES / "events_custom.tsv", columns=columns)
    events = whole(stream)
    # 10:00Z, 10:01:30+00:00, 10:02 without offset (UTC), 08:00+01:00 the next day.
    assert events.ts.tolist() == [1767261600.0, 1767261690.0, 1767261720.0, 1767337200.0]
    assert events.kind.tolist() == [VIEW, VIEW, CART, PURCHASE]
    assert (events.quantity.tolist(), events.price.tolist()[2:]) == ([1, 1, 1, 3], [249.9, 19.5])
    assert events.visitor.tolist() == [0, 0, 0, -1]
    assert "ISO 8601" in stream.notes[-1]


def test_json_lines_with_numbers_nulls_and_blank_lines():
    events = whole(read_event_log(FIXTURES / "events.jsonl"))
    assert events.ts.tolist() == [1767225600.0, 1767225630.5, 1767225690.0, 1767300000.0]
    assert events.product.tolist() == ["SKU-100", "SKU-101", "SKU-101", "42"]
    assert events.kind.tolist() == [VIEW, VIEW, PURCHASE, VIEW]
    assert events.session.tolist() == [0, 0, 0, 1] and events.visitor.tolist() == [0, 0, 0, -1]


def test_ga4_export_one_row_per_item_microseconds_and_sessions_per_visitor():
    stream = read_event_log(FIXTURES / "ga4_export.jsonl")
    events = whole(stream)
    assert events.url is None and events.referrer is None   # kept only when asked for
    events = whole(read_event_log(FIXTURES / "ga4_export.jsonl", addresses=True))
    assert events.kind.tolist() == [VIEW, SEARCH, CART, PURCHASE, PURCHASE, VIEW, REMOVE]
    assert events.product.tolist() == ["9195", "", "9195", "9195", "7001", "7001", "7001"]
    assert events.ts[0] == pytest.approx(1767225610.123456, abs=1e-6)
    assert events.quantity.tolist() == [1, 1, 1, 1, 2, 1, 1]
    assert events.price.tolist()[2:5] == [129.0, 129.0, 19.5]
    # Both visitors carry the same ga_session_id, which is unique per visitor only.
    assert events.session.tolist() == [0, 0, 0, 0, 0, 1, 1] and events.visitor.tolist() == [0, 0, 0, 0, 0, 1, 1]
    assert events.url.tolist() == ["https://shop.example/"] * 7 and events.referrer.tolist() == [""] * 7   # page_location, page_referrer
    assert stream.warnings == [
        f"{FIXTURES / 'ga4_export.jsonl'}: skipped 3 events of types not used: 'session_start' 1 (first on line 1), "
        "'page_view' 1 (first on line 2), 'view_item_list' 1 (first on line 7)"]


def test_page_addresses_are_kept_when_the_log_has_them(tmp_path):
    log = tmp_path / "events.csv"
    log.write_text("session,product,ts,page_location,page_referrer\n"
                   "s1,A,100,https://shop.example/p/a?utm_medium=email,\n"
                   "s1,B,130,https://shop.example/p/b,https://shop.example/p/a?utm_medium=email\n")
    assert whole(read_event_log(log)).url is None   # publish does not read them
    events = whole(read_event_log(log, addresses=True))
    assert events.url.tolist() == ["https://shop.example/p/a?utm_medium=email", "https://shop.example/p/b"]
    assert events.referrer.tolist() == ["", "https://shop.example/p/a?utm_medium=email"]
    assert events.url[0] is events.referrer[1]   # each distinct address stored once
    assert whole(read_event_log(FIXTURES / "events.csv", addresses=True)).url is None   # no such column: nothing kept


def test_parquet_with_a_typed_timestamp_and_integer_ids(tmp_path):
    pa = pytest.importorskip("pyarrow", reason="pyarrow is the optional 'parquet' extra")
    import pyarrow.parquet as pq

    table = pa.table({
        "session_id": pa.array([7, 7, 9], pa.int64()),
        "item_id": pa.array([214536502, 214536506, 214536502], pa.int64()),
        "event_time": pa.array([1396860669277, 1396860886998, 1396871797614], pa.timestamp("ms")),
        "event": ["view", "addtocart", "transaction"],
        "price": pa.array([None, 12.5, 12.5], pa.float64()),
    })
    pq.write_table(table, tmp_path / "events.parquet")
    events = whole(read_event_log(tmp_path / "events.parquet"))
    assert events.session.tolist() == [0, 0, 1]
    assert events.product.tolist() == ["214536502", "214536506", "214536502"]
    assert events.ts.tolist() == [1396860669.277, 1396860886.998, 1396871797.614]
    assert events.kind.tolist() == [VIEW, CART, PURCHASE]
    np.testing.assert_array_equal(events.price, [np.nan, 12.5, 12.5])


def test_parquet_numbers_in_microseconds_are_recognised(tmp_path):
    pa = pytest.importorskip("pyarrow", reason="pyarrow is the optional 'parquet' extra")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"sid": ["a", "b"], "sku": ["P1", "P2"], "ts": [1767225600000000, 1767225601500000]}), tmp_path / "e.parquet")
    stream = read_event_log(tmp_path / "e.parquet")
    assert whole(stream).ts.tolist() == [1767225600.0, 1767225601.5]
    assert "Unix microseconds" in stream.notes[-1]


def test_without_a_session_column_a_visitor_session_ends_after_the_gap(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("visitor,product,ts\nv1,A,0\nv2,B,60\nv1,C,600\nv1,D,4000\n,E,4100\nv2,F,4200\n")
    stream = read_event_log(path, session_gap_minutes=30)
    assert whole(stream).session.tolist() == [0, 1, 0, 2, 3, 4]
    assert stream.sessions == 5
    assert "a visitor's session ends after 30 minutes without events" in stream.notes[1]


def test_chunks_are_bounded_and_codes_stable_across_them():
    single = whole(read_event_log(FIXTURES / "events.csv"))
    chunks = list(read_event_log(FIXTURES / "events.csv", chunk_rows=4))
    assert [len(chunk) for chunk in chunks] == [4, 4, 1]
    assert_same(whole(chunks), single)


@pytest.mark.parametrize("variant", ["quoted", "crlf", "small blocks", "no final newline", "gzip", "blank lines"])
def test_csv_variants_read_like_the_plain_file(tmp_path, monkeypatch, variant):
    plain = (FIXTURES / "events.csv").read_text()
    text, name = plain, "events.csv"
    if variant == "quoted":
        text = re.sub(r",(SKU-\d+),", r',"\1",', plain)
    elif variant == "crlf":
        text = plain.replace("\n", "\r\n")
    elif variant == "small blocks":
        monkeypatch.setattr(delimited, "BLOCK_CHARS", 40)
    elif variant == "no final newline":
        text = plain.rstrip("\n")
    elif variant == "blank lines":
        text = plain.replace("\ns2,", "\n\ns2,") + "\n\n"
    path = tmp_path / name
    if variant == "gzip":
        path = tmp_path / "events.csv.gz"
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_bytes(text.encode())
    assert_same(whole(read_event_log(path)), whole(read_event_log(FIXTURES / "events.csv")))


@pytest.mark.parametrize("compressed", [False, True])
def test_read_share_says_how_far_through_the_file_reading_has_got(tmp_path, monkeypatch, compressed):
    import gzip
    import random

    from shopkeeper.publish.read import delimited

    monkeypatch.setattr(delimited, "BLOCK_CHARS", 1 << 16)   # blocks of 64 KB, as 4 MB ones are to a large log
    rng = random.Random(5)
    text = "session,product,ts\n" + "".join(f"s{i // 5},P{rng.randrange(10**6)},{1_700_000_000 + i}\n" for i in range(200_000))
    path = tmp_path / ("events.csv.gz" if compressed else "events.csv")
    path.write_bytes(gzip.compress(text.encode()) if compressed else text.encode())
    stream = read_event_log(path, chunk_rows=20_000)
    assert stream.read_share() is None   # nothing read yet
    shares = [stream.read_share() for _ in stream]
    assert len(shares) == 10 and shares == sorted(shares)
    assert 0.0 < shares[0] < 0.5 and shares[-1] == 1.0
