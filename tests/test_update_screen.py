"""Pilot tests of the status-update composer and the snooze picker, pushed on the app."""

from __future__ import annotations

from datetime import timedelta

import pyperclip
import pytest
from textual.notifications import Notify
from textual.widgets import Label, Static, TextArea

from icconsole import comms
from icconsole.models import Audience, EntryKind
from icconsole.screens.cockpit import CockpitScreen
from icconsole.screens.snooze import SnoozeScreen
from icconsole.screens.update import NO_LOCAL_CLIPBOARD, UpdateComposerScreen
from tests.tui import make_app


@pytest.fixture
def local_clipboard(monkeypatch):
    """pyperclip reaches a clipboard; what it was given is recorded."""
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


@pytest.fixture
def no_local_clipboard(monkeypatch):
    def fail(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", fail)


async def _open(pilot, app, incident_id, results=None, template="internal"):
    callback = results.append if results is not None else None
    app.push_screen(UpdateComposerScreen(incident_id, template), callback)
    await pilot.pause()
    return app.screen


def _message(screen) -> str:
    return str(screen.query_one("#message", Label).render())


async def _type_at_end(pilot, screen, text: str) -> None:
    editor = screen.query_one("#editor", TextArea)
    editor.focus()
    editor.move_cursor(editor.document.end)
    await pilot.press(*text)
    await pilot.pause()


async def test_compose_copy_and_mark_sent(demo_store, clock, local_clipboard):
    incident = demo_store.most_recent_active()
    before = len(demo_store.status_updates(incident.id))
    app = make_app(demo_store, incident.id)
    results: list[bool] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id, results)
        expected = comms.draft(
            demo_store.record(incident.id), demo_store.config, "internal", clock.now()
        )
        assert screen.text == expected
        await _type_at_end(pilot, screen, " Ask in #inc-2")
        text = screen.text
        assert text.endswith("Next update by 14:45 UTC. Ask in #inc-2")
        assert "Ask in #inc-2" in str(screen.query_one("#preview", Static).render())

        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.clipboard == text
        assert local_clipboard == [text]
        assert _message(screen) == "Copied to the clipboard."

        clock.advance(minutes=2)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert results == [True]
        assert not isinstance(app.screen, UpdateComposerScreen)

    updates = demo_store.status_updates(incident.id)
    assert len(updates) == before + 1
    assert updates[-1].body == text
    assert updates[-1].audience is Audience.INTERNAL
    assert updates[-1].author == "tester"
    entry = demo_store.last_entry(incident.id)
    assert entry.kind == EntryKind.COMMS
    assert entry.text == "Internal update sent: SEV1 INC-2: Checkout API returning 5xx in eu-west-1"
    due = demo_store.incident(incident.id).next_update_due
    assert due == clock.now() + timedelta(minutes=15)
    assert due != incident.next_update_due


async def test_copy_without_a_local_clipboard_says_so(demo_store, no_local_clipboard):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.clipboard == screen.text
        assert _message(screen) == NO_LOCAL_CLIPBOARD
        assert isinstance(app.screen, UpdateComposerScreen)


async def test_switching_templates_keeps_each_draft(demo_store, clock):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.template == "external"
        assert screen.text.startswith("Checkout API returning 5xx in eu-west-1 — Monitoring")
        await _type_at_end(pilot, screen, " Thanks")
        for _ in range(3):
            await pilot.press("ctrl+t")
            await pilot.pause()
        assert screen.template == "internal"
        assert screen.text.startswith("SEV1 INC-2")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.text.endswith("Thanks")


async def test_can_report_is_recorded_as_internal(demo_store):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id, template="can")
        assert screen.text.startswith("CAN report · SEV1 INC-2")
        assert "Audience: internal" in str(screen.query_one("#audience-note", Label).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
    update = demo_store.status_updates(incident.id)[-1]
    assert update.audience is Audience.INTERNAL
    assert update.body.startswith("CAN report")


async def test_an_empty_update_is_refused_inline(demo_store):
    incident = demo_store.most_recent_active()
    before = len(demo_store.status_updates(incident.id))
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id)
        screen.query_one("#editor", TextArea).clear()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert _message(screen) == "the update is empty"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert _message(screen) == "Nothing to copy: the update is empty."
    assert len(demo_store.status_updates(incident.id)) == before


async def test_escape_warns_before_discarding_edits(demo_store):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    results: list[bool] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id, results)
        await _type_at_end(pilot, screen, "!")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert "press Escape again" in _message(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert results == [False]
        await _open(pilot, app, incident.id, results)
        await pilot.press("escape")
        await pilot.pause()
        assert results == [False, False]


async def test_preview_toggles_at_80_columns_and_shows_user_text_literally(demo_store):
    incident = demo_store.most_recent_active()
    demo_store.log(incident.id, "[@click=app.quit]quit[/] [b]", EntryKind.FINDING, "bob")
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id)
        preview = screen.query_one("#preview-pane")
        editor = screen.query_one("#editor", TextArea)
        assert not screen.has_class("-wide")
        assert editor.display and not preview.display
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert preview.display and not editor.display
        assert "- [@click=app.quit]quit[/] [b]" in str(screen.query_one("#preview").render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert editor.display and app.focused is editor


async def test_editor_and_preview_side_by_side_when_wide(demo_store):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id)
        assert screen.has_class("-wide")
        assert screen.query_one("#editor").display and screen.query_one("#preview-pane").display


async def test_snooze_is_stored_and_logged(demo_store, clock):
    incident = demo_store.most_recent_active()
    clock.advance(minutes=4)
    assert comms.update_due(demo_store.incident(incident.id).next_update_due, clock.now()).overdue
    app = make_app(demo_store, incident.id)
    results: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(SnoozeScreen(incident.id), results.append)
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert results == [10]
    snoozed = demo_store.incident(incident.id)
    assert snoozed.next_update_due == clock.now() + timedelta(minutes=10)
    entry = demo_store.last_entry(incident.id)
    assert (entry.kind, entry.author) == (EntryKind.COMMS, "tester")
    assert entry.text == "Status update reminder snoozed for 10 minutes"


async def test_snooze_without_cadence_explains_and_stays(store):
    incident = store.declare("Low", "SEV4", author="alice")
    app = make_app(store, incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = SnoozeScreen(incident.id)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "has no update cadence" in str(screen.query_one("#snooze-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_preview_toggle_is_not_offered_when_wide(demo_store):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app, incident.id)
        keys = {
            binding.key for _, binding, enabled, _ in screen.active_bindings.values() if enabled
        }
        assert "ctrl+r" not in keys and "ctrl+s" in keys


# ------------------------------------------------------- in the cockpit


def _bar(app) -> str:
    return str(app.screen.query_one("#bar").render())


def _reminders(messages) -> list:
    return [
        m.notification
        for m in messages
        if isinstance(m, Notify) and m.notification.title == "Update overdue"
    ]


async def test_overdue_reminder_repeats_every_minute_until_snoozed(demo_store, clock):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    messages: list = []
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await pilot.pause()
        cockpit = app.screen
        assert isinstance(cockpit, CockpitScreen)
        assert "next update in 00:03:00" in _bar(app)
        cockpit._tick()
        await pilot.pause()
        assert _reminders(messages) == []

        clock.advance(minutes=4)
        cockpit._tick()
        await pilot.pause()
        assert "⚠ UPDATE OVERDUE by 00:01:00" in _bar(app)
        [first] = _reminders(messages)
        assert first.message.startswith("Status update overdue by 1m. Press u to write it")
        assert first.markup is False and first.severity == "warning"

        clock.advance(seconds=30)
        cockpit._tick()
        await pilot.pause()
        assert len(_reminders(messages)) == 1
        clock.advance(seconds=30)
        cockpit._tick()
        await pilot.pause()
        assert len(_reminders(messages)) == 2

        await pilot.press("escape")  # leave the capture line: single keys act
        await pilot.pause()
        await pilot.press("Z")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is cockpit
        assert "next update in 00:05:00" in _bar(app)
        clock.advance(minutes=3)
        cockpit._tick()
        await pilot.pause()
        assert len(_reminders(messages)) == 2
        clock.advance(minutes=2)
        cockpit._tick()
        await pilot.pause()
        assert len(_reminders(messages)) == 3

    entry = demo_store.last_entry(incident.id)
    assert entry.text == "Status update reminder snoozed for 5 minutes"


async def test_sending_from_the_cockpit_restarts_the_countdown(demo_store, clock):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    messages: list = []
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await pilot.pause()
        cockpit = app.screen
        clock.advance(minutes=5)
        cockpit._tick()
        await pilot.pause()
        assert "UPDATE OVERDUE" in _bar(app)
        await pilot.press("escape", "u")
        await pilot.pause()
        assert isinstance(app.screen, UpdateComposerScreen)
        clock.advance(seconds=90)
        cockpit._tick()
        await pilot.pause()
        assert len(_reminders(messages)) == 1  # none while the composer is open
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is cockpit
        assert "next update in 00:15:00" in _bar(app)
        clock.advance(minutes=14)
        cockpit._tick()
        await pilot.pause()
        assert len(_reminders(messages)) == 1


async def test_a_severity_change_moves_the_countdown_in_the_bar(demo_store, clock):
    incident = demo_store.most_recent_active()
    app = make_app(demo_store, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "next update in 00:03:00" in _bar(app)
        capture = app.screen.query_one("#capture")
        capture.focus()
        await pilot.press(*"/sev 2", "enter")
        await pilot.pause()
        assert demo_store.incident(incident.id).severity == "SEV2"
        assert "next update in 00:18:00" in _bar(app)  # last update 14:18 + 30 minutes
        await pilot.press(*"/sev 4", "enter")
        await pilot.pause()
        assert "no update cadence" in _bar(app)
