"""The incident bar: who, what, how bad, for how long, and when the next update is due."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from icconsole import comms
from icconsole.clock import format_duration
from icconsole.config import Config
from icconsole.models import Incident, Status

SEVERITY_STYLES = {
    1: "bold #ffffff on #b71c1c",
    2: "bold #000000 on #ef6c00",
    3: "bold #000000 on #fbc02d",
}
OTHER_SEVERITY = "bold #ffffff on #1565c0"
STATUS_STYLES = {
    Status.INVESTIGATING: "bold $error",
    Status.IDENTIFIED: "bold $warning",
    Status.MITIGATED: "bold $success",
    Status.RESOLVED: "bold $success",
    Status.CLOSED: "$text-muted",
}
SEP = (" · ", "$text-muted")


def clock_text(now: datetime, utc: bool) -> str:
    """`14:30:05 UTC` or `15:30:05 local`."""
    shown = now if utc else now.astimezone()
    return f"{shown:%H:%M:%S} {'UTC' if utc else 'local'}"


def update_due(incident: Incident, now: datetime) -> tuple[str, bool]:
    """The status-update countdown and whether it is overdue (as the reminder judges it)."""
    state = comms.update_due(incident, now)
    if state.remaining is None:
        return "no update cadence", False
    if state.overdue:
        return f"⚠ UPDATE OVERDUE by {format_duration(-state.remaining)}", True
    return f"next update in {format_duration(state.remaining)}", False


def bar_content(
    incident: Incident, commander: str | None, now: datetime, utc: bool, config: Config
) -> Content:
    """Two lines: the incident itself, then the IC, the clocks and the update countdown."""
    level = next((s.level for s in config.severities if s.key == incident.severity), 99)
    end = incident.resolved_at or now
    elapsed_label = "duration" if incident.resolved_at else "elapsed"
    due_text, overdue = update_due(incident, now)
    return Content.assemble(
        (incident.ref, "bold"),
        " ",
        (f" {incident.severity} ", SEVERITY_STYLES.get(level, OTHER_SEVERITY)),
        " ",
        (incident.status.value.upper(), STATUS_STYLES[incident.status]),
        *((" ", (" DRILL ", "reverse")) if incident.drill else ()),
        SEP,
        (incident.title, "bold"),
        "\n",
        ("IC ", "$text-muted"),
        (commander or "—", "bold"),
        SEP,
        (f"{elapsed_label} ", "$text-muted"),
        (format_duration(end - incident.started_at), "bold"),
        SEP,
        clock_text(now, utc),
        SEP,
        (due_text, "bold $text-error on $error-muted" if overdue else ""),
    )


class IncidentBar(Static):
    """Shows `bar_content`; the screen calls `show` on every reload and every second."""

    DEFAULT_CSS = """
    IncidentBar {
        height: 2; padding: 0 1; background: $panel;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def show(
        self,
        incident: Incident,
        commander: str | None,
        now: datetime,
        utc: bool,
        config: Config,
    ) -> None:
        self.update(bar_content(incident, commander, now, utc, config), layout=False)
