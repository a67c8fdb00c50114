"""The action registry: one definition per action, and everything generated from it."""

from __future__ import annotations

from icconsole.actions import COCKPIT_ACTIONS, action_by_id, method_name
from icconsole.screens.cockpit import CockpitScreen
from icconsole.screens.palette import CockpitCommands
from tests.tui import make_app


def test_ids_and_keys_are_unique():
    ids = [a.id for a in COCKPIT_ACTIONS]
    keys = [a.key for a in COCKPIT_ACTIONS]
    assert len(set(ids)) == len(ids)
    assert len(set(keys)) == len(keys)
    assert action_by_id("cockpit.pin").key == "p"


def test_every_action_has_a_handler():
    for action in COCKPIT_ACTIONS:
        if action.action.startswith("app."):
            continue
        assert callable(getattr(CockpitScreen, f"action_{method_name(action)}", None)), action


def test_screen_bindings_come_from_the_registry():
    bindings = {b.id: b for b in CockpitScreen.BINDINGS}
    assert set(bindings) == {a.id for a in COCKPIT_ACTIONS}
    for action in COCKPIT_ACTIONS:
        binding = bindings[action.id]
        assert (binding.key, binding.action, binding.description, binding.show) == (
            action.key,
            action.action,
            action.label,
            action.show,
        )


async def test_the_palette_lists_every_palette_action(demo_store):
    app = make_app(demo_store, demo_store.incident("INC-2").id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        provider = CockpitCommands(app.screen)
        found = [hit.text async for hit in provider.discover()]
        assert found == [a.label for a in COCKPIT_ACTIONS if a.palette]
        hits = [hit.text async for hit in provider.search("retract")]
        assert hits and hits[0].startswith("Retract")


async def test_a_keymap_rebinds_by_id(demo_store):
    app = make_app(demo_store, demo_store.incident("INC-2").id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.set_keymap({"cockpit.status": "S"})
        await pilot.press("escape", "S")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "OptionPicker"
