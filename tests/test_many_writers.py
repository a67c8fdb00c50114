"""Many writers: the cockpit open on an incident while four processes log 250 entries each
and a fifth changes the status and the roles, and the IC keeps typing.

Nothing is lost, nobody is told "database is locked" (not the workers' stderr, not the
app's notifications, not the capture line), and the cockpit shows all of it (entry
count, status, roles) within a second of the last write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from icconsole.clock import FrozenClock
from icconsole.config import Config
from icconsole.store import Store
from icconsole.widgets.capture import CaptureLine
from icconsole.widgets.incident_bar import IncidentBar
from icconsole.widgets.timeline import Timeline
from tests.tui import make_app

ROOT = Path(__file__).resolve().parent.parent
LOGGERS = 4
PER_LOGGER = 250
IC_ENTRIES = 12
SHOWN_WITHIN = 1.0

# One OS process per logger; each runs `icconsole log` 250 times in-process, so every entry
# is its own Store open, transaction and commit, as separate shells do.
LOGGER = """
import sys
from icconsole.cli import cli

db, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(count):
    try:
        cli.main(
            ["--db", db, "log", f"logger {worker} entry {n}", "--author", f"w{worker}"],
            prog_name="icconsole",
            standalone_mode=False,
        )
    except BaseException as exc:
        print(f"logger {worker} entry {n}: {type(exc).__name__}: {exc}", file=sys.stderr)
"""

# The fifth process: status and role changes spread over the loggers' run.
CHANGES = [
    ["status", "identified"],
    ["role", "scribe", "bob"],
    ["role", "deputy", "carol"],
    ["role", "comms", "dave"],
    ["role", "sme", "frank"],
    ["status", "mitigated"],
    ["role", "scribe", "erin"],
    ["role", "sme", "grace"],
    ["role", "deputy", "--relieve"],
]
CHANGER = """
import json, sys, time
from icconsole.cli import cli

db, changes = sys.argv[1], json.loads(sys.argv[2])
for change in changes:
    time.sleep(0.25)
    try:
        cli.main(["--db", db, *change], prog_name="icconsole", standalone_mode=False)
    except BaseException as exc:
        print(f"{change}: {type(exc).__name__}: {exc}", file=sys.stderr)
"""
EXPECTED_ROLES = {"ic": "alice", "scribe": "erin", "comms": "dave", "sme": "frank, grace"}


def _spawn(code: str, args: list[str], out: Path) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ICCONSOLE_USER": "changer"}
    err = out.with_suffix(".err")
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", code, *args], env=env, stdout=stdout, stderr=stderr
        )
    return process, err


def _roles_shown(app) -> dict[str, str]:
    """Role key -> the holders the Roles pane shows."""
    options = app.screen.query_one("#roles-list").options
    shown = {}
    for option in options:
        holders = " ".join(str(option.prompt).split()[1:])
        if holders != "—":
            shown[option.id] = holders
    return shown


def _cockpit_state(app, timeline: Timeline) -> tuple[int, str, str, dict[str, str]]:
    bar = str(app.screen.query_one(IncidentBar).render())
    status = next((s for s in ("INVESTIGATING", "IDENTIFIED", "MITIGATED") if s in bar), "")
    return timeline.count, str(timeline.border_subtitle), status, _roles_shown(app)


async def test_cockpit_with_five_writers(
    tmp_path: Path, db_file: Path, config: Config, clock: FrozenClock
) -> None:
    with Store(db_file, config, clock) as setup:
        incident = setup.declare("Checkout down", "SEV2", author="alice")
    store = Store(db_file, config)
    app = make_app(store, incident.id)
    notices: list[str] = []
    notify = app.notify

    def record_notice(message, *args, **kwargs):
        notices.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = record_notice
    errors_seen: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        capture = app.screen.query_one(CaptureLine)
        workers = [
            _spawn(LOGGER, [str(db_file), str(w), str(PER_LOGGER)], tmp_path / f"logger{w}.out")
            for w in range(LOGGERS)
        ]
        workers.append(
            _spawn(CHANGER, [str(db_file), json.dumps(CHANGES)], tmp_path / "changer.out")
        )
        typed = 0
        while any(process.poll() is None for process, _ in workers):
            if typed < IC_ENTRIES:
                capture.value = f"IC entry {typed} during the storm"
                await pilot.press("enter")
                typed += 1
                error = str(app.screen.query_one("#capture-error").render())
                if error:
                    errors_seen.append(error)
            await pilot.pause(0.05)
        last_write_done = time.monotonic()
        assert typed == IC_ENTRIES
        for process, err in workers:
            assert process.wait(timeout=60) == 0
            assert err.read_text() == "", err.read_text()
        assert all((tmp_path / f"logger{w}.out").read_text() == "" for w in range(LOGGERS))
        changed = (tmp_path / "changer.out").read_text().splitlines()
        assert changed[-1] == "INC-1: Deputy relieved"
        assert len(changed) == len(CHANGES)

        with Store(db_file, config) as check:
            total = check.entry_count(incident.id)
            texts = {row.text for row in check.entry_rows(incident.id, 0, total)}
            status = check.incident(incident.id).status.value.upper()
            newest_text = check.last_entry(incident.id).text
        expected = (total, f"{total:,} entries", status, EXPECTED_ROLES)
        shown = _cockpit_state(app, timeline)
        while shown != expected and time.monotonic() < last_write_done + SHOWN_WITHIN:
            await pilot.pause(0.05)
            shown = _cockpit_state(app, timeline)
        assert shown == expected
        newest = timeline.render_line(timeline.scrollable_content_region.height - 1).text
        assert newest_text[:40] in newest
    store.close()

    loggers = {f"logger {w} entry {n}" for w in range(LOGGERS) for n in range(PER_LOGGER)}
    assert loggers <= texts
    assert {f"IC entry {n} during the storm" for n in range(IC_ENTRIES)} <= texts
    assert status == "MITIGATED"
    assert errors_seen == []
    assert not [n for n in notices if "lock" in n.lower() or "busy" in n.lower()], notices
