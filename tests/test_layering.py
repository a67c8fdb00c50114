"""The core never imports Textual, and neither does `icconsole log`."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import icconsole
from icconsole.config import Config
from icconsole.store import Store

ROOT = Path(__file__).resolve().parent.parent
# The TUI side of the line; everything else in the package is core.
TUI_MODULES = {"app", "cli_tui", "__main__"}
TUI_PACKAGES = {"screens", "widgets"}

REPORT = (
    "import sys; "
    "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
    "print('TEXTUAL' if loaded else 'CLEAN', loaded[:3])"
)


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(icconsole.__path__):
        if info.name in TUI_MODULES or info.name in TUI_PACKAGES:
            continue
        names.append(f"icconsole.{info.name}")
    return sorted(names)


def python(code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_core_is_what_we_think() -> None:
    modules = core_modules()
    for expected in ("models", "store", "config", "clock", "sanitize", "schema", "cli"):
        assert f"icconsole.{expected}" in modules
    assert "icconsole.app" not in modules


def test_importing_every_core_module_leaves_textual_out() -> None:
    """One fresh interpreter imports the core modules in turn and names the first that
    brings Textual in."""
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "    if any(m == 'textual' or m.startswith('textual.') for m in sys.modules):\n"
        "        print('TEXTUAL after', name)\n"
        "        break\n"
        "else:\n"
        "    print('CLEAN')\n"
    )
    assert python(code, *core_modules()) == "CLEAN"


def test_icconsole_log_leaves_textual_out(db_file: Path, config: Config) -> None:
    with Store(db_file, config) as store:
        store.declare("Checkout down", author="alice")
    code = (
        "import sys\n"
        "from icconsole.cli import cli\n"
        "cli.main(['--db', sys.argv[1], 'log', 'from the layering test'],\n"
        "         prog_name='icconsole', standalone_mode=False)\n"
        f"{REPORT}\n"
    )
    assert python(code, str(db_file)).startswith("CLEAN")
    with Store(db_file, config) as store:
        incident = store.resolve_incident(None)
        assert store.last_entry(incident.id).text == "from the layering test"


def test_the_check_itself_can_see_textual() -> None:
    assert python(f"import icconsole.app; {REPORT}").startswith("TEXTUAL")
