"""A text editor that underlines blame and hindsight as it is typed (the blameless lint)."""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from icconsole.blameless import Finding

LINT_HIGHLIGHT = "blameless.lint"
# Underlined as well as coloured, so the mark survives NO_COLOR and monochrome terminals.
LINT_STYLE = Style(color="black", bgcolor="#e8b04a", underline=True, bold=True)
LINT_THEME = "icconsole-lint"


class LintTextArea(TextArea):
    """A soft-wrapping TextArea whose lint findings are highlighted on every edit.

    `checker(text) -> findings` is the lint to run; it is cheap, so it runs per edit and
    never blocks typing noticeably."""

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
        super().__init__(
            text, id=id, classes=classes, soft_wrap=True, tab_behavior="focus", theme="css"
        )

    def on_mount(self) -> None:
        self.register_theme(TextAreaTheme(LINT_THEME, syntax_styles={LINT_HIGHLIGHT: LINT_STYLE}))
        self.theme = LINT_THEME

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        checker = getattr(self, "checker", None)
        if checker is None:
            return
        self.findings = checker(self.text)
        lines = self.text.split("\n")
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
