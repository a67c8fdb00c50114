"""Pilot tests: the handoff ceremony, role history, task editing and the checklist offer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, SelectionList, Static, TextArea

from icconsole.screens.checklist_offer import ChecklistOfferScreen
from icconsole.screens.handoff import HandoffScreen
from icconsole.screens.role_history import RoleHistoryScreen
from icconsole.screens.task_edit import TaskEditScreen
from tests.tui import make_app

SIZE = (100, 36)


async def open_modal(app, pilot, screen):
    """Push `screen`; returns a list that receives its dismiss value."""
    results: list = []
    app.push_screen(screen, results.append)
    await pilot.pause()
    return results


def message(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def transfers(store, incident_id):
    return [e for e in store.entries(incident_id) if e.text.startswith("Command transferred")]


@pytest.fixture
def live(demo_store):
    return demo_store.incident("INC-2").id


# ---------------------------------------------------------------- handoff


async def test_no_transfer_without_acknowledgement(demo_store, live):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, HandoffScreen(live, "carol"))
        screen = app.screen
        assert screen.query_one("#handoff-transfer", Button).disabled
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert 'carol must confirm "I have command"' in message(app, "#handoff-message")
        assert results == []
        assert demo_store.handoffs(live) == []
        assert demo_store.commander(live) == "alice"
        assert transfers(demo_store, live) == []


async def test_handoff_ceremony_stores_brief_and_one_entry(demo_store, live):
    app = make_app(demo_store)
    before = demo_store.entry_count(live)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, HandoffScreen(live, "carol"))
        area = app.screen.query_one("#handoff-brief", TextArea)
        assert "Command from alice to carol" in area.text
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press(*"Watch the retries.")
        brief = area.text
        await pilot.click("#handoff-ack")
        await pilot.pause()
        assert app.screen.query_one("#handoff-ack", Checkbox).value
        assert not app.screen.query_one("#handoff-transfer", Button).disabled
        await pilot.click("#handoff-transfer")
        await pilot.pause()
        assert results == [True]
    [handoff] = demo_store.handoffs(live)
    assert (handoff.from_person, handoff.to_person) == ("alice", "carol")
    assert handoff.brief == brief.strip()
    assert handoff.brief.endswith("Watch the retries.")
    assert demo_store.commander(live) == "carol"
    assert [e.text for e in transfers(demo_store, live)] == [
        "Command transferred from alice to carol"
    ]
    assert demo_store.entry_count(live) == before + 1


async def test_copy_puts_the_brief_on_the_clipboard(demo_store, live, monkeypatch):
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_modal(app, pilot, HandoffScreen(live, "carol"))
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.clipboard == app.screen.query_one(TextArea).text
        assert app.clipboard.startswith("HANDOFF BRIEF — INC-2")
        assert "no local clipboard was found" in message(app, "#handoff-message")
        monkeypatch.setattr(pyperclip, "copy", lambda text: None)
        await pilot.click("#handoff-copy")
        await pilot.pause()
        assert message(app, "#handoff-message") == "Brief copied to the clipboard."
    assert demo_store.handoffs(live) == []


async def test_naming_the_incoming_ic_completes_and_resets_acknowledgement(demo_store, live):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_modal(app, pilot, HandoffScreen(live))
        screen = app.screen
        ack = screen.query_one("#handoff-ack", Checkbox)
        assert ack.disabled
        assert "Command from alice to (incoming IC)" in screen.query_one(TextArea).text
        await pilot.press("c", "a")
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert screen.query_one("#handoff-to", Input).value == "carol"
        assert "Command from alice to carol" in screen.query_one(TextArea).text
        assert not ack.disabled
        assert str(ack.label) == 'carol confirms: "I have command"'
        ack.value = True
        await pilot.pause()
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"dave")
        await pilot.pause()
        assert not ack.value
        assert str(ack.label) == 'dave confirms: "I have command"'
        assert screen.query_one("#handoff-transfer", Button).disabled


async def test_edited_brief_is_kept_when_the_name_changes(demo_store, live):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_modal(app, pilot, HandoffScreen(live, "carol"))
        area = app.screen.query_one(TextArea)
        area.text = "My own brief."
        app.screen.query_one("#handoff-to", Input).value = "dave"
        await pilot.pause()
        assert area.text == "My own brief."


async def test_handoff_refusals_are_shown_inline(demo_store, live):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, HandoffScreen(live, "alice"))
        app.screen.query_one("#handoff-ack", Checkbox).value = True
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert message(app, "#handoff-message") == "alice already has command"
        app.screen.query_one("#handoff-to", Input).value = "carol"
        await pilot.pause()
        app.screen.query_one("#handoff-ack", Checkbox).value = True
        app.screen.query_one(TextArea).text = "   "
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "The brief is empty" in message(app, "#handoff-message")
        await pilot.press("escape")
        await pilot.pause()
        assert results == [False]
    assert demo_store.handoffs(live) == []
    assert demo_store.commander(live) == "alice"


async def test_user_text_in_the_handoff_is_not_markup(store):
    incident = store.declare("[@click=app.quit]boom", "SEV2", commander="[b]zed", author="zed")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_modal(app, pilot, HandoffScreen(incident.id, "[red]amy"))
        screen = app.screen
        assert "[@click=app.quit]boom" in str(screen.query_one("#handoff-title", Static).render())
        assert str(screen.query_one("#handoff-ack", Checkbox).label) == (
            '[red]amy confirms: "I have command"'
        )
        assert app.is_running


# ----------------------------------------------------------- role history


async def test_role_history_shows_each_holder_from_when_to_when(demo_store, live, clock):
    clock.advance(minutes=5)
    demo_store.assign_role(live, "scribe", "erin", "alice")
    clock.advance(minutes=5)
    demo_store.relieve_role(live, "comms", "alice")
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_modal(app, pilot, RoleHistoryScreen(live, "scribe"))
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["Scribe", "bob", "13:52", "14:35", "43m"],
            ["", "erin", "14:35", "now", "5m"],
        ]
        assert "Scribe" in str(app.screen.query_one("#role-history-title", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RoleHistoryScreen)
        await open_modal(app, pilot, RoleHistoryScreen(live))
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        by_person = {row[1]: row for row in rows}
        assert by_person["carol"][2:4] == ["13:52", "14:40"]
        assert by_person["alice"][3] == "now"
        deputy = next(row for row in rows if row[0] == "Deputy")
        assert deputy[1] == "— (the IC holds it)"
        assert {row[0] for row in rows} >= {"Incident Commander", "Subject Matter Expert"}


# -------------------------------------------------------------- task edit


async def test_task_edit_sets_owner_status_and_check_back(demo_store, live, clock):
    task = demo_store.tasks(live)[-2]  # "Notify the executive on-call", todo, no owner
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, TaskEditScreen(task.id))
        screen = app.screen
        await pilot.press(*"erin")
        screen.query_one("#task-edit-status").focus()
        await pilot.press("right", "enter")
        screen.query_one("#task-edit-minutes", Input).focus()
        await pilot.press("1", "0", "enter")
        await pilot.pause()
        assert results == [True]
    saved = demo_store.task(task.id)
    assert saved.owner == "erin"
    assert saved.status == "doing"
    assert saved.check_back_at == clock.now() + timedelta(minutes=10)
    texts = [e.text for e in demo_store.entries(live)][-2:]
    assert texts[0].startswith("Task changed: Notify the executive on-call — owner erin")
    assert texts[1] == "Task doing: Notify the executive on-call"


async def test_task_edit_zero_clears_and_bad_input_is_refused(demo_store, live):
    task = demo_store.tasks(live)[-1]  # has a check-back
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, TaskEditScreen(task.id))
        screen = app.screen
        screen.query_one("#task-edit-minutes", Input).value = "2000"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "within 1440 minutes" in message(app, "#task-edit-message")
        screen.query_one("#task-edit-name", Input).value = "  "
        screen.query_one("#task-edit-minutes", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(app, "#task-edit-message") == "the task needs a title"
        assert results == []
        screen.query_one("#task-edit-name", Input).value = task.title
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert results == [True]
    assert demo_store.task(task.id).check_back_at is None


async def test_task_edit_cancel_changes_nothing(demo_store, live):
    task = demo_store.tasks(live)[-1]
    before = demo_store.entry_count(live)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, TaskEditScreen(task.id))
        await pilot.press(*"zed", "escape")
        await pilot.pause()
        assert results == [False]
    assert demo_store.task(task.id) == task
    assert demo_store.entry_count(live) == before


# -------------------------------------------------------------- checklists


async def test_checklist_applied_on_declare_and_offered_on_escalation(store):
    incident = store.declare("Slow search", "SEV3", commander="zoe", author="zoe")
    sev3 = [item.title for item in store.config.severity("SEV3").checklist]
    assert [t.title for t in store.tasks(incident.id)] == sev3
    assert all(t.source == "checklist SEV3" for t in store.tasks(incident.id))
    store.set_severity(incident.id, "SEV1", "zoe")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, ChecklistOfferScreen(incident.id, "SEV1"))
        items = app.screen.query_one(SelectionList)
        sev1 = [item.title for item in store.config.severity("SEV1").checklist]
        assert items.option_count == len(sev1)
        assert len(items.selected) == len(sev1)
        await pilot.press("down", "space")  # untick "Open a bridge…"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert results == [len(sev1) - 1]
    titles = [t.title for t in store.tasks(incident.id)]
    assert titles == sev3 + [title for title in sev1 if title != sev1[1]]
    assert store.missing_checklist(incident.id, "SEV1")[0].title == sev1[1]
    first_update = store.tasks(incident.id)[len(sev3) + 3]
    assert first_update.title == "Send the first internal update"
    assert first_update.check_back_at is not None


async def test_checklist_offer_declined_or_nothing_missing(store):
    incident = store.declare("Slow search", "SEV3", commander="zoe", author="zoe")
    store.set_severity(incident.id, "SEV2", "zoe")
    before = len(store.tasks(incident.id))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        results = await open_modal(app, pilot, ChecklistOfferScreen(incident.id, "SEV2"))
        await pilot.press("escape")
        await pilot.pause()
        assert results == [0]
        assert len(store.tasks(incident.id)) == before
        store.apply_checklist(
            incident.id, "SEV2", "zoe", store.missing_checklist(incident.id, "SEV2")
        )
        results = await open_modal(app, pilot, ChecklistOfferScreen(incident.id, "SEV2"))
        assert results == [0]
