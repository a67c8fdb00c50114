"""A plain-text view of one incident, for `icconsole show`."""

from __future__ import annotations

from datetime import datetime

from icconsole.config import Config
from icconsole.models import IncidentRecord


def local_time(value: datetime | None, utc: bool = False) -> str:
    """`2024-05-01 14:05` in local time (or UTC), `—` for no time."""
    if value is None:
        return "—"
    shown = value if utc else value.astimezone()
    return shown.strftime("%Y-%m-%d %H:%M")


def plain_report(record: IncidentRecord, config: Config) -> str:
    incident = record.incident
    role_names = {role.key: role.name for role in config.roles}
    lines = [
        f"{incident.ref} · {incident.severity} · {incident.status.value.upper()} · {incident.title}"
        + (" · DRILL" if incident.drill else ""),
        f"started {local_time(incident.started_at)}  declared {local_time(incident.declared_at)}"
        f"  mitigated {local_time(incident.mitigated_at)}"
        f"  resolved {local_time(incident.resolved_at)}",
    ]
    if incident.summary:
        lines += ["", incident.summary]
    if incident.impact:
        lines += ["", f"Impact: {incident.impact}"]
    lines += ["", "Roles:"]
    current = [r for r in record.roles if r.relieved_at is None]
    for assignment in current:
        lines.append(
            f"  {role_names.get(assignment.role, assignment.role):<24} {assignment.person}"
        )
    if record.tasks:
        done = sum(1 for t in record.tasks if not t.status.is_open)
        lines += ["", f"Tasks {done}/{len(record.tasks)}:"]
        for task in record.tasks:
            mark = {"done": "x", "skipped": "-", "doing": "~"}.get(task.status.value, " ")
            owner = f" ({task.owner})" if task.owner else ""
            lines.append(f"  [{mark}] {task.title}{owner}")
    lines += ["", "Timeline:"]
    for entry in record.timeline:
        flags = ("*" if entry.pinned else " ") + ("~" if entry.retracted else " ")
        text = " ".join(entry.text.split())
        if entry.retracted:
            text = f"(retracted) {text}"
        elif entry.edited:
            text = f"{text} (edited)"
        lines.append(
            f"  {local_time(entry.occurred_at)} {flags}{entry.kind.value:<10} "
            f"{entry.author:<10} {text}"
        )
    return "\n".join(lines)
