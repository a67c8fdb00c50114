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


# ------------------------------------------------------ in the cockpit


def role_holders(app) -> dict[str, str]:
    """The Roles pane as shown: role key -> the holder text."""
    from textual.widgets import OptionList

    options = app.screen.query_one("#roles-list", OptionList)
    return {option.id: " ".join(str(option.prompt).split()[1:]) for option in options.options}


async def to_roles_pane(pilot, role: str) -> None:
    """Leave the capture line, focus the Roles pane and highlight `role`."""
    from textual.widgets import OptionList

    if pilot.app.screen.focused is pilot.app.screen.query_one("#capture"):
        await pilot.press("escape")
    await pilot.press("1")
    options = pilot.app.screen.query_one("#roles-list", OptionList)
    options.highlighted = [o.id for o in options.options].index(role)
    await pilot.pause()


async def test_assign_reassign_and_relieve_from_the_roles_pane(demo_store, live):
    from icconsole.screens.cockpit import CockpitScreen

    app = make_app(demo_store, live)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert role_holders(app)["deputy"] == "—"
        await to_roles_pane(pilot, "deputy")
        await pilot.press("r", "enter")  # the picker opens on the highlighted role
        await pilot.pause()
        await pilot.press(*"erin", "enter")
        await pilot.pause()
        assert role_holders(app)["deputy"] == "erin"
        await to_roles_pane(pilot, "scribe")
        await pilot.press("r", "enter")
        await pilot.pause()
        await pilot.press("enter")  # "Reassign (relieves bob)"
        await pilot.pause()
        await pilot.press(*"grace", "enter")
        await pilot.pause()
        assert role_holders(app)["scribe"] == "grace"
        await pilot.press("r", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # "Relieve grace"
        await pilot.pause()
        assert role_holders(app)["scribe"] == "—"
    texts = [e.text for e in demo_store.entries(live) if e.kind == "role"]
    assert texts[-3:] == [
        "erin is now Deputy (was —)",
        "grace is now Scribe (was bob)",
        "grace relieved as Scribe",
    ]


async def test_role_history_opens_from_the_roles_pane(demo_store, live, clock):
    clock.advance(minutes=3)
    demo_store.assign_role(live, "scribe", "grace", "alice")
    app = make_app(demo_store, live)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_roles_pane(pilot, "scribe")
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, RoleHistoryScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["Scribe", "bob", "13:52", "14:33", "41m"],
            ["", "grace", "14:33", "now", "0s"],
        ]


async def test_handoff_from_the_cockpit_key_and_slash_command(demo_store, live):
    from icconsole.screens.cockpit import CockpitScreen

    app = make_app(demo_store, live)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"/handoff carol", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        assert app.screen.query_one("#handoff-to", Input).value == "carol"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        await pilot.press("escape", "h")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        await pilot.press(*"dave", "tab")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)  # not acknowledged: still here
        assert demo_store.commander(live) == "alice"
        app.screen.query_one("#handoff-ack", Checkbox).value = True
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert role_holders(app)["ic"] == "dave"
    assert demo_store.commander(live) == "dave"
    assert len(transfers(demo_store, live)) == 1


@pytest.mark.parametrize(("people", "warned"), [(7, False), (8, True)])
async def test_span_of_control_warning(store, people, warned):
    incident = store.declare("Everything is on fire", "SEV1", commander="zoe", author="zoe")
    delegated = ["deputy", "scribe", "comms", "customer", "ops", "planning"]
    for number in range(1, people + 1):
        role = delegated[number - 1] if number <= len(delegated) else "sme"
        store.assign_role(incident.id, role, f"person{number}", "zoe")
    app = make_app(store, incident.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warning = app.screen.query_one("#span-warning", Static)
        shown = str(warning.render())
        if warned:
            assert warning.display
            assert shown.startswith("⚠ 8 people report to the IC")
            assert "Deputy or a sub-team lead" in shown
        else:
            assert not warning.display
            assert shown == ""


async def test_check_back_counts_down_and_warns_when_passed(demo_store, live, clock):
    from textual.widgets import OptionList

    def replay_task() -> str:
        options = app.screen.query_one("#tasks-list", OptionList).options
        return next(str(o.prompt) for o in options if "failed orders" in str(o.prompt))

    async def shown(text: str) -> str:
        """Wait (at most 5 s) for the cockpit's once-a-second tick to draw `text`."""
        for _ in range(50):
            if text in replay_task():
                break
            await pilot.pause(0.1)
        return replay_task()

    app = make_app(demo_store, live)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#tasks")
        first = await shown("00:13:00")
        assert "00:13:00" in first and "overdue" not in first
        assert "overdue" not in pane.border_subtitle
        clock.advance(minutes=12, seconds=30)
        later = await shown("00:00:30")
        assert "00:00:30" in later and "overdue" not in later
        clock.advance(minutes=2)
        assert "⚠ overdue 00:01:30" in await shown("overdue")
        assert pane.border_subtitle == "⚠ 1 overdue"
        assert pane.has_class("-overdue")


async def test_task_edit_opens_from_the_tasks_pane(demo_store, live, clock):
    app = make_app(demo_store, live)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "2", "end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskEditScreen)
        task_id = app.screen.task_id
        assert task_id == app.screen_stack[-2].query_one("#tasks").highlighted_task
        app.screen.query_one("#task-edit-minutes", Input).value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, TaskEditScreen)
    assert demo_store.task(task_id).check_back_at == clock.now() + timedelta(minutes=5)


async def test_escalation_in_the_cockpit_offers_the_checklist(store):
    incident = store.declare("Slow search", "SEV3", commander="zoe", author="zoe")
    app = make_app(store, incident.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "v")
        await pilot.pause()
        from textual.widgets import OptionList

        picker = app.screen.query_one(OptionList)
        picker.highlighted = [o.id for o in picker.options].index("SEV1")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistOfferScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ChecklistOfferScreen)
    assert store.incident(incident.id).severity == "SEV1"
    assert store.missing_checklist(incident.id, "SEV1") == []


async def test_lowering_severity_offers_nothing(store):
    incident = store.declare("Slow search", "SEV2", commander="zoe", author="zoe")
    app = make_app(store, incident.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape", "v")
        await pilot.pause()
        from textual.widgets import OptionList

        picker = app.screen.query_one(OptionList)
        picker.highlighted = [o.id for o in picker.options].index("SEV4")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ChecklistOfferScreen)
    assert store.incident(incident.id).severity == "SEV4"


async def test_toml_override_changes_the_roles_shown(tmp_path, db_file, clock):
    from icconsole.config import load_config
    from icconsole.store import Store

    path = tmp_path / "roles.toml"
    path.write_text(
        "[roles.ops]\nenabled = false\n[roles.planning]\nenabled = false\n"
        '[roles.deputy]\nname = "Deputy IC"\n'
        '[roles.security]\nname = "Security Lead"\n',
        encoding="utf-8",
    )
    with Store(db_file, load_config(path), clock) as store:
        incident = store.declare("Leaked token", "SEV2", commander="zoe", author="zoe")
        store.assign_role(incident.id, "Security Lead", "mallory", "zoe")
        app = make_app(store, incident.id)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            holders = role_holders(app)
            assert list(holders) == [
                "ic",
                "deputy",
                "scribe",
                "comms",
                "customer",
                "sme",
                "security",
            ]
            assert holders["security"] == "mallory"
