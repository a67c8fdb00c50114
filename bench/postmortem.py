"""The post-mortem wizard's costs: the blameless lint per keystroke (it runs on every edit),
opening the wizard on the demo incident, and moving from one step to the next.

    python3 bench/postmortem.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icconsole.app import IcConsoleApp
from icconsole.blameless import lint
from icconsole.clock import FrozenClock
from icconsole.config import build_config
from icconsole.demo import build_demo
from icconsole.store import Store

SENTENCE = (
    "The on-call engineer should have checked max_connections before the deploy; "
    "Should the pool be capped per pod? The rotation job failed to verify the chain. "
)
NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]


def bench_lint(runs: int) -> None:
    for size in (1_000, 10_000):
        text = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            lint(text, NAMES)
            times.append(time.perf_counter() - start)
        print(f"lint {size:>6,} chars, 8 names: median {statistics.median(times) * 1000:7.2f} ms")


async def bench_wizard(store: Store, incident_id: str) -> None:
    app = IcConsoleApp(store, "bench", blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        app.open_postmortem(incident_id)
        await pilot.pause()
        print(f"open the wizard (first time, pre-fill): {time.perf_counter() - start:6.3f} s")
        steps = []
        for _ in range(12):
            start = time.perf_counter()
            await pilot.press("ctrl+n")
            await pilot.pause()
            steps.append(time.perf_counter() - start)
        print(
            f"next step (12 moves): median {statistics.median(steps):6.3f} s, "
            f"max {max(steps):6.3f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_lint(args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(datetime(2026, 3, 14, 14, 30, tzinfo=UTC))
        with Store(Path(tmp) / "bench.db", build_config({}), clock) as store:
            build_demo(store, clock.now())
            incident = store.incident("INC-2")
            store.set_status(incident.id, "resolved", "alice")
            asyncio.run(bench_wizard(store, incident.id))


if __name__ == "__main__":
    main()
