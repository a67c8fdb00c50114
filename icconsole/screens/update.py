"""The status-update composer: pick a template, edit the filled text, preview, copy it,
and mark it sent (stored, logged as `comms`, and the update cadence restarts)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static, Tab, Tabs, TextArea

from icconsole import comms
from icconsole.errors import IcError

WIDE = 110
COPIED = "Copied to the clipboard."
NO_LOCAL_CLIPBOARD = (
    "No local clipboard was reached: the text went to the terminal's clipboard (OSC 52), "
    "which works only where the terminal allows it. The text stays here until you mark it sent."
)


class UpdateComposerScreen(ModalScreen[bool]):
    """Write a status update for `incident_id`; dismisses True once one is marked sent."""

    DEFAULT_CSS = """
    UpdateComposerScreen { align: center middle; }
    UpdateComposerScreen > #composer {
        width: 100%; height: 100%; max-width: 160; max-height: 48;
        border: round $accent; background: $surface; padding: 0 1;
    }
    UpdateComposerScreen Tabs { height: 2; }
    UpdateComposerScreen #audience-note { color: $text-muted; height: 1; }
    UpdateComposerScreen #panes { height: 1fr; }
    UpdateComposerScreen #editor { width: 1fr; height: 100%; }
    UpdateComposerScreen #preview-pane {
        width: 1fr; height: 100%; display: none;
        border: round $primary; padding: 0 1;
    }
    UpdateComposerScreen.-preview #editor { display: none; }
    UpdateComposerScreen.-preview #preview-pane { display: block; }
    UpdateComposerScreen.-wide #editor { display: block; }
    UpdateComposerScreen.-wide #preview-pane { display: block; margin-left: 1; }
    UpdateComposerScreen #message { width: 100%; height: auto; max-height: 3; color: $text-muted; }
    UpdateComposerScreen #message.-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "next_template", "Template", id="update.template"),
        Binding("ctrl+r", "toggle_preview", "Preview", id="update.preview"),
        Binding("ctrl+b", "copy", "Copy", id="update.copy"),
        Binding("ctrl+s", "send", "Mark sent", id="update.send"),
        Binding("escape", "cancel", "Cancel", id="update.cancel"),
    ]

    def __init__(self, incident_id: str, template: str = "internal") -> None:
        super().__init__()
        self.incident_id = incident_id
        self.template = comms.template_name(template)
        self.filled: dict[str, str] = {}
        self.drafts: dict[str, str] = {}
        self.discard_warned = False

    def compose(self) -> ComposeResult:
        store = self.app.store
        incident = store.incident(self.incident_id)
        record = comms.update_record(store, incident.id)
        now = store.now()
        self.filled = {
            name: comms.draft(record, store.config, name, now) for name in comms.TEMPLATE_NAMES
        }
        with Vertical(id="composer") as box:
            box.border_title = Content(f"Status update · {incident.ref} · {incident.title}")
            yield Tabs(
                *(Tab(comms.TEMPLATE_LABELS[name], id=name) for name in comms.TEMPLATE_NAMES),
                active=self.template,
            )
            yield Label("", id="audience-note", markup=False)
            with Horizontal(id="panes"):
                yield TextArea(self.filled[self.template], id="editor", soft_wrap=True)
                with VerticalScroll(id="preview-pane"):
                    yield Static("", id="preview", markup=False)
            yield Label("", id="message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show_template()
        self.query_one("#editor", TextArea).focus()

    @on(Resize)
    def _layout(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The preview toggle is only needed when editor and preview do not fit side by side."""
        return not (action == "toggle_preview" and self.has_class("-wide"))

    @property
    def text(self) -> str:
        return self.query_one("#editor", TextArea).text

    def _show_template(self) -> None:
        audience = comms.template_audience(self.template)
        note = f"Audience: {audience.value} · template: {comms.TEMPLATE_LABELS[self.template]}"
        self.query_one("#audience-note", Label).update(Content(note))
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        body = self.text.strip()
        lines = len(body.splitlines())
        header = Content.assemble(
            ("Preview", "bold"),
            (f" · {lines} lines · {len(body)} characters", "$text-muted"),
            "\n\n",
        )
        self.query_one("#preview", Static).update(header + Content(body))
        preview = self.query_one("#preview-pane", VerticalScroll)
        preview.border_title = Content(comms.TEMPLATE_LABELS[self.template])

    def _say(self, message: str, error: bool = False) -> None:
        label = self.query_one("#message", Label)
        label.update(Content(message))
        label.set_class(error, "-error")

    @on(TextArea.Changed, "#editor")
    def _edited(self, event: TextArea.Changed) -> None:
        self.drafts[self.template] = event.text_area.text
        self.discard_warned = False
        self._refresh_preview()

    @on(Tabs.TabActivated)
    def _switch(self, event: Tabs.TabActivated) -> None:
        event.stop()
        name = event.tab.id or self.template
        if name == self.template:
            return
        self.drafts[self.template] = self.text
        self.template = name
        editor = self.query_one("#editor", TextArea)
        editor.load_text(self.drafts.get(name, self.filled[name]))
        self._show_template()
        self._say("")

    def action_next_template(self) -> None:
        names = comms.TEMPLATE_NAMES
        following = names[(names.index(self.template) + 1) % len(names)]
        self.query_one(Tabs).active = following

    def action_toggle_preview(self) -> None:
        self.toggle_class("-preview")
        if not self.has_class("-preview"):
            self.query_one("#editor", TextArea).focus()

    def action_copy(self) -> None:
        text = self.text.strip()
        if not text:
            self._say("Nothing to copy: the update is empty.", error=True)
            return
        self._say(COPIED if self.app.copy_text(text) else NO_LOCAL_CLIPBOARD)

    def action_send(self) -> None:
        store = self.app.store
        audience = comms.template_audience(self.template)
        try:
            store.record_update(self.incident_id, audience, self.text, self.app.user)
        except IcError as exc:
            self._say(str(exc), error=True)
            return
        incident = store.incident(self.incident_id)
        message = f"{audience.value.capitalize()} update recorded for {incident.ref}"
        if incident.next_update_due is not None:
            due = comms.format_when(incident.next_update_due, store.now(), store.config.utc)
            message += f"; next update due {due}"
        self.app.notify(message, title="Status update", markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        edited = any(self.drafts.get(name, text) != text for name, text in self.filled.items())
        if edited and not self.discard_warned:
            self.discard_warned = True
            self._say("Unsent edits will be lost: press Escape again to discard them.", True)
            return
        self.dismiss(False)
