"""`icconsole export`, `import` and `merge` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from icconsole.cli import cli
from icconsole.clock import FrozenClock
from icconsole.config import Config
from icconsole.export import markdown_document
from icconsole.interchange import all_records, export_json
from icconsole.store import Store


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_db(demo_store: Store) -> Path:
    return demo_store.path


def test_markdown_to_stdout_by_default(demo_store: Store, demo_db: Path) -> None:
    code, out, _ = run("--db", str(demo_db), "export", "INC-1")
    assert code == 0
    record = demo_store.record(demo_store.incident("INC-1").id)
    assert out == markdown_document(record, demo_store.config)


def test_html_and_json_formats(demo_db: Path) -> None:
    code, out, _ = run("--db", str(demo_db), "export", "inc-2", "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")
    code, out, _ = run("--db", str(demo_db), "export", "2", "-f", "json")
    data = json.loads(out)
    assert [r["incident"]["ref"] for r in data["incidents"]] == ["INC-2"]
    code, out, _ = run("--db", str(demo_db), "export", "--all", "-f", "json")
    assert len(json.loads(out)["incidents"]) == 2


def test_output_file_is_not_replaced_without_force(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    code, out, err = run("--db", str(demo_db), "export", "INC-1", "-o", str(target))
    assert code == 0 and out == "" and f"wrote {target}" in err
    written = target.read_text(encoding="utf-8")
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run("--db", str(demo_db), "export", "INC-1", "-o", str(target))
    assert code == 2
    assert err == f"icconsole: error: {target}: already exists; use --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _, _ = run("--db", str(demo_db), "export", "INC-1", "-o", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8") == written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export"], "name the incident to export"),
        (["export", "--all"], "--all exports JSON only"),
        (["export", "INC-1", "--all", "-f", "json"], "give REF or --all, not both"),
        (["export", "INC-9"], "no incident 'INC-9'"),
    ],
)
def test_bad_export_requests_get_one_line(demo_db: Path, args: list[str], message: str) -> None:
    code, out, err = run("--db", str(demo_db), *args)
    assert code == 2 and out == ""
    assert err.startswith("icconsole: error: ") and message in err
    assert err.count("\n") == 1


def test_import_prints_what_it_added_then_nothing_new(demo_store: Store, tmp_path: Path) -> None:
    source = tmp_path / "all.json"
    source.write_text(export_json(all_records(demo_store)), encoding="utf-8")
    target = tmp_path / "target.db"
    code, out, _ = run("--db", str(target), "import", str(source))
    assert code == 0
    assert out.splitlines()[0].startswith("INC-1: new incident; added 2 role assignments")
    code, out, _ = run("--db", str(target), "import", str(source))
    assert (code, out) == (0, "nothing new\n")


def test_invalid_import_exits_2_and_writes_nothing(
    tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    source = tmp_path / "bad.json"
    source.write_text('{"format": "icconsole", "version": 1, "incidents": [{}]}')
    target = tmp_path / "target.db"
    with Store(target, config, clock) as store:
        store.declare("Existing", author="zed")
        before = export_json(all_records(store))
    code, out, err = run("--db", str(target), "import", str(source))
    assert code == 2 and out == ""
    assert "incidents.0.incident: Field required" in err and "nothing imported" in err
    with Store(target, config, clock) as store:
        assert export_json(all_records(store)) == before


def test_merge_prints_additions_and_is_idempotent(
    demo_db: Path, tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    mine = tmp_path / "mine.db"
    with Store(mine, config, clock) as store:
        store.declare("My own incident", author="zed")
    code, out, _ = run("--db", str(mine), "merge", str(demo_db))
    assert code == 0
    assert out.splitlines()[0].startswith(
        "INC-2: new incident; renumbered from INC-1 (taken here); added"
    )
    code, out, _ = run("--db", str(mine), "merge", str(demo_db))
    assert (code, out) == (0, "nothing new\n")


def test_merge_of_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    code, _, err = run("--db", str(tmp_path / "mine.db"), "merge", str(tmp_path / "none.db"))
    assert code == 2 and "no such file" in err
    assert not (tmp_path / "mine.db").exists()
