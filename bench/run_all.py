"""Run every benchmark in bench/ one after another and write BENCHMARKS.md: the machine,
the command that reproduces each figure, and what each script printed.

    python3 bench/run_all.py [--output BENCHMARKS.md] [--only cockpit startup ...]
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


# The benchmark scripts; bare_app.py and first_paint.py are helpers they launch.
BENCHMARKS = ("cli_log", "cockpit", "export", "postmortem", "startup")


def scripts(only: list[str] | None) -> list[Path]:
    return [BENCH / f"{name}.py" for name in BENCHMARKS if not only or name in only]


def summary(path: Path) -> str:
    """The first line of a script's docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.splitlines()[0] if doc else ""


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def machine(load_at_start: str) -> list[tuple[str, str]]:
    return [
        ("CPUs (nproc)", str(os.cpu_count())),
        ("memory", memory_gib()),
        ("machine (uname -m)", platform.machine()),
        ("system", platform.platform()),
        ("python", platform.python_version()),
        ("textual", version("textual")),
        ("SQLite", sqlite3.sqlite_version),
        ("load average at start (1, 5, 15 min)", load_at_start),
        ("load average at end", load_average()),
    ]


def run(path: Path) -> tuple[str, int, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    output = result.stdout.rstrip()
    if result.returncode:
        output += f"\n(exit {result.returncode})\n{result.stderr.rstrip()}"
    return output, result.returncode, time.perf_counter() - start


def document(results: list[tuple[Path, str, int, float]], started: datetime, load: str) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `python3 bench/run_all.py`, which runs every",
        "script in `bench/` one after another and rewrites this file. Each figure is measured",
        "next to its reference in the same run (see each script's docstring for its method);",
        "no test asserts a duration. Run one script alone with the command under its heading.",
        "A load average above the number of CPUs means other work shared the machine during",
        "the run: compare each figure with its reference, not with another run's.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {name} | {value} |" for name, value in machine(load)),
        "",
    ]
    for path, output, code, seconds in results:
        status = "" if code == 0 else f" — FAILED (exit {code})"
        lines += [
            f"## {path.stem}{status}",
            "",
            summary(path),
            "",
            f"`python3 bench/{path.name}` ({seconds:.0f} s)",
            "",
            "```",
            output,
            "```",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--only", nargs="*", help="script names without .py")
    args = parser.parse_args()
    started, load = datetime.now(UTC), load_average()
    results = []
    for path in scripts(args.only):
        print(f"running {path.name} …", flush=True)
        output, code, seconds = run(path)
        print(output, flush=True)
        results.append((path, output, code, seconds))
    args.output.write_text(document(results, started, load), encoding="utf-8")
    print(f"wrote {args.output}")
    if any(code for _, _, code, _ in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
