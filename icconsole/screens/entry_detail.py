"""One timeline entry in full: its facts, the whole text wrapped, and every earlier text an
edit replaced. Read-only; pin, edit and retract stay in the cockpit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from icconsole.clock import format_short
from icconsole.models import EntryRevision, TimelineEntry
from icconsole.widgets.timeline import KIND_SYMBOLS

LABEL_WIDTH = 10
MUTED = "$text-muted"
# Recorded this much after it occurred, an entry counts as backdated.
BACKDATED_FROM = timedelta(minutes=1)


def stamp(value: datetime, utc: bool) -> str:
    """`2026-03-14 14:05:00 UTC`, or the same moment in local time."""
    shown = value if utc else value.astimezone()
    return f"{shown:%Y-%m-%d %H:%M:%S} {'UTC' if utc else 'local'}"


def _fact(label: str, *value: str | tuple[str, str]) -> Content:
    return Content.assemble((f"{label:<{LABEL_WIDTH}}", MUTED), *value)


def facts(entry: TimelineEntry, utc: bool) -> Content:
    """Kind, author, both times, pinned, edited and retracted: one line each."""
    late = entry.recorded_at - entry.occurred_at
    recorded: list[str | tuple[str, str]] = [stamp(entry.recorded_at, utc)]
    if late >= BACKDATED_FROM:
        recorded.append((f"  (logged {format_short(late)} after)", MUTED))
    edits = entry.revisions
    lines = [
        _fact("Kind", (f"{KIND_SYMBOLS.get(entry.kind.value, '•')} {entry.kind.value}", "bold")),
        _fact("Author", (entry.author, "bold")),
        _fact("Occurred", stamp(entry.occurred_at, utc)),
        _fact("Recorded", *recorded),
        _fact("Pinned", ("★ yes", "bold $text-warning") if entry.pinned else "no"),
        _fact(
            "Edited",
            f"yes, {edits} time{'s' if edits != 1 else ''} (earlier text below)" if edits else "no",
        ),
        _fact(
            "Retracted",
            (f"✗ yes, at {stamp(entry.retracted_at, utc)}", "bold $text-error")
            if entry.retracted_at
            else "no",
        ),
    ]
    return Content("\n").join(lines)


def revision_heading(number: int, revision: EntryRevision, utc: bool) -> Content:
    """`Version 1 · replaced by bob at 2026-03-14 14:20:00 UTC`."""
    return Content.assemble(
        (f"Version {number}", "bold"),
        (" · replaced by ", MUTED),
        (revision.author, "bold"),
        (" at ", MUTED),
        stamp(revision.created_at, utc),
    )


class EntryDetailScreen(ModalScreen[None]):
    """The entry with `entry_id`, times shown in UTC or local time as `utc` says (the
    configured default when not given). Escape or Enter closes."""

    DEFAULT_CSS = """
    EntryDetailScreen { align: center middle; }
    #entry-detail-body {
        width: 100%; max-width: 96; height: auto; max-height: 100%; padding: 0 1;
        border: thick $accent; border-title-style: bold;
        border-subtitle-color: $text-muted; background: $surface;
    }
    #entry-detail-text { margin: 1 0; }
    #entry-detail-text.-retracted { color: $text-muted; }
    .entry-detail-heading { color: $text-primary; text-style: bold; }
    .entry-detail-version { margin: 1 0 0 0; }
    .entry-detail-old { color: $text-muted; padding: 0 0 0 2; }
    """
    AUTO_FOCUS = "#entry-detail-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="entry_detail.close"),
        Binding("enter", "close", "Close", id="entry_detail.close_enter", show=False),
    ]

    def __init__(self, entry_id: str, *, utc: bool | None = None) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.utc = utc

    def compose(self) -> ComposeResult:
        store = self.app.store
        utc = store.config.utc if self.utc is None else self.utc
        entry = store.entry(self.entry_id)
        incident = store.incident(entry.incident_id)
        revisions = store.revisions(entry.id) if entry.edited else []
        with VerticalScroll(id="entry-detail-body") as body:
            body.border_title = Content(f"Entry #{entry.seq} · {incident.ref}")
            body.border_subtitle = "esc or ⏎ close · ↑↓ scroll"
            yield Static(facts(entry, utc), id="entry-detail-facts")
            text = Static(Content(entry.text), id="entry-detail-text")
            text.set_class(entry.retracted, "-retracted")
            yield text
            if revisions:
                yield Static(Content("Earlier text, oldest first"), classes="entry-detail-heading")
            for number, revision in enumerate(revisions, 1):
                yield Static(
                    revision_heading(number, revision, utc), classes="entry-detail-version"
                )
                yield Static(Content(revision.text), classes="entry-detail-old")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
