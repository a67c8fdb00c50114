"""Full-text search across every incident; Enter opens the chosen incident."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from icconsole.errors import IcError
from icconsole.incident_list import excerpt, match_spans
from icconsole.store import SearchHit

LIMIT = 50
EXCERPT_WIDTH = 70
HINT = "Type words to search the titles and timelines of every incident."


def hit_prompt(hit: SearchHit, query: str, width: int) -> Content:
    """Two lines: the incident, then the matching text with the query words marked."""
    head = Content.assemble((hit.ref, "bold"), "  ", hit.title)
    if hit.entry_id is None:
        return Content.assemble(head, "\n", ("  matched in the title", "dim"))
    line = excerpt(hit.text, query, width)
    body = Content(line)
    for start, end in match_spans(line, query):
        body = body.stylize("bold underline", start, end)
    return Content.assemble(head, "\n  ", body)


def status_text(query: str, hits: int) -> str:
    if not query.strip():
        return HINT
    if not hits:
        return f"No incident or timeline entry matches “{query.strip()}”."
    if hits >= LIMIT:
        return f"The {LIMIT} newest matches — add words to narrow them."
    return f"{hits} match" + ("" if hits == 1 else "es") + " — ↑↓ choose, enter opens"


class SearchScreen(ModalScreen[str | None]):
    """Search all incidents. Dismisses with the chosen incident's id, or None."""

    BINDING_GROUP_TITLE = "Search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="search.close"),
        Binding("down", "move(1)", "Next result", id="search.next", show=False),
        Binding("up", "move(-1)", "Previous result", id="search.previous", show=False),
    ]

    DEFAULT_CSS = """
    SearchScreen {
        align: center middle;
    }
    #search-dialog {
        width: 90;
        max-width: 100%;
        height: 80%;
        border: thick $primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    #search-status {
        color: $text-muted;
        padding: 0 1;
    }
    #search-results {
        height: 1fr;
        border: none;
    }
    #search-results > .option-list--option {
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog") as dialog:
            dialog.border_title = "Search incidents"
            dialog.border_subtitle = "enter open · esc close"
            yield Input(placeholder="words to find", id="search-query")
            yield Static(HINT, id="search-status", markup=False)
            yield OptionList(id="search-results", markup=False)

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        """Search and list the hits; a query with no words clears the list."""
        results = self.query_one("#search-results", OptionList)
        status = self.query_one("#search-status", Static)
        self.hits = []
        message = status_text(query, 0)
        if query.strip():
            try:
                self.hits = self.app.store.search(query, limit=LIMIT)
            except IcError as exc:
                message = str(exc)
            else:
                message = status_text(query, len(self.hits))
        width = max(20, results.size.width - 4) if results.size.width else EXCERPT_WIDTH
        results.set_options(Option(hit_prompt(hit, query, width)) for hit in self.hits)
        if self.hits:
            results.highlighted = 0
        status.update(Content(message))

    def action_move(self, step: int) -> None:
        """Move the highlighted result while typing continues in the query."""
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            current = results.highlighted or 0
            results.highlighted = max(0, min(results.option_count - 1, current + step))

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.hits and results.highlighted is not None:
            self.dismiss(self.hits[results.highlighted].incident_id)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[event.option_index].incident_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
