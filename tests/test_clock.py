"""The clock and the times people type."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from icconsole.clock import (
    Clock,
    FrozenClock,
    as_utc,
    format_duration,
    format_short,
    from_iso,
    parse_date,
    parse_offset,
    parse_when,
    to_iso,
)
from icconsole.errors import InputError

NOW = datetime(2026, 3, 14, 14, 30, tzinfo=UTC)


@pytest.fixture
def india_time() -> Iterator[None]:
    """Local time UTC+05:30 (a POSIX TZ string, so no tz database is needed)."""
    os.environ["TZ"] = "IST-5:30"
    time.tzset()
    try:
        yield
    finally:
        os.environ["TZ"] = "UTC"
        time.tzset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-5m", NOW - timedelta(minutes=5)),
        ("-1h30m", NOW - timedelta(hours=1, minutes=30)),
        ("-90s", NOW - timedelta(seconds=90)),
        ("-2d", NOW - timedelta(days=2)),
        (" -1H 5M ", NOW - timedelta(hours=1, minutes=5)),
        ("14:05", datetime(2026, 3, 14, 14, 5, tzinfo=UTC)),
        ("14:05:30", datetime(2026, 3, 14, 14, 5, 30, tzinfo=UTC)),
        ("9:00", datetime(2026, 3, 14, 9, 0, tzinfo=UTC)),
        ("2026-03-14T10:00:00+00:00", datetime(2026, 3, 14, 10, 0, tzinfo=UTC)),
        ("2026-03-14T12:00:00+02:00", datetime(2026, 3, 14, 10, 0, tzinfo=UTC)),
        ("2026-03-14T10:00Z", datetime(2026, 3, 14, 10, 0, tzinfo=UTC)),
        ("2026-03-14 10:00", datetime(2026, 3, 14, 10, 0, tzinfo=UTC)),
    ],
)
def test_parse_when(text: str, expected: datetime) -> None:
    result = parse_when(text, NOW)
    assert result == expected
    assert result.tzinfo is not None and result.utcoffset() == timedelta(0)


def test_time_of_day_later_than_now_means_yesterday() -> None:
    assert parse_when("23:50", NOW) == datetime(2026, 3, 13, 23, 50, tzinfo=UTC)
    assert parse_when("14:40", NOW) == datetime(2026, 3, 13, 14, 40, tzinfo=UTC)


def test_time_of_day_is_local_time(india_time: None) -> None:
    # 14:30 UTC is 20:00 at UTC+05:30.
    assert parse_when("19:45", NOW) == datetime(2026, 3, 14, 14, 15, tzinfo=UTC)
    assert parse_when("20:30", NOW) == datetime(2026, 3, 13, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-03-15T10:00:00+00:00", "future"),
        ("2026-03-14T15:00:00+00:00", "future"),
        ("-400d", "more than a year ago"),
        ("2024-01-01T00:00:00+00:00", "more than a year ago"),
        ("soon", "not a time"),
        ("", "not a time"),
        ("+5m", "not a time"),
        ("-5x", "not a time"),
        ("25:00", "not a time of day"),
        ("12:61", "not a time of day"),
    ],
)
def test_parse_when_refusals(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_when(text, NOW)


def test_parse_offset() -> None:
    assert parse_offset("-5m") == timedelta(minutes=5)
    assert parse_offset("-1d2h3m4s") == timedelta(days=1, hours=2, minutes=3, seconds=4)
    assert parse_offset("5m") is None
    assert parse_offset("14:05") is None
    assert parse_offset("-") is None


def test_parse_date() -> None:
    assert parse_date(" 2026-04-01 ").isoformat() == "2026-04-01"
    with pytest.raises(InputError, match="not a date"):
        parse_date("next week")


def test_frozen_clock_only_moves_when_told() -> None:
    clock = FrozenClock(NOW)
    assert clock.now() == NOW
    assert clock.now() == NOW
    assert clock.advance(minutes=5) == NOW + timedelta(minutes=5)
    assert clock.now() == NOW + timedelta(minutes=5)
    clock.advance(hours=1, seconds=30)
    assert clock.now() == NOW + timedelta(hours=1, minutes=5, seconds=30)
    clock.set(datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    assert clock.now() == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_real_clock_is_aware_utc() -> None:
    now = Clock().now()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


def test_iso_round_trip_is_fixed_width_utc() -> None:
    local = datetime(2026, 3, 14, 16, 30, tzinfo=timezone(timedelta(hours=2)))
    text = to_iso(local)
    assert text == "2026-03-14T14:30:00.000000+00:00"
    assert from_iso(text) == local
    assert len(to_iso(NOW + timedelta(microseconds=7))) == len(text)
    assert as_utc(datetime(2026, 3, 14, 14, 30)) == NOW  # naive is local time (UTC here)


def test_formatting_durations() -> None:
    assert format_duration(timedelta(hours=1, minutes=2, seconds=3)) == "01:02:03"
    assert format_duration(timedelta(days=2, seconds=5)) == "2d 00:00:05"
    assert format_duration(timedelta(seconds=-30)) == "00:00:00"
    assert format_short(timedelta(seconds=45)) == "45s"
    assert format_short(timedelta(minutes=12, seconds=59)) == "12m"
    assert format_short(timedelta(hours=3, minutes=5)) == "3h 05m"
    assert format_short(timedelta(days=2, hours=4)) == "2d 4h"
