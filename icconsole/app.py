"""The Textual application: home screen and cockpit over one Store."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from icconsole.store import Store


class IcConsoleApp(App[None]):
    """IC Console."""

    TITLE = "IC Console"
    BINDINGS: ClassVar = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, store: Store, user: str, incident_id: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.user = user
        self.incident_id = incident_id

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable(cursor_type="row")
        table.add_columns("Ref", "Severity", "Status", "Title")
        for incident in self.store.incidents():
            table.add_row(incident.ref, incident.severity, incident.status.value, incident.title)
        yield table
        yield Footer()
