"""Cockpit speed, measured in one run against a bare Textual app (Header, Label, Footer).

Method (all in this one process, Textual's headless driver via `App.run_test`, 120x40):
- launch -> painted: from constructing the app to the end of the first `pilot.pause()`
  (every pending message handled and the screen refreshed). The cockpit run then checks
  that the newest entry was drawn. Median of RUNS launches each, imports already done.
  (a) an incident of 40 entries; (b) one of 100,000 entries, newest visible.
- Enter -> visible at 100,000 entries: a line is put in the capture line, an Enter key
  event is posted to the app, and the clock stops when the timeline draws that entry's
  line (`Timeline.draw_hook`), i.e. after parse, the committed write (synchronous=FULL),
  the reload and the render. p50/p95 over SAMPLES entries.

Run: python3 bench/cockpit.py  (builds its database files in a temporary directory)."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icconsole.app import IcConsoleApp
from icconsole.config import build_config
from icconsole.store import Store
from icconsole.widgets.capture import CaptureLine
from icconsole.widgets.timeline import Timeline

SIZE = (120, 40)
RUNS = 7
SAMPLES = 60
BIG = 100_000


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("bare")
        yield Footer()


def build(path: Path, entries: int) -> tuple[Store, str]:
    store = Store(path, build_config({}))
    incident = store.declare("Bench incident", "SEV2", commander="bench", author="bench")
    remaining = entries - store.entry_count(incident.id)
    chunk = 10_000
    while remaining > 0:
        count = min(chunk, remaining)
        store.log_many(incident.id, (f"entry text number {n}" for n in range(count)), author="bot")
        remaining -= count
    return store, incident.id


async def launch_bare() -> float:
    start = time.perf_counter()
    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def launch_cockpit(store: Store, incident_id: str) -> float:
    start = time.perf_counter()
    app = IcConsoleApp(store, "bench", incident_id, blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
        timeline = app.screen.query_one(Timeline)
        newest = store.entry_rows(incident_id, store.entry_count(incident_id) - 1, 1)[0]
        last_y = min(timeline.count, timeline.scrollable_content_region.height) - 1
        assert newest.text in timeline.render_line(last_y).text, "newest entry not visible"
        return elapsed


async def enter_latency(store: Store, incident_id: str) -> list[float]:
    app = IcConsoleApp(store, "bench", incident_id, blink=False)
    samples: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        capture = app.screen.query_one(CaptureLine)
        for n in range(SAMPLES):
            text = f"bench line {n}"
            drawn = asyncio.Event()
            timeline.draw_hook = lambda row, text=text, drawn=drawn: (
                drawn.set() if row.text == text else None
            )
            capture.value = text
            await pilot.pause()
            start = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))
            await asyncio.wait_for(drawn.wait(), 5)
            samples.append(time.perf_counter() - start)
        timeline.draw_hook = None
    return samples


def median_of(runs: list[float]) -> float:
    return statistics.median(runs) * 1000


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"building {BIG:,} entries…", flush=True)
        small = build(Path(tmp) / "small.db", 40)
        big = build(Path(tmp) / "big.db", BIG)
        await launch_bare()  # warm-up: first-run costs (CSS parsing caches, imports)
        await launch_cockpit(*small)
        bare = [await launch_bare() for _ in range(RUNS)]
        a = [await launch_cockpit(*small) for _ in range(RUNS)]
        b = [await launch_cockpit(*big) for _ in range(RUNS)]
        latency = await enter_latency(*big)
    bare_ms, a_ms, b_ms = median_of(bare), median_of(a), median_of(b)
    cuts = statistics.quantiles([s * 1000 for s in latency], n=100)
    print(f"launch -> painted, median of {RUNS}, headless {SIZE[0]}x{SIZE[1]}:")
    print(f"  bare app (Header, Label, Footer) {bare_ms:7.1f} ms")
    print(f"  (a) cockpit,      40 entries     {a_ms:7.1f} ms = {a_ms / bare_ms:.2f}x (<= 1.5x)")
    print(f"  (b) cockpit, {BIG:,} entries  {b_ms:7.1f} ms = {b_ms / bare_ms:.2f}x (<= 2x)")
    print(f"Enter -> entry visible at {BIG:,} entries, {SAMPLES} samples:")
    worst = max(latency) * 1000
    print(f"  p50 {cuts[49]:.1f} ms   p95 {cuts[94]:.1f} ms   max {worst:.1f} ms (p95 <= 50)")


if __name__ == "__main__":
    asyncio.run(main())
