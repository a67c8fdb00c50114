"""Edit one task: title, owner, status, and "back in N minutes" (the check-back time)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, Static

from icconsole.clock import format_short
from icconsole.errors import IcError, InputError
from icconsole.models import TaskStatus
from icconsole.sanitize import clean_line

MAX_CHECK_BACK_MINUTES = 24 * 60


def check_back_in(text: str, now: datetime) -> datetime | None:
    """ "back in N minutes" as a time; 0 clears the check-back (None)."""
    raw = text.strip()
    if not raw.isdigit():
        raise InputError(f"check back in how many minutes? {raw!r} is not a whole number")
    minutes = int(raw)
    if minutes > MAX_CHECK_BACK_MINUTES:
        raise InputError(f"check back within {MAX_CHECK_BACK_MINUTES} minutes (a day)")
    return now + timedelta(minutes=minutes) if minutes else None


class TaskEditScreen(ModalScreen[bool]):
    """Dismisses True when something was saved."""

    DEFAULT_CSS = """
    TaskEditScreen { align: center middle; }
    #task-edit-dialog {
        width: 100%; max-width: 76; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    #task-edit-dialog Label { margin-top: 1; color: $text-muted; }
    #task-edit-dialog Input { background: $boost; }
    #task-edit-status { layout: horizontal; height: auto; width: 100%; }
    #task-edit-message { height: auto; color: $text-warning; }
    #task-edit-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    #task-edit-buttons Button { margin-left: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="task_edit.cancel"),
        Binding("ctrl+s", "save", "Save", id="task_edit.save"),
    ]

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id

    def compose(self) -> ComposeResult:
        store = self.app.store
        task = store.task(self.task_id)
        with Vertical(id="task-edit-dialog"):
            yield Static(Content(f"Task {task.seq}: {task.title}"), id="task-edit-title")
            yield Label("Title")
            yield Input(task.title, id="task-edit-name", compact=True)
            yield Label("Owner (→ completes names seen before)")
            yield Input(
                task.owner or "",
                placeholder="nobody yet",
                suggester=SuggestFromList(store.people(), case_sensitive=False),
                id="task-edit-owner",
                compact=True,
            )
            yield Label("Status")
            with RadioSet(id="task-edit-status", compact=True):
                for status in TaskStatus:
                    yield RadioButton(status.value, value=status == task.status)
            yield Label(Content(f"Check back: {self._current_check_back(task.check_back_at)}"))
            yield Input(
                placeholder="back in N minutes (empty keeps it, 0 clears it)",
                type="integer",
                id="task-edit-minutes",
                compact=True,
            )
            yield Static("", id="task-edit-message")
            with Horizontal(id="task-edit-buttons"):
                yield Button("Save", id="task-edit-save", variant="primary", compact=True)
                yield Button("Cancel", id="task-edit-cancel", compact=True)
        yield Footer()

    def _current_check_back(self, at: datetime | None) -> str:
        if at is None:
            return "none"
        now = self.app.store.now()
        shown = at if self.app.store.config.utc else at.astimezone()
        when = (
            "in " + format_short(at - now) if at >= now else "OVERDUE by " + format_short(now - at)
        )
        return f"{shown:%H:%M} ({when})"

    def on_mount(self) -> None:
        self.query_one("#task-edit-owner", Input).focus()

    def _status(self) -> TaskStatus:
        index = self.query_one(RadioSet).pressed_index
        return list(TaskStatus)[index] if index >= 0 else self.app.store.task(self.task_id).status

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#task-edit-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#task-edit-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _changes(self) -> dict[str, Any]:
        store = self.app.store
        task = store.task(self.task_id)
        title = clean_line(self.query_one("#task-edit-name", Input).value)
        if not title:
            raise InputError("the task needs a title")
        owner = clean_line(self.query_one("#task-edit-owner", Input).value) or None
        fields: dict[str, Any] = {}
        if title != task.title:
            fields["title"] = title
        if owner != task.owner:
            fields["owner"] = owner
        minutes = self.query_one("#task-edit-minutes", Input).value.strip()
        if minutes:
            check_back = check_back_in(minutes, store.now())
            if check_back != task.check_back_at:
                fields["check_back_at"] = check_back
        return fields

    def action_save(self) -> None:
        store = self.app.store
        try:
            fields = self._changes()
            status = self._status()
            changed = bool(fields) or status != store.task(self.task_id).status
            if fields:
                store.update_task(self.task_id, self.app.user, **fields)
            if status != store.task(self.task_id).status:
                store.set_task_status(self.task_id, status, self.app.user)
        except IcError as exc:
            self.query_one("#task-edit-message", Static).update(Content(str(exc)))
            return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(False)
