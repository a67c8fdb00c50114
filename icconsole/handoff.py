"""The handoff brief: a plain-text briefing pre-filled from the incident record, for the
transfer of command (the screen, the CLI and the stored Handoff all use it).

Rule for hypotheses: a `hypothesis` entry is *ruled out* when it was retracted, or when
its text starts with "Ruled out" (any case; e.g. "Ruled out: provider latency").
Every other hypothesis entry is *open*."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from icconsole.clock import format_duration, format_short
from icconsole.config import COMMANDER, Config
from icconsole.models import EntryKind, IncidentRecord, Task, TimelineEntry

if TYPE_CHECKING:
    from icconsole.store import Store

RULED_OUT_PREFIX = "ruled out"
LAST_DECISIONS = 5
MAX_HYPOTHESES = 8
UNDELEGATED = "— (the IC holds it)"


def is_ruled_out(entry: TimelineEntry) -> bool:
    """A hypothesis is ruled out when retracted or written as "Ruled out…"."""
    return entry.retracted or entry.text.strip().casefold().startswith(RULED_OUT_PREFIX)


def split_hypotheses(
    entries: Iterable[TimelineEntry],
) -> tuple[list[TimelineEntry], list[TimelineEntry]]:
    """(open, ruled out) hypothesis entries, in timeline order."""
    open_, ruled_out = [], []
    for entry in entries:
        if entry.kind == EntryKind.HYPOTHESIS:
            (ruled_out if is_ruled_out(entry) else open_).append(entry)
    return open_, ruled_out


def _strip_ruled_out(text: str) -> str:
    stripped = text.strip()
    if stripped.casefold().startswith(RULED_OUT_PREFIX):
        rest = stripped[len(RULED_OUT_PREFIX) :].lstrip(" :-—")
        return rest or stripped
    return stripped


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Times:
    """Formats times for the brief: local time (or UTC), with the date when not today."""

    def __init__(self, now: datetime, utc: bool) -> None:
        self.now = now
        self.utc = utc

    def shown(self, value: datetime) -> datetime:
        return value if self.utc else value.astimezone()

    def at(self, value: datetime) -> str:
        shown = self.shown(value)
        if shown.date() != self.shown(self.now).date():
            return shown.strftime("%Y-%m-%d %H:%M")
        return shown.strftime("%H:%M")

    def relative(self, value: datetime) -> str:
        """`in 5m` or `OVERDUE by 3m`."""
        delta = value - self.now
        if delta.total_seconds() >= 0:
            return f"in {format_short(delta)}"
        return f"OVERDUE by {format_short(-delta)}"

    def zone(self) -> str:
        return "UTC" if self.utc else self.shown(self.now).strftime("%Z") or "local time"


def _situation(record: IncidentRecord, times: _Times) -> list[str]:
    incident = record.incident
    end = incident.resolved_at if not incident.is_active and incident.resolved_at else times.now
    lines = [
        "SITUATION",
        f"  {incident.title}",
        f"  Severity {incident.severity} · status {incident.status.value}"
        + (" · DRILL" if incident.drill else ""),
        f"  Elapsed {format_duration(end - incident.started_at)} since impact began "
        f"{times.at(incident.started_at)} (declared {times.at(incident.declared_at)})",
        f"  Impact: {_one_line(incident.impact) or 'not recorded yet'}",
    ]
    if incident.summary:
        lines.append(f"  Summary: {_one_line(incident.summary)}")
    return lines


def _roles(record: IncidentRecord, config: Config) -> list[str]:
    current = [a for a in record.roles if a.relieved_at is None]
    holders: dict[str, list[str]] = {}
    for assignment in current:
        holders.setdefault(assignment.role, []).append(assignment.person)
    known = {role.key for role in config.active_roles}
    rows = [
        (role.name, ", ".join(holders.get(role.key, [])) or UNDELEGATED)
        for role in config.active_roles
    ]
    rows += [(key, ", ".join(names)) for key, names in holders.items() if key not in known]
    width = max(len(name) for name, _ in rows)
    return ["ROLES", *(f"  {name:<{width}}  {who}" for name, who in rows)]


def _task_line(task: Task, times: _Times) -> str:
    mark = "~" if task.status.value == "doing" else " "
    parts = [f"  [{mark}] {task.title}", f"owner {task.owner or '—'}"]
    if task.check_back_at is not None:
        parts.append(
            f"check back {times.at(task.check_back_at)} ({times.relative(task.check_back_at)})"
        )
    return " — ".join(parts)


def _tasks(record: IncidentRecord, times: _Times) -> list[str]:
    open_tasks = [t for t in record.tasks if t.status.is_open]
    if not open_tasks:
        return ["OPEN TASKS", "  none"]
    return [f"OPEN TASKS ({len(open_tasks)})", *(_task_line(t, times) for t in open_tasks)]


def _entry_lines(entries: list[TimelineEntry], times: _Times, ruled_out: bool) -> list[str]:
    shown = entries[-MAX_HYPOTHESES:]
    lines = []
    if len(entries) > len(shown):
        lines.append(f"    ({len(entries) - len(shown)} earlier not shown)")
    for entry in shown:
        text = _strip_ruled_out(entry.text) if ruled_out else entry.text
        note = " (retracted)" if entry.retracted else ""
        lines.append(f"    {times.at(entry.occurred_at)} {entry.author}: {_one_line(text)}{note}")
    return lines or ["    none"]


def _hypotheses(record: IncidentRecord, times: _Times) -> list[str]:
    open_, ruled_out = split_hypotheses(record.timeline)
    return [
        "HYPOTHESES",
        "  Open:",
        *_entry_lines(open_, times, ruled_out=False),
        "  Ruled out:",
        *_entry_lines(ruled_out, times, ruled_out=True),
    ]


def _decisions(record: IncidentRecord, times: _Times) -> list[str]:
    decisions = [e for e in record.timeline if e.kind == EntryKind.DECISION and not e.retracted][
        -LAST_DECISIONS:
    ]
    lines = [f"  {times.at(e.occurred_at)} {e.author}: {_one_line(e.text)}" for e in decisions]
    return ["LAST DECISIONS", *(lines or ["  none"])]


def _updates(record: IncidentRecord, times: _Times) -> list[str]:
    lines = ["STATUS UPDATES"]
    if record.status_updates:
        last = max(record.status_updates, key=lambda u: u.sent_at)
        first_line = _one_line(last.body.strip().splitlines()[0]) if last.body.strip() else ""
        lines.append(
            f"  Last: {last.audience.value} at {times.at(last.sent_at)} by {last.author}: "
            f"{first_line}"
        )
    else:
        lines.append("  Last: none sent yet")
    due = record.incident.next_update_due
    if due is None:
        lines.append("  Next: no cadence set")
    else:
        lines.append(f"  Next due {times.at(due)} ({times.relative(due)})")
    return lines


def build_brief(
    record: IncidentRecord,
    config: Config,
    now: datetime,
    to_person: str | None = None,
    utc: bool | None = None,
) -> str:
    """The pre-filled handoff brief for `record` as of `now`, as plain text."""
    times = _Times(now, config.utc if utc is None else utc)
    incident = record.incident
    current_ic = next(
        (a.person for a in record.roles if a.role == COMMANDER and a.relieved_at is None), None
    )
    header = [
        f"HANDOFF BRIEF — {incident.ref} · {incident.severity} · {incident.status.value.upper()}",
        f"Command from {current_ic or '—'} to {to_person or '(incoming IC)'}, "
        f"written {times.at(now)} ({times.zone()})",
    ]
    sections = [
        header,
        _situation(record, times),
        _roles(record, config),
        _tasks(record, times),
        _hypotheses(record, times),
        _decisions(record, times),
        _updates(record, times),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def brief_for(store: Store, incident_id: str, to_person: str | None = None) -> str:
    """The pre-filled brief for an incident in `store`, as of the store's clock."""
    return build_brief(store.record(incident_id), store.config, store.now(), to_person)
