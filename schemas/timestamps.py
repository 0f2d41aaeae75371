"""Instants on the wire: RFC 3339 strings with an offset, or epoch seconds.

DATA.md: timestamps are RFC 3339 with an offset or ``Z`` (date-only and naive
strings fail) or epoch seconds as a JSON number (not a string, not a boolean),
denoting an instant in years 1-9999. Internally an instant is an ``int`` of
microseconds since the epoch (see ``schemas.records.Instant``).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MIN_INSTANT = -62135596800 * 1_000_000  # 0001-01-01T00:00:00Z
MAX_INSTANT = 253402300800 * 1_000_000 - 1  # 9999-12-31T23:59:59.999999Z

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))"
)


class TimestampError(ValueError):
    """The value is not a contract timestamp. The message names no value."""


def parse_instant(value: object) -> int:
    """Parse a contract timestamp into microseconds since the epoch."""
    if isinstance(value, bool):
        raise TimestampError("a boolean is not a timestamp")
    if isinstance(value, int):
        micros = value * 1_000_000
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise TimestampError("epoch seconds must be finite")
        micros = round(value * 1_000_000)
    elif isinstance(value, str):
        micros = _parse_rfc3339(value)
    elif isinstance(value, datetime):  # Parquet timestamp columns
        if value.tzinfo is None:
            raise TimestampError("a timestamp without an offset is not allowed")
        micros = _to_micros(value)
    else:
        raise TimestampError(f"a {type(value).__name__} is not a timestamp")
    if not MIN_INSTANT <= micros <= MAX_INSTANT:
        raise TimestampError("timestamp outside years 1-9999")
    return micros


def _parse_rfc3339(text: str) -> int:
    match = _RFC3339.fullmatch(text)
    if not match:
        raise TimestampError(
            "not an RFC 3339 timestamp with an offset or Z (date-only and naive forms fail)"
        )
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError as exc:
        raise TimestampError("timestamp fields out of range") from exc
    offset = timedelta(0)
    if not zulu:
        if int(off_h) > 23 or int(off_m) > 59:
            raise TimestampError("offset out of range")
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        if sign == "-":
            offset = -offset
    micros_fraction = int((fraction or "0")[:6].ljust(6, "0"))
    naive_micros = (local - datetime(1970, 1, 1)) // timedelta(microseconds=1)
    return naive_micros + micros_fraction - offset // timedelta(microseconds=1)


def _to_micros(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(microseconds=1)


def format_instant(micros: int) -> str:
    """RFC 3339 in UTC with microseconds, e.g. ``2026-11-24T00:00:00.000000Z``."""
    moment = datetime(1, 1, 1) + timedelta(microseconds=micros - MIN_INSTANT)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ").rjust(27, "0")


def to_datetime(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


DAY = 86_400 * 1_000_000
