"""Crash safety: the real TUI in a pseudo-terminal, killed with SIGKILL at random points.

Every entry the screen showed as accepted (drawn as a timeline row: kind, author, text)
must be in the file afterwards, the file must pass `PRAGMA integrity_check`, and nothing
typed may be stored twice, merged with another line or cut short.

The short version runs in the normal suite; `--run-slow` runs 50 trials."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from textual import events

from icconsole.config import build_config
from icconsole.store import Store
from icconsole.widgets.capture import CaptureLine
from tests.ptyterm import PtyTerm, Screen
from tests.tui import make_app

ROOT = Path(__file__).resolve().parent.parent
USER = "tester"
SUFFIX = "crash entry"
# A timeline row as the cockpit draws it at 120 columns: `16:12 • note  tester  k3n0q …`.
ROW = re.compile(rf"note\s+{USER}\s+(k\d+n\d+q) {SUFFIX}")
READY = "Type a note"
START_TIMEOUT = 60


@dataclass
class Trial:
    """What one trial typed, saw and found in the file."""

    seed: int
    typed: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)
    stored: list[str] = field(default_factory=list)
    integrity: str = ""
    exit_code: int = 0


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "TERM": "xterm-256color",
        "ICCONSOLE_USER": USER,
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _declare(db: Path) -> None:
    with Store(db, build_config({})) as store:
        store.declare("Crash trial", "SEV2", author=USER)


def _watch(trial: Trial):
    def watch(screen: Screen) -> None:
        for line in screen.lines():
            trial.shown.update(ROW.findall(line))

    return watch


def _inspect(db: Path, trial: Trial) -> None:
    """Open the file as anyone would after the crash (recovering the WAL) and read it."""
    conn = sqlite3.connect(db)
    try:
        trial.integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute(
            "SELECT text FROM timeline_entry WHERE kind = 'note' AND author = ? ORDER BY seq",
            [USER],
        ).fetchall()
    finally:
        conn.close()
    trial.stored = [row[0] for row in rows]


def run_trial(tmp_path: Path, seed: int) -> Trial:
    """Type entries at random speed and SIGKILL the TUI at a random moment: between
    entries, in the middle of typing one, or right after an Enter."""
    rng = random.Random(seed)
    trial = Trial(seed)
    db = tmp_path / f"crash-{seed}.db"
    _declare(db)
    term = PtyTerm(
        [sys.executable, "-m", "icconsole", "--db", str(db), "open", "INC-1"], env=_env()
    )
    term.on_output = _watch(trial)
    try:
        assert term.wait_for(lambda s: READY in s.text(), START_TIMEOUT), term.screen.text()
        entries = rng.randint(2, 12)
        kill_at = rng.randint(1, entries)
        for n in range(entries):
            token = f"k{seed}n{n}q"
            text = f"{token} {SUFFIX}"
            if n == kill_at:
                term.write(text[: rng.randint(0, len(text))])  # half typed, never entered
                term.pump(rng.uniform(0, 0.05))
                break
            trial.typed.append(token)
            term.write(text + "\r")
            if n == 0:
                # The first entry is always seen, so that every trial tests something.
                assert term.wait_for(lambda s, t=token: t in trial.shown, START_TIMEOUT)
            else:
                deadline = time.monotonic() + rng.choice((0, 0.005, 0.02, 0.1, 0.3))
                while term.pump(max(0.0, deadline - time.monotonic())):
                    if time.monotonic() >= deadline:
                        break
        trial.exit_code = term.kill(signal.SIGKILL)
    finally:
        term.close()
    _inspect(db, trial)
    return trial


def check(trial: Trial) -> None:
    assert trial.exit_code == -signal.SIGKILL
    assert trial.integrity == "ok"
    stored_tokens = [text.removesuffix(f" {SUFFIX}") for text in trial.stored]
    # Every stored line is one whole line as typed, once, in the order typed.
    assert trial.stored == [f"{token} {SUFFIX}" for token in stored_tokens]
    assert stored_tokens == trial.typed[: len(stored_tokens)]
    # What the screen showed as accepted survived the kill.
    assert trial.shown, "the trial saw no entry accepted"
    assert trial.shown <= set(stored_tokens), sorted(trial.shown - set(stored_tokens))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_keeps_every_entry_shown(tmp_path: Path, seed: int) -> None:
    check(run_trial(tmp_path, seed))


@pytest.mark.slow
def test_kill_9_fifty_trials(tmp_path: Path) -> None:
    trials = [run_trial(tmp_path, seed) for seed in range(100, 150)]
    for trial in trials:
        check(trial)
    shown = sum(len(t.shown) for t in trials)
    stored = sum(len(t.stored) for t in trials)
    print(f"\n50 trials: {shown} entries shown, {stored} stored, 0 lost, integrity ok")


def test_lines_typed_ahead_stay_apart_in_a_real_terminal(tmp_path: Path) -> None:
    """Several lines arriving at once (typed ahead, or pasted line by line) are several
    entries, each whole: none merged, none cut, none lost."""
    db = tmp_path / "typeahead.db"
    _declare(db)
    trial = Trial(0)
    term = PtyTerm(
        [sys.executable, "-m", "icconsole", "--db", str(db), "open", "INC-1"], env=_env()
    )
    term.on_output = _watch(trial)
    tokens = [f"k0n{n}q" for n in range(10)]
    try:
        assert term.wait_for(lambda s: READY in s.text(), START_TIMEOUT), term.screen.text()
        term.write("".join(f"{token} {SUFFIX}\r" for token in tokens))
        assert term.wait_for(lambda s: set(tokens) <= trial.shown, 30), term.screen.text()
        term.kill(signal.SIGKILL)
    finally:
        term.close()
    _inspect(db, trial)
    assert trial.stored == [f"{token} {SUFFIX}" for token in tokens]


async def test_enter_is_taken_in_typing_order(store: Store) -> None:
    """Regression: Enter ran as an app binding after the keys typed behind it had reached
    the line, so typed-ahead lines were merged into one entry and the next one erased."""
    incident = store.declare("Checkout down", author="alice")
    before = store.max_seq(incident.id)
    app = make_app(store, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for line in ("first line", "second", "third one"):
            for char in line:
                app.post_message(events.Key(char if char != " " else "space", char))
            app.post_message(events.Key("enter", "\r"))
        for _ in range(50):
            await pilot.pause(0.02)
            if store.max_seq(incident.id) >= before + 3:
                break
        await pilot.pause()
        assert app.screen.query_one(CaptureLine).value == ""
    texts = [row.text for row in store.entry_rows(incident.id, before, 10)]
    assert texts == ["first line", "second", "third one"]


def test_writes_are_durable_when_they_return(store: Store) -> None:
    """WAL with synchronous=FULL (the WAL is synced at every commit), and a write has
    committed when it returns: another connection sees it at once."""
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    incident = store.declare("Checkout down", author="alice")
    entry = store.log(incident.id, "rolled back", author="alice")
    assert not store.conn.in_transaction
    other = sqlite3.connect(store.path)
    try:
        row = other.execute("SELECT text FROM timeline_entry WHERE id = ?", [entry.id]).fetchone()
    finally:
        other.close()
    assert row == ("rolled back",)
