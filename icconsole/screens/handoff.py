"""Transfer of command: name the incoming IC, edit the pre-filled brief, copy it, and
move command only once the incoming IC has confirmed "I have command"."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static, TextArea

from icconsole.errors import IcError
from icconsole.handoff import brief_for
from icconsole.sanitize import clean_line


class HandoffScreen(ModalScreen[bool]):
    """The handoff ceremony. Dismisses True once command has moved, else False."""

    DEFAULT_CSS = """
    HandoffScreen { align: center middle; }
    #handoff-dialog {
        width: 100%; max-width: 110; height: 100%; max-height: 44;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    #handoff-title { text-style: bold; }
    #handoff-to-row { height: 1; margin-top: 1; }
    #handoff-from { width: auto; padding-right: 1; }
    #handoff-to { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    #handoff-brief-label { margin-top: 1; color: $text-muted; }
    #handoff-brief { height: 1fr; min-height: 4; }
    #handoff-ack { width: 100%; margin-top: 1; }
    #handoff-message { height: auto; color: $text-warning; }
    #handoff-buttons { height: auto; align-horizontal: right; }
    #handoff-buttons Button { margin-left: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="handoff.cancel"),
        Binding("ctrl+b", "copy_brief", "Copy brief", id="handoff.copy"),
        Binding("ctrl+t", "transfer", "Transfer command", id="handoff.transfer"),
    ]

    def __init__(self, incident_id: str, to_person: str | None = None) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.to_person = clean_line(to_person or "")
        self._generated = ""

    @property
    def store(self):
        return self.app.store

    def compose(self) -> ComposeResult:
        incident = self.store.incident(self.incident_id)
        outgoing = self.store.commander(self.incident_id) or "—"
        self._generated = brief_for(self.store, self.incident_id, self.to_person or None)
        names = [name for name in self.store.people() if name != outgoing]
        with Vertical(id="handoff-dialog"):
            yield Static(
                Content(f"Transfer of command · {incident.ref} · {incident.title}"),
                id="handoff-title",
            )
            with Horizontal(id="handoff-to-row"):
                yield Label(Content(f"From {outgoing} to"), id="handoff-from")
                yield Input(
                    self.to_person,
                    placeholder="incoming IC (→ completes names seen before)",
                    suggester=SuggestFromList(names, case_sensitive=False),
                    id="handoff-to",
                )
            yield Label(
                "Brief, pre-filled from the record (edit before handing over):",
                id="handoff-brief-label",
            )
            yield TextArea(self._generated, id="handoff-brief", soft_wrap=True)
            yield Checkbox(
                self._ack_label(), id="handoff-ack", disabled=not self.to_person, compact=True
            )
            yield Static("", id="handoff-message")
            with Horizontal(id="handoff-buttons"):
                yield Button("Copy brief", id="handoff-copy", compact=True)
                yield Button(
                    "Transfer command",
                    id="handoff-transfer",
                    variant="warning",
                    disabled=True,
                    compact=True,
                )
                yield Button("Cancel", id="handoff-cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        target = "#handoff-brief" if self.to_person else "#handoff-to"
        self.query_one(target).focus()

    # ------------------------------------------------------------------ state

    @property
    def incoming(self) -> str:
        return clean_line(self.query_one("#handoff-to", Input).value)

    @property
    def brief(self) -> str:
        return self.query_one("#handoff-brief", TextArea).text

    @property
    def acknowledged(self) -> bool:
        return self.query_one("#handoff-ack", Checkbox).value

    def _ack_label(self, name: str | None = None) -> Content:
        name = self.to_person if name is None else name
        if not name:
            return Content("The incoming IC confirms: I have command (name them first)")
        return Content(f'{name} confirms: "I have command"')

    def _say(self, text: str) -> None:
        self.query_one("#handoff-message", Static).update(Content(text))

    def _refresh_transfer_button(self) -> None:
        ready = bool(self.incoming) and self.acknowledged
        self.query_one("#handoff-transfer", Button).disabled = not ready

    @on(Input.Changed, "#handoff-to")
    def _name_changed(self, event: Input.Changed) -> None:
        """A new name needs a new acknowledgement; an unedited brief follows the name."""
        name = self.incoming
        ack = self.query_one("#handoff-ack", Checkbox)
        ack.value = False
        ack.disabled = not name
        ack.label = self._ack_label(name)
        area = self.query_one("#handoff-brief", TextArea)
        if area.text == self._generated:
            self._generated = brief_for(self.store, self.incident_id, name or None)
            area.text = self._generated
        self._refresh_transfer_button()

    @on(Input.Submitted, "#handoff-to")
    def _name_submitted(self) -> None:
        self.focus_next()

    @on(Checkbox.Changed, "#handoff-ack")
    def _ack_changed(self) -> None:
        self._refresh_transfer_button()

    @on(Button.Pressed, "#handoff-copy")
    def _copy_pressed(self) -> None:
        self.action_copy_brief()

    @on(Button.Pressed, "#handoff-transfer")
    def _transfer_pressed(self) -> None:
        self.action_transfer()

    @on(Button.Pressed, "#handoff-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # ---------------------------------------------------------------- actions

    def action_copy_brief(self) -> None:
        if self.app.copy_text(self.brief):
            self._say("Brief copied to the clipboard.")
        else:
            self._say(
                "Brief sent to the terminal's clipboard (OSC 52); no local clipboard was "
                "found, so check it arrived before relying on it."
            )

    def action_transfer(self) -> None:
        name = self.incoming
        if not name:
            self._say("Name the incoming IC first.")
            self.query_one("#handoff-to", Input).focus()
            return
        if not self.acknowledged:
            self._say(f'{name} must confirm "I have command" before command moves.')
            self.query_one("#handoff-ack", Checkbox).focus()
            return
        if not self.brief.strip():
            self._say("The brief is empty: the incoming IC needs one.")
            return
        try:
            handoff = self.store.transfer_command(self.incident_id, name, self.brief, self.app.user)
        except IcError as exc:
            self._say(str(exc))
            return
        self.app.notify(
            f"Command transferred from {handoff.from_person or '—'} to {handoff.to_person}",
            markup=False,
        )
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
