"""The action-item form: add or edit one item; saved through the store, errors shown inline."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from icconsole.clock import parse_date
from icconsole.errors import IcError
from icconsole.models import ActionItem, ActionStatus, ActionType, Priority
from icconsole.store import new_id


class ActionItemForm(ModalScreen[ActionItem | None]):
    """Title, type, priority, owner, due date, ticket, status and (for won't do) a reason."""

    DEFAULT_CSS = """
    ActionItemForm { align: center middle; }
    ActionItemForm > Vertical {
        width: 72; max-width: 98%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ActionItemForm Grid {
        grid-size: 2; grid-columns: 10 1fr; grid-rows: 1; grid-gutter: 0 1; height: auto;
    }
    ActionItemForm Label { color: $text-muted; }
    ActionItemForm #form-error { color: $error; height: auto; margin-top: 1; }
    ActionItemForm #form-buttons { height: 1; margin-top: 1; align-horizontal: right; }
    ActionItemForm Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="action_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="action_form.save", priority=True),
        # Ahead of the keys typed after Tab, so "title<Tab><Tab><Tab>owner" fills two fields.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(self, incident_id: str, item: ActionItem | None = None) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical() as box:
            box.border_title = Content("Edit action item" if item else "New action item")
            with Grid():
                yield Label("Title")
                yield Input(item.title if item else "", id="title", compact=True)
                yield Label("Type")
                yield Select(
                    [(t.value, t.value) for t in ActionType],
                    value=(item.type if item else ActionType.PREVENT).value,
                    allow_blank=False,
                    id="type",
                    compact=True,
                )
                yield Label("Priority")
                yield Select(
                    [(p.value, p.value) for p in Priority],
                    value=(item.priority if item else Priority.P2).value,
                    allow_blank=False,
                    id="priority",
                    compact=True,
                )
                yield Label("Owner")
                yield Input((item.owner or "") if item else "", id="owner", compact=True)
                yield Label("Due")
                due = item.due_date.isoformat() if item and item.due_date else ""
                yield Input(due, placeholder="YYYY-MM-DD", id="due", compact=True)
                yield Label("Ticket")
                yield Input((item.ticket or "") if item else "", id="ticket", compact=True)
                yield Label("Status")
                yield Select(
                    [(s.value, s.value) for s in ActionStatus],
                    value=(item.status if item else ActionStatus.OPEN).value,
                    allow_blank=False,
                    id="status",
                    compact=True,
                )
                yield Label("Reason")
                yield Input(
                    item.reason if item else "",
                    placeholder="needed for won't do",
                    id="reason",
                    compact=True,
                )
            yield Label("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Save ^s", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _choice(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def _build(self) -> ActionItem:
        now = self.app.store.now()
        due = self._value("due").strip()
        fields = {
            "incident_id": self.incident_id,
            "title": self._value("title"),
            "type": self._choice("type"),
            "priority": self._choice("priority"),
            "owner": self._value("owner").strip() or None,
            "due_date": parse_date(due) if due else None,
            "ticket": self._value("ticket").strip() or None,
            "status": self._choice("status"),
            "reason": self._value("reason"),
            "updated_at": now,
        }
        if self.item is None:
            return ActionItem.validated(id=new_id(), created_at=now, **fields)
        return ActionItem.validated(**{**self.item.values(), **fields})

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self.query_one("#form-error", Label)
        try:
            saved = self.app.store.save_action_item(self._build())
        except IcError as exc:
            error.update(Content(str(exc)))
            return
        self.dismiss(saved)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
