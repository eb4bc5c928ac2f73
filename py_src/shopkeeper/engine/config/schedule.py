"""Schedule windows: ISO 8601 dates and date-times to epoch milliseconds, without `datetime`.

`datetime` is not in the browser runtime and is not needed: a window is two instants,
compared with the `now_ms` the page supplies. Times without an offset are UTC. A date
alone starts at 00:00 as a start and runs to the end of that day as an end, so
`ends = "2026-12-31"` includes New Year's Eve.
"""

from __future__ import annotations

DAY_MS = 86_400_000


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year - 719468


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_instant(value: object, end_of_day: bool = False) -> float:
    """Milliseconds since the epoch of '2026-11-01', '2026-12-31T23:59:59' or
    '2026-11-01T09:00:00+01:00' (also TOML's own date values); ValueError saying why not."""
    text = value.isoformat() if hasattr(value, "isoformat") and not isinstance(value, str) else value
    if not isinstance(text, str):
        raise ValueError(f"expected an ISO 8601 date such as '2026-11-01', found {type(value).__name__}")
    text = text.strip()
    date, separator, time = text.replace(" ", "T", 1).partition("T")
    fields = date.split("-")
    if len(fields) != 3 or [len(part) for part in fields] != [4, 2, 2] or not all(part.isdigit() and part.isascii() for part in fields):
        raise ValueError(f"expected a date as YYYY-MM-DD, found {text!r}")
    year, month, day = map(int, fields)
    if not 1 <= month <= 12 or not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"{date} is not a day of the calendar")
    days_ms = days_from_civil(year, month, day) * DAY_MS
    if not separator:
        return float(days_ms + DAY_MS - 1 if end_of_day else days_ms)
    return float(days_ms + _time_of_day_ms(time, text))


def _time_of_day_ms(time: str, text: str) -> int:
    """Milliseconds into the UTC day of 'HH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM]'."""
    offset_ms, clock = 0, time
    if clock[-1:] in ("Z", "z"):
        clock = clock[:-1]
    for sign_char, sign in (("+", 1), ("-", -1)):
        if sign_char in clock:
            clock, zone = clock.split(sign_char, 1)
            digits = zone.replace(":", "", 1)
            if len(digits) not in (2, 4) or not (digits.isdigit() and digits.isascii()) or int(digits[:2]) > 23 or int(digits[2:] or 0) > 59:
                raise ValueError(f"expected a time zone offset such as +01:00, found {text!r}")
            offset_ms = sign * (int(digits[:2]) * 60 + int(digits[2:] or 0)) * 60_000
        parts = clock.split(":")
    seconds, _, fraction = (parts[2] if len(parts) == 3 else "0").partition(".")
    numbers = parts[:2] + [seconds]
    if len(parts) not in (2, 3) or not all(part.isdigit() and part.isascii() and len(part) == 2 for part in numbers) or (
            fraction and not (fraction.isdigit() and fraction.isascii())):
        raise ValueError(f"expected a time as HH:MM or HH:MM:SS, found {text!r}")
    hour, minute, second = map(int, numbers)
    if hour > 23 or minute > 59 or second > 60:
        raise ValueError(f"{clock} is not a time of day")
    millis = int((fraction + "000")[:3]) if fraction else 0
    return ((hour * 60 + minute) * 60 + min(second, 59)) * 1000 + millis - offset_ms


def in_window(now_ms: float, starts_ms: float | None, ends_ms: float | None) -> bool:
    """True from `starts_ms` through `ends_ms`, both included; a missing bound is open."""
    return (starts_ms is None or now_ms >= starts_ms) and (ends_ms is None or now_ms <= ends_ms)
