"""Date parsing shared by the readers: every reader must hand the flow tz-aware UTC or None."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

# Feeds and generators use 1970-01-01 as "no date"; a real news item is never that old.
_EPOCH_CUTOFF_YEAR = 1971

_FILENAME_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2})(\d{2})(\d{2})?Z?)?")


class DateError(ValueError):
    pass


def zone(name: str | None) -> tzinfo:
    """Zone assumed for naive timestamps; UTC unless the source options say otherwise."""
    return ZoneInfo(name) if name else UTC


def _plausible(value: datetime | None) -> datetime | None:
    if value is None or value.year < _EPOCH_CUTOFF_YEAR:
        return None
    return value


def from_struct(value: time.struct_time | None) -> datetime | None:
    """feedparser's *_parsed tuples are already normalised to UTC."""
    if not value:
        return None
    try:
        return _plausible(datetime(*value[:6], tzinfo=UTC))
    except (TypeError, ValueError):
        return None


def parse_datetime(value: object, naive_tz: tzinfo = UTC) -> datetime | None:
    """ISO 8601 date or datetime (or unix seconds) -> aware UTC; a date alone means 00:00 UTC.

    Raises DateError for a value that is present but unreadable, so readers can reject the record
    instead of silently dropping its date.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise DateError(f"unparsable date {value!r}")
    if isinstance(value, int | float):
        try:
            return _plausible(datetime.fromtimestamp(float(value), tz=UTC))
        except (OverflowError, OSError, ValueError) as err:
            raise DateError(f"unparsable date {value!r}") from err
    if not isinstance(value, str):
        raise DateError(f"unparsable date {value!r}")
    text = value.strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10 and text[4] == "-":
            d = date.fromisoformat(text)
            return _plausible(datetime(d.year, d.month, d.day, tzinfo=UTC))
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _loose(text)
        if parsed is None:
            raise DateError(f"unparsable date {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_tz)
    try:
        return _plausible(parsed.astimezone(UTC))
    except OverflowError:  # year 1 east of UTC, or year 9999 west of it: not a time in UTC
        if parsed.year < _EPOCH_CUTOFF_YEAR:
            return None  # as any other implausibly old date
        raise DateError(f"date out of range {value!r}") from None


def _loose(text: str) -> datetime | None:
    """Second chance for hand-made CSVs: '2023-05-16 3:30' (unpadded hour) and RFC 822 dates."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if m:
        y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
        try:
            return datetime(y, mo, d, h, mi, s)
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def from_filename(name: str) -> datetime | None:
    """Dumps name files like 20220321T191500Z_x.txt or 2024-05-01-x.md; that prefix is the best date."""
    m = _FILENAME_DATE.match(name)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    try:
        return _plausible(datetime(y, mo, d, h, mi, s, tzinfo=UTC))
    except ValueError:
        return None
