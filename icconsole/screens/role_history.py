"""Who held each role, from when to when: assignments are never overwritten, so the
history is every row of the incident's role assignments."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from icconsole.clock import format_short
from icconsole.config import COMMANDER, RoleDef
from icconsole.models import RoleAssignment

HOLDING = "now"


class RoleHistoryScreen(ModalScreen[None]):
    """Per role (or one role), each holder with the time they took it and were relieved."""

    DEFAULT_CSS = """
    RoleHistoryScreen { align: center middle; }
    #role-history-dialog {
        width: 100%; max-width: 90; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    #role-history-title { text-style: bold; margin-bottom: 1; }
    #role-history-table { height: auto; max-height: 30; }
    #role-history-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="role_history.close"),
    ]

    def __init__(self, incident_id: str, role_key: str | None = None) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.role_key = role_key

    def _roles(self) -> list[RoleDef]:
        config = self.app.store.config
        if self.role_key:
            return [config.role(self.role_key)]
        return list(config.active_roles)

    def _at(self, value: datetime) -> str:
        shown = value if self.app.store.config.utc else value.astimezone()
        now = self.app.store.now()
        today = (now if self.app.store.config.utc else now.astimezone()).date()
        return shown.strftime("%H:%M" if shown.date() == today else "%m-%d %H:%M")

    def compose(self) -> ComposeResult:
        incident = self.app.store.incident(self.incident_id)
        roles = self._roles()
        what = roles[0].name if self.role_key else "every role"
        with Vertical(id="role-history-dialog"):
            yield Static(
                Content(f"Role history · {incident.ref} · {what}"), id="role-history-title"
            )
            yield DataTable(id="role-history-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Times are when each holder took the role and was relieved; "
                "a role nobody holds is held by the IC.",
                id="role-history-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Role", "Holder", "From", "To", "Held")
        history = self.app.store.roles(self.incident_id, current_only=False)
        now = self.app.store.now()
        for role in self._roles():
            rows = [a for a in history if a.role == role.key]
            if not rows:
                who = "—" if role.key == COMMANDER else "— (the IC holds it)"
                table.add_row(Text(role.name), Text(who, style="dim"), "", "", "")
                continue
            for index, assignment in enumerate(rows):
                table.add_row(*self._cells(role, assignment, now, first=index == 0))
        table.focus()

    def _cells(
        self, role: RoleDef, assignment: RoleAssignment, now: datetime, first: bool
    ) -> tuple[Text, ...]:
        end = assignment.relieved_at or now
        holding = assignment.relieved_at is None
        return (
            Text(role.name if first else ""),
            Text(assignment.person, style="bold" if holding else ""),
            Text(self._at(assignment.assigned_at)),
            Text(HOLDING if holding else self._at(end), style="bold" if holding else ""),
            Text(format_short(end - assignment.assigned_at)),
        )

    def action_close(self) -> None:
        self.dismiss(None)
