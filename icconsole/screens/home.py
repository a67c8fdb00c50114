"""Home: the incident list (placeholder, built out by the cockpit issue)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit", id="home.quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", id="incidents")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Ref", "Severity", "Status", "Title")
        for incident in self.app.store.incidents():
            table.add_row(
                incident.ref,
                incident.severity,
                incident.status.value,
                incident.title,
                key=incident.id,
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_incident(event.row_key.value)
