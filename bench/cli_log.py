"""How long `icconsole log "text"` takes, next to importing our own dependencies.

The floor is `python -c "import click, sqlite_utils, pydantic"`: a command line built on
them cannot start faster. Target: `icconsole log` within 1.5x of that floor.

    python3 bench/cli_log.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5


def timed_run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) for one run; any failure stops the bench."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def medians(
    commands: dict[str, list[str]], runs: int, env: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds per command over `runs` rounds after a warm-up round.
    The commands take turns within each round, so a change in machine load touches them
    alike; CPU time is the steadier figure on a busy machine."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for round_number in range(runs + 1):
        for name, command in commands.items():
            measured = timed_run(command, env)
            if round_number:
                times[name].append(measured)
    return {
        name: (
            statistics.median(wall for wall, _ in values),
            statistics.median(cpu for _, cpu in values),
        )
        for name, values in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ICCONSOLE_USER": "bench"}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        env["ICCONSOLE_CONFIG"] = str(Path(tmp) / "none.toml")
        # As installed: byte code cached (by the warm-up round, in a private directory),
        # even where the environment sets PYTHONDONTWRITEBYTECODE.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        declare = [sys.executable, "-m", "icconsole", "--db", db, "declare", "Bench incident"]
        subprocess.run(declare, env=env, check=True, capture_output=True)
        commands = {
            "log": [sys.executable, "-m", "icconsole", "--db", db, "log", "a timeline entry"],
            "floor": [sys.executable, "-c", "import click, sqlite_utils, pydantic"],
            "bare": [sys.executable, "-c", "pass"],
        }
        result = medians(commands, args.runs, env)
    labels = {
        "bare": "python -c pass",
        "floor": 'python -c "import click, sqlite_utils, pydantic" (floor)',
        "log": 'icconsole log "text"',
    }
    width = max(len(label) for label in labels.values())
    print(f"median of {args.runs} runs each, after a warm-up, taking turns:")
    print(f"  {'':<{width}}  {'wall':>9}  {'cpu':>9}")
    for name, label in labels.items():
        wall, cpu = result[name]
        print(f"  {label:<{width}}  {wall * 1000:6.1f} ms  {cpu * 1000:6.1f} ms")
    wall_ratio = result["log"][0] / result["floor"][0]
    cpu_ratio = result["log"][1] / result["floor"][1]
    verdict = "within" if wall_ratio <= TARGET else "ABOVE"
    print(
        f"  {'ratio log / floor':<{width}}  {wall_ratio:8.2f}x  {cpu_ratio:8.2f}x"
        f"  (wall {verdict} the {TARGET}x target)"
    )


if __name__ == "__main__":
    main()
