"""Records are plain dataclasses: read and shown without pydantic, which validates them
where data comes in (writes, imports, merges, the config file)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from icconsole.config import default_config, validated_config
from icconsole.errors import InputError
from icconsole.models import Incident, Status
from icconsole.store import Store
from icconsole.validation import jsonable

OPEN_COCKPIT = """
import sys
from pathlib import Path
from icconsole.config import load_config
from icconsole.store import Store
store = Store(Path(sys.argv[1]), load_config())
incident = store.most_recent_active()
store.incident(incident.ref), store.roles(incident.id), store.tasks(incident.id)
store.entry_rows(incident.id, 0, 50), store.record(incident.id)
import icconsole.app, icconsole.cli, icconsole.screens.cockpit
print(sorted(name for name in sys.modules if name.split(".")[0] == "pydantic"))
"""


def test_reading_an_incident_and_opening_the_cockpit_never_load_pydantic(demo_store) -> None:
    done = subprocess.run(
        [sys.executable, "-c", OPEN_COCKPIT, str(demo_store.path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_the_built_in_defaults_equal_their_validated_form() -> None:
    assert default_config() == validated_config({})


def test_validated_cleans_and_converts_and_names_a_refused_field() -> None:
    when = "2026-03-14T14:30:00+01:00"
    times = dict(started_at=when, declared_at=when, created_at=when, updated_at=when)
    incident = Incident.validated(
        id="x", ref="INC-1", number="1", title="  Search \x1b[31m is slow ", severity="SEV2",
        status="mitigated", **times,
    )  # fmt: skip
    assert (incident.number, incident.status) == (1, Status.MITIGATED)
    assert incident.title == "Search is slow"  # escape sequence dropped, spaces collapsed
    assert incident.started_at == datetime(2026, 3, 14, 13, 30, tzinfo=UTC)
    assert jsonable(incident)["started_at"] == "2026-03-14T13:30:00Z"
    with pytest.raises(InputError, match=r"^title: .*title must not be empty"):
        Incident.validated(id="x", ref="INC-1", number=1, title=" ", severity="SEV2", **times)
    with pytest.raises(InputError, match=r"^bogus: Extra inputs are not permitted"):
        Incident.validated(
            id="x", ref="INC-1", number=1, title="t", severity="SEV2", bogus=1, **times
        )


def test_a_stored_value_that_does_not_convert_is_refused_naming_its_field(
    store: Store,
) -> None:
    incident = store.declare("Search is slow", "SEV2", author="alice")
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE incident SET status = 'bogus'")
    with pytest.raises(InputError, match=r"^status: "):
        store.incident(incident.ref)
