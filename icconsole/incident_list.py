"""The home screen's incident list and search excerpts as plain data (no Textual)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import NamedTuple

from icconsole.clock import as_utc, format_short
from icconsole.config import Config, SeverityDef
from icconsole.errors import InputError
from icconsole.models import Incident, Status

NO_ONE = "—"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEVERITY_NAME_MAX = 12


class IncidentRow(NamedTuple):
    """One line of the home table."""

    id: str
    ref: str
    severity: str
    level: int
    severity_name: str
    status: Status
    active: bool
    drill: bool
    title: str
    commander: str
    started: str
    elapsed: str


def severity_name(severity: SeverityDef) -> str:
    """The word before the colon in a severity's description (`Critical`), or ''."""
    head, colon, _ = severity.description.partition(":")
    head = head.strip()
    return head if colon and 0 < len(head) <= SEVERITY_NAME_MAX else ""


def severity_level(config: Config, key: str) -> tuple[int, str]:
    """(level, name) of a severity; a key no longer configured keeps its number, no name."""
    try:
        sev = config.severity(key)
    except InputError:
        digits = "".join(ch for ch in key if ch.isdigit())
        return (int(digits) if digits else 99), ""
    return sev.level, severity_name(sev)


def shown_time(value: datetime, utc: bool) -> datetime:
    """A stored UTC time as the user wants to see it: UTC or the local zone."""
    value = as_utc(value)
    return value if utc else value.astimezone()


def format_started(started: datetime, now: datetime, utc: bool) -> str:
    """`Mar 14 14:02` within the current year, `2025-03-14` before it."""
    started, now = shown_time(started, utc), shown_time(now, utc)
    if started.year != now.year:
        return started.strftime("%Y-%m-%d")
    return f"{MONTHS[started.month - 1]} {started.day:02d} {started:%H:%M}"


def incident_elapsed(incident: Incident, now: datetime) -> timedelta:
    """Time since impact began for an active incident; its duration once resolved."""
    if incident.is_active:
        end = now
    else:
        end = incident.resolved_at or incident.closed_at or incident.updated_at
    return end - incident.started_at


def incident_row(
    incident: Incident, commander: str | None, config: Config, now: datetime
) -> IncidentRow:
    level, name = severity_level(config, incident.severity)
    return IncidentRow(
        id=incident.id,
        ref=incident.ref,
        severity=incident.severity,
        level=level,
        severity_name=name,
        status=incident.status,
        active=incident.is_active,
        drill=incident.drill,
        title=incident.title,
        commander=commander or NO_ONE,
        started=format_started(incident.started_at, now, config.utc),
        elapsed=format_short(incident_elapsed(incident, now)),
    )


def incident_rows(
    incidents: Iterable[Incident], commanders: Mapping[str, str], config: Config, now: datetime
) -> list[IncidentRow]:
    """Rows in the order given (the store lists active incidents first)."""
    return [incident_row(i, commanders.get(i.id), config, now) for i in incidents]


def summary_line(rows: list[IncidentRow]) -> str:
    """`3 incidents · 1 active` for the header."""
    active = sum(1 for row in rows if row.active)
    noun = "incident" if len(rows) == 1 else "incidents"
    return f"{len(rows)} {noun} · {active} active"


def excerpt(text: str, query: str, width: int = 80) -> str:
    """One line of `text` around the first word of `query` it contains, at most `width` long."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    folded = line.lower() if len(line.lower()) == len(line) else line
    hits = [folded.find(w.lower()) for w in query.split()]
    start = min((h for h in hits if h >= 0), default=0)
    begin = max(0, min(start - width // 3, len(line) - width + 1))
    prefix = "…" if begin else ""
    room = width - len(prefix)
    body = line[begin : begin + room]
    if begin + room < len(line):
        body = body[:-1] + "…"
    return prefix + body


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every case-insensitive occurrence of each query word in `text`."""
    folded = text.lower()
    if len(folded) != len(text):
        return []
    spans: list[tuple[int, int]] = []
    for word in {w.lower() for w in query.split()}:
        start = folded.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    return sorted(spans)
