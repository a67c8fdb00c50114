"""The timeline review's list: one line per entry through Textual's line API, read from the
store a page at a time, so an incident of 100,000 entries opens as fast as one of 20.
Each line shows whether the entry is a key event and whether it was known then."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from icconsole.clock import from_iso
from icconsole.entry_pages import EntryPages
from icconsole.postmortem import is_key_row
from icconsole.store import EntryRow, Store
from icconsole.widgets.cursor_list import CursorList

WHO_FROM = 80  # the "Who" column only when the list is at least this wide
# (title, width); "What" takes the rest.
COLUMNS = (("In", 2), ("Known", 5), ("Time", 5), ("Kind", 10), ("Who", 8))
# Each cell is one space, then its value padded to the column's width.


def _one_line(text: str) -> str:
    return " ".join(text.split())


class KeyEventList(CursorList):
    """Entries in time order under a fixed header line. `chosen` (entry ids, or None for the
    preselection) and `known` (entry id -> "then"/"later") say how each line is marked;
    `show_only(rows)` narrows the list to those rows (the key events), `show_only(None)`
    shows every entry again."""

    COMPONENT_PREFIX = "key-events"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-events--header",
        "key-events--odd",
        "key-events--out",
        "key-events--in",
        "key-events--cursor",
        "key-events--cursor-blurred",
    }
    HEADER_ROWS = 1

    DEFAULT_CSS = """
    KeyEventList { overflow-x: hidden; background: $surface; }
    KeyEventList > .key-events--header { background: $panel; color: $foreground; text-style: bold; }
    KeyEventList > .key-events--odd { background: $surface-lighten-1; }
    KeyEventList > .key-events--out { text-style: dim; }
    KeyEventList > .key-events--in { color: $foreground; text-style: bold; }
    KeyEventList > .key-events--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    KeyEventList > .key-events--cursor-blurred { background: $block-cursor-blurred-background; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    class Moved(Message):
        """The cursor is on another entry (None: the list is empty)."""

        def __init__(self, row: EntryRow | None) -> None:
            super().__init__()
            self.row = row

    def __init__(
        self,
        store: Store,
        incident_id: str,
        *,
        utc: bool,
        chosen: set[str] | None,
        known: Mapping[str, str],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self.incident_id = incident_id
        self.utc = utc
        self.chosen = chosen
        self.known = known
        self.count = 0
        self.cursor = 0
        self.only: list[EntryRow] | None = None
        self._pages = EntryPages(store, incident_id)

    # ------------------------------------------------------------------ data

    def on_mount(self) -> None:
        self.count = self.store.entry_count(self.incident_id)
        self._set_height()
        self.post_message(self.Moved(self.selected))

    def _set_height(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.count + 1)

    def _row(self, index: int) -> EntryRow | None:
        if not 0 <= index < self.count:
            return None
        if self.only is not None:
            return self.only[index]
        return self._pages.row(index, self.count)

    @property
    def selected(self) -> EntryRow | None:
        """The entry under the cursor."""
        return self._row(self.cursor)

    def set_marks(self, chosen: set[str] | None, known: Mapping[str, str]) -> None:
        """New key-event choices and knowledge marks: redraw (drawn lines are keyed by them)."""
        self.chosen = chosen
        self.known = known
        self.refresh()

    def show_only(self, rows: list[EntryRow] | None) -> None:
        """Narrow to `rows`, or back to every entry; the cursor stays on the same entry
        when it is still listed."""
        current = self.selected
        self.only = rows
        if rows is None:
            self.count = self.store.entry_count(self.incident_id)
            index = self.store.entry_position(self.incident_id, current) if current else 0
        else:
            self.count = len(rows)
            ids = [row.id for row in rows]
            index = ids.index(current.id) if current and current.id in ids else 0
        self._set_height()
        self.cursor = 0
        self.move_cursor(index)
        self.refresh()

    # --------------------------------------------------------------- drawing

    def _columns(self, width: int) -> list[tuple[str, int]]:
        columns = [c for c in COLUMNS if c[0] != "Who" or width >= WHO_FROM]
        used = sum(w + 1 for _, w in columns)
        return [*columns, ("What", max(8, width - used - 1))]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = round(self.scroll_y) + y - 1
        row = self._row(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        included = is_key_row(self.chosen, row)
        known = self.known.get(row.id)
        key = (row, width, index % 2, selected, selected and self.has_focus, included, known)
        return self._cached_strip(
            key, lambda: self._draw(row, width, index % 2 == 1, selected, included, known)
        )

    @staticmethod
    def _cells(columns: list[tuple[str, int]], values: dict[str, str]) -> str:
        cells = []
        for title, width in columns:
            value = values[title]
            if len(value) > width:
                value = value[: width - 1] + "…"
            cells.append(f" {value:<{width}}")
        return "".join(cells)

    def _header(self, width: int) -> Strip:
        style = self.rich_style + self._style("header")
        columns = self._columns(width)
        text = self._cells(columns, {title: title for title, _ in columns})
        return Strip([Segment(text, style)]).crop_extend(0, width, style)

    def _draw(
        self,
        row: EntryRow,
        width: int,
        odd: bool,
        selected: bool,
        included: bool,
        known: str | None,
    ) -> Strip:
        style = self.rich_style
        if odd:
            style += self._style("odd")
        style += self._style("in" if included else "out")
        if selected:
            style += self._style("cursor" if self.has_focus else "cursor-blurred")
        when = from_iso(row.occurred_at)
        what = _one_line(row.text)
        values = {
            "In": "✓" if included else "·",
            "Known": known or "—",
            "Time": f"{when if self.utc else when.astimezone():%H:%M}",
            "Kind": row.kind + (" ★" if row.pinned else ""),
            "Who": row.author,
            "What": f"(retracted) {what}" if row.retracted else what,
        }
        text = self._cells(self._columns(width), values)
        return Strip([Segment(text, style)]).crop_extend(0, width, style)

    # -------------------------------------------------------------- movement

    def _cursor_moved(self) -> None:
        self.post_message(self.Moved(self.selected))

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._set_height()
        self._scroll_to_line(self.cursor)
