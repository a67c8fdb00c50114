"""The cockpit (placeholder, built out by the cockpit issue)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static


class CockpitScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Home", id="cockpit.home")
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def compose(self) -> ComposeResult:
        incident = self.app.store.incident(self.incident_id)
        yield Static(Content(f"{incident.ref} {incident.title}"))
        yield Footer()
