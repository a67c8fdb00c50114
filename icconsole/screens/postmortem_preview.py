"""The post-mortem as the exported Markdown document, rendered inside the TUI."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown


class PostMortemPreview(ModalScreen[None]):
    """Read-only preview of `document` (Markdown from the export module)."""

    DEFAULT_CSS = """
    PostMortemPreview { align: center middle; }
    PostMortemPreview > VerticalScroll {
        width: 100%; height: 1fr; border: round $accent; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,ctrl+o", "close", "Close preview", id="pm_preview.close"),
    ]

    def __init__(self, document: str) -> None:
        super().__init__()
        self.document = document

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Preview — as exported"
            yield Markdown(self.document, open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
