"""Documents people read: the post-mortem (or, without one, the incident report) as
Markdown, and the same rendered to one self-contained HTML file. Deterministic: the same
record gives the same bytes."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from markdown_it import MarkdownIt

from icconsole.collector import collector_paused
from icconsole.config import Config
from icconsole.errors import InputError, StoreError
from icconsole.markdown_safe import cell, inline, paragraphs
from icconsole.metrics import incident_metrics
from icconsole.models import POSTMORTEM_SECTIONS, EntryKind, IncidentRecord, TimelineEntry
from icconsole.postmortem import KEY_EVENT_KINDS
from icconsole.postmortem import key_events as wizard_key_events

SECTION_TITLES: dict[str, str] = {
    "summary": "Summary",
    "impact": "Impact",
    "leadup": "Lead-up and background",
    "timeline": "Timeline",
    "detection": "Detection",
    "response": "Response and recovery",
    "trigger": "Trigger",
    "contributing_factors": "Contributing factors",
    "five_whys": "Five whys",
    "mitigators": "Mitigators",
    "backlog": "Backlog check",
    "recurrence": "Recurrence",
    "went_well": "What went well",
    "went_wrong": "What went wrong",
    "got_lucky": "Where we got lucky",
    "open_questions": "Open questions",
}
NOT_WRITTEN = "*Not written.*"
NONE_YET = "*None.*"


class _Times:
    """Formats every time of a document in one stated zone: UTC, or the local zone."""

    def __init__(self, utc: bool, reference: datetime) -> None:
        self.utc = utc
        local = reference.astimezone()
        self.zone = "UTC" if utc else f"{local.tzname()} (UTC{local.strftime('%z')})"

    def at(self, value: datetime | None) -> str:
        """`2026-03-14 14:05` (formatted with `%`: three times quicker than strftime, and
        the same from the year 1000 on)."""
        if value is None:
            return "—"
        if not self.utc:
            shown = value.astimezone()
        else:
            shown = value if value.tzinfo is UTC else value.astimezone(UTC)
        if shown.year < 1000:
            return shown.strftime("%Y-%m-%d %H:%M")
        minute = (shown.year, shown.month, shown.day, shown.hour, shown.minute)
        return "%d-%02d-%02d %02d:%02d" % minute  # noqa: UP031 (quicker than f-strings)


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    """A pipe table; every cell must already be escaped."""
    names = list(header)
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _prose(text: str, empty: str = NOT_WRITTEN) -> list[str]:
    return [paragraphs(text) or empty]


def _fields(items: Iterable[tuple[str, str]]) -> list[str]:
    """A bullet list of `**label:** value`; values already escaped, empty ones left out."""
    return [f"- **{label}:** {value}" for label, value in items if value]


_KINDS = {kind: kind.value for kind in EntryKind}
_PINNED_KINDS = {kind: f"{kind.value} ★" for kind in EntryKind}


def _timeline(entries: Iterable[TimelineEntry], times: _Times) -> list[str]:
    """The timeline as a table: one row per entry, built in one step (a timeline can have
    100,000 entries), each author escaped once."""
    at = times.at
    authors: dict[str, str] = {}
    rows = []
    for entry in entries:
        author = authors.get(entry.author)
        if author is None:
            author = authors[entry.author] = cell(entry.author)
        kind = (_PINNED_KINDS if entry.pinned else _KINDS)[entry.kind]
        text = inline(entry.text)
        if entry.retracted_at is not None:
            text = f"~~{text}~~ *(retracted)*"
        elif entry.revisions > 0:
            text = f"{text} *(edited)*"
        rows.append(f"| {at(entry.occurred_at)} | {kind} | {author} | {text} |")
    if not rows:
        return [NONE_YET]
    header = _table([f"Time ({'UTC' if times.utc else 'local'})", "Kind", "Who", "What"], [])
    return header + rows


def key_events(record: IncidentRecord) -> list[TimelineEntry]:
    """The key events the post-mortem wizard chose (pinned entries, decisions, status and
    role changes until someone chooses), never retracted ones, in time order."""
    if record.postmortem is None:
        live = (e for e in record.timeline if not e.retracted)
        return [e for e in live if e.pinned or e.kind in KEY_EVENT_KINDS]
    return [e for e in wizard_key_events(record.postmortem, record.timeline) if not e.retracted]


def _metrics(record: IncidentRecord) -> list[str]:
    rows = [
        (inline(m.name), inline(m.text), inline(m.definition))
        for m in incident_metrics(record.incident, record.timeline)
    ]
    return _table(["Metric", "Value", "Definition"], rows)


def _header(record: IncidentRecord, times: _Times, kind: str) -> list[str]:
    incident = record.incident
    commander = next(
        (r.person for r in record.roles if r.role == "ic" and r.relieved_at is None), ""
    )
    lines = [f"# {inline(incident.ref)}: {inline(incident.title)} — {kind}", ""]
    lines += _fields(
        [
            ("Severity", inline(incident.severity)),
            ("Status", inline(incident.status.value)),
            ("Drill", "yes" if incident.drill else ""),
            ("Incident Commander", inline(commander)),
            ("Impact began", times.at(incident.started_at)),
            ("Detected", times.at(incident.detected_at) if incident.detected_at else ""),
            ("Declared", times.at(incident.declared_at)),
            ("Mitigated", times.at(incident.mitigated_at) if incident.mitigated_at else ""),
            ("Resolved", times.at(incident.resolved_at) if incident.resolved_at else ""),
            ("Closed", times.at(incident.closed_at) if incident.closed_at else ""),
        ]
    )
    if record.postmortem is not None and kind == "post-mortem":
        pm = record.postmortem
        lines += _fields(
            [
                ("Post-mortem status", inline(pm.status.value)),
                ("Facilitator", inline(pm.facilitator)),
                ("Authors", inline(pm.authors)),
                ("Attendees", inline(pm.attendees)),
            ]
        )
    return [*lines, "", f"All times are in {times.zone}."]


def _action_items(record: IncidentRecord) -> list[str]:
    if not record.action_items:
        return [NONE_YET]
    rows = []
    for number, item in enumerate(record.action_items, start=1):
        status = item.status.value
        if item.reason:
            status = f"{status}: {inline(item.reason)}"
        rows.append(
            (
                str(number),
                cell(item.title),
                item.type.value,
                item.priority.value,
                cell(item.owner),
                item.due_date.isoformat() if item.due_date else "—",
                cell(item.ticket),
                status,
            )
        )
    return _table(["#", "Action", "Type", "Priority", "Owner", "Due", "Ticket", "Status"], rows)


def _postmortem(record: IncidentRecord, config: Config, times: _Times) -> list[str]:
    sections = record.postmortem.sections if record.postmortem else {}
    lines = _header(record, times, "post-mortem")
    for key in POSTMORTEM_SECTIONS:
        lines += ["", f"## {SECTION_TITLES[key]}", "", *_prose(sections.get(key, ""))]
        if key == "impact":
            lines += ["", "### Metrics", "", *_metrics(record)]
        if key == "timeline":
            lines += ["", "### Key events", "", *_timeline(key_events(record), times)]
    lines += ["", "## Action items", "", *_action_items(record)]
    lines += ["", "## Appendix: full timeline", "", *_timeline(record.timeline, times)]
    return lines


def _roles(record: IncidentRecord, config: Config, times: _Times) -> list[str]:
    names = {role.key: role.name for role in config.roles}
    rows = [
        (
            cell(names.get(r.role, r.role)),
            cell(r.person),
            times.at(r.assigned_at),
            times.at(r.relieved_at) if r.relieved_at else "current",
        )
        for r in record.roles
    ]
    if not rows:
        return [NONE_YET]
    return _table(["Role", "Person", "Assigned", "Relieved"], rows)


def _handoffs(record: IncidentRecord, times: _Times) -> list[str]:
    lines: list[str] = []
    for handoff in record.handoffs:
        who = f"{cell(handoff.from_person)} → {cell(handoff.to_person)}"
        lines += ["", f"### {times.at(handoff.acknowledged_at)} · {who}", ""]
        lines += _prose(handoff.brief, NONE_YET)
    return ["", "## Handoffs", *lines] if lines else []


def _tasks(record: IncidentRecord, times: _Times) -> list[str]:
    rows = [
        (
            str(t.seq),
            cell(t.title),
            cell(t.owner),
            t.status.value,
            times.at(t.check_back_at),
            times.at(t.done_at),
        )
        for t in record.tasks
    ]
    if not rows:
        return [NONE_YET]
    return _table(["#", "Task", "Owner", "Status", "Check back", "Done"], rows)


def _updates(record: IncidentRecord, times: _Times) -> list[str]:
    lines: list[str] = []
    for update in record.status_updates:
        heading = f"{times.at(update.sent_at)} · {update.audience.value} · {inline(update.author)}"
        lines += ["", f"### {heading}", "", *_prose(update.body, NONE_YET)]
    return lines or ["", NONE_YET]


def _report(record: IncidentRecord, config: Config, times: _Times) -> list[str]:
    incident = record.incident
    lines = _header(record, times, "incident report")
    lines += ["", "## Summary", "", *_prose(incident.summary)]
    lines += ["", "## Impact", "", *_prose(incident.impact)]
    lines += ["", "## Metrics", "", *_metrics(record)]
    lines += ["", "## Role history", "", *_roles(record, config, times)]
    lines += _handoffs(record, times)
    lines += ["", "## Timeline", "", *_timeline(record.timeline, times)]
    lines += ["", "## Tasks", "", *_tasks(record, times)]
    lines += ["", "## Updates sent", *_updates(record, times)]
    return lines


def markdown_document(record: IncidentRecord, config: Config, *, utc: bool = True) -> str:
    """The post-mortem document if the incident has a post-mortem, else the incident
    report; all user text escaped, all times in one stated zone (UTC by default)."""
    times = _Times(utc, record.incident.declared_at)
    build = _postmortem if record.postmortem is not None else _report
    with collector_paused():  # 100,000 entries: a fifth quicker
        return "\n".join(build(record, config, times)) + "\n"


def markdown_parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough; raw HTML off, no linkify."""
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


_CSS = """
body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  color: #1b1b1b; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #333; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #bbb; margin-top: 2rem; }
h3 { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
tr:nth-child(even) td { background: #f7f7f7; }
td { overflow-wrap: anywhere; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  tr:nth-child(even) td { background: none; }
}
""".strip()


def html_document(record: IncidentRecord, config: Config, *, utc: bool = True) -> str:
    """The Markdown document rendered into one self-contained, print-friendly HTML page:
    inline CSS, no scripts, no external resources, user text escaped."""
    body = markdown_parser().render(markdown_document(record, config, utc=utc))
    incident = record.incident
    title = html.escape(f"{incident.ref}: {' '.join(incident.title.split())}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


FORMATS: dict[str, str] = {"md": "Markdown", "html": "HTML", "json": "JSON"}
EXTENSIONS: dict[str, str] = {"md": "md", "html": "html", "json": "json"}


def render(record: IncidentRecord, config: Config, fmt: str, *, utc: bool = True) -> str:
    """The record in one of FORMATS."""
    if fmt == "json":
        from icconsole.interchange import export_json

        return export_json([record])
    if fmt == "html":
        return html_document(record, config, utc=utc)
    if fmt == "md":
        return markdown_document(record, config, utc=utc)
    raise InputError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATS)})")


def default_filename(record: IncidentRecord, fmt: str) -> str:
    """`INC-2-postmortem.md`, `INC-2-report.html`, `INC-2.json`."""
    ref = record.incident.ref
    if fmt == "json":
        return f"{ref}.json"
    kind = "postmortem" if record.postmortem is not None else "report"
    return f"{ref}-{kind}.{EXTENSIONS[fmt]}"


def write_file(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write a whole document; an existing file is replaced only when `overwrite`."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    if path.exists() and not overwrite:
        raise InputError(f"{path}: already exists; use --force to replace it")
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such directory")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror}") from None
