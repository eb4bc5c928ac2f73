"""The one error a merchant's input can cause, located like a compiler error.

Publishing fails before anything is written, and the message must let a merchant fix the
file without reading our code: which file, which line (and column, for TOML), what was
expected and what was found. The command line prints it as one line.
"""

from __future__ import annotations

from os import PathLike

__all__ = ["InputError"]


class InputError(ValueError):
    """`catalog.csv:17: price 'abc' is not a number`; line 0 or None when no line applies.

    For Parquet files the number is the row (1 = first row), since they have no lines.
    """

    def __init__(self, path: str | PathLike, line: int | None, message: str, *, column: int | None = None):
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"
