"""Several writers on one file: responders' shells logging while the IC's console has it open."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from icconsole.cli import cli
from icconsole.clock import FrozenClock
from icconsole.config import Config
from icconsole.store import Store

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4
PER_WORKER = 250

# One OS process per worker; each runs the `icconsole log` command 250 times in-process,
# so every entry is its own Store open, transaction and commit, as separate shells do.
WORKER = """
import sys
from icconsole.cli import cli

db, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
failures = 0
for n in range(count):
    try:
        cli.main(
            ["--db", db, "log", f"worker {worker} entry {n}", "--author", f"w{worker}"],
            prog_name="icconsole",
            standalone_mode=False,
        )
    except BaseException as exc:
        failures += 1
        print(f"worker {worker} entry {n}: {type(exc).__name__}: {exc}", file=sys.stderr)
sys.exit(1 if failures else 0)
"""


def test_four_processes_log_concurrently(db_file: Path, config: Config, clock: FrozenClock) -> None:
    with Store(db_file, config, clock) as setup:
        incident = setup.declare("Checkout down", author="alice")
    # The IC's console keeps the file open throughout, as the TUI does.
    with Store(db_file, config) as console:
        seen = console.data_version()
        before = console.entry_count(incident.id)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(db_file), str(w), str(PER_WORKER)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for w in range(WORKERS)
        ]
        outputs = [worker.communicate(timeout=300) for worker in workers]
        for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
            assert (worker.returncode, stderr) == (0, ""), stderr
            assert stdout == ""
        assert console.data_version() != seen
        assert console.entry_count(incident.id) == before + WORKERS * PER_WORKER
        texts = [e.text for e in console.entries(incident.id) if e.author.startswith("w")]
    expected = {f"worker {w} entry {n}" for w in range(WORKERS) for n in range(PER_WORKER)}
    assert len(texts) == len(expected)
    assert set(texts) == expected
    with Store(db_file, config) as check:
        seqs = [row.seq for row in check.entry_rows(incident.id, 0, 10_000)]
    assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_open_store_sees_what_the_cli_writes(db_file: Path, config: Config) -> None:
    with Store(db_file, config) as console:
        incident = console.declare("Checkout down", author="alice")
        seen = console.data_version()
        last_seq = console.max_seq(incident.id)
        result = CliRunner().invoke(cli, ["--db", str(db_file), "log", "from a shell"])
        assert result.exit_code == 0, result.output
        assert console.data_version() != seen
        new_rows = console.entry_rows(incident.id, last_seq, 10)
        assert [(r.text, r.author) for r in new_rows] == [("from a shell", "tester")]
        seen = console.data_version()
        result = CliRunner().invoke(
            cli, ["--db", str(db_file), "log", "--stdin"], input="one\ntwo\n"
        )
        assert result.exit_code == 0, result.output
        assert console.data_version() != seen
        assert console.max_seq(incident.id) == last_seq + 3
        console.log(incident.id, "the IC can still write", author="alice")
        assert console.last_entry(incident.id).text == "the IC can still write"
