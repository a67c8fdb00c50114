"""Snapshots of the status-update composer, one per template, on the demo incident."""

from __future__ import annotations

import pytest

from icconsole.comms import TEMPLATE_NAMES
from icconsole.screens.update import UpdateComposerScreen
from tests.tui import make_app


def _composer(store, template: str):
    incident = store.most_recent_active()
    app = make_app(store, incident.id)

    async def open_composer(pilot) -> None:
        await pilot.pause()
        app.push_screen(UpdateComposerScreen(incident.id, template))
        await pilot.pause()

    return app, open_composer


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_composer_for_each_audience(snap_compare, demo_store, template):
    app, open_composer = _composer(demo_store, template)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_composer)


def test_composer_preview_at_80_columns(snap_compare, demo_store):
    app, open_composer = _composer(demo_store, "external")
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_composer, press=["ctrl+r"])


def test_composer_wide_shows_editor_and_preview(snap_compare, demo_store):
    app, open_composer = _composer(demo_store, "can")
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_composer)
