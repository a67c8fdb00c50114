"""Reading a timeline entry in full: Enter on the timeline opens the entry detail."""

from __future__ import annotations

import html
import re

from textual.geometry import Region
from textual.widget import Widget

from icconsole.models import EntryKind
from icconsole.screens.cockpit import CockpitScreen
from icconsole.screens.entry_detail import EntryDetailScreen
from icconsole.screens.help import HelpScreen
from icconsole.store import Store
from icconsole.widgets.timeline import Timeline
from tests.tui import USER, make_app

SIZE = (80, 24)
TAIL = " end-of-entry-QX7Z"
MARKUP = "[@click=app.quit]boom[/]"


def long_text() -> str:
    words = "replica lag on the checkout shard climbed while the pool drained "
    return (words * 10)[: 500 - len(TAIL)] + TAIL


def fresh(store: Store) -> str:
    return store.declare("Search is slow", "SEV2", commander=USER, author=USER).id


def lines(widget: Widget) -> list[str]:
    """What `widget` draws, one string per line."""
    return [strip.text for strip in widget.render_lines(Region(0, 0, *widget.size))]


def words(text: str) -> str:
    return " ".join(text.split())


def screen_text(app) -> str:
    return "\n".join(line for widget in app.screen.query(Widget) for line in lines(widget))


def on_screen(app) -> str:
    """The characters the terminal shows, from the app's screenshot."""
    return html.unescape(re.sub(r"<[^>]*>", "", app.export_screenshot())).replace("\xa0", " ")


def timeline_text(app) -> str:
    timeline = app.screen.query_one(Timeline)
    return "\n".join(
        timeline.render_line(y).text for y in range(timeline.scrollable_content_region.height)
    )


async def open_detail(pilot, ups: int) -> EntryDetailScreen:
    """From the capture line: to the timeline, `ups` entries up from the newest, Enter."""
    await pilot.press("escape", *["up"] * ups, "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EntryDetailScreen)
    return screen


async def test_a_long_entry_is_shown_whole(store):
    incident_id = fresh(store)
    text = long_text()
    store.log(incident_id, text, EntryKind.FINDING, "dave")
    store.log(incident_id, "second", EntryKind.NOTE, USER)
    store.log(incident_id, "third", EntryKind.NOTE, USER)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert len(store.last_entry(incident_id).text) < len(text) == 500
        assert TAIL.strip() not in timeline_text(app)
        screen = await open_detail(pilot, 2)
        body = screen.query_one("#entry-detail-text")
        assert words(" ".join(lines(body))) == words(text)
        assert screen.query_one("#entry-detail-body").region.contains_region(body.region)
        shown = screen_text(app)
        assert "✓ finding" in shown and "dave" in shown and "Edited    no" in shown
        assert "Retracted no" in shown and "Pinned    no" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert isinstance(app.focused, Timeline)


async def test_an_entry_taller_than_the_screen_scrolls_to_its_end(store):
    incident_id = fresh(store)
    text = "\n".join(f"line {n}: the pool drained again" for n in range(60)) + "\nLAST-LINE"
    store.log(incident_id, text, EntryKind.NOTE, USER)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_detail(pilot, 0)
        assert "line 3: the pool" in on_screen(app) and "LAST-LINE" not in on_screen(app)
        await pilot.press("end")
        await pilot.pause()
        assert "LAST-LINE" in on_screen(app) and "line 3: the pool" not in on_screen(app)
        assert "esc or ⏎ close" in on_screen(app)


async def test_an_edited_entry_shows_its_earlier_texts(store, clock):
    incident_id = fresh(store)
    entry = store.log(incident_id, "rollback of 4512 started", EntryKind.ACTION, "bob")
    clock.advance(minutes=3)
    store.edit_entry(entry.id, "rollback of 4513 started", "carol")
    clock.advance(minutes=2)
    store.edit_entry(entry.id, "rollback of 4514 started", "erin")
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_detail(pilot, 0)
        shown = screen_text(app)
        assert "rollback of 4514 started" in shown
        assert "yes, 2 times" in shown
        first = shown.index("Version 1 · replaced by carol at 2026-03-14 14:33:00 local")
        second = shown.index("Version 2 · replaced by erin at 2026-03-14 14:35:00 local")
        assert first < shown.index("rollback of 4512 started") < second
        assert second < shown.index("rollback of 4513 started")


async def test_a_retracted_entry_says_so(store, clock):
    incident_id = fresh(store)
    entry = store.log(incident_id, "DNS is the cause", EntryKind.HYPOTHESIS, "bob")
    store.log(incident_id, "newer", EntryKind.NOTE, USER)
    clock.advance(minutes=4)
    store.retract_entry(entry.id, USER)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_detail(pilot, 1)
        shown = screen_text(app)
        assert "✗ yes, at 2026-03-14 14:34:00 local" in shown
        assert "DNS is the cause" in shown
        assert screen.query_one("#entry-detail-text").has_class("-retracted")


async def test_markup_in_an_entry_is_shown_literally(store):
    incident_id = fresh(store)
    store.log(incident_id, MARKUP, EntryKind.NOTE, "mallory")
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_detail(pilot, 0)
        body = screen.query_one("#entry-detail-text")
        assert MARKUP in lines(body)[0]
        await pilot.click(body)
        await pilot.pause()
        assert app.is_running and app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)


async def test_times_follow_the_cockpit_toggle(store, clock):
    incident_id = fresh(store)
    clock.advance(minutes=5)
    backdated = clock.now().replace(minute=31)
    store.log(incident_id, "backdated", EntryKind.NOTE, USER, occurred_at=backdated)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_detail(pilot, 0)
        shown = screen_text(app)
        assert "Occurred  2026-03-14 14:31:00 local" in shown
        assert "Recorded  2026-03-14 14:35:00 local  (logged 4m after)" in shown
        await pilot.press("escape", "z", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryDetailScreen)
        assert "Occurred  2026-03-14 14:31:00 UTC" in screen_text(app)


async def test_read_is_offered_where_enter_reads(demo_store):
    app = make_app(demo_store, demo_store.incident("INC-2").id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.active_bindings["enter"].binding.id != "cockpit.entry_detail"
        await pilot.press("escape")
        await pilot.pause()
        active = screen.active_bindings["enter"].binding
        assert (active.id, active.description, active.show) == (
            "cockpit.entry_detail",
            "Read",
            True,
        )
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Read the selected entry in full" in screen_text(app)


def test_detail_over_the_cockpit_80x24(snap_compare, demo_store):
    incident = demo_store.incident("INC-2")
    query = next(e for e in demo_store.entries(incident.id) if e.text.startswith("Query for"))
    demo_store.edit_entry(
        query.id, "Query for orders that failed since deploy 4512 (payments replica)", "dave"
    )
    app = make_app(demo_store, incident.id)
    assert snap_compare(app, terminal_size=SIZE, press=["escape", "up", "up", "enter"])
