"""Pilot tests: the whole wizard on a resolved copy of the demo's live incident."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Checkbox, DataTable, Markdown, Static

from icconsole.models import ActionStatus, PostMortemStatus, Status
from icconsole.screens.action_item import ActionItemForm
from icconsole.screens.pickers import OptionPicker
from icconsole.screens.postmortem import PostMortemScreen
from icconsole.screens.postmortem_preview import APPENDIX, PREVIEW_ROWS, PostMortemPreview, capped
from icconsole.widgets.key_events import KeyEventList
from icconsole.widgets.lint_area import LintTextArea
from tests.tui import make_app


@pytest.fixture
def resolved_demo(demo_store):
    """The demo's SEV1 (INC-2), resolved, so that its post-mortem can be published."""
    incident = demo_store.incident("INC-2")
    demo_store.set_status(incident.id, "resolved", "alice")
    return demo_store, incident


async def _open(app, pilot, incident_id) -> PostMortemScreen:
    app.open_postmortem(incident_id)
    await pilot.pause()
    assert isinstance(app.screen, PostMortemScreen)
    return app.screen


async def _type_into(pilot, screen, key: str, text: str) -> None:
    widget = screen.query_one(f"#f-{key}")
    widget.focus()
    await pilot.pause()
    if isinstance(widget, LintTextArea):
        widget.insert(text)
    else:
        await pilot.press(*text)
    await pilot.pause()


def _static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _click_advance(pilot, screen) -> None:
    """Click "Move to …"; a click during the button's short press effect would be ignored."""
    button = screen.query_one("#pm-advance")
    while button.has_class("-active"):
        await pilot.pause(0.05)
    await pilot.click("#pm-advance")
    await pilot.pause()


def _cursor_line(events_list: KeyEventList) -> str:
    """The text of the timeline review's line under the cursor, as drawn."""
    return events_list.render_line(events_list.cursor - round(events_list.scroll_y) + 1).text


async def test_walk_the_whole_wizard(resolved_demo):
    store, incident = resolved_demo
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await _open(app, pilot, incident.id)
        assert screen._step_key == "header"

        # Header
        await _type_into(pilot, screen, "facilitator", "ivan")
        await _type_into(pilot, screen, "attendees", "alice, bob, carol")
        await _type_into(pilot, screen, "authors", "bob")
        # Summary: pre-filled from title, severity, impact and duration
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen._step_key == "summary"
        summary = screen.query_one("#f-summary", LintTextArea)
        assert "SEV1" in summary.text and "Checkout API returning 5xx" in summary.text
        # Impact, lead-up
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "30% of checkout attempts" in screen.query_one("#f-impact", LintTextArea).text
        await pilot.press("ctrl+n")
        await _type_into(pilot, screen, "leadup", "Deploy 4512 changed the pool size.")

        # Timeline review: decisions, pinned, status and role entries preselected
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen._step_key == "timeline"
        events_list = screen.query_one("#pm-events", KeyEventList)
        assert app.focused is events_list
        first = screen._selected_entry()
        assert first is not None and first.pinned  # the pinned alert opens the timeline
        await pilot.press("space")  # leave it out
        await pilot.press("space")  # and back in
        assert first.id in screen.pm.state["key_events"]
        for row in range(events_list.count):
            events_list.move_cursor(row)
            entry = screen._selected_entry()
            if entry.id in screen.pm.state["key_events"]:
                await pilot.press("k")  # known then
        marks = screen.pm.state["knowledge"]
        assert marks and set(marks.values()) == {"then"}
        entries = store.entries(incident.id)
        note = next(e for e in entries if e.text.startswith("Support reports"))
        assert note.id not in screen.pm.state["key_events"]
        events_list.move_cursor(entries.index(note))
        await pilot.press("space", "k", "k")  # include it, learned later
        assert note.id in screen.pm.state["key_events"]
        assert screen.pm.state["knowledge"][note.id] == "later"
        await pilot.pause()
        assert note.text in _static_text(screen, "#pm-event-detail")  # not cut to the column
        assert "✓" in _cursor_line(events_list) and "later" in _cursor_line(events_list)

        # Detection shows the metrics with their definitions
        await pilot.press("ctrl+n")
        await pilot.pause()
        metrics = _static_text(screen, "#pm-metrics")
        assert "Time to detect" in metrics and "from when impact began" in metrics
        await pilot.press("ctrl+n")
        await _type_into(pilot, screen, "response", "Rolled back 4512; shed retries.")

        # Contributing factors: a name and blame are flagged while typing
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen._step_key == "factors"
        await _type_into(pilot, screen, "trigger", "dave deployed 4512")
        trigger = screen.query_one("#f-trigger", LintTextArea)
        assert [f.phrase for f in trigger.findings] == ["dave"]
        assert "dave" in _static_text(screen, "#lint-trigger")
        trigger.clear()
        trigger.insert("Deploy 4512 raised the pool size from 20 to 80 per pod.")
        await pilot.pause()
        assert trigger.findings == []
        await _type_into(
            pilot,
            screen,
            "contributing_factors",
            "- the on-call forgot to check max_connections\n- Should the pool be capped?",
        )
        factors = screen.query_one("#f-contributing_factors", LintTextArea)
        assert [f.phrase for f in factors.findings] == ["forgot to"]

        # Backlog and recurrence: similar incidents listed
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "No similar incident" in _static_text(screen, "#pm-similar")
        await pilot.press("ctrl+n")
        await _type_into(pilot, screen, "went_well", "Fast rollback.")
        await _type_into(pilot, screen, "went_wrong", "Retries kept load high.")

        # Action items: promote a task, add, edit, delete
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen._step_key == "actions"
        assert app.focused is screen.query_one("#pm-actions")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, OptionPicker)
        await pilot.press("enter")
        await pilot.pause()
        items = store.action_items(incident.id)
        assert [i.title for i in items] == ["Identify failed orders for replay"]
        assert items[0].source_task_id

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionItemForm)
        await pilot.press(*"Cap the pool size", "tab", "tab", "tab", *"dave", "tab")
        await pilot.press(*"2026-13-01", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionItemForm)  # a bad date keeps the form open
        assert "not a date" in str(app.screen.query_one("#form-error").render())
        await pilot.press(*["backspace"] * 5, *"04-01", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        items = store.action_items(incident.id)
        assert [i.owner for i in items] == ["dave", "dave"]
        assert str(items[1].due_date) == "2026-04-01"

        await pilot.press("e")  # the new item is selected
        await pilot.pause()
        await pilot.press("end", *" at 40", "ctrl+s")
        await pilot.pause()
        assert store.action_items(incident.id)[1].title == "Cap the pool size at 40"

        screen.query_one("#pm-actions", DataTable).move_cursor(row=0)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [i.title for i in store.action_items(incident.id)] == ["Cap the pool size at 40"]

        # Open questions, then review
        await pilot.press("ctrl+n")
        await _type_into(pilot, screen, "open_questions", "Is 40 enough at peak?")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen._step_key == "review"
        review = _static_text(screen, "#pm-review-summary")
        assert "1 phrase" in review and "contributing factors 1" in review

        # draft -> in review (sections filled); reviewed needs the criteria
        await _click_advance(pilot, screen)
        assert store.postmortem(incident.id).status == PostMortemStatus.IN_REVIEW
        await _click_advance(pilot, screen)
        assert "criteria not checked" in _static_text(screen, "#pm-gate")
        assert store.postmortem(incident.id).status == PostMortemStatus.IN_REVIEW
        for checkbox in screen.query(Checkbox):
            checkbox.focus()
            await pilot.press("space")
        await pilot.pause()
        await _click_advance(pilot, screen)
        assert store.postmortem(incident.id).status == PostMortemStatus.REVIEWED
        await _click_advance(pilot, screen)
        assert store.postmortem(incident.id).status == PostMortemStatus.PUBLISHED
        assert store.incident(incident.id).status == Status.CLOSED

        # Preview at any step
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PostMortemPreview)
        assert "## Contributing factors" in app.screen.document
        assert "Cap the pool size at 40" in app.screen.document
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

    saved = store.postmortem(incident.id)
    assert saved.facilitator == "ivan" and saved.authors == "bob"
    assert saved.sections["open_questions"] == "Is 40 enough at peak?"
    assert all(saved.state["criteria"].values())
    assert [i.status for i in store.action_items(incident.id)] == [ActionStatus.OPEN]


async def test_autosave_within_a_second_and_resume(resolved_demo):
    store, incident = resolved_demo
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(app, pilot, incident.id)
        screen.show_step("lessons")
        await pilot.pause()
        await _type_into(pilot, screen, "got_lucky", "It happened on a quiet day.")
        await pilot.press("ctrl+s")  # saved now: the next change starts a new period
        assert store.postmortem(incident.id).sections["got_lucky"] == "It happened on a quiet day."
        area = screen.query_one("#f-got_lucky", LintTextArea)
        area.cursor_location = (0, 12)
        await pilot.press("x")
        stored = store.postmortem(incident.id).sections["got_lucky"]
        assert stored == "It happened on a quiet day."  # not written at once
        await pilot.pause(1.3)
        saved = store.postmortem(incident.id)
        assert saved.sections["got_lucky"] == "It happened xon a quiet day."
        assert saved.state["step"] == "lessons" and saved.state["field"] == "got_lucky"
        # leaving saves at once, and coming back resumes at the same step, field and place
        await pilot.press("y", "escape", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, PostMortemScreen)
        assert store.postmortem(incident.id).sections["got_lucky"].startswith("It happened xy")
        screen = await _open(app, pilot, incident.id)
        await pilot.pause()
        assert screen._step_key == "lessons"
        assert app.focused is screen.query_one("#f-got_lucky")
        assert app.focused.cursor_location == (0, 14)


async def test_step_list_moves_between_steps(resolved_demo):
    store, incident = resolved_demo
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(app, pilot, incident.id)
        await pilot.press("escape")  # from the editor to the step list
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert screen._step_key == "leadup"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is screen.query_one("#f-leadup")
        await pilot.press("ctrl+r", "ctrl+r")
        await pilot.pause()
        assert screen._step_key == "summary"


async def test_wont_do_needs_a_reason_in_the_form(resolved_demo):
    store, incident = resolved_demo
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(app, pilot, incident.id)
        screen.show_step("actions")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#title").value = "Rewrite the pool"
        form.query_one("#status").value = "won't do"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs a reason" in str(form.query_one("#form-error").render())
        form.query_one("#reason").value = "superseded by the new proxy"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        [item] = store.action_items(incident.id)
        assert item.status == ActionStatus.WONT_DO and item.reason.startswith("superseded")


async def test_markup_in_text_is_shown_literally(resolved_demo):
    store, incident = resolved_demo
    store.log(incident.id, "[@click=app.quit]boom[/] [bold]x", "decision", "bob")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await _open(app, pilot, incident.id)
        screen.show_step("timeline")
        await pilot.pause()
        events_list = screen.query_one("#pm-events", KeyEventList)
        await pilot.press("end")  # the newest entry
        await pilot.pause()
        assert "[@click=app.quit]boom[/] [bold]x" in _cursor_line(events_list)
        assert app.is_running


async def test_app_started_on_the_wizard_goes_back_home(resolved_demo):
    from icconsole.app import IcConsoleApp
    from icconsole.screens.home import HomeScreen

    store, incident = resolved_demo
    app = IcConsoleApp(store, user="tester", blink=False, postmortem_id=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PostMortemScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_enter_on_a_closed_incident_in_home_opens_its_postmortem(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # INC-1, closed, below the live INC-2
        await pilot.pause()
        assert isinstance(app.screen, PostMortemScreen)
        assert app.screen.incident.ref == "INC-1"
        assert app.screen.pm.status == PostMortemStatus.PUBLISHED


async def test_wizard_on_an_incident_of_100000_entries(resolved_demo):
    store, incident = resolved_demo
    before = store.entry_count(incident.id)
    store.log_many(incident.id, (f"worker log line {n}" for n in range(100_000)), author="bot")
    total = before + 100_000
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(app, pilot, incident.id)
        for _ in range(4):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert screen._step_key == "timeline"
        events_list = screen.query_one("#pm-events", KeyEventList)
        assert app.focused is events_list
        assert events_list.count == total
        assert f"{total:,} entries · " in _static_text(screen, "#pm-events-note")
        first = _cursor_line(events_list)
        assert "✓" in first and "Checkout API" in first  # the pinned alert

        # the key events alone: the preselection, none of the worker lines
        await pilot.press("f")
        await pilot.pause()
        chosen = screen.pm.state["key_events"]
        assert events_list.count == len(chosen) < 20
        assert "Key events only" in _static_text(screen, "#pm-events-note")
        lines = []
        for row in range(events_list.count):
            events_list.move_cursor(row)
            await pilot.pause()
            lines.append(_cursor_line(events_list))
        assert all(line.lstrip().startswith("✓") for line in lines)
        assert any("Roll back deploy 4512" in line for line in lines)
        assert not any("worker log line" in line for line in lines)
        await pilot.press("k")  # the last key event: known then
        decision = screen._selected_entry()
        assert screen.pm.state["knowledge"][decision.id] == "then"

        # back to every entry, on the same entry; include the newest worker line
        await pilot.press("f")
        await pilot.pause()
        assert events_list.count == total
        assert screen._selected_entry().id == decision.id
        await pilot.press("end", "space")
        await pilot.pause()
        newest = screen._selected_entry()
        assert newest.text == "worker log line 99999"
        assert "bot: worker log line 99999" in _static_text(screen, "#pm-event-detail")
        assert screen.pm.state["key_events"][-1] == newest.id
        assert "✓" in _cursor_line(events_list)

        # the other steps still work: metrics, then on to the review and back
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Time to acknowledge" in _static_text(screen, "#pm-metrics")
        for _ in range(7):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert screen._step_key == "review"
        for _ in range(8):
            await pilot.press("ctrl+r")
            await pilot.pause()
        assert screen._step_key == "timeline"
        assert app.focused is events_list

        # the preview is built in a thread and shows the first entries of the appendix
        await pilot.press("ctrl+o")
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, PostMortemPreview)
        await preview.workers.wait_for_complete()
        await pilot.pause()
        assert "worker log line 99998" in preview.document
        shown = preview.query_one(Markdown).source
        assert "worker log line 99998" not in shown
        assert "worker log line 99999" in shown  # a key event now
        assert f"and {total - PREVIEW_ROWS:,} more entries" in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
    saved = store.postmortem(incident.id)
    assert newest.id in saved.state["key_events"]
    assert saved.state["knowledge"][decision.id] == "then"


async def test_a_long_text_is_linted_again_when_typing_pauses(resolved_demo):
    store, incident = resolved_demo
    app = make_app(store)
    messages: list = []
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:

        async def linted() -> None:
            for _ in range(100):
                if any(isinstance(m, LintTextArea.Linted) for m in messages):
                    messages.clear()
                    return
                await pilot.pause(0.05)
            raise AssertionError("the long text was not linted again")

        screen = await _open(app, pilot, incident.id)
        screen.show_step("leadup")
        await pilot.pause()
        area = screen.query_one("#f-leadup", LintTextArea)
        area.text = "Human error, said the first draft.\n" + "The pool grew to 80.\n" * 300
        await linted()
        assert [f.phrase for f in area.findings] == ["Human error"]
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press(*"They forgot to")
        # while typing goes on, the findings above the edited line stay marked
        assert [f.phrase for f in area.findings][:1] == ["Human error"]
        # on a slow machine a pause between two keys may lint a part of the line first
        for _ in range(5):
            await linted()
            if len(area.findings) == 2:
                break
        assert [f.phrase for f in area.findings] == ["Human error", "forgot to"]
        assert "forgot to" in _static_text(screen, "#lint-leadup")


async def test_keys_typed_ahead_of_tab_land_in_the_next_field(resolved_demo):
    store, incident = resolved_demo
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(app, pilot, incident.id)
        for char in "ivan\tbob\tcarol":  # one burst, as a fast typist's keys arrive
            app.post_message(events.Key("tab" if char == "\t" else char, char))
        await pilot.pause()
        assert (screen.pm.facilitator, screen.pm.attendees, screen.pm.authors) == (
            "ivan",
            "bob",
            "carol",
        )
        screen.show_step("actions")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        for char in "Cap the pool\t\t\tdave":
            app.post_message(events.Key("tab" if char == "\t" else char, char))
        await pilot.pause()
        assert form.query_one("#title").value == "Cap the pool"
        assert form.query_one("#owner").value == "dave"


def test_preview_caps_the_full_timeline_only():
    table = ["| Time | Kind | Who | What |", "|---|---|---|---|"]
    rows = [f"| 14:0{n % 10} | note | bob | line {n} |" for n in range(5)]
    document = "\n".join(["# INC-9", "", *table, *rows, "", APPENDIX, "", *table, *rows, ""])
    assert capped(document, rows=5) == document
    cut = capped(document, rows=2)
    assert cut.count("line 4") == 1 and cut.count("line 1") == 2  # the key events stay whole
    assert "*… and 3 more entries: the exported document lists every one.*" in cut
    assert capped("# no appendix\n| a |", rows=0) == "# no appendix\n| a |"
