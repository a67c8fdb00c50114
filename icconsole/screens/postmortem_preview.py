"""The post-mortem as the exported Markdown document, rendered inside the TUI."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from icconsole.errors import IcError

APPENDIX = "## Appendix: full timeline"
# The Markdown widget takes seconds per thousand table rows: the preview shows this many
# entries of the full timeline (the exported document has every one).
PREVIEW_ROWS = 200


def capped(document: str, rows: int = PREVIEW_ROWS) -> str:
    """`document` with its full-timeline appendix cut to `rows` entries and a note saying
    how many more there are."""
    lines = document.split("\n")
    if APPENDIX not in lines:
        return document
    table = lines.index(APPENDIX) + 2  # the heading, a blank line, then the table
    end = table
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    keep = table + 2 + rows  # the table's header and rule, then the rows
    if end <= keep:
        return document
    note = f"*… and {end - keep:,} more entries: the exported document lists every one.*"
    return "\n".join([*lines[:keep], "", note, *lines[end:]])


class PostMortemPreview(ModalScreen[None]):
    """Read-only preview of `document` (Markdown from the export module). Given `load`
    instead, the document is built in a thread (a long timeline takes seconds)."""

    DEFAULT_CSS = """
    PostMortemPreview { align: center middle; }
    PostMortemPreview > VerticalScroll {
        width: 100%; height: 1fr; border: round $accent; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,ctrl+o", "close", "Close preview", id="pm_preview.close"),
    ]

    def __init__(self, document: str = "", load: Callable[[], str] | None = None) -> None:
        super().__init__()
        self.document = document
        self.load = load

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Preview — as exported"
            text = "*Preparing the preview…*" if self.load else capped(self.document)
            yield Markdown(text, open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        if self.load is not None:
            self._load(self.load)

    @work(thread=True, exclusive=True, group="pm-preview")
    def _load(self, load: Callable[[], str]) -> None:
        try:
            document = load()
        except IcError as exc:
            self.app.call_from_thread(self._show, "", f"*The preview failed: {exc}*")
            return
        self.app.call_from_thread(self._show, document, capped(document))

    def _show(self, document: str, shown: str) -> None:
        if self.is_attached:
            self.document = document
            self.query_one(Markdown).update(shown)

    def action_close(self) -> None:
        self.dismiss(None)
