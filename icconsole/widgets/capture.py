"""The capture line: one Input for notes and slash commands, with completion and history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.suggester import Suggester
from textual.widgets import Input

from icconsole.capture import complete
from icconsole.config import Config

PLACEHOLDER = "Type a note, or /command (/decision /status /sev /role /task …) · Esc leaves"


class CaptureSuggester(Suggester):
    """Completes commands, statuses, severities, roles and people seen before."""

    def __init__(self, config: Config, people: Callable[[], Sequence[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.config = config
        self.people = people

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value, self.config, self.people)


class CaptureLine(Input):
    """Enter submits (the screen parses and stores); Up/Down walk the history;
    Escape leaves the line for the panes, keeping what was typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave line", id="capture.leave"),
        Binding("up", "history(-1)", "History", show=False, id="capture.history_back"),
        Binding("down", "history(1)", "Next", show=False, id="capture.history_forward"),
    ]

    # Input sets its virtual width to the text's on every change; as a layout reactive that
    # re-arranged the whole screen per keystroke (and per Enter). The line's own size never
    # depends on it, and scrolling within the line reads it directly.
    virtual_size = Reactive(Size(0, 0), layout=False)

    class Leave(Message):
        """The user wants out of the line."""

    def __init__(self, config: Config, people: Callable[[], Sequence[str]], **kwargs) -> None:
        super().__init__(
            placeholder=PLACEHOLDER,
            suggester=CaptureSuggester(config, people),
            select_on_focus=False,
            **kwargs,
        )
        self.history: list[str] = []
        self._position = 0
        self._draft = ""

    def _on_key(self, event: events.Key) -> None:
        """Enter is taken here, in the order keys were typed: the line is cleared before
        the next key lands. (As a binding, Enter would run only after the key bubbled up
        to the app, by which time keys typed after it are already in the line.)"""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            line = self.value
            self.value = ""
            self.post_message(self.Submitted(self, line))

    def restore(self, text: str) -> None:
        """Put a refused line back to be corrected, unless something was typed after it
        (then it waits in the history, one Up away)."""
        if self.value:
            self.remember(text)
            return
        with self.prevent(Input.Changed):
            self.value = text
        self.cursor_position = len(text)

    def remember(self, text: str) -> None:
        """Add an accepted line to the history and reset the walk."""
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self._position = len(self.history)
        self._draft = ""

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._position == len(self.history):
            self._draft = self.value
        self._position = max(0, min(len(self.history), self._position + step))
        self.value = (
            self.history[self._position] if self._position < len(self.history) else self._draft
        )
        self.cursor_position = len(self.value)

    def action_leave(self) -> None:
        self.post_message(self.Leave())
