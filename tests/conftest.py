"""Shared fixtures: every test gets its own files, a frozen clock and no real user's data."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ["TZ"] = "UTC"
time.tzset()

from icconsole.clock import FrozenClock  # noqa: E402
from icconsole.config import Config, build_config  # noqa: E402
from icconsole.demo import build_demo  # noqa: E402
from icconsole.store import Store  # noqa: E402

FROZEN_AT = datetime(2026, 3, 14, 14, 30, tzinfo=UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow", action="store_true", help="run the long reliability suites (marked slow)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    opt_in = pytest.mark.skip(reason="long suite: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(opt_in)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, config and HOME at tmp_path so no test touches a real user's files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("ICCONSOLE_DB", str(tmp_path / "icconsole.db"))
    monkeypatch.setenv("ICCONSOLE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("ICCONSOLE_USER", "tester")
    monkeypatch.delenv("ICCONSOLE_DEBUG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(FROZEN_AT)


@pytest.fixture
def config() -> Config:
    return build_config({})


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "icconsole.db"


@pytest.fixture
def store(db_file: Path, config: Config, clock: FrozenClock) -> Iterator[Store]:
    with Store(db_file, config, clock) as opened:
        yield opened


@pytest.fixture
def demo_store(store: Store, clock: FrozenClock) -> Store:
    """The demo incidents, recorded up to the frozen clock's now."""
    build_demo(store, clock.now())
    return store
