"""Building the app for Pilot and snapshot tests: test user, no cursor blink."""

from __future__ import annotations

from icconsole.app import IcConsoleApp
from icconsole.store import Store

USER = "tester"


def make_app(store: Store, incident_id: str | None = None) -> IcConsoleApp:
    return IcConsoleApp(store, user=USER, incident_id=incident_id, blink=False)
