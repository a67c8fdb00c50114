"""Home: every incident, active ones first; open, declare, search."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Static

from icconsole.incident_list import IncidentRow, incident_rows, summary_line
from icconsole.models import Incident, Status
from icconsole.screens.declare import DeclareScreen
from icconsole.screens.help import HelpScreen
from icconsole.screens.search import SearchScreen

POLL_SECONDS = 1.0
WIDE = 100
EMPTY_TEXT = "No incidents. Press n to declare one."

SEVERITY_STYLES = {1: "bold red", 2: "bold dark_orange", 3: "yellow"}
OTHER_SEVERITY_STYLE = "cyan"
STATUS_STYLES = {
    Status.INVESTIGATING: "bold red",
    Status.IDENTIFIED: "bold yellow",
    Status.MITIGATED: "bold cyan",
    Status.RESOLVED: "green",
    Status.CLOSED: "dim",
}
DRILL_STYLE = "bold magenta"


class Column(NamedTuple):
    key: str
    label: str
    width: int


def severity_text(row: IncidentRow, named: bool) -> Text:
    """`SEV1 Critical`, coloured by level; the word carries the meaning without colour."""
    label = f"{row.severity} {row.severity_name}" if named and row.severity_name else row.severity
    return Text(label, style=SEVERITY_STYLES.get(row.level, OTHER_SEVERITY_STYLE))


def title_text(row: IncidentRow) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    if row.drill:
        text.append("DRILL ", style=DRILL_STYLE)
    text.append(row.title, style="" if row.active else "dim")
    return text


def plain(value: str, row: IncidentRow) -> Text:
    return Text(value, style="" if row.active else "dim", no_wrap=True, overflow="ellipsis")


def cell(key: str, row: IncidentRow, named: bool) -> Text:
    """The cell of `row` in column `key`, built as rich Text so no user text is markup."""
    if key == "ref":
        return Text(row.ref, style="bold" if row.active else "dim")
    if key == "severity":
        return severity_text(row, named)
    if key == "status":
        return Text(row.status.value, style=STATUS_STYLES[row.status])
    if key == "title":
        return title_text(row)
    return plain(getattr(row, key), row)


def layout_columns(rows: list[IncidentRow], width: int) -> list[Column]:
    """Columns that fit `width`: the title takes what is left; narrow screens drop the
    severity names and the start time."""
    wide = width >= WIDE

    def fit(label: str, values: list[str], most: int = 40) -> Column:
        key = label.lower()
        return Column(key, label, min(most, max([len(label), *map(len, values)])))

    severities = [
        f"{r.severity} {r.severity_name}" if wide and r.severity_name else r.severity for r in rows
    ]
    columns = [
        Column("ref", "Ref", max([3, *(len(r.ref) for r in rows)])),
        Column("severity", "Severity" if wide else "Sev", max([3, *map(len, severities)])),
        Column("status", "Status", max(len(s.value) for s in Status)),
        Column("title", "Title", 0),
        Column(
            "commander", "IC", min(16 if wide else 10, max([2, *(len(r.commander) for r in rows)]))
        ),
    ]
    if wide:
        columns.append(fit("Started", [r.started for r in rows]))
    columns.append(Column("elapsed", "Duration", max([8, *(len(r.elapsed) for r in rows)])))
    used = sum(c.width + 2 for c in columns) + 2 + 2
    title_width = max(12, width - used)
    return [c._replace(width=title_width) if c.key == "title" else c for c in columns]


class HomeScreen(Screen[None]):
    """The incident list. Refreshes on resume and when another process writes the file."""

    BINDING_GROUP_TITLE = "Home"
    DEFAULT_CSS = """
    HomeScreen #incidents {
        height: 1fr;
    }
    HomeScreen #home-empty {
        height: 1fr;
        content-align: center middle;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "Open",
            id="home.open",
            priority=True,
            tooltip="Open the selected incident's cockpit",
        ),
        Binding("n", "declare", "Declare", id="home.declare", tooltip="Declare a new incident"),
        Binding(
            "e",
            "export",
            "Export",
            id="home.export",
            show=False,
            tooltip="Export the selected incident: Markdown, HTML or JSON",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="home.search",
            key_display="/",
            tooltip="Search titles and timelines of every incident",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            id="home.help",
            key_display="?",
            tooltip="Show every key",
        ),
        Binding("q", "app.quit", "Quit", id="home.quit", tooltip="Quit IC Console"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._incidents: list[Incident] = []
        self._commanders: dict[str, str] = {}
        self._version: int | None = None
        self._rows: list[IncidentRow] = []
        self._columns: list[Column] = []
        self._poll: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="incidents")
        yield Static(EMPTY_TEXT, id="home-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._poll = self.set_interval(POLL_SECONDS, self._tick)

    def on_screen_resume(self) -> None:
        self.reload()
        if self._poll:
            self._poll.resume()

    def on_screen_suspend(self) -> None:
        if self._poll:
            self._poll.pause()

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the incident list again and redraw it."""
        store = self.app.store
        self._version = store.data_version()
        self._incidents = store.incidents()
        self._commanders = store.commanders()
        self._draw()

    def _tick(self) -> None:
        if self.app.store.data_version() != self._version:
            self.reload()
        else:
            self._draw()

    def _draw(self) -> None:
        """Update the table in place when only values changed; rebuild it otherwise."""
        if not self.is_mounted:
            return
        store = self.app.store
        rows = incident_rows(self._incidents, self._commanders, store.config, store.now())
        table = self.query_one("#incidents", DataTable)
        self.sub_title = summary_line(rows)
        table.display = bool(rows)
        self.query_one("#home-empty").display = not rows
        columns = layout_columns(rows, self.size.width)
        if columns != self._columns:
            table.clear(columns=True)
            for column in columns:
                table.add_column(column.label, width=column.width, key=column.key)
            self._columns = columns
            self._rows = []
        if rows == self._rows:
            return
        named = any(c.key == "started" for c in columns)
        if [r.id for r in rows] == [r.id for r in self._rows]:
            for old, new in zip(self._rows, rows, strict=True):
                for column in columns:
                    if getattr(old, column.key) != getattr(new, column.key):
                        table.update_cell(new.id, column.key, cell(column.key, new, named))
        else:
            selected = self._selected_id()
            table.clear()
            for row in rows:
                table.add_row(*(cell(c.key, row, named) for c in columns), key=row.id)
            ids = [r.id for r in rows]
            if selected in ids:
                table.move_cursor(row=ids.index(selected), animate=False)
        self._rows = rows

    def _selected_id(self) -> str | None:
        table = self.query_one("#incidents", DataTable)
        if not self._rows or table.cursor_row >= len(self._rows):
            return None
        return self._rows[table.cursor_row].id

    # --------------------------------------------------------------- actions

    def action_open(self) -> None:
        """Open the selected incident: its cockpit, or its post-mortem once it is over."""
        incident_id = self._selected_id()
        if incident_id:
            self._open(incident_id)

    @on(DataTable.RowSelected)
    def _clicked(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._open(event.row_key.value)

    def _open(self, incident_id: str) -> None:
        if self.app.store.incident(incident_id).is_active:
            self.app.open_incident(incident_id)
        else:
            self.app.open_postmortem(incident_id)

    def action_export(self) -> None:
        """Export the selected incident (preview, write to a file, copy)."""
        incident_id = self._selected_id()
        if incident_id:
            from icconsole.screens.export import ExportScreen

            self.app.push_screen(ExportScreen(incident_id))

    def action_declare(self) -> None:
        """Declare a new incident, then open its cockpit."""

        def opened(incident: Incident | None) -> None:
            if incident is not None:
                self.app.open_incident(incident.id)

        self.app.push_screen(DeclareScreen(), opened)

    def action_search(self) -> None:
        """Search every incident; open the one chosen."""

        def chosen(incident_id: str | None) -> None:
            if incident_id:
                self.app.open_incident(incident_id)

        self.app.push_screen(SearchScreen(), chosen)

    def action_help(self) -> None:
        """Show the keys of this screen."""
        self.app.push_screen(HelpScreen(self))
