"""Export one incident: preview the document, choose Markdown, HTML or JSON, write it to a
file (an existing file needs confirmation) or copy it to the clipboard."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Footer, Label, Markdown, Tab, Tabs, TextArea

from icconsole.errors import IcError
from icconsole.export import FORMATS, default_filename, markdown_parser, render, write_file
from icconsole.models import IncidentRecord
from icconsole.screens.pickers import OptionPicker, TextPrompt, confirm_choices

# The preview shows at most this many lines; the file and the clipboard get everything.
PREVIEW_LINES = 400
COPIED = "Copied to the clipboard."
NO_LOCAL_CLIPBOARD = (
    "No local clipboard was reached; the text went to the terminal's clipboard (OSC 52), "
    "which only works where the terminal allows it. Write it to a file instead."
)


def _preview(text: str) -> tuple[str, bool]:
    lines = text.split("\n")
    if len(lines) <= PREVIEW_LINES:
        return text, False
    return "\n".join(lines[:PREVIEW_LINES]), True


class ExportScreen(ModalScreen[bool]):
    """Export `incident_id`; dismisses False (exporting changes nothing in the file)."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > #export {
        width: 100%; height: 100%; max-width: 160;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ExportScreen Tabs { height: 2; }
    ExportScreen #export-note { color: $text-muted; height: auto; }
    ExportScreen #panes { height: 1fr; }
    ExportScreen #raw { height: 1fr; }
    ExportScreen #message { height: auto; max-height: 3; color: $text-muted; }
    ExportScreen #message.-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "format('md')", "Markdown", id="export.markdown"),
        Binding("h", "format('html')", "HTML", id="export.html"),
        Binding("j", "format('json')", "JSON", id="export.json"),
        Binding("w", "write", "Write file", id="export.write"),
        Binding("c", "copy", "Copy", id="export.copy"),
        Binding("escape", "close", "Close", id="export.close"),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.fmt = "md"
        self.record: IncidentRecord | None = None
        self.texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="export") as box:
            box.border_title = "Export"
            yield Tabs(*(Tab(name, id=f"fmt-{key}") for key, name in FORMATS.items()))
            yield Label("", id="export-note", markup=False)
            with ContentSwitcher(initial="rendered", id="panes"):
                with VerticalScroll(id="rendered"):
                    yield Markdown("", open_links=False, parser_factory=markdown_parser)
                yield TextArea("", id="raw", read_only=True, soft_wrap=False)
            yield Label("", id="message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="export-load")
    def load(self) -> None:
        """Read the record off the event loop; a big timeline takes a moment."""
        store = self.app.store
        try:
            record = store.record(self.incident_id)
            text = render(record, store.config, "md")
        except IcError as exc:
            self.app.call_from_thread(self.say, str(exc), True)
            return
        self.app.call_from_thread(self._loaded, record, text)

    def _loaded(self, record: IncidentRecord, text: str) -> None:
        self.record = record
        self.texts["md"] = text
        kind = "post-mortem" if record.postmortem is not None else "incident report"
        box = self.query_one("#export")
        box.border_title = Content(f"Export {record.incident.ref} — {kind}")
        self.show()

    def text(self, fmt: str) -> str:
        """The document in `fmt`, rendered once."""
        if fmt not in self.texts and self.record is not None:
            self.texts[fmt] = render(self.record, self.app.store.config, fmt)
        return self.texts.get(fmt, "")

    def show(self) -> None:
        """Preview the chosen format: Markdown rendered, HTML and JSON as text."""
        if self.record is None:
            return
        text = self.text(self.fmt)
        shown, cut = _preview(text)
        size = f"{len(text.encode()):,} bytes"
        note = f"{FORMATS[self.fmt]} · {size} · all times in UTC"
        if cut:
            note += f" · preview shows the first {PREVIEW_LINES} lines; the file has all"
        self.query_one("#export-note", Label).update(Content(note))
        switcher = self.query_one(ContentSwitcher)
        if self.fmt == "md":
            switcher.current = "rendered"
            self.query_one(Markdown).update(shown)
        else:
            switcher.current = "raw"
            self.query_one(TextArea).load_text(shown)

    def say(self, message: str, error: bool = False) -> None:
        label = self.query_one("#message", Label)
        label.update(Content(message))
        label.set_class(error, "-error")

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        event.stop()
        fmt = (event.tab.id or "fmt-md").removeprefix("fmt-")
        if fmt != self.fmt:
            self.fmt = fmt
            self.show()

    def action_format(self, fmt: str) -> None:
        self.query_one(Tabs).active = f"fmt-{fmt}"

    def action_copy(self) -> None:
        if self.record is None:
            return
        if self.app.copy_text(self.text(self.fmt)):
            self.say(COPIED)
            self.notify(COPIED, markup=False)
        else:
            self.say(NO_LOCAL_CLIPBOARD, error=True)
            self.notify(NO_LOCAL_CLIPBOARD, severity="warning", markup=False)

    def action_write(self) -> None:
        if self.record is None:
            return
        fmt = self.fmt

        def chosen(answer: str | None) -> None:
            if answer:
                self._confirm_and_write(Path(answer).expanduser(), fmt)

        self.app.push_screen(
            TextPrompt(
                f"Write {FORMATS[fmt]} to",
                value=default_filename(self.record, fmt),
                note=f"Relative to {Path.cwd()}",
            ),
            chosen,
        )

    def _confirm_and_write(self, path: Path, fmt: str) -> None:
        if not path.exists() or path.is_dir():
            self._write(path, fmt, overwrite=False)
            return

        def answered(answer: str | None) -> None:
            if answer == "yes":
                self._write(path, fmt, overwrite=True)
            else:
                self.say("Nothing written.")

        self.app.push_screen(
            OptionPicker(
                "File exists",
                confirm_choices("Replace it", "Keep it, write nothing"),
                note=f"{path} already exists.",
            ),
            answered,
        )

    def _write(self, path: Path, fmt: str, *, overwrite: bool) -> None:
        try:
            write_file(path, self.text(fmt), overwrite=overwrite)
        except IcError as exc:
            self.say(str(exc), error=True)
            return
        self.say(f"Wrote {path}")
        self.notify(f"Wrote {path}", markup=False)

    def action_close(self) -> None:
        self.dismiss(False)
