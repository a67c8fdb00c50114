"""The command palette's cockpit commands, generated from the action registry."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from icconsole.actions import COCKPIT_ACTIONS, Action

if TYPE_CHECKING:
    from icconsole.screens.cockpit import CockpitScreen


def _key(action: Action) -> str:
    return action.key_display or action.key


class CockpitCommands(Provider):
    """Every cockpit action, by name, with its key and what it does."""

    def _actions(self) -> list[Action]:
        return [action for action in COCKPIT_ACTIONS if action.palette]

    def _run(self, action: Action) -> None:
        screen: CockpitScreen = self.screen  # type: ignore[assignment]
        screen.call_later(screen.run_action, action.action)

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(
                f"{action.label} ({_key(action)})",
                partial(self._run, action),
                text=action.label,
                help=action.help,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            title = f"{action.label} ({_key(action)})"
            score = max(matcher.match(title), matcher.match(action.help) * 0.8)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self._run, action),
                    text=title,
                    help=action.help,
                )
