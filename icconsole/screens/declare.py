"""The declare dialog: title, severity, summary, commander, drill; errors shown inline."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static

from icconsole.config import SeverityDef
from icconsole.errors import IcError
from icconsole.models import Incident

# Which field an error message from the store is about, by its first word(s).
ERROR_FIELDS = {
    "title": "#declare-title",
    "summary": "#declare-summary",
    "commander": "#declare-commander",
    "unknown severity": "#declare-severity",
}


def severity_prompt(severity: SeverityDef) -> Content:
    """The option line: `SEV1  Critical: customer-facing outage…` (config text, literal)."""
    return Content.assemble((severity.key, "bold"), "  ", severity.description)


def severity_details(severity: SeverityDef) -> Content:
    """What choosing this severity sets up: update cadence and checklist size."""
    cadence = (
        f"status update every {severity.cadence_minutes} min"
        if severity.cadence_minutes
        else "no update cadence"
    )
    tasks = len(severity.checklist)
    noun = "task" if tasks == 1 else "tasks"
    return Content(f"{cadence} · {tasks} checklist {noun} added")


def error_field(message: str) -> str | None:
    """The selector of the field an error message is about, if any."""
    for prefix, selector in ERROR_FIELDS.items():
        if message.startswith(prefix):
            return selector
    return None


class DeclareScreen(ModalScreen[Incident | None]):
    """Declare an incident. Dismisses with the new Incident, or None when cancelled."""

    BINDING_GROUP_TITLE = "Declare"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Declare", id="declare.submit"),
        Binding("escape", "cancel", "Cancel", id="declare.cancel"),
    ]

    DEFAULT_CSS = """
    DeclareScreen {
        align: center middle;
    }
    #declare-dialog {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    #declare-dialog .field {
        height: auto;
    }
    #declare-dialog .field > Label {
        width: 11;
        padding: 1 1 0 0;
        text-style: bold;
    }
    #declare-dialog Input, #declare-dialog Select {
        width: 1fr;
    }
    #declare-severity SelectCurrent Static#label {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #declare-details {
        padding: 0 0 0 11;
        color: $text-muted;
    }
    #declare-drill {
        width: auto;
    }
    #declare-error {
        display: none;
        color: $text-error;
        text-style: bold;
        padding: 0 0 0 11;
    }
    #declare-error.-shown {
        display: block;
    }
    """

    def compose(self) -> ComposeResult:
        config = self.app.store.config
        options = [(severity_prompt(sev), sev.key) for sev in config.severities]
        default = config.severity(config.default_severity)
        with Vertical(id="declare-dialog") as dialog:
            dialog.border_title = "Declare an incident"
            dialog.border_subtitle = "enter/ctrl+s declare · esc cancel"
            with Horizontal(classes="field"):
                yield Label("Title")
                yield Input(placeholder="What is broken, as users see it", id="declare-title")
            with Horizontal(classes="field"):
                yield Label("Severity")
                yield Select(options, value=default.key, allow_blank=False, id="declare-severity")
            yield Static(severity_details(default), id="declare-details")
            with Horizontal(classes="field"):
                yield Label("Summary")
                yield Input(placeholder="Impact and what is known so far", id="declare-summary")
            with Horizontal(classes="field"):
                yield Label("Commander")
                yield Input(self.app.user, id="declare-commander")
                yield Checkbox("Drill", id="declare-drill")
            yield Static("", id="declare-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#declare-title", Input).focus()

    @on(Select.Changed, "#declare-severity")
    def _severity_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            severity = self.app.store.config.severity(event.value)
            self.query_one("#declare-details", Static).update(severity_details(severity))

    @on(Input.Submitted)
    def _entered(self) -> None:
        self.action_submit()

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    def action_submit(self) -> None:
        """Declare with what was typed; on a mistake show why and keep every field."""
        severity = self.query_one("#declare-severity", Select).value
        try:
            incident = self.app.store.declare(
                title=self.query_one("#declare-title", Input).value,
                severity=severity if isinstance(severity, str) else None,
                commander=self.query_one("#declare-commander", Input).value,
                summary=self.query_one("#declare-summary", Input).value,
                drill=self.query_one("#declare-drill", Checkbox).value,
                author=self.app.user,
            )
        except IcError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(incident)

    def show_error(self, message: str) -> None:
        """Show `message` under the fields and focus the field it is about."""
        error = self.query_one("#declare-error", Static)
        error.update(Content(message[:1].upper() + message[1:]))
        error.add_class("-shown")
        selector = error_field(message)
        if selector:
            field = self.query_one(selector)
            field.add_class("-invalid")
            field.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
