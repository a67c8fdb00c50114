"""A text editor that underlines blame and hindsight as it is typed (the blameless lint)."""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, TextAreaTheme

from icconsole.blameless import Finding

LINT_HIGHLIGHT = "blameless.lint"
# Underlined as well as coloured, so the mark survives NO_COLOR and monochrome terminals.
LINT_STYLE = Style(color="black", bgcolor="#e8b04a", underline=True, bold=True)
LINT_THEME = "icconsole-lint"
# Up to this many characters the lint runs on every edit (a few milliseconds); a longer
# text is linted again once typing pauses for LINT_PAUSE seconds.
LINT_EVERY_EDIT = 5_000
LINT_PAUSE = 0.3


class LintTextArea(TextArea):
    """A soft-wrapping TextArea whose lint findings are highlighted as it is edited.

    `checker(text) -> findings` is the lint to run. On a text of up to LINT_EVERY_EDIT
    characters it runs on every edit; on a longer one the findings above the edited line
    stay marked while typing goes on, and the whole text is linted again after a pause
    (then `Linted` is posted)."""

    class Linted(Message):
        """The findings were brought up to date after a pause in typing."""

        def __init__(self, area: LintTextArea) -> None:
            super().__init__()
            self.area = area

        @property
        def control(self) -> LintTextArea:
            return self.area

    def __init__(
        self,
        text: str = "",
        *,
        checker: Callable[[str], list[Finding]],
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self.checker = checker
        self.findings: list[Finding] = []
        self._edited_row = 0
        self._lint_timer: Timer | None = None
        super().__init__(
            text, id=id, classes=classes, soft_wrap=True, tab_behavior="focus", theme="css"
        )

    def on_mount(self) -> None:
        self.register_theme(TextAreaTheme(LINT_THEME, syntax_styles={LINT_HIGHLIGHT: LINT_STYLE}))
        self.theme = LINT_THEME

    def edit(self, edit: Edit) -> EditResult:
        self._edited_row = edit.top[0]
        return super().edit(edit)

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        checker = getattr(self, "checker", None)
        if checker is None:
            return
        text = self.text
        if len(text) <= LINT_EVERY_EDIT or not self.is_attached:
            self.findings = checker(text)
        else:
            # Findings that end above the edited line are where they were.
            row = self._edited_row
            self.findings = [f for f in self.findings if f.line + f.phrase.count("\n") <= row]
            if self._lint_timer is not None:
                self._lint_timer.stop()
            self._lint_timer = self.set_timer(LINT_PAUSE, self._lint_after_pause)
        self._edited_row = 0
        self._mark_all(text)

    def _lint_after_pause(self) -> None:
        self._lint_timer = None
        super()._build_highlight_map()
        text = self.text
        self.findings = self.checker(text)
        self._mark_all(text)
        self.refresh()
        self.post_message(self.Linted(self))

    def _mark_all(self, text: str) -> None:
        lines = text.split("\n")
        for finding in self.findings:
            self._mark(lines, finding)

    def _mark(self, lines: list[str], finding: Finding) -> None:
        """Add the finding's span, line by line, as byte offsets (what TextArea expects)."""
        row = finding.line - 1
        column = finding.column - 1
        remaining = len(finding.phrase)
        while remaining > 0 and row < len(lines):
            line = lines[row]
            end = min(len(line), column + remaining)
            start_byte = len(line[:column].encode())
            end_byte = len(line[:end].encode())
            if end_byte > start_byte:
                self._highlights[row].append((start_byte, end_byte, LINT_HIGHLIGHT))
            remaining -= end - column + 1  # the newline counts
            row += 1
            column = 0
