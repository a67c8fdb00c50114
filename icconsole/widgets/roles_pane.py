"""The Roles pane: every configured role with its holder, and the span-of-control warning."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from icconsole.roles import RoleBoard, RoleRow

NOT_DELEGATED = "—"


def short_label(key: str, name: str) -> str:
    """A column-friendly label from the role's key: an acronym of its name in capitals
    (`ic`, Incident Commander -> `IC`), otherwise capitalised (`scribe` -> `Scribe`)."""
    initials = "".join(word[0] for word in name.split()).casefold()
    return key.upper() if key.casefold() == initials else key.capitalize()


def role_prompt(row: RoleRow, width: int = 9) -> Content:
    label = (short_label(row.key, row.name).ljust(width), "$text-muted")
    if not row.holders:
        return Content.assemble(label, (NOT_DELEGATED, "$text-muted"))
    return Content.assemble(label, (", ".join(row.holders), "bold"))


class RolesPane(Vertical):
    """Role -> holder; Enter on a role starts assigning it (handled by the screen)."""

    def compose(self) -> ComposeResult:
        yield OptionList(id="roles-list", compact=True, markup=False)
        yield Label("", id="span-warning", classes="-empty", markup=False)
        yield Label("", id="roles-note", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Roles"

    def show(self, board: RoleBoard) -> None:
        """Redraw from a role board, keeping the highlighted role."""
        options = self.query_one(OptionList)
        keep = options.highlighted
        prompts = [role_prompt(row) for row in board.rows]
        ids = [option.id for option in options.options]
        if ids == [row.key for row in board.rows]:
            for index, prompt in enumerate(prompts):
                options.replace_option_prompt_at_index(index, prompt)
        else:
            options.set_options(
                Option(prompt, id=row.key) for prompt, row in zip(prompts, board.rows, strict=True)
            )
            options.highlighted = keep if keep is not None and keep < len(prompts) else 0
        warning = board.span_warning
        span = self.query_one("#span-warning", Label)
        span.update(Content(f"⚠ {warning}") if warning else "")
        span.set_class(not warning, "-empty")
        holder = board.commander or "the IC"
        self.query_one("#roles-note", Label).update(
            Content(f"{NOT_DELEGATED} = {holder} (IC) holds it")
        )
        self.border_subtitle = f"{board.direct_reports} report to IC"

    @property
    def highlighted_role(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option else None
