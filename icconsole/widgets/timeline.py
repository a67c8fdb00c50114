"""The timeline: one line per entry through Textual's line API, fetched from the store a
page at a time, so 100,000 entries cost no more to open than 40."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.messages import Update
from textual.strip import Strip

from icconsole.clock import from_iso
from icconsole.entry_pages import EntryPages
from icconsole.store import EntryRow, Store
from icconsole.widgets.cursor_list import CursorList

KIND_SYMBOLS = {
    "note": "•",
    "decision": "◆",
    "action": "▸",
    "hypothesis": "?",
    "finding": "✓",
    "comms": "»",
    "status": "◉",
    "severity": "▲",
    "role": "@",
    "task": "☐",
    "alert": "!",
}
COMPACT_BELOW = 70  # narrower than this, the kind word is dropped (symbol and colour stay)
AUTHOR_WIDTH = 9


def one_line(text: str) -> str:
    """An entry's text on one line: newlines shown as ⏎, tabs as spaces."""
    return text.replace("\r", "").replace("\n", " ⏎ ").replace("\t", "    ")


def entry_time(occurred_at: str, utc: bool) -> str:
    when = from_iso(occurred_at)
    return f"{when if utc else when.astimezone():%H:%M}"


class Timeline(CursorList):
    """Newest at the bottom; follows new entries unless the user has scrolled up.
    The cursor (selected entry) is what pin, edit and retract act on."""

    COMPONENT_PREFIX = "timeline"
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--time",
        "timeline--author",
        "timeline--muted",
        "timeline--pinned",
        "timeline--retracted",
        "timeline--cursor",
        "timeline--cursor-blurred",
        *(f"timeline--{kind}" for kind in KIND_SYMBOLS),
    }
    DEFAULT_CSS = """
    Timeline { overflow-x: hidden; background: $surface; }
    Timeline > .timeline--time { color: $text-muted; }
    Timeline > .timeline--author { color: $text-secondary; }
    Timeline > .timeline--muted { color: $text-muted; }
    Timeline > .timeline--pinned { color: $warning; text-style: bold; }
    Timeline > .timeline--retracted { color: $text-muted; text-style: strike; }
    Timeline > .timeline--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    Timeline > .timeline--cursor-blurred { background: $block-cursor-blurred-background; }
    Timeline > .timeline--note { color: $foreground; }
    Timeline > .timeline--decision { color: $accent; text-style: bold; }
    Timeline > .timeline--action { color: $primary; text-style: bold; }
    Timeline > .timeline--hypothesis { color: #d787d7; }
    Timeline > .timeline--finding { color: $success; }
    Timeline > .timeline--comms { color: $text-primary; }
    Timeline > .timeline--status { color: $warning; text-style: bold; }
    Timeline > .timeline--severity { color: $error; text-style: bold; }
    Timeline > .timeline--role { color: #87afaf; }
    Timeline > .timeline--task { color: $text-muted; }
    Timeline > .timeline--alert { color: $error; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Newest", show=False),
    ]

    def __init__(self, store: Store, incident_id: str, *, utc: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.incident_id = incident_id
        self.utc = utc
        self.count = 0
        self.cursor = -1
        self.follow = True
        self.draw_hook: Callable[[EntryRow], None] | None = None  # benchmarks measure with it
        self._pages = EntryPages(store, incident_id)
        self._newest_seq = 0

    # ------------------------------------------------------------------ data

    def on_mount(self) -> None:
        self.reload()

    def reload(self, recount: bool = True, appended: bool = False) -> None:
        """Re-read the entry count and drop cached rows (drawn lines are keyed by the row, so
        they stay valid); keep the scroll position unless following the newest entries, and
        keep the cursor on the newest if it was there. Without `recount`, only entries with
        a sequence number above the last seen are counted (enough after our own writes).
        `appended`: the write only added entries, so when they all sort after the rest, the
        rows before the old end are kept."""
        was_last = self.cursor >= self.count - 1
        old_count = self.count
        newest = self.store.max_seq(self.incident_id)
        if recount or not self._newest_seq:
            self.count = self.store.entry_count(self.incident_id)
        elif newest != self._newest_seq:
            self.count += self.store.entry_count(self.incident_id, after_seq=self._newest_seq)
        if appended and not recount and self._appended_at_end(self.count - old_count):
            self._pages.drop_from(old_count)
        else:
            self._pages.clear()
        self._newest_seq = newest
        if was_last or self.cursor >= self.count:
            self.cursor = self.count - 1
        self._set_height(self.count)
        if self.follow:
            self._scroll_to_end()
        self.refresh()
        if appended:
            self._repaint_with_next_update()

    def _repaint_with_next_update(self) -> None:
        """Ask the screen for this repaint now, as `refresh` does only once this widget's
        own message queue next runs: by then the screen has often painted the frame that
        clears the capture line, and the new entry would wait a whole frame (1/60 s) more."""
        if self.is_attached:
            self.screen.post_message(Update(self))

    def _appended_at_end(self, added: int) -> bool:
        """Whether the newest `added` entries in time order are all new (sequence above the
        last seen), i.e. none was backdated in among the older ones."""
        if added <= 0 or not self._newest_seq:
            return False
        tail = self.store.entry_rows(self.incident_id, 0, added, from_end=True)
        return all(row.seq > self._newest_seq for row in tail)

    def _set_height(self, lines: int) -> None:
        """Set the virtual height. While the scrollbar stays shown, skip the whole-screen
        layout a `virtual_size` assignment costs (as Widget._size_updated does)."""
        size = Size(self.scrollable_content_region.width, lines)
        viewport = self.scrollable_content_region.height
        if (
            self.show_vertical_scrollbar
            and lines > viewport
            and self.virtual_size.height > viewport
        ):
            self.set_reactive(Timeline.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size

    def set_utc(self, utc: bool) -> None:
        self.utc = utc
        self._strips.clear()
        self.refresh()

    def _row(self, index: int) -> EntryRow | None:
        if not 0 <= index < self.count:
            return None
        return self._pages.row(index, self.count)

    @property
    def selected(self) -> EntryRow | None:
        """The entry under the cursor."""
        return self._row(self.cursor)

    # --------------------------------------------------------------- drawing

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        row = self._row(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (row, width, self.utc, selected, selected and self.has_focus)
        strip = self._cached_strip(key, lambda: self._draw(row, width, selected))
        if self.draw_hook is not None:
            self.draw_hook(row)
        return strip

    def _draw(self, row: EntryRow, width: int, selected: bool) -> Strip:
        base = self.rich_style
        kind_style = self._style(row.kind) if row.kind in KIND_SYMBOLS else Style()
        segments = [
            Segment("★" if row.pinned else " ", base + self._style("pinned")),
            Segment(entry_time(row.occurred_at, self.utc) + " ", base + self._style("time")),
            Segment(KIND_SYMBOLS.get(row.kind, "•") + " ", base + kind_style),
        ]
        if width >= COMPACT_BELOW:
            segments.append(Segment(f"{row.kind:<10} ", base + kind_style))
        author = row.author if len(row.author) <= AUTHOR_WIDTH else row.author[:8] + "…"
        segments.append(Segment(f"{author:<{AUTHOR_WIDTH}} ", base + self._style("author")))
        text = one_line(row.text)
        if row.retracted:
            segments.append(Segment("retracted: ", base + self._style("muted")))
            segments.append(Segment(text, base + self._style("retracted")))
        else:
            segments.append(Segment(text, base))
        if row.revisions:
            segments.append(Segment(" (edited)", base + self._style("muted")))
        if selected:
            cursor = self._style("cursor" if self.has_focus else "cursor-blurred")
            base += cursor
            segments = [Segment(text, style + cursor) for text, style, _ in segments]
        return Strip(segments).crop_extend(0, width, base)

    # -------------------------------------------------------------- movement

    def _scroll_to_end(self) -> None:
        """Show the newest entries at the bottom."""
        target = max(0, self.count - self.scrollable_content_region.height)
        self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.follow = round(new_value) >= self.max_scroll_y

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)
        if self.follow:
            self._scroll_to_end()
