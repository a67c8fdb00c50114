"""A Footer that is rebuilt only when the keys it shows change.

Textual's Footer rebuilds all of its keys each time the screen's bindings may have changed:
on every focus change and on some cursor moves, often several times for one key press.
Rebuilding costs a restyle and a relayout of the screen; skipping the ones that would show
the same keys makes moving between fields and typing cheaper."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, str, bool, str], ...]


class SteadyFooter(Footer):
    """`Footer`, rebuilt only when the shown keys, their labels or enabled states change."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None

    def _shown_bindings(self) -> Shown:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.description, binding.action, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown_bindings()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
