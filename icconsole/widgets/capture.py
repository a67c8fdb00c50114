"""The capture line: one Input for notes and slash commands, with completion and history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
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
