"""After the IC's own note only the timeline's end is re-read; the rows it shows must still
be the stored ones, also when a backdated note lands among the older entries."""

from __future__ import annotations

from icconsole.entry_pages import PAGE_SIZE
from icconsole.store import Store
from icconsole.widgets.capture import CaptureLine
from icconsole.widgets.timeline import Timeline
from tests.tui import USER, make_app

SIZE = (120, 40)
ENTRIES = PAGE_SIZE * 3 + 10


def long_incident(store: Store) -> str:
    incident_id = store.declare("Search is slow", "SEV2", commander=USER, author=USER).id
    store.log_many(incident_id, (f"older entry {n}" for n in range(ENTRIES)), author="bot")
    return incident_id


async def enter(pilot, text: str) -> None:
    capture = pilot.app.screen.query_one(CaptureLine)
    capture.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


def assert_rows_match_store(store: Store, incident_id: str, timeline: Timeline) -> None:
    stored = store.entry_rows(incident_id, 0, store.entry_count(incident_id))
    assert timeline.count == len(stored)
    shown = [timeline._row(index) for index in range(timeline.count)]
    assert [row.text for row in shown] == [row.text for row in stored]


async def test_appended_notes_keep_older_pages_and_show_the_newest(store):
    incident_id = long_incident(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        timeline.move_cursor(0)
        assert timeline.selected is not None  # the first page, read; an append keeps it
        timeline.action_jump(-1)
        await pilot.pause()
        first_page = timeline._pages.cached(0)
        assert first_page is not None
        await enter(pilot, "first new note")
        await enter(pilot, "second new note")
        assert timeline._pages.cached(0) is first_page
        last_y = min(timeline.count, timeline.scrollable_content_region.height) - 1
        assert "second new note" in timeline.render_line(last_y).text
        assert timeline.border_subtitle == f"{timeline.count:,} entries"
        assert_rows_match_store(store, incident_id, timeline)


async def test_a_backdated_note_rereads_every_page(store):
    incident_id = long_incident(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        await enter(pilot, "-5m seen earlier")
        assert store.entry_rows(incident_id, 0, 1)[0].text == "seen earlier"
        assert_rows_match_store(store, incident_id, timeline)
        await enter(pilot, "after it")
        assert_rows_match_store(store, incident_id, timeline)


async def test_an_appended_entry_asks_the_screen_for_its_repaint_at_once(store):
    """The repaint request reaches the screen while the note is handled, not when the
    timeline next idles: so the entry is drawn with the frame that clears the capture line
    instead of one frame (1/60 s) later."""
    from textual.messages import Update

    incident_id = long_incident(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        posted: list[object] = []
        post = app.screen.post_message
        app.screen.post_message = lambda message: posted.append(message) or post(message)
        store.log(incident_id, "written by the IC", author=USER)
        timeline.reload(recount=False, appended=True)
        assert any(isinstance(m, Update) and m.widget is timeline for m in posted)
        posted.clear()
        timeline.reload(recount=True)  # another process's change waits for the poll's idle
        assert not posted
