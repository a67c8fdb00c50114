"""Snapshots: the role history over the cockpit, the handoff screen, and the Tasks pane
with an overdue check-back — all on the demo incident with the frozen clock."""

from __future__ import annotations

from icconsole.screens.handoff import HandoffScreen
from tests.tui import make_app


def _cockpit(store):
    incident = store.most_recent_active()
    return make_app(store, incident.id), incident.id


def test_roles_pane_with_history(snap_compare, demo_store, clock):
    incident = demo_store.most_recent_active()
    clock.advance(minutes=1)
    demo_store.assign_role(incident.id, "scribe", "erin", "alice")
    clock.advance(minutes=1)
    demo_store.relieve_role(incident.id, "sme", "alice", "frank")
    app, _ = _cockpit(demo_store)

    async def open_history(pilot) -> None:
        await pilot.pause()
        await pilot.press("escape", "1", "down", "down", "R")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=open_history)


def test_handoff_screen(snap_compare, demo_store):
    app, incident_id = _cockpit(demo_store)

    async def open_handoff(pilot) -> None:
        await pilot.pause()
        app.push_screen(HandoffScreen(incident_id, "carol"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 32), run_before=open_handoff)


def test_tasks_pane_with_overdue_check_back(snap_compare, demo_store, clock):
    demo_store.snooze_update(demo_store.most_recent_active().id, 30, "alice")
    clock.advance(minutes=16)
    app, _ = _cockpit(demo_store)

    async def focus_tasks(pilot) -> None:
        await pilot.pause()
        await pilot.press("escape", "2")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=focus_tasks)
