"""Opened on an incident, the cockpit is the first screen (no empty screen beneath it); a
covered cockpit neither polls nor ticks, and catches up as soon as it is shown again."""

from __future__ import annotations

from icconsole.screens.cockpit import CockpitScreen
from icconsole.screens.home import HomeScreen
from icconsole.store import Store
from icconsole.widgets.timeline import Timeline
from tests.tui import USER, make_app

SIZE = (120, 40)


def declared(store: Store) -> str:
    return store.declare("Search is slow", "SEV2", commander=USER, author=USER).id


async def test_the_cockpit_is_the_first_screen_and_escape_goes_home_over_it(store) -> None:
    app = make_app(store, declared(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [CockpitScreen]
        cockpit = app.screen
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert all(not timer._active.is_set() for timer in cockpit._live_timers)


async def test_the_home_screen_is_the_first_screen_without_an_incident(store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [HomeScreen]


async def test_a_covered_cockpit_pauses_and_catches_up_when_shown(store) -> None:
    incident_id = declared(store)
    app = make_app(store, incident_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cockpit = app.screen
        await pilot.press("escape", "s")  # the status picker covers the cockpit
        await pilot.pause()
        assert app.screen is not cockpit
        assert all(not timer._active.is_set() for timer in cockpit._live_timers)
        with Store(store.path, store.config) as other:  # another responder's process
            other.log(incident_id, "logged while a dialog was open", author="bob")
        await pilot.pause(1.2)
        timeline = cockpit.query_one(Timeline)
        assert timeline._row(timeline.count - 1).text != "logged while a dialog was open"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is cockpit
        assert timeline._row(timeline.count - 1).text == "logged while a dialog was open"
        assert all(timer._active.is_set() for timer in cockpit._live_timers)
