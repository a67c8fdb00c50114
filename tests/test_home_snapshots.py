"""Snapshots of home, declare, search and help on the demo file (frozen clock, no blink)."""

from __future__ import annotations

from tests.tui import make_app


def test_home_80x24(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24))


def test_home_120x40(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store), terminal_size=(120, 40))


def test_home_with_a_drill_and_cursor_moved(snap_compare, demo_store):
    demo_store.declare("Quarterly failover rehearsal", "SEV3", drill=True, author="ann")
    assert snap_compare(make_app(demo_store), terminal_size=(100, 24), press=["down"])


def test_declare_modal_80x24(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), press=["n"])


def test_declare_modal_error_120x40(snap_compare, demo_store):
    press = ["n", "tab", "tab", *"Users see 502", "ctrl+s"]
    assert snap_compare(make_app(demo_store), terminal_size=(120, 40), press=press)


def test_search_results_80x24(snap_compare, demo_store):
    press = ["slash", *"rollback", "down"]
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), press=press)


def test_help_80x24(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), press=["question_mark"])


def test_help_120x40(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store), terminal_size=(120, 40), press=["question_mark"])


def test_help_over_the_cockpit_120x40(snap_compare, demo_store):
    live = demo_store.incident("INC-2")
    app = make_app(demo_store, incident_id=live.id)
    assert snap_compare(app, terminal_size=(120, 40), press=["escape", "question_mark"])
