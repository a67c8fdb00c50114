"""Snapshots of the cockpit on the demo's live incident (frozen clock, no cursor blink)."""

from __future__ import annotations

import pytest

from tests.tui import make_app


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_cockpit_on_the_demo_incident(snap_compare, demo_store, size):
    app = make_app(demo_store, demo_store.incident("INC-2").id)
    assert snap_compare(app, terminal_size=size)


def test_cockpit_timeline_focused(snap_compare, demo_store):
    app = make_app(demo_store, demo_store.incident("INC-2").id)
    assert snap_compare(app, terminal_size=(120, 40), press=["escape", "up", "up"])
