"""How long exporting an incident of 100,000 timeline entries takes, to Markdown and to JSON.

Each figure is the whole export as `icconsole export` does it: reading the record from the
database (the file's own rows, not validated again) and rendering it. Target: <= 2 s each.
The load average is printed too: other work on the machine stretches the wall-clock figures.

    python3 bench/export.py [--entries 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icconsole.clock import FrozenClock, to_iso
from icconsole.config import build_config
from icconsole.export import markdown_document
from icconsole.interchange import export_json
from icconsole.store import Store, new_id

TARGET = 2.0
KINDS = ("note", "finding", "decision", "action", "hypothesis", "comms")


def build(path: Path, entries: int) -> tuple[Store, str]:
    """A SEV1 with `entries` timeline entries, some with Markdown-special text."""
    start = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
    store = Store(path, build_config({}), FrozenClock(start))
    incident = store.declare("Big incident | with *markdown*", "SEV1", author="alice")
    rows = []
    for i in range(entries):
        at = to_iso(start + timedelta(seconds=i))
        text = f"Entry {i}: p99 at {i % 900} ms on host-{i % 37} (see [runbook] <b>|</b> *x*)"
        rows.append(
            (
                new_id(),
                incident.id,
                i + 10,
                at,
                at,
                KINDS[i % 6],
                f"user{i % 12}",
                text,
                i % 97 == 0,
            )
        )
    with store._write():
        store.conn.executemany(
            "INSERT INTO timeline_entry (id, incident_id, seq, occurred_at, recorded_at, kind, "
            "author, text, pinned, revisions, retracted_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)",
            [(*row, row[3], row[3]) for row in rows],
        )
    return store, incident.id


def timed(runs: int, action: Callable[[], str]) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds of `runs` calls, and the output's size."""
    wall, cpu, size = [], [], 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        size = len(action().encode())
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, incident_id = build(Path(tmp) / "bench.db", args.entries)
        with store:
            count = store.entry_count(incident_id)
            load, load_cpu, _ = timed(
                args.runs, lambda: str(len(store.record(incident_id).timeline))
            )
            figures = {
                "Markdown": timed(
                    args.runs,
                    lambda: markdown_document(store.record(incident_id), store.config),
                ),
                "JSON": timed(args.runs, lambda: export_json([store.record(incident_id)])),
            }
    load_average = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"incident of {count:,} timeline entries; median of {args.runs} runs")
    print("  (wall-clock, and CPU time: on a busy machine the CPU figure is the fairer one)")
    print(f"  load average {load_average} on {os.cpu_count()} CPUs")
    print(f"  reading the record (in each figure)  {load:6.2f} s wall {load_cpu:6.2f} s CPU")
    for name, (seconds, cpu, size) in figures.items():
        verdict = "ok" if seconds <= TARGET else f"over the {TARGET:.0f} s target"
        print(
            f"  export to {name:<8} {size / 1e6:5.1f} MB  {seconds:6.2f} s wall "
            f"{cpu:6.2f} s CPU  {verdict}"
        )


if __name__ == "__main__":
    main()
