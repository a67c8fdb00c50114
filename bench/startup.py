"""Real-terminal figures: start-up, Enter -> visible and peak memory of the TUI as a user
runs it, each next to a bare Textual app measured the same way in the same run.

Method: every program runs as its own process in a pseudo-terminal of 120x40
(TERM=xterm-256color), whose output is read into a screen model (tests/ptyterm.py).
- start-up: from spawning the process to the screen showing its content (the bare app:
  its label; the cockpit: the incident's newest entry drawn in the timeline). Median of
  RUNS. (a) the demo file, (b) an incident of 100,000 entries.
- Enter -> visible at 100,000 entries: a line is typed, then the clock runs from writing
  Enter to the pty until the line is on the screen as a timeline row (parse, committed
  write with synchronous=FULL, reload, render, terminal output). The bare app: an Input
  whose submitted text is shown in a Label. p50/p95 over SAMPLES.
- peak memory: maxrss of the process (wait4) after it showed its content and was asked
  to quit with ctrl+q.

    python3 bench/startup.py [--runs 5] [--samples 40]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from icconsole.config import build_config  # noqa: E402
from icconsole.demo import build_demo  # noqa: E402
from icconsole.store import Store  # noqa: E402
from tests.ptyterm import PtyTerm, Screen  # noqa: E402

BIG = 100_000
TIMEOUT = 60

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Input, Label

class Bare(App):
    def compose(self):
        yield Header()
        yield Label("bare app ready", id="shown")
        yield Input(id="line")
        yield Footer()

    def on_input_submitted(self, event):
        self.query_one("#shown", Label).update("got " + event.value)
        event.input.value = ""

Bare().run()
"""


def environment() -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "ICCONSOLE_USER": "bench"}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def build_big(path: Path) -> str:
    """An incident of BIG entries; returns the text of its newest entry."""
    with Store(path, build_config({})) as store:
        incident = store.declare("Bench incident", "SEV2", commander="bench", author="bench")
        remaining = BIG - store.entry_count(incident.id)
        while remaining > 0:
            count = min(10_000, remaining)
            texts = (f"bench entry {remaining - n}" for n in range(count))
            store.log_many(incident.id, texts, author="bot")
            remaining -= count
        return store.last_entry(incident.id).text


def build_demo_file(path: Path) -> str:
    with Store(path, build_config({})) as store:
        build_demo(store, store.now())
        incident = store.most_recent_active()
        assert incident is not None
        return store.last_entry(incident.id).text


def run_once(argv: list[str], ready: Callable[[Screen], bool]) -> tuple[float, int]:
    """Seconds from spawn to `ready`, and the peak memory (KiB) of the whole run."""
    start = time.perf_counter()
    term = PtyTerm(argv, env=environment())
    try:
        if not term.wait_for(ready, TIMEOUT):
            sys.exit(f"never ready: {' '.join(argv)}\n{term.screen.text()}")
        elapsed = time.perf_counter() - start
        term.write("\x11")  # ctrl+q
        usage = reap(term)
    finally:
        term.close()
    return elapsed, usage.ru_maxrss


def reap(term: PtyTerm):
    """Wait for the program to quit (killing it after 10 s) and return its rusage.
    Not Popen.wait, which would collect the exit status without the usage."""
    deadline = time.monotonic() + 10
    while True:
        pid, status, usage = os.wait4(term.process.pid, os.WNOHANG)
        if pid:
            term.process.returncode = os.waitstatus_to_exitcode(status)
            return usage
        if time.monotonic() > deadline:
            os.kill(term.process.pid, 9)
        term.pump(0.05)


def typing_latency(argv: list[str], samples: int, shown: Callable[[Screen, str], bool]) -> list:
    """Enter -> the typed line visible, `samples` times, in one running program."""
    term = PtyTerm(argv, env=environment())
    times = []
    try:
        if not term.wait_for(lambda s: "ready" in s.text() or "Type a note" in s.text(), TIMEOUT):
            sys.exit(f"never ready: {' '.join(argv)}")
        for n in range(samples):
            text = f"latency probe {n:03d}"
            term.write(text)
            term.wait_for(lambda s, t=text: t in s.text(), 5)
            start = time.perf_counter()
            term.write("\r")
            if not term.wait_for(lambda s, t=text: shown(s, t), 10):
                sys.exit(f"line {n} never shown\n{term.screen.text()}")
            times.append(time.perf_counter() - start)
    finally:
        term.close()
    return times


def in_timeline(screen: Screen, text: str) -> bool:
    """The line drawn as a timeline row (author, then text), not just echoed."""
    return any(re.search(rf"bench\s+{text}", line) for line in screen.lines())


def in_label(screen: Screen, text: str) -> bool:
    return f"got {text}" in screen.text()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ICCONSOLE_CONFIG"] = str(Path(tmp) / "none.toml")
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        demo_db, big_db = Path(tmp) / "demo.db", Path(tmp) / "big.db"
        demo_newest = build_demo_file(demo_db)[:30]
        big_newest = build_big(big_db)
        bare = [python, "-c", BARE_APP]
        demo = [python, "-m", "icconsole", "--db", str(demo_db), "open"]
        big = [python, "-m", "icconsole", "--db", str(big_db), "open"]
        programs = {
            "bare": (bare, lambda s: "bare app ready" in s.text()),
            "demo": (demo, lambda s: demo_newest in s.text() and "Type a note" in s.text()),
            "big": (big, lambda s: big_newest in s.text() and "Type a note" in s.text()),
        }
        for argv, ready in programs.values():  # warm-up: byte code, page cache
            run_once(argv, ready)
        runs: dict[str, list[tuple[float, int]]] = {name: [] for name in programs}
        for _ in range(args.runs):  # taking turns, so load changes touch all alike
            for name, (argv, ready) in programs.items():
                runs[name].append(run_once(argv, ready))
        bare_typing = typing_latency(bare, args.samples, in_label)
        big_typing = typing_latency(big, args.samples, in_timeline)
    start = {name: statistics.median(r[0] for r in rs) for name, rs in runs.items()}
    peak = {name: max(r[1] for r in rs) / 1024 for name, rs in runs.items()}
    print(f"real terminal (pty 120x40), median of {args.runs} runs, taking turns:")
    print("start-up: spawn -> content on screen")
    print(f"  bare Textual app (Header, Label, Input, Footer)  {ms(start['bare'])}")
    for name, label in (("demo", "cockpit, demo (INC-2)"), ("big", f"cockpit, {BIG:,} entries")):
        ratio = start[name] / start["bare"]
        print(f"  {label:<47}  {ms(start[name])}  = {ratio:.2f}x bare")
    print(f"Enter -> line visible, {args.samples} samples:")
    for label, times in (
        ("bare app, Input -> Label", bare_typing),
        (f"cockpit, {BIG:,}", big_typing),
    ):
        cuts = statistics.quantiles(times, n=20)
        print(f"  {label:<26} p50 {ms(statistics.median(times))}  p95 {ms(cuts[18])}")
    print("peak memory (maxrss of the process, started, shown, quit):")
    print(f"  bare Textual app                 {peak['bare']:7.1f} MiB")
    print(f"  cockpit, demo                    {peak['demo']:7.1f} MiB")
    ratio = peak["big"] / peak["bare"]
    print(f"  cockpit, {BIG:,} entries         {peak['big']:7.1f} MiB  = {ratio:.2f}x bare")


if __name__ == "__main__":
    main()
