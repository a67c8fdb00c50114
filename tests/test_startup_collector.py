"""The cyclic collector is paused while the program starts and resumed once start-up is
over: by a command line command before it runs, by the TUI after its first frame."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from icconsole import collector
from icconsole.cli import cli
from icconsole.collector import pause_for_startup, startup_over
from tests.tui import make_app


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    yield
    collector._paused_for_startup = False
    gc.unfreeze()
    gc.enable()


def test_paused_then_resumed_and_what_startup_built_is_frozen() -> None:
    pause_for_startup()
    assert not gc.isenabled()
    startup_over()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_resuming_leaves_a_collector_it_did_not_pause_as_it_was() -> None:
    gc.disable()
    pause_for_startup()
    startup_over()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_cli_command_resumes_the_collector_before_it_runs(tmp_path: Path) -> None:
    pause_for_startup()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "declare", "Slow"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()


async def test_the_tui_resumes_the_collector_after_its_first_frame(demo_store) -> None:
    pause_for_startup()
    app = make_app(demo_store, demo_store.most_recent_active().id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
