"""A line-API list with a cursor: the movement keys' actions, keeping the cursor in view,
clicks, and caches of drawn lines and component styles. The timeline and the
post-mortem's key-event list draw on it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ClassVar

from rich.style import Style
from textual import events
from textual.scroll_view import ScrollView
from textual.strip import Strip

MAX_STRIPS = 2_000


class CursorList(ScrollView, can_focus=True):
    """Subclasses set `count` and `cursor`, draw lines, and may reserve header rows.
    `COMPONENT_PREFIX` names their component classes (`timeline--note`)."""

    HEADER_ROWS = 0
    COMPONENT_PREFIX: ClassVar[str]

    count: int
    cursor: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._strips: OrderedDict[tuple, Strip] = OrderedDict()
        self._styles: dict[str, Style] = {}

    def _cached_strip(self, key: tuple, draw: Callable[[], Strip]) -> Strip:
        """The line drawn for `key`, drawn once; the oldest are dropped past MAX_STRIPS."""
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = draw()
            if len(self._strips) > MAX_STRIPS:
                self._strips.popitem(last=False)
        return strip

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"{self.COMPONENT_PREFIX}--{name}", partial=True)
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - self.HEADER_ROWS)

    def _scroll_to_line(self, index: int) -> None:
        """Scroll just enough to show row `index`."""
        rows = self._visible_rows()
        top = round(self.scroll_y)
        if index < top:
            target = index
        elif index >= top + rows:
            target = index - rows + 1
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True, force=True)

    def move_cursor(self, index: int) -> None:
        if not self.count:
            return
        self.cursor = max(0, min(self.count - 1, index))
        self._scroll_to_line(self.cursor)
        self.refresh()
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        """Called after every cursor move; the list tells its screen here if it needs to."""

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor + step * max(1, self._visible_rows() - 1))

    def action_jump(self, index: int) -> None:
        self.move_cursor(self.count - 1 if index < 0 else index)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y >= self.HEADER_ROWS:
            self.move_cursor(round(self.scroll_y) + offset.y - self.HEADER_ROWS)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
