"""The post-mortem wizard's costs, measured in one run against a bare Textual app.

Method (one process, Textual's headless driver via `App.run_test`, 120x40; every figure
ends with a `pilot.pause()`: all pending messages handled and the screen refreshed):
- lint: the blameless lint alone on 1,000 and 10,000 characters (it runs per edit).
- open: from asking the app for the screen to the first pause after it is shown.
  The bare app pushes a screen of a title, a ContentSwitcher of 13 Statics and a Footer.
  The wizard: first open (pre-fill and first save), then the median of RUNS re-opens
  from the Header step (resume).
- step: one Ctrl+N (next step) and the pause after it, 12 moves from Header to Review
  (each step is built on its first visit), then 12 Ctrl+R back to Header (revisits).
  The bare app switches its ContentSwitcher to the next Static.
- key: one keystroke typed at the end of a 2,000-character field, median of 40; the bare
  app types into a plain TextArea holding the same text.
- preview: Ctrl+O until the Markdown document is shown (built in a thread for a long
  timeline: until that worker is done and the screen has settled).
Each wizard figure is taken on the demo's SEV1 (about 20 entries) and on an incident of
100,000 entries (log_many, with decisions, a pinned alert and status changes among them).

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

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static, TextArea

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icconsole.app import IcConsoleApp
from icconsole.blameless import lint
from icconsole.clock import FrozenClock
from icconsole.config import build_config
from icconsole.demo import build_demo
from icconsole.postmortem import with_state
from icconsole.store import Store

SIZE = (120, 40)
BIG = 100_000
MOVES = 12
KEYS = 40
SENTENCE = (
    "The on-call engineer should have checked max_connections before the deploy; "
    "Should the pool be capped per pod? The rotation job failed to verify the chain. "
)
NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
FIELD_TEXT = (SENTENCE * (2_000 // len(SENTENCE) + 1))[:2_000]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def spread(samples: list[float]) -> str:
    return f"median {ms(statistics.median(samples))}  max {ms(max(samples))}"


def bench_lint(runs: int) -> None:
    for size in (1_000, 10_000):
        text = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            lint(text, NAMES)
            times.append(time.perf_counter() - start)
        print(f"lint {size:>6,} chars, 8 names            median {ms(statistics.median(times))}")


class BareScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("title")
        with ContentSwitcher(initial="s0"):
            for n in range(MOVES + 1):
                yield Static(f"step {n}", id=f"s{n}")
        yield TextArea(FIELD_TEXT)
        yield Footer()


class BareApp(App[None]):
    pass


async def bench_bare(runs: int) -> dict[str, list[float]]:
    app = BareApp()
    figures: dict[str, list[float]] = {"open": [], "step": [], "key": []}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(runs):
            start = time.perf_counter()
            await app.push_screen(BareScreen())
            await pilot.pause()
            figures["open"].append(time.perf_counter() - start)
            app.pop_screen()
            await pilot.pause()
        await app.push_screen(BareScreen())
        await pilot.pause()
        switcher = app.screen.query_one(ContentSwitcher)
        for n in range(1, MOVES + 1):
            start = time.perf_counter()
            switcher.current = f"s{n}"
            await pilot.pause()
            figures["step"].append(time.perf_counter() - start)
        area = app.screen.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        figures["key"] = await type_keys(pilot)
    return figures


async def type_keys(pilot) -> list[float]:
    samples = []
    for _ in range(KEYS):
        start = time.perf_counter()
        await pilot.press("x")
        await pilot.pause()
        samples.append(time.perf_counter() - start)
    return samples


def reset_to_header(store: Store, incident_id: str) -> None:
    pm = store.postmortem(incident_id)
    if pm is not None:
        store.save_postmortem(with_state(pm, step="header", field="facilitator"))


async def bench_wizard(store: Store, incident_id: str, runs: int) -> dict[str, list[float]]:
    from icconsole.screens.postmortem import PostMortemScreen

    figures: dict[str, list[float]] = {
        "first": [],
        "open": [],
        "step": [],
        "back": [],
        "key": [],
        "preview": [],
    }
    app = IcConsoleApp(store, "bench", blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for run in range(runs + 1):
            reset_to_header(store, incident_id)
            start = time.perf_counter()
            app.open_postmortem(incident_id)
            await pilot.pause()
            figures["first" if run == 0 else "open"].append(time.perf_counter() - start)
            assert isinstance(app.screen, PostMortemScreen)
            if run < runs:
                app.pop_screen()
                await pilot.pause()
        screen = app.screen
        for _ in range(MOVES):
            start = time.perf_counter()
            await pilot.press("ctrl+n")
            await pilot.pause()
            figures["step"].append(time.perf_counter() - start)
        assert screen._step_key == "review", screen._step_key
        for _ in range(MOVES):
            start = time.perf_counter()
            await pilot.press("ctrl+r")
            await pilot.pause()
            figures["back"].append(time.perf_counter() - start)
        screen.show_step("lessons")
        await pilot.pause()
        area = screen.query_one("#f-went_wrong", TextArea)
        area.focus()
        area.text = FIELD_TEXT
        area.move_cursor(area.document.end)
        await pilot.pause()
        figures["key"] = await type_keys(pilot)
        for _ in range(3):
            start = time.perf_counter()
            await pilot.press("ctrl+o")
            await pilot.pause()
            await app.screen.workers.wait_for_complete()
            await pilot.pause()
            figures["preview"].append(time.perf_counter() - start)
            app.pop_screen()
            await pilot.pause()
    return figures


def build_big(store: Store) -> str:
    """A resolved incident of BIG entries: notes, with a decision every 1,000 entries."""
    incident = store.declare("Bench: queue backlog", "SEV2", commander="bench", author="bench")
    store.log(incident.id, "queue depth alert", "alert", "monitor", pinned=True)
    store.set_status(incident.id, "identified", "bench")
    remaining = BIG - store.entry_count(incident.id) - 2
    while remaining > 0:
        count = min(999, remaining)
        store.log_many(incident.id, (f"worker log line {n}" for n in range(count)), author="bot")
        store.log(incident.id, f"decision after {remaining} more", "decision", "bench")
        remaining -= count + 1
    store.set_status(incident.id, "mitigated", "bench")
    store.set_status(incident.id, "resolved", "bench")
    return incident.id


def report(name: str, figures: dict[str, list[float]]) -> None:
    if figures.get("first"):
        print(f"{name:<22} first open (pre-fill)   {ms(figures['first'][0])}")
    print(f"{name:<22} open                    {spread(figures['open'])}")
    print(f"{name:<22} next step ({MOVES} moves)    {spread(figures['step'])}")
    if figures.get("back"):
        print(f"{name:<22} previous step (revisits) {spread(figures['back'])}")
    print(f"{name:<22} keystroke, 2,000 chars  {spread(figures['key'])}")
    if figures.get("preview"):
        print(f"{name:<22} preview (3 opens)        {spread(figures['preview'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_lint(args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(datetime(2026, 3, 14, 14, 30, tzinfo=UTC))
        with Store(Path(tmp) / "bench.db", build_config({}), clock) as store:
            build_demo(store, clock.now())
            demo = store.incident("INC-2")
            store.set_status(demo.id, "resolved", "alice")
            print(f"building {BIG:,} entries…", flush=True)
            big = build_big(store)
            asyncio.run(bench_bare(1))  # warm-up: first-run costs (CSS, imports)
            report("bare Textual app", asyncio.run(bench_bare(args.runs)))
            report("wizard, demo SEV1", asyncio.run(bench_wizard(store, demo.id, args.runs)))
            report(f"wizard, {BIG:,} entries", asyncio.run(bench_wizard(store, big, args.runs)))


if __name__ == "__main__":
    main()
