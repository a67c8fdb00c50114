"""Status updates: templates per audience filled from the incident record, and the update
cadence (when the next update is due, and when to remind the IC that it is overdue)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from icconsole.clock import format_short
from icconsole.config import COMMANDER, Config
from icconsole.errors import InputError
from icconsole.models import (
    Audience,
    EntryKind,
    Incident,
    IncidentRecord,
    Status,
    TaskStatus,
)

if TYPE_CHECKING:
    from icconsole.store import Store

# Template name -> the audience an update written from it is recorded for.
TEMPLATE_AUDIENCE: dict[str, Audience] = {
    "internal": Audience.INTERNAL,
    "external": Audience.EXTERNAL,
    "executive": Audience.EXECUTIVE,
    "can": Audience.INTERNAL,
}
TEMPLATE_NAMES: tuple[str, ...] = tuple(TEMPLATE_AUDIENCE)
TEMPLATE_LABELS: dict[str, str] = {
    "internal": "Internal",
    "external": "External",
    "executive": "Executive",
    "can": "CAN report",
}

DEFAULT_TEMPLATES: dict[str, str] = {
    "internal": """\
{severity} {ref}: {title}
Status: {status} · Impact: {impact}
Started {started} ({elapsed} ago) · IC {commander}

What we know:
{known}

What we are doing:
{doing}

Next update by {next_update}.""",
    "external": """\
{title} — {public_status}

{public_sentence}
Impact: {impact}
Started: {started}

Next update by {next_update}.""",
    "executive": """\
{severity} {ref}: {title}
Status: {status} · {elapsed} since impact began at {started}
Business impact: {impact}
Incident commander: {commander}

Current plan:
{plan}

Next update by {next_update}.""",
    "can": """\
CAN report · {severity} {ref}: {title} · as of {now}

Conditions:
- Status {status}, {elapsed} since impact began; impact: {impact}
{known}

Actions:
{doing}

Needs:
{needs}

Next update by {next_update}.""",
}

# Fields whose absence leaves their line out; any other missing field reads "unknown".
OPTIONAL_FIELDS = frozenset({"known", "doing", "plan", "summary", "next_update"})
FIELDS: dict[str, str] = {
    "ref": "incident reference (INC-7)",
    "title": "incident title",
    "severity": "severity key (SEV1)",
    "status": "status (Mitigated)",
    "public_status": "status-page wording: Investigating, Identified, Monitoring, Resolved",
    "public_sentence": "one customer-facing sentence for the status",
    "impact": "the impact statement",
    "summary": "the incident summary",
    "started": "when impact began",
    "elapsed": "time since impact began",
    "commander": "the Incident Commander",
    "known": "latest findings and hypotheses, one per line",
    "doing": "latest decisions and actions, one per line",
    "plan": "the latest decision",
    "needs": "open tasks nobody owns and key roles nobody holds",
    "next_update": "when the next update is due after this one",
    "now": "the time of drafting",
}
UNKNOWN = "unknown"
LATEST = 5
MAX_ITEM = 200
NEEDED_ROLES = ("scribe", "comms")

PUBLIC_STATUS: dict[Status, tuple[str, str]] = {
    Status.INVESTIGATING: (
        "Investigating",
        "We are investigating this issue and will share more as soon as we can.",
    ),
    Status.IDENTIFIED: (
        "Identified",
        "We have identified the cause and are working on a fix.",
    ),
    Status.MITIGATED: (
        "Monitoring",
        "A fix is in place and we are monitoring the results.",
    ),
    Status.RESOLVED: ("Resolved", "This issue is resolved."),
    Status.CLOSED: ("Resolved", "This issue is resolved."),
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def template_audience(name: str) -> Audience:
    return TEMPLATE_AUDIENCE[template_name(name)]


def template_name(text: str) -> str:
    """A template name as typed (`CAN`, ` internal `); unknown names are an InputError."""
    name = text.strip().lower()
    if name not in TEMPLATE_AUDIENCE:
        raise InputError(f"unknown template {text!r} (choose from: {', '.join(TEMPLATE_NAMES)})")
    return name


def check_template(name: str, text: str) -> None:
    """Refuse a template with an unknown placeholder or a stray brace, naming the key."""
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        field = match.group(1)
        if field is None:
            raise InputError(
                f"templates.{name}: a lone {token!r} (write {token * 2} for a literal brace)"
            )
        if field.strip() not in FIELDS:
            known = ", ".join(FIELDS)
            raise InputError(f"templates.{name}: unknown placeholder {token} (known: {known})")


def check_templates(templates: dict[str, str]) -> None:
    """Every override names a known template and uses only known placeholders."""
    for name, text in templates.items():
        if name not in TEMPLATE_AUDIENCE:
            raise InputError(
                f"templates.{name}: no such template (choose from: {', '.join(TEMPLATE_NAMES)})"
            )
        check_template(name, text)


def template_text(config: Config, name: str) -> str:
    """The user's override from `[templates]`, else the built-in template."""
    name = template_name(name)
    return config.templates.get(name) or DEFAULT_TEMPLATES[name]


def fill(template: str, values: dict[str, str | None]) -> str:
    """Fill `{field}` placeholders in one pass, so text in the values is never read as a
    placeholder. A line holding an empty optional field is left out, and so is a heading
    (`Needs:`) whose lines were all left out; any other empty field reads "unknown"."""
    lines: list[str | None] = []
    for line in template.splitlines():
        names = [m.group(1).strip() for m in _TOKEN.finditer(line) if m.group(1) is not None]
        if any(name in OPTIONAL_FIELDS and not values.get(name) for name in names):
            lines.append(None)
        else:
            lines.append(_TOKEN.sub(lambda m: _token_value(m, values), line))
    return _tidy(lines)


def _token_value(match: re.Match[str], values: dict[str, str | None]) -> str:
    token = match.group(0)
    if token in ("{{", "}}"):
        return token[0]
    if match.group(1) is None:
        return token
    return values.get(match.group(1).strip()) or UNKNOWN


def _tidy(lines: list[str | None]) -> str:
    """Drop left-out lines and headings left empty; no doubled or trailing blank lines."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line is None:
            continue
        rest = lines[index + 1 :]
        if line.rstrip().endswith(":") and rest and rest[0] is None:
            following = next((later for later in rest if later is not None), "")
            if not following.strip():
                continue
        if not line.strip() and (not kept or not kept[-1].strip()):
            continue
        kept.append(line.rstrip())
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)


def update_record(store: Store, incident_id: str) -> IncidentRecord:
    """Just what the templates read: the incident, roles, tasks and the latest findings,
    hypotheses, decisions and actions (cheap however long the timeline is)."""
    incident = store.incident(incident_id)
    known = store.latest_entries(incident.id, (EntryKind.FINDING, EntryKind.HYPOTHESIS), LATEST)
    doing = store.latest_entries(incident.id, (EntryKind.DECISION, EntryKind.ACTION), LATEST)
    decision = store.latest_entries(incident.id, (EntryKind.DECISION,), 1)
    entries = {entry.id: entry for entry in [*known, *doing, *decision]}
    return IncidentRecord(
        incident=incident,
        roles=store.roles(incident.id),
        timeline=sorted(entries.values(), key=lambda e: (e.occurred_at, e.seq)),
        tasks=store.tasks(incident.id),
    )


def draft(record: IncidentRecord, config: Config, name: str, now: datetime) -> str:
    """The named template filled from the record: the text of a status update."""
    return fill(template_text(config, name), field_values(record, config, now))


def field_values(record: IncidentRecord, config: Config, now: datetime) -> dict[str, str | None]:
    """Every placeholder's text for this record; None where the record has nothing."""
    incident = record.incident
    public_status, public_sentence = PUBLIC_STATUS[incident.status]
    end = incident.resolved_at if not incident.is_active and incident.resolved_at else now
    live = [e for e in record.timeline if not e.retracted]
    known = [e for e in live if e.kind in (EntryKind.FINDING, EntryKind.HYPOTHESIS)]
    doing = [e for e in live if e.kind in (EntryKind.DECISION, EntryKind.ACTION)]
    decisions = [e for e in live if e.kind == EntryKind.DECISION]
    commanders = [r.person for r in record.roles if r.role == COMMANDER and r.relieved_at is None]
    next_due = (
        now + timedelta(minutes=incident.cadence_minutes)
        if incident.cadence_minutes and incident.is_active
        else None
    )
    return {
        "ref": incident.ref,
        "title": incident.title,
        "severity": incident.severity,
        "status": incident.status.value.capitalize(),
        "public_status": public_status,
        "public_sentence": public_sentence,
        "impact": _one_line(incident.impact) or None,
        "summary": _one_line(incident.summary) or None,
        "started": format_when(incident.started_at, now, config.utc),
        "elapsed": format_short(end - incident.started_at),
        "commander": commanders[0] if commanders else None,
        "known": _bullets(
            [("Hypothesis: " if e.kind == EntryKind.HYPOTHESIS else "") + e.text for e in known]
        ),
        "doing": _bullets(
            [("Decided: " if e.kind == EntryKind.DECISION else "") + e.text for e in doing]
        ),
        "plan": _bullets([e.text for e in decisions[-1:]]),
        "needs": _needs(record, config),
        "next_update": format_when(next_due, now, config.utc) if next_due else None,
        "now": format_when(now, now, config.utc),
    }


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_ITEM else flat[: MAX_ITEM - 1] + "…"


def _bullets(texts: list[str]) -> str | None:
    items = [_one_line(text) for text in texts[-LATEST:]]
    return "\n".join(f"- {item}" for item in items if item) or None


def _needs(record: IncidentRecord, config: Config) -> str:
    held = {r.role for r in record.roles if r.relieved_at is None}
    names = {role.key: role.name for role in config.active_roles}
    unowned = [
        f"an owner for: {task.title}"
        for task in record.tasks
        if task.status in (TaskStatus.TODO, TaskStatus.DOING) and not task.owner
    ]
    missing = [f"a {names[key]}" for key in NEEDED_ROLES if key in names and key not in held]
    return _bullets(missing + unowned) or "- nothing right now"


def format_when(value: datetime, now: datetime, utc: bool) -> str:
    """`14:05 UTC` today, `Mar 13 22:10 UTC` on another day; local time unless `utc`."""
    shown, today = (value, now) if utc else (value.astimezone(), now.astimezone())
    zone = "UTC" if utc else shown.strftime("%Z")
    stamp = (
        shown.strftime("%H:%M") if shown.date() == today.date() else shown.strftime("%b %d %H:%M")
    )
    return f"{stamp} {zone}".strip()


# ------------------------------------------------------------------ cadence

REMINDER_EVERY = timedelta(minutes=1)
SNOOZE_CHOICES: tuple[int, ...] = (5, 10, 15)


@dataclass(frozen=True)
class UpdateDue:
    """Where the incident stands against its update cadence at one moment."""

    due: datetime | None
    now: datetime

    @property
    def has_cadence(self) -> bool:
        return self.due is not None

    @property
    def remaining(self) -> timedelta | None:
        """Time left until the update is due; negative once overdue; None without cadence."""
        return None if self.due is None else self.due - self.now

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.now >= self.due

    def label(self) -> str:
        """`next update 04:12`, `update overdue 2:05`, or "" when no update is due."""
        remaining = self.remaining
        if remaining is None:
            return ""
        if self.overdue:
            return f"update overdue {_minutes_seconds(-remaining)}"
        return f"next update {_minutes_seconds(remaining)}"


def update_due(source: Incident | IncidentRecord | datetime | None, now: datetime) -> UpdateDue:
    """The cadence state at `now`, from an incident, a record or a bare due time. Only an
    active incident has an update due."""
    if isinstance(source, IncidentRecord):
        source = source.incident
    if isinstance(source, Incident):
        source = source.next_update_due if source.is_active else None
    return UpdateDue(due=source, now=now)


def reminder_due(due: datetime | None, now: datetime, last_reminder: datetime | None) -> bool:
    """Whether to warn now: overdue, and no warning yet for this overdue spell or the last
    one at least a minute ago. Sending or snoozing moves `due`, which ends the spell."""
    if due is None or now < due:
        return False
    if last_reminder is None or last_reminder < due:
        return True
    return now - last_reminder >= REMINDER_EVERY


def _minutes_seconds(delta: timedelta) -> str:
    """`04:12`, or `1:02:03` past an hour."""
    total = max(0, int(delta.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
