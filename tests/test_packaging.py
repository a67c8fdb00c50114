"""The README's quick start, CI and packaging agree with each other."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_blocks() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert match, "README has no '## Quick start' section"
    fences = re.findall(r"^```(\S*)\n(.*?)^```", match.group(1), re.MULTILINE | re.DOTALL)
    blocks = []
    for language, body in fences:
        assert language == "sh", f"Quick start block in {language!r}, expected sh"
        blocks.append([line for line in body.splitlines() if line.strip()])
    return blocks


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_quick_start_is_two_commands() -> None:
    blocks = quick_start_blocks()
    assert len(blocks) == 2
    assert all(len(block) == 1 for block in blocks), blocks
    install, tests = (block[0] for block in blocks)
    assert "pip install" in install and "icconsole demo" in install
    assert '".[test]"' in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    command = quick_start_blocks()[1][0]
    ci_path = ROOT / ".ci" / "run"
    assert os.access(ci_path, os.X_OK)
    ci = ci_path.read_text(encoding="utf-8")
    assert command in [line.strip() for line in ci.splitlines()]
    assert "set -euo pipefail" in ci
    assert "ruff check" in ci


def test_textual_is_pinned_exactly() -> None:
    dependencies = pyproject()["project"]["dependencies"]
    textual = [d for d in dependencies if re.match(r"textual\b", d)]
    assert len(textual) == 1
    assert re.fullmatch(r"textual==8\.2\.\d+", textual[0].replace(" ", ""))


def test_declared_runtime_and_test_dependencies() -> None:
    project = pyproject()["project"]
    names = {re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert {"textual", "sqlite-utils", "pydantic", "pyperclip", "markdown-it-py"} <= names
    assert any(
        re.fullmatch(r"pydantic>=2[^,]*(,<3)?", d.replace(" ", "")) for d in project["dependencies"]
    )
    extras = project["optional-dependencies"]["test"]
    extra_names = {re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower() for d in extras}
    assert {"pytest", "pytest-asyncio", "pytest-textual-snapshot", "hypothesis", "ruff"} <= (
        extra_names
    )
    assert any(d.replace(" ", "").startswith("pytest") and "<9" in d for d in extras)
    assert project["requires-python"] == ">=3.11"
    assert project["scripts"]["icconsole"] == "icconsole.__main__:run"
    assert (ROOT / "icconsole" / "__main__.py").exists()
