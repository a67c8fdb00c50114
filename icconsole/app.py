"""The Textual application: home screen and cockpit over one Store."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from icconsole.collector import startup_over
from icconsole.screens.cockpit import CockpitScreen
from icconsole.store import Store

if TYPE_CHECKING:
    from icconsole.screens.home import HomeScreen


def _home_screen() -> type[HomeScreen]:
    """The home screen, imported on first use: opening a cockpit does not need it."""
    from icconsole.screens.home import HomeScreen

    return HomeScreen


class IcConsoleApp(App[None]):
    """IC Console. `blink=False` turns off cursor blinking (for snapshots)."""

    TITLE = "IC Console"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
    ]

    def __init__(
        self,
        store: Store,
        user: str,
        incident_id: str | None = None,
        *,
        blink: bool = True,
        postmortem_id: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.user = user
        self.start_incident_id = incident_id
        self.start_postmortem_id = postmortem_id
        self.blink = blink

    def on_mount(self) -> None:
        self.call_after_refresh(startup_over)
        if self.store.config.keymap:
            self.set_keymap(dict(self.store.config.keymap))
        if self.start_postmortem_id:
            self.open_postmortem(self.start_postmortem_id)

    def get_default_screen(self) -> Screen:
        """The first screen: the cockpit when opened on an incident, else the incident list
        (the bottom of the stack itself, not pushed over an empty screen)."""
        if self.start_incident_id:
            return CockpitScreen(self.start_incident_id)
        return _home_screen()()

    def go_home(self) -> None:
        """Back to the incident list (built on first use when the app opened a cockpit)."""
        home_screen = _home_screen()
        homes = [screen for screen in self.screen_stack if isinstance(screen, home_screen)]
        if len(self.screen_stack) == 1:  # opened on a cockpit: it stays beneath, paused
            self.push_screen(home_screen())
            return
        if not homes:
            self.switch_screen(home_screen())
            return
        while self.screen is not homes[-1]:
            self.pop_screen()

    def open_incident(self, incident_id: str) -> None:
        """Show the cockpit for an incident on top of the home screen."""
        self.push_screen(CockpitScreen(incident_id))

    def open_postmortem(self, incident_id: str) -> None:
        """Show the post-mortem wizard (started and pre-filled on first use)."""
        from icconsole.errors import IcError
        from icconsole.postmortem import open_postmortem
        from icconsole.screens.postmortem import PostMortemScreen

        try:
            open_postmortem(self.store, incident_id)
        except IcError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.push_screen(PostMortemScreen(incident_id))

    def copy_text(self, text: str) -> bool:
        """Copy through the terminal (OSC 52, works over SSH) and, where one exists, the
        local clipboard. Returns False when no local clipboard could be reached."""
        self.copy_to_clipboard(text)
        try:
            import pyperclip

            pyperclip.copy(text)
        except Exception:
            return False
        return True

    @on(events.DescendantFocus)
    def _no_blink(self, event: events.DescendantFocus) -> None:
        if not self.blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False
