"""Opening a merchant's file and telling its format from its first bytes.

Exports arrive with any extension (`.txt` product feeds, `.json` that is really JSON
Lines, gzipped warehouse dumps), so the content decides: gzip and Parquet by their magic
bytes, JSON Lines by a leading `{`, and anything else is delimited text whose header
line shows the delimiter.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TextIO

from shopkeeper.publish.errors import InputError

__all__ = ["Sniffed", "json_record", "open_text", "read_json", "sniff"]

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class Sniffed:
    """kind: 'delimited', 'jsonl' or 'parquet'; delimiter for delimited text."""

    kind: str
    delimiter: str = ""


def _open_binary(path: Path):
    try:
        handle = path.open("rb")
        if handle.read(2) == GZIP_MAGIC:
            handle.close()
            return gzip.open(path, "rb")
        handle.seek(0)
        return handle
    except OSError as error:
        raise InputError(path, None, (error.strerror or str(error)).lower()) from None


def open_text(path: str | PathLike) -> TextIO:
    """UTF-8 text (a byte-order mark dropped, gzip undone) with newlines left as they are,
    which is what the csv module needs for quoted fields holding line breaks."""
    return io.TextIOWrapper(_open_binary(Path(path)), encoding="utf-8-sig", newline="")


def sniff(path: str | PathLike) -> Sniffed:
    path = Path(path)
    with _open_binary(path) as handle:
        try:
            start = handle.read(65536)
        except (OSError, EOFError) as error:
            raise InputError(path, None, f"cannot read: {error}") from None
    if start.startswith(PARQUET_MAGIC):
        return Sniffed("parquet")
    text = start.decode("utf-8-sig", errors="replace").lstrip()
    if not text:
        raise InputError(path, 1, "the file is empty: expected a header line or JSON Lines")
    if text.startswith("{"):
        return Sniffed("jsonl")
    if text.startswith("["):
        raise InputError(path, 1, "found a JSON array: expected JSON Lines, one object per line")
    header = text.splitlines()[0]
    return Sniffed("delimited", "\t" if "\t" in header else ("," if "," in header or ";" not in header else ";"))


def read_error(path: str | PathLike, error: Exception) -> InputError:
    """A decoding failure met while reading, as the one error type callers expect."""
    if isinstance(error, UnicodeDecodeError):
        return InputError(path, None, f"not UTF-8 text (byte {error.object[error.start]:#04x}); save the file as UTF-8")
    return InputError(path, None, f"cannot read: {error}")


def json_record(path, line: int, text: str) -> dict:
    """One JSON Lines record, which must be an object; errors name the file and line."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(path, line, f"not valid JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(record, dict):
        raise InputError(path, line, f"expected a JSON object, found {type(record).__name__}")
    return record


def read_json(path: str | PathLike) -> object:
    """A whole JSON file (a manifest, a shopper's exported events); errors name the file, line and column."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(path, None, (error.strerror or str(error)).lower()) from None
    except json.JSONDecodeError as error:
        raise InputError(path, error.lineno, f"not valid JSON: {error.msg}", column=error.colno) from None
    except UnicodeDecodeError:
        raise InputError(path, None, "not UTF-8 text") from None
