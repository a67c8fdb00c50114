"""Snapshots of the status-update composer, one per template, on the demo incident, and of
the incident bar when the update is overdue."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from icconsole.comms import TEMPLATE_NAMES
from icconsole.screens.update import UpdateComposerScreen
from icconsole.widgets.incident_bar import IncidentBar
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


class BarHost(App[None]):
    """Just the cockpit's incident bar for one incident, drawn at the store's now."""

    def __init__(self, store, incident_id: str) -> None:
        super().__init__()
        self.store = store
        self.incident_id = incident_id

    def compose(self) -> ComposeResult:
        yield IncidentBar(id="bar")

    def on_mount(self) -> None:
        incident = self.store.incident(self.incident_id)
        commander = self.store.commander(incident.id)
        self.query_one(IncidentBar).show(
            incident, commander, self.store.now(), True, self.store.config
        )


def test_incident_bar_overdue(snap_compare, demo_store, clock):
    clock.advance(minutes=5, seconds=12)
    app = BarHost(demo_store, demo_store.most_recent_active().id)
    assert snap_compare(app, terminal_size=(80, 3))
