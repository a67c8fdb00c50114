"""After the severity is raised: offer the new severity's checklist items that the
incident has no task for yet, as a checkbox list (all ticked to start with)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, SelectionList, Static
from textual.widgets.selection_list import Selection

from icconsole.config import ChecklistItem
from icconsole.errors import IcError


class ChecklistOfferScreen(ModalScreen[int]):
    """Dismisses with the number of tasks added (0 when declined or nothing was missing)."""

    DEFAULT_CSS = """
    ChecklistOfferScreen { align: center middle; }
    #checklist-dialog {
        width: 100%; max-width: 80; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    #checklist-title { text-style: bold; }
    #checklist-hint { color: $text-muted; margin-bottom: 1; }
    #checklist-items { height: auto; max-height: 16; }
    #checklist-message { height: auto; color: $text-warning; }
    #checklist-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    #checklist-buttons Button { margin-left: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "decline", "Not now", id="checklist.decline"),
        Binding("ctrl+s", "apply", "Add ticked", id="checklist.apply"),
    ]

    def __init__(self, incident_id: str, severity: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.severity = severity

    def compose(self) -> ComposeResult:
        store = self.app.store
        sev = store.config.severity(self.severity)
        self.items = store.missing_checklist(self.incident_id, sev.key)
        with Vertical(id="checklist-dialog"):
            yield Static(
                Content(f"{sev.key} checklist: {len(self.items)} item(s) not on the incident yet"),
                id="checklist-title",
            )
            yield Static(
                "Space ticks or unticks; the ticked items become tasks.", id="checklist-hint"
            )
            yield SelectionList[int](
                *(
                    Selection(Content(self._prompt(item)), index, True)
                    for index, item in enumerate(self.items)
                ),
                id="checklist-items",
            )
            yield Static("", id="checklist-message")
            with Horizontal(id="checklist-buttons"):
                yield Button("Add ticked", id="checklist-apply", variant="primary", compact=True)
                yield Button("Not now", id="checklist-decline", compact=True)
        yield Footer()

    @staticmethod
    def _prompt(item: ChecklistItem) -> str:
        if item.check_back_minutes:
            return f"{item.title} (check back in {item.check_back_minutes}m)"
        return item.title

    def on_mount(self) -> None:
        if not self.items:
            self.dismiss(0)
            return
        self.query_one(SelectionList).focus()

    @on(Button.Pressed, "#checklist-apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#checklist-decline")
    def _decline_pressed(self) -> None:
        self.action_decline()

    def action_apply(self) -> None:
        chosen = sorted(self.query_one(SelectionList).selected)
        if not chosen:
            self.dismiss(0)
            return
        try:
            added = self.app.store.apply_checklist(
                self.incident_id, self.severity, self.app.user, [self.items[i] for i in chosen]
            )
        except IcError as exc:
            self.query_one("#checklist-message", Static).update(Content(str(exc)))
            return
        self.app.notify(f"Added {len(added)} checklist task(s)", markup=False)
        self.dismiss(len(added))

    def action_decline(self) -> None:
        self.dismiss(0)
