"""The cockpit, driven through real key presses."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Label

from icconsole.models import EntryKind, Status, TaskStatus
from icconsole.screens.cockpit import CockpitScreen
from icconsole.store import Store
from icconsole.widgets.capture import CaptureLine
from icconsole.widgets.tasks_pane import TasksPane
from icconsole.widgets.timeline import Timeline
from tests.tui import USER, make_app

SIZE = (120, 40)


def fresh(store: Store, severity: str = "SEV2") -> str:
    return store.declare("Search is slow", severity, commander=USER, author=USER).id


def timeline_text(app) -> str:
    timeline = app.screen.query_one(Timeline)
    return "\n".join(
        timeline.render_line(y).text for y in range(timeline.scrollable_content_region.height)
    )


async def type_line(pilot, text: str) -> None:
    capture = pilot.app.screen.query_one(CaptureLine)
    capture.focus()
    capture.value = ""
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


def error_text(app) -> str:
    label = app.screen.query_one("#capture-error", Label)
    return "" if label.has_class("-empty") else str(label.render())


async def test_opens_with_the_capture_line_focused_and_logs_a_note(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert isinstance(app.focused, CaptureLine)
        await type_line(pilot, "p99 at 2s")
        last = store.last_entry(incident_id)
        assert (last.kind, last.text, last.author) == (EntryKind.NOTE, "p99 at 2s", USER)
        assert app.screen.query_one(CaptureLine).value == ""
        assert "p99 at 2s" in timeline_text(app)


async def test_entry_commands(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for kind in ("decision", "hypothesis", "finding", "action"):
            await type_line(pilot, f"/{kind} the {kind}")
            last = store.last_entry(incident_id)
            assert last.kind == EntryKind(kind) or (kind == "action" and last.kind == "task")
        kinds = [(e.kind.value, e.text) for e in store.entries(incident_id)]
        for kind in ("decision", "hypothesis", "finding", "action"):
            assert (kind, f"the {kind}") in kinds
        assert "the action" in [t.title for t in store.tasks(incident_id)]
        assert "◆ decision" in timeline_text(app)


async def test_status_severity_role_task_and_pin_commands(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_line(pilot, "/status identified")
        assert store.incident(incident_id).status == Status.IDENTIFIED
        assert "IDENTIFIED" in str(app.screen.query_one("#bar").render())
        await type_line(pilot, "/role scribe dave")
        assert [(a.role, a.person) for a in store.roles(incident_id) if a.role == "scribe"] == [
            ("scribe", "dave")
        ]
        await type_line(pilot, "/task page DBA")
        assert "page DBA" in [t.title for t in store.tasks(incident_id)]
        await type_line(pilot, "worth keeping")
        await type_line(pilot, "/pin")
        assert store.last_entry(incident_id).pinned
        assert "★" in timeline_text(app)
        await type_line(pilot, "/sev 3")
        assert store.incident(incident_id).severity == "SEV3"
        assert isinstance(app.screen, CockpitScreen)


async def test_escalation_offers_the_missing_checklist(store):
    incident_id = fresh(store, "SEV3")
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_line(pilot, "/sev 1")
        assert store.incident(incident_id).severity == "SEV1"
        assert app.screen.__class__.__name__ == "ChecklistOfferScreen"


async def test_handoff_and_update_commands_open_their_screens(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_line(pilot, "/handoff carol")
        assert app.screen.__class__.__name__ == "HandoffScreen"
        assert app.screen.to_person == "carol"
        app.pop_screen()
        await pilot.pause()
        await type_line(pilot, "/update")
        assert app.screen.__class__.__name__ == "UpdateComposerScreen"


async def test_backdating(store, clock):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_line(pilot, "-5m first alert fired")
        entry = store.last_entry(incident_id)
        assert entry.text == "first alert fired"
        assert entry.occurred_at == clock.now() - timedelta(minutes=5)
        await type_line(pilot, "@14:20 /decision page DBA")
        entry = store.last_entry(incident_id)
        assert (entry.kind, entry.occurred_at) == (
            EntryKind.DECISION,
            clock.now().replace(minute=20),
        )


async def test_a_rejected_command_keeps_its_text(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = store.entry_count(incident_id)
        await type_line(pilot, "/status sideways")
        capture = app.screen.query_one(CaptureLine)
        assert capture.value == "/status sideways"
        assert "/status needs one of" in error_text(app)
        assert store.entry_count(incident_id) == before
        await pilot.press("backspace")
        assert error_text(app) == ""
        await type_line(pilot, "/bogus")
        assert "unknown command /bogus" in error_text(app)
        assert isinstance(app.screen, CockpitScreen)


async def test_completion_and_history(store):
    incident_id = fresh(store)
    store.assign_role(incident_id, "scribe", "bartholomew", USER)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        capture = app.screen.query_one(CaptureLine)
        await pilot.press(*"/dec")
        await pilot.pause()
        await pilot.press("right")
        assert capture.value == "/decision"
        capture.value = ""
        await pilot.press(*"/handoff bar")
        await pilot.pause()
        await pilot.press("right")
        assert capture.value == "/handoff bartholomew"
        capture.value = ""
        await type_line(pilot, "one")
        await type_line(pilot, "two")
        await pilot.press(*"dra")
        await pilot.press("up")
        assert capture.value == "two"
        await pilot.press("up", "up")
        assert capture.value == "one"
        await pilot.press("down", "down")
        assert capture.value == "dra"


async def test_escape_leaves_the_line_then_goes_home(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"half typed")
        await pilot.press("escape")
        assert isinstance(app.focused, Timeline)
        await pilot.press("s")
        assert app.screen.__class__.__name__ == "OptionPicker"
        await pilot.press("escape", "2")
        assert app.focused.id == "tasks-list"
        await pilot.press("1")
        assert app.focused.id == "roles-list"
        await pilot.press("i")
        assert app.screen.query_one(CaptureLine).value == "half typed"
        await pilot.press("escape", "escape")
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_status_and_severity_pickers(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "s", "down", "enter")
        await pilot.pause()
        assert store.incident(incident_id).status == Status.MITIGATED
        await pilot.press("v", "enter")
        await pilot.pause()
        assert store.incident(incident_id).severity == "SEV1"
        assert app.screen.__class__.__name__ == "ChecklistOfferScreen"


async def test_assign_reassign_and_relieve_a_role_with_r(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "r", "down", "enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "TextPrompt"
        await pilot.press(*"dave", "enter")
        await pilot.pause()
        assert store.roles(incident_id)[-1].person == "dave"
        assert store.roles(incident_id)[-1].role == "deputy"
        await pilot.press("r", "down", "enter", "enter", *"erin", "enter")
        await pilot.pause()
        assert [a.person for a in store.roles(incident_id) if a.role == "deputy"] == ["erin"]
        await pilot.press("r", "down", "enter", "down", "enter")
        await pilot.pause()
        assert [a for a in store.roles(incident_id) if a.role == "deputy"] == []
        assert "erin relieved as Deputy" in timeline_text(app)


async def test_roles_pane_shows_every_role_and_the_span_warning(store):
    incident_id = fresh(store)
    for index in range(7):
        store.assign_role(incident_id, "sme", f"sme{index}", USER)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warning = app.screen.query_one("#span-warning", Label)
        roles = app.screen.query_one("#roles-list")
        assert roles.option_count == len(store.config.active_roles)
        assert "Deputy   —" in str(roles.get_option_at_index(1).prompt)
        assert warning.has_class("-empty")
        store.assign_role(incident_id, "scribe", "sam", USER)
        app.screen.reload()
        await pilot.pause()
        assert not warning.has_class("-empty")
        assert "8 people report to the IC" in str(warning.render())


async def test_add_a_task_with_t_and_toggle_it_with_space(store):
    incident_id = fresh(store, "SEV4")
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "t", *"restart it", "enter")
        await pilot.pause()
        task = next(t for t in store.tasks(incident_id) if t.title == "restart it")
        pane = app.screen.query_one(TasksPane)
        assert pane.border_title == "Tasks 0/2"
        await pilot.press("2", "down", "space")
        await pilot.pause()
        assert store.task(task.id).status == TaskStatus.DONE
        assert pane.border_title == "Tasks 1/2"
        assert pane.highlighted_task == task.id
        await pilot.press("space")
        await pilot.pause()
        assert store.task(task.id).status == TaskStatus.TODO


async def test_task_check_back_counts_down_and_warns(store, clock):
    incident_id = fresh(store, "SEV4")
    store.add_task(
        incident_id, "check the replica", USER, check_back_at=clock.now() + timedelta(minutes=5)
    )
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#tasks-list")
        prompt = str(options.get_option_at_index(1).prompt)
        assert "back in 00:05:00" in prompt
        clock.advance(minutes=6)
        app.screen._tick()
        await pilot.pause()
        assert "⚠ overdue 00:01:00" in str(options.get_option_at_index(1).prompt)
        assert app.screen.query_one(TasksPane).border_subtitle == "⚠ 1 overdue"


async def test_update_countdown_turns_into_a_warning(store, clock):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one("#bar")
        assert "next update in 00:30:00" in str(bar.render())
        clock.advance(minutes=31)
        app.screen._tick()
        await pilot.pause()
        assert "⚠ UPDATE OVERDUE by 00:01:00" in str(bar.render())


async def test_pin_edit_and_retract_the_selected_entry(store):
    incident_id = fresh(store)
    store.log(incident_id, "disk at 95%", author="bob")
    entry = store.last_entry(incident_id)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "p")
        await pilot.pause()
        assert store.entry(entry.id).pinned
        await pilot.press("p")
        await pilot.pause()
        assert not store.entry(entry.id).pinned
        await pilot.press("e", "ctrl+u", *"disk at 97%", "enter")
        await pilot.pause()
        assert store.entry(entry.id).text == "disk at 97%"
        assert [r.text for r in store.revisions(entry.id)] == ["disk at 95%"]
        assert "disk at 97% (edited)" in timeline_text(app)
        await pilot.press("x", "enter")
        await pilot.pause()
        assert store.entry(entry.id).retracted
        assert "retracted: disk at 97%" in timeline_text(app)


async def test_a_write_from_another_connection_appears(store, db_file, config, clock):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"typing")
        with Store(db_file, config, clock) as other:
            other.log(incident_id, "from the scribe's shell", author="bob")
            other.assign_role(incident_id, "scribe", "bob", "bob")
        await pilot.pause(1.0)
        assert "from the scribe's shell" in timeline_text(app)
        assert "bob" in str(app.screen.query_one("#roles-list").get_option_at_index(2).prompt)
        assert app.screen.query_one(CaptureLine).value == "typing"


async def test_the_timeline_keeps_its_place_when_scrolled_up(store, db_file, config, clock):
    incident_id = fresh(store)
    store.log_many(incident_id, [f"line {n}" for n in range(300)], author="bob")
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "line 299" in timeline_text(app)
        await pilot.press("escape", "pageup", "pageup")
        await pilot.pause()
        shown = timeline_text(app)
        store.log(incident_id, "newest", author="bob")
        app.screen.reload()
        await pilot.pause()
        assert timeline_text(app) == shown
        await pilot.press("end")
        store.log(incident_id, "even newer", author="bob")
        app.screen.reload()
        await pilot.pause()
        assert "even newer" in timeline_text(app)


async def test_markup_in_text_is_shown_literally(store):
    incident_id = fresh(store)
    store.log(incident_id, "[@click=app.quit]boom[/]", author="[b]mallory[/b]")
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_line(pilot, "[red]typed[/red] [@click=app.quit]x[/]")
        text = timeline_text(app)
        assert "[@click=app.quit]boom[/]" in text
        assert "[red]typed[/red] [@click=app.quit]x[/]" in text
        await pilot.click(Timeline, offset=(60, timeline_text(app).count("\n") - 1))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, CockpitScreen)


async def test_utc_toggle(store):
    incident_id = fresh(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one("#bar")
        assert "local" in str(bar.render())
        await pilot.press("escape", "z")
        assert "UTC" in str(bar.render())


def test_timeline_windows_read_the_same_from_either_end(store):
    incident_id = fresh(store)
    store.log_many(incident_id, [f"n{n}" for n in range(150)], author="bob")
    count = store.entry_count(incident_id)
    forward = store.entry_rows(incident_id, count - 70, 50)
    assert store.entry_rows(incident_id, 20, 50, from_end=True) == forward
    newest = store.max_seq(incident_id)
    store.log(incident_id, "one more", author="bob")
    assert store.entry_count(incident_id, after_seq=newest) == 1
