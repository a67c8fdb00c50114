"""Cockpit speed, each figure next to a bare Textual app (Header, Label, Footer) measured
the same way in the same run, at 120x40. (a) an incident of 40 entries; (b) one of
100,000 entries, newest visible. The machine's load average is printed with the figures.

Method 1, "process" (what a user waits for): each launch is a whole new process,
`python3 -m icconsole --db F open INC-1` against `python3 bench/bare_app.py`, both run
through bench/first_paint.py, which makes `App.run` headless and exits after the first
frame that shows the app's content (the bare app: its label; the cockpit: the incident
ref and its newest entry). Launch -> painted = from just before spawning the process to
that frame (Python start-up, imports, argument parsing, store, mount, first render and its
terminal encoding). Our modules' bytecode is cached as an installed package has it (a
warm-up run writes it; this environment sets PYTHONDONTWRITEBYTECODE, which would make
every launch compile icconsole from source while Textual's .pyc files are installed).
Median of RUNS launches, bare/(a)/(b) interleaved so load spikes from other processes fall
on all three alike; also the median of the per-round ratios (each case against the bare
launch of its own round), which cancels slower stretches of a noisy machine.

Method 2, "in-process": Textual's headless `App.run_test` in this process, from
constructing the app to the end of the first `pilot.pause()` (every pending message
handled, then idle). Python start-up and imports are excluded for both sides; work
deferred until after the first frame is still counted (pause waits for idle). The
cockpit run checks that the newest entry was drawn. Median of RUNS.

Enter -> visible at 100,000 entries (in-process): a line is put in the capture line, an
Enter key event is posted to the app, and the clock stops when the timeline draws that
entry's line (`Timeline.draw_hook`), i.e. after parse, the committed write
(synchronous=FULL), the timeline update and the render. p50/p95 over SAMPLES entries.

Run: python3 bench/cockpit.py [--runs N] [--samples N] [--method process|inprocess|both]
(builds its database files in a temporary directory)."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual import events

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from bare_app import BareApp  # noqa: E402

from icconsole.app import IcConsoleApp  # noqa: E402
from icconsole.config import build_config  # noqa: E402
from icconsole.store import Store  # noqa: E402
from icconsole.widgets.capture import CaptureLine  # noqa: E402
from icconsole.widgets.timeline import Timeline  # noqa: E402

SIZE = (120, 40)
BIG = 100_000
TIMEOUT = 60


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


def newest_text(store: Store, incident_id: str) -> str:
    return store.entry_rows(incident_id, store.entry_count(incident_id) - 1, 1)[0].text


# ------------------------------------------------------------- method 1: processes


def launch_process(args: list[str], markers: list[str], tmp: Path) -> tuple[float, float]:
    """Seconds from spawning `python3 bench/first_paint.py ARGS` to its first frame
    showing every marker, and the CPU seconds the process used until then (run from the
    source tree, in an isolated HOME)."""
    out = tmp / "painted"
    out.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_PAINT_OUT": str(out),
        "BENCH_PAINT_MARKERS": "|".join(markers),
        "HOME": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "ICCONSOLE_USER": "bench",
        # Bytecode as an installed package has it (pip compiles .pyc files), even where the
        # environment sets PYTHONDONTWRITEBYTECODE; kept out of the source tree.
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
    }
    env.pop("ICCONSOLE_CONFIG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, str(BENCH / "first_paint.py"), *args]
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT)
    if done.returncode or not out.exists():
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr.decode()}")
    painted_at, cpu = (float(n) for n in out.read_text().split())
    return painted_at - start, cpu


Figures = dict[str, list[float]]


def process_figures(runs: int, tmp: Path, small: tuple, big: tuple) -> tuple[Figures, Figures]:
    """Wall and CPU seconds to the first paint, per case."""
    cases = {
        "bare": ([str(BENCH / "bare_app.py")], ["bare"]),
        "a": (
            ["-m", "icconsole", "--db", str(tmp / "small.db"), "open", "INC-1"],
            ["INC-1", newest_text(*small)],
        ),
        "b": (
            ["-m", "icconsole", "--db", str(tmp / "big.db"), "open", "INC-1"],
            ["INC-1", newest_text(*big)],
        ),
    }
    for args, markers in cases.values():  # warm-up: .pyc files, page cache
        launch_process(args, markers, tmp)
    times: Figures = {name: [] for name in cases}
    cpu: Figures = {name: [] for name in cases}
    for _ in range(runs):
        for name, (args, markers) in cases.items():
            wall, used = launch_process(args, markers, tmp)
            times[name].append(wall)
            cpu[name].append(used)
    return times, cpu


# ------------------------------------------------------------ method 2: in-process


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
        newest = newest_text(store, incident_id)
        last_y = min(timeline.count, timeline.scrollable_content_region.height) - 1
        assert newest in timeline.render_line(last_y).text, "newest entry not visible"
        return elapsed


async def inprocess_figures(runs: int, small: tuple, big: tuple) -> Figures:
    await launch_bare()  # warm-up: first-run costs (CSS parsing caches, imports)
    await launch_cockpit(*small)
    times: Figures = {"bare": [], "a": [], "b": []}
    for _ in range(runs):
        times["bare"].append(await launch_bare())
        times["a"].append(await launch_cockpit(*small))
        times["b"].append(await launch_cockpit(*big))
    return times


async def enter_latency(store: Store, incident_id: str, samples: int) -> list[float]:
    app = IcConsoleApp(store, "bench", incident_id, blink=False)
    taken: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        capture = app.screen.query_one(CaptureLine)
        for n in range(samples):
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
            taken.append(time.perf_counter() - start)
        timeline.draw_hook = None
    return taken


# ------------------------------------------------------------------------ report


def load() -> str:
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


def report(title: str, times: Figures, cpu: Figures | None = None) -> None:
    bare = statistics.median(times["bare"]) * 1000
    print(f"{title}, median of {len(times['bare'])} ({load()}):")
    rows = (
        ("bare", "bare app (Header, Label, Footer)", ""),
        ("a", "(a) cockpit,      40 entries    ", " (<= 1.5x)"),
        ("b", f"(b) cockpit, {BIG:,} entries ", " (<= 2x)"),
    )
    for key, label, target in rows:
        ms = statistics.median(times[key]) * 1000
        ratio = f" = {ms / bare:.2f}x" if key != "bare" else " " * 8
        spread = f"[{min(times[key]) * 1000:.0f}–{max(times[key]) * 1000:.0f}]"
        used = f"  CPU {statistics.median(cpu[key]) * 1000:5.0f} ms" if cpu else ""
        print(f"  {label} {ms:7.1f} ms{ratio}  {spread:11}{used}{target}")
    paired = {
        key: statistics.median(t / b for t, b in zip(times[key], times["bare"], strict=True))
        for key in ("a", "b")
    }
    print(
        f"  paired: median over rounds of (case / bare in the same round): "
        f"(a) {paired['a']:.2f}x, (b) {paired['b']:.2f}x"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--method", choices=("process", "inprocess", "both"), default="both")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        print(f"building {BIG:,} entries… ({load()})", flush=True)
        small = build(tmp / "small.db", 40)
        big = build(tmp / "big.db", BIG)
        print(f"launch -> painted, headless {SIZE[0]}x{SIZE[1]}, [min–max] ms, CPU to paint:")
        if options.method in ("process", "both"):
            report("1. whole process", *process_figures(options.runs, tmp, small, big))
        if options.method in ("inprocess", "both"):
            report("2. in-process run_test", await inprocess_figures(options.runs, small, big))
            latency = await enter_latency(*big, options.samples)
            cuts = statistics.quantiles([s * 1000 for s in latency], n=100)
            print(f"Enter -> entry visible at {BIG:,} entries, {len(latency)} samples ({load()}):")
            worst = max(latency) * 1000
            print(
                f"  p50 {cuts[49]:.1f} ms   p95 {cuts[94]:.1f} ms   max {worst:.1f} ms (p95 <= 50)"
            )
        small[0].close()
        big[0].close()


if __name__ == "__main__":
    asyncio.run(main())
