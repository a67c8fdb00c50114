"""Small reusable dialogs: pick one option, or type one line. Both return None on Escape."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

# A choice: (value returned on selection, label shown). Labels are plain text, never markup.
Choice = tuple[str, "str | Content"]


def _content(text: str | Content) -> Content:
    return text if isinstance(text, Content) else Content(text)


class OptionPicker(ModalScreen[str | None]):
    """Choose one of `choices` with the arrow keys and Enter; Escape cancels."""

    DEFAULT_CSS = """
    OptionPicker { align: center middle; }
    OptionPicker > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    OptionPicker #picker-note { color: $text-muted; margin-bottom: 1; }
    OptionPicker OptionList, OptionPicker OptionList:focus {
        height: auto; max-height: 20; border: none; padding: 0;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel")
    ]

    def __init__(
        self,
        title: str,
        choices: Iterable[Choice],
        *,
        note: str | Content = "",
        selected: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.note = note
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self.title_text)
            if self.note:
                yield Label(_content(self.note), id="picker-note", markup=False)
            yield OptionList(
                *(Option(_content(label), id=value) for value, label in self.choices),
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        if values:
            options.highlighted = values.index(self.selected) if self.selected in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """Type one line; Enter accepts (trimmed), Escape cancels. `validate` may return an
    error message, shown under the line while the typed text stays."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 72; max-width: 95%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TextPrompt #prompt-note { color: $text-muted; }
    TextPrompt #prompt-error { color: $error; height: auto; }
    TextPrompt #prompt-error.-empty { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel")
    ]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        note: str | Content = "",
        suggestions: Sequence[str] = (),
        required: bool = True,
        validate: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.note = note
        self.suggestions = list(suggestions)
        self.required = required
        self.validate = validate

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self.title_text)
            if self.note:
                yield Label(_content(self.note), id="prompt-note", markup=False)
            suggester = (
                SuggestFromList(self.suggestions, case_sensitive=False)
                if self.suggestions
                else None
            )
            yield Input(value=self.value, placeholder=self.placeholder, suggester=suggester)
            yield Label("", id="prompt-error", classes="-empty", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def show_error(self, message: str) -> None:
        """Show `message` under the line; the typed text is kept."""
        error = self.query_one("#prompt-error", Label)
        error.update(Content(message))
        error.set_class(not message, "-empty")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.required and not text:
            self.show_error("Type something, or press Escape to cancel.")
            return
        problem = self.validate(text) if self.validate else None
        if problem:
            self.show_error(problem)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm_choices(yes: str, no: str = "Cancel") -> list[Choice]:
    """The two choices of a yes/no question: values "yes" and "no"."""
    return [("yes", yes), ("no", no)]
