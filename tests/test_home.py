"""Home, declare, search and help: the row data as plain functions, then Pilot pressing keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, OptionList, Select, Static

from icconsole.incident_list import excerpt, format_started, incident_rows, match_spans
from icconsole.models import Status
from icconsole.screens.cockpit import CockpitScreen
from icconsole.screens.declare import DeclareScreen
from icconsole.screens.help import HelpScreen, key_groups
from icconsole.screens.home import EMPTY_TEXT, HomeScreen
from icconsole.screens.search import SearchScreen
from icconsole.store import Store
from tests.tui import USER, make_app

# ------------------------------------------------------------------ core rows


def test_rows_list_active_first_with_elapsed_or_duration(demo_store, clock):
    rows = incident_rows(
        demo_store.incidents(), demo_store.commanders(), demo_store.config, clock.now()
    )
    assert [r.ref for r in rows] == ["INC-2", "INC-1"]
    live, past = rows
    assert live.active and live.severity == "SEV1" and live.severity_name == "Critical"
    assert live.commander == "alice" and past.commander == "grace"
    assert not past.active and past.status is Status.CLOSED
    incident = demo_store.incident("INC-1")
    assert past.elapsed != ""
    assert incident.resolved_at is not None
    clock.advance(hours=5)
    later = incident_rows(
        demo_store.incidents(), demo_store.commanders(), demo_store.config, clock.now()
    )
    assert later[1].elapsed == past.elapsed, "a resolved incident's duration is fixed"
    assert later[0].elapsed != live.elapsed, "an active incident's elapsed time grows"


def test_rows_mark_drills_and_missing_commander(store, clock):
    drill = store.declare("Failover rehearsal", "SEV3", drill=True, author="ann")
    rows = incident_rows(store.incidents(), {}, store.config, clock.now())
    assert rows[0].id == drill.id and rows[0].drill
    assert rows[0].commander == "—"
    assert rows[0].elapsed == "0s"


def test_started_shows_year_only_for_older_incidents(clock):
    now = clock.now()
    assert format_started(now - timedelta(minutes=28), now, utc=True) == "Mar 14 14:02"
    assert format_started(now - timedelta(days=400), now, utc=True) == "2025-02-07"


def test_excerpt_centres_on_the_match_and_spans_find_it():
    text = "a" * 100 + " the pool was exhausted " + "b" * 100
    line = excerpt(text, "pool", 40)
    assert len(line) == 40 and "pool" in line
    assert line.startswith("…") and line.endswith("…")
    assert excerpt("short text", "text") == "short text"
    assert match_spans("Pool of pools", "POOL") == [(0, 4), (8, 12)]


# -------------------------------------------------------------------- helpers


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def wait_until(pilot, condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Let the app run until `condition` holds (for timers); fail after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached")


def table_titles(app) -> list[str]:
    table = app.screen.query_one("#incidents", DataTable)
    return [table.get_cell_at((row, 3)).plain for row in range(table.row_count)]


# ------------------------------------------------------------------- declare


async def test_declare_from_home_opens_the_cockpit(store):
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert isinstance(app.screen, DeclareScreen)
        await type_text(pilot, "Checkout down")
        await pilot.press("tab", "enter", "up", "enter")  # severity: SEV2 -> SEV1
        await pilot.press("tab")
        await type_text(pilot, "All payments fail")
        await pilot.press("tab", "tab", "space")  # past the commander, tick Drill
        await pilot.press("ctrl+s")
        await pilot.pause()
        [incident] = store.incidents()
        assert isinstance(app.screen, CockpitScreen)
        assert app.screen.incident_id == incident.id
        assert incident.title == "Checkout down"
        assert incident.severity == "SEV1" and incident.drill
        assert incident.summary == "All payments fail"
        assert store.commander(incident.id) == USER
        assert len(store.tasks(incident.id)) == len(store.config.severity("SEV1").checklist)


async def test_declare_enter_submits_with_defaults(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Queue backlog")
        await pilot.press("enter")
        await pilot.pause()
        [incident] = store.incidents()
        assert incident.severity == store.config.default_severity
        assert isinstance(app.screen, CockpitScreen)


async def test_empty_title_shows_inline_error_and_keeps_fields(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Users see 502")
        await pilot.press("tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "dana")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DeclareScreen)
        error = dialog.query_one("#declare-error", Static)
        assert error.display and str(error.render()) == "Title must not be empty"
        title = dialog.query_one("#declare-title", Input)
        assert title.has_focus and title.has_class("-invalid")
        assert dialog.query_one("#declare-summary", Input).value == "Users see 502"
        assert dialog.query_one("#declare-commander", Input).value == "dana"
        assert store.incidents() == []
        await type_text(pilot, "Edge 502s")
        assert not title.has_class("-invalid")
        await pilot.press("enter")
        await pilot.pause()
        [incident] = store.incidents()
        assert incident.summary == "Users see 502"
        assert store.commander(incident.id) == "dana"


async def test_too_long_title_is_refused_and_kept(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        long_title = "x" * 201
        app.screen.query_one("#declare-title", Input).value = long_title
        await pilot.press("end", "enter")
        await pilot.pause()
        error = app.screen.query_one("#declare-error", Static)
        assert "too long" in str(error.render())
        assert app.screen.query_one("#declare-title", Input).value == long_title
        assert app.screen.query_one("#declare-drill", Checkbox).value is False
        assert store.incidents() == []


async def test_escape_cancels_declare(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Not really")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert store.incidents() == []


async def test_severity_choice_shows_what_it_sets_up(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        select = app.screen.query_one("#declare-severity", Select)
        assert select.value == store.config.default_severity
        select.value = "SEV1"
        await pilot.pause()
        details = str(app.screen.query_one("#declare-details", Static).render())
        assert details == "status update every 15 min · 7 checklist tasks added"


# -------------------------------------------------------------------- search


async def test_search_enter_opens_the_matching_incident(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "certificate")
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count >= 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert app.screen.incident_id == demo_store.incident("INC-1").id


async def test_search_arrows_choose_and_no_match_says_so(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        screen = app.screen
        await type_text(pilot, "zzqx")
        status = str(screen.query_one("#search-status", Static).render())
        assert status == "No incident or timeline entry matches “zzqx”."
        assert screen.query_one("#search-results", OptionList).option_count == 0
        await pilot.press("enter")
        assert app.screen is screen, "Enter with no result stays in search"
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "rollback")
        results = screen.query_one("#search-results", OptionList)
        assert results.option_count == 4 and results.highlighted == 0
        await pilot.press("down", "down", "up")
        assert results.highlighted == 1
        chosen = screen.hits[1].incident_id
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.incident_id == chosen


async def test_search_escape_returns_home(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# ---------------------------------------------------------------------- home


async def test_home_shows_incidents_written_by_another_connection(store, db_file, config, clock):
    store.declare("First", author="ann")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert table_titles(app) == ["First"]
        with Store(db_file, config, clock) as other:
            other.declare("Second from a shell", author="bob")
        await wait_until(pilot, lambda: len(table_titles(app)) == 2)
        assert table_titles(app)[0] == "Second from a shell"


async def test_home_refreshes_when_coming_back_from_the_cockpit(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        demo_store.set_status(app.screen.incident_id, Status.RESOLVED, "alice")
        await app.pop_screen()
        await pilot.pause()
        table = app.screen.query_one("#incidents", DataTable)
        statuses = [table.get_cell_at((row, 2)).plain for row in range(table.row_count)]
        assert statuses == ["resolved", "closed"]


async def test_home_empty_state(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        empty = app.screen.query_one("#home-empty", Static)
        assert empty.display and str(empty.render()) == EMPTY_TEXT
        assert not app.screen.query_one("#incidents", DataTable).display


async def test_markup_in_titles_is_shown_literally(store):
    store.declare("[@click=app.quit]boom[/] [b]x", author="ann")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert table_titles(app) == ["[@click=app.quit]boom[/] [b]x"]
        await pilot.click("#incidents", offset=(60, 1))
        await pilot.pause()
        assert app.is_running


async def test_q_quits(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


# ---------------------------------------------------------------------- help


def help_text(app) -> str:
    """The help screen as lines: group titles, `key  description` pairs, notes."""
    lines = []
    for widget in app.screen.query(".help-title, .help-key, .help-text, .help-note"):
        text = str(widget.render())
        if widget.has_class("help-text"):
            lines[-1] += "  " + text
        else:
            lines.append(text)
    return "\n".join(lines)


async def test_question_mark_opens_help_listing_home_keys(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        for line in ("n  Declare a new incident", "/  Search titles", "q  Quit IC Console"):
            assert line in text
        assert "^p  Open the command palette" in text
        assert "/decision" not in text, "home has no capture line"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("question_mark", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_follows_the_keymap(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.set_keymap({"home.declare": "d"})
        await pilot.press("question_mark")
        text = help_text(app)
        assert "d  Declare a new incident" in text
        assert "n  Declare" not in text


class CaptureScreen(Screen[None]):
    """A screen with a capture line, as the cockpit has."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "focus_capture", "Type", id="cockpit.capture"),
        Binding("s", "set_status", "Status", id="cockpit.status"),
        Binding("escape", "app.pop_screen", "Back", id="capture.back"),
    ]


async def test_help_lists_slash_commands_for_a_screen_with_a_capture_line(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = CaptureScreen()
        await app.push_screen(screen)
        await app.push_screen(HelpScreen())
        await pilot.pause()
        assert app.screen.described is screen
        text = help_text(app)
        assert "/decision  log a decision: TEXT" in text
        assert "/role" in text and "ROLE PERSON" in text
        assert "s  Change the incident's status" in text, "descriptions come from the registry"
        titles = [group.title for group in key_groups(screen)]
        assert titles == ["Capture", "Moving around", "Everywhere"]
