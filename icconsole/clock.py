"""The one source of "now", and parsing of the times people type (`-5m`, `14:05`, ISO)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from icconsole.errors import InputError


class Clock:
    """Wall-clock time in UTC; replace with `FrozenClock` in tests."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self._now = as_utc(at)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, at: datetime) -> None:
        self._now = as_utc(at)


def as_utc(value: datetime) -> datetime:
    """Return `value` as an aware UTC datetime; naive values are taken as local time."""
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC)


def to_iso(value: datetime) -> str:
    """Fixed-width UTC ISO-8601, so that text order is time order."""
    return as_utc(value).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text))


_OFFSET = re.compile(r"^-\s*((?:\d+\s*[dhms]\s*)+)$", re.IGNORECASE)
_PART = re.compile(r"(\d+)\s*([dhms])", re.IGNORECASE)
_CLOCK = re.compile(r"^@?(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
MAX_BACKDATE = timedelta(days=366)
MAX_AHEAD = timedelta(minutes=5)


def parse_offset(text: str) -> timedelta | None:
    """`-5m`, `-1h30m`, `-90s` -> a positive timedelta to subtract; None if not an offset."""
    match = _OFFSET.match(text.strip())
    if not match:
        return None
    delta = timedelta()
    for amount, unit in _PART.findall(match.group(1)):
        delta += timedelta(**{_UNITS[unit.lower()]: int(amount)})
    return delta


def parse_when(text: str, now: datetime) -> datetime:
    """Parse a time a person typed: `-5m`, `14:05` (local, the latest such time not in the
    future), or an ISO date-time. Refuses times far in the future or more than a year back."""
    raw = text.strip()
    try:
        result = _moment(raw, now)
    except (OverflowError, ValueError):
        # Offsets of a billion days, year 1 in local time: past what a datetime can hold.
        raise InputError(f"time is out of range: {raw!r}") from None
    if result > now + MAX_AHEAD:
        raise InputError(f"time is in the future: {raw!r}")
    if result < now - MAX_BACKDATE:
        raise InputError(f"time is more than a year ago: {raw!r}")
    return result


def _moment(raw: str, now: datetime) -> datetime:
    """The UTC time `raw` names, unchecked against now."""
    offset = parse_offset(raw)
    if offset is not None:
        result = now - offset
    elif match := _CLOCK.match(raw):
        hour, minute, second = (int(g) if g else 0 for g in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise InputError(f"not a time of day: {raw!r}")
        local_now = now.astimezone()
        candidate = datetime.combine(
            local_now.date(), time(hour, minute, second), tzinfo=local_now.tzinfo
        )
        if candidate > local_now + MAX_AHEAD:
            candidate -= timedelta(days=1)
        result = as_utc(candidate)
    else:
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            raise InputError(
                f"not a time: {raw!r} (use -5m, -1h30m, 14:05 or 2024-05-01T14:05)"
            ) from None
        result = as_utc(parsed)
    return result


def parse_date(text: str) -> date:
    """An ISO date (`2024-05-01`) typed by a person."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def format_duration(delta: timedelta) -> str:
    """`01:02:03` for durations, with a day count when over a day; negative clamps to zero."""
    total = max(0, int(delta.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"{days}d {text}" if days else text


def format_short(delta: timedelta) -> str:
    """A compact human duration: `45s`, `12m`, `3h 05m`, `2d 4h`."""
    total = int(abs(delta.total_seconds()))
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m"
    if total < 86400:
        return f"{total // 3600}h {total % 3600 // 60:02d}m"
    return f"{total // 86400}d {total % 86400 // 3600}h"
