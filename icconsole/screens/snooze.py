"""Snooze the overdue status-update reminder for 5, 10 or 15 minutes (logged on the
timeline by the store)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from icconsole.comms import SNOOZE_CHOICES
from icconsole.errors import IcError


class SnoozeScreen(ModalScreen[int | None]):
    """Pick a snooze; dismisses with the minutes once stored, None on Escape."""

    DEFAULT_CSS = """
    SnoozeScreen { align: center middle; }
    SnoozeScreen > Vertical {
        width: 48; max-width: 95%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    SnoozeScreen #snooze-note { width: 100%; color: $text-muted; margin-bottom: 1; }
    SnoozeScreen #snooze-error { width: 100%; color: $error; height: auto; }
    SnoozeScreen OptionList { height: auto; border: none; padding: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="snooze.cancel")
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Snooze the update reminder")
            yield Label(
                "The snooze is logged on the timeline. Sending an update is better.",
                id="snooze-note",
                markup=False,
            )
            yield OptionList(
                *(Option(Content(f"{m} minutes"), id=str(m)) for m in SNOOZE_CHOICES),
                markup=False,
            )
            yield Label("", id="snooze-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        minutes = int(event.option_id or SNOOZE_CHOICES[0])
        try:
            self.app.store.snooze_update(self.incident_id, minutes, self.app.user)
        except IcError as exc:
            self.query_one("#snooze-error", Label).update(Content(str(exc)))
            return
        self.dismiss(minutes)

    def action_cancel(self) -> None:
        self.dismiss(None)
