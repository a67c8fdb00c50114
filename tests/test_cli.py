"""Every command of the CLI and every way it can refuse: one line, the right exit code."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from icconsole.cli import cli
from icconsole.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | bytes | None = None) -> Result:
    """Invoke the CLI; whatever happens, no traceback and no stray exception."""
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def ok(db: Path, *args: str, input: str | bytes | None = None) -> Result:
    result = run("--db", str(db), *args, input=input)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result


def refused(db: Path, code: int, *args: str, input: str | bytes | None = None) -> str:
    """Run a command that must fail with `code` and one line on stderr; return that line."""
    result = run("--db", str(db), *args, input=input)
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("icconsole: error: ")
    assert result.stdout == ""
    return lines[0]


def record(db: Path, ref: str = "INC-1") -> dict[str, Any]:
    return json.loads(ok(db, "show", ref, "--json").stdout)


def timeline_texts(db: Path, ref: str = "INC-1") -> list[str]:
    return [entry["text"] for entry in record(db, ref)["timeline"]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


@pytest.fixture
def live(db: Path) -> Path:
    """A file with one active incident, INC-1."""
    assert ok(db, "declare", "Checkout API 5xx", "--commander", "alice").stdout == "INC-1\n"
    return db


# ---------------------------------------------------------------------- commands


def test_declare_with_every_option(db: Path) -> None:
    result = ok(
        db,
        "declare",
        "Checkout\x1b[31m down",
        "--severity",
        "sev1",
        "--commander",
        "alice",
        "--summary",
        "EU customers cannot pay",
        "--drill",
    )
    assert result.stdout == "INC-1\n"
    data = record(db)
    incident = data["incident"]
    assert incident["ref"] == "INC-1"
    assert incident["title"] == "Checkout down"
    assert incident["severity"] == "SEV1"
    assert incident["status"] == "investigating"
    assert incident["summary"] == "EU customers cannot pay"
    assert incident["drill"] is True
    assert incident["cadence_minutes"] == 15
    assert [(r["role"], r["person"]) for r in data["roles"]] == [("ic", "alice")]
    assert data["timeline"][0]["author"] == "tester"
    assert "drill" in data["timeline"][0]["text"]


def test_declare_defaults(db: Path) -> None:
    ok(db, "declare", "Checkout down")
    assert ok(db, "declare", "Login broken").stdout == "INC-2\n"
    data = record(db)
    assert data["incident"]["severity"] == "SEV2"
    assert data["incident"]["drill"] is False
    assert [(r["role"], r["person"]) for r in data["roles"]] == [("ic", "tester")]


def test_log_plain(live: Path) -> None:
    result = ok(live, "log", "Rolling back deploy 4512")
    assert result.stdout == ""
    entry = record(live)["timeline"][-1]
    assert entry["text"] == "Rolling back deploy 4512"
    assert (entry["kind"], entry["author"], entry["pinned"]) == ("note", "tester", False)


def test_log_with_every_option(live: Path) -> None:
    ok(live, "declare", "Login broken")
    ok(
        live,
        "log",
        "Fail over to us-east-2",
        "--incident",
        "inc-1",
        "--kind",
        "DECISION",
        "--author",
        "bob",
        "--at",
        "-5m",
        "--pin",
    )
    entry = next(e for e in record(live)["timeline"] if e["text"] == "Fail over to us-east-2")
    assert (entry["kind"], entry["author"], entry["pinned"]) == ("decision", "bob", True)
    occurred = datetime.fromisoformat(entry["occurred_at"])
    recorded = datetime.fromisoformat(entry["recorded_at"])
    assert abs(recorded - occurred - timedelta(minutes=5)) < timedelta(seconds=30)
    assert "Fail over to us-east-2" not in timeline_texts(live, "INC-2")


def test_log_at_iso_time(live: Path) -> None:
    when = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
    ok(live, "log", "first alert", "-k", "alert", "--at", when.isoformat())
    entry = next(e for e in record(live)["timeline"] if e["text"] == "first alert")
    assert datetime.fromisoformat(entry["occurred_at"]) == when
    assert record(live)["timeline"][0]["text"] == "first alert"


def test_log_cleans_control_characters(live: Path) -> None:
    ok(live, "log", "a\x1b]52;c;cm0gLXJm\x07b\x1b[2Jc\udcffd")
    assert timeline_texts(live)[-1] == "abcd"


def test_log_stdin(live: Path) -> None:
    result = ok(live, "log", "--stdin", "--kind", "finding", input="one\n\n two \r\nthree")
    assert result.stdout == "INC-1: logged 3 entries\n"
    timeline = record(live)["timeline"]
    assert [e["text"] for e in timeline[-3:]] == ["one", "two", "three"]
    assert {e["kind"] for e in timeline[-3:]} == {"finding"}


def test_log_stdin_100k_lines_in_one_transaction(live: Path) -> None:
    lines = "".join(f"log line {n}\n" for n in range(100_000))
    result = ok(live, "log", "--stdin", "--author", "feeder", input=lines)
    assert result.stdout == "INC-1: logged 100000 entries\n"
    conn = sqlite3.connect(live)
    try:
        count, stamps, seqs = conn.execute(
            "SELECT count(*), count(DISTINCT recorded_at), count(DISTINCT seq) "
            "FROM timeline_entry WHERE author = 'feeder'"
        ).fetchone()
    finally:
        conn.close()
    assert (count, stamps, seqs) == (100_000, 1, 100_000)


def test_status(live: Path) -> None:
    assert ok(live, "status", "mitigated").stdout == "INC-1: mitigated\n"
    incident = record(live)["incident"]
    assert incident["status"] == "mitigated"
    assert incident["mitigated_at"] is not None
    assert "Status: investigating → mitigated" in timeline_texts(live)
    assert ok(live, "status", "RESOLVED", "--incident", "INC-1").stdout == "INC-1: resolved\n"


def test_severity(live: Path) -> None:
    result = ok(live, "severity", "1")
    lines = result.stdout.splitlines()
    assert lines[0] == "INC-1: SEV1"
    assert lines[1] == "SEV1 checklist items not yet on the incident:"
    assert "  - Open a bridge and post its link" in lines
    assert record(live)["incident"]["cadence_minutes"] == 15
    assert ok(live, "severity", "SEV4", "-i", "INC-1").stdout.startswith("INC-1: SEV4\n")
    assert record(live)["incident"]["cadence_minutes"] is None


def test_role_assign_and_relieve(live: Path) -> None:
    assert ok(live, "role", "scribe", "bob").stdout == "INC-1: bob is Scribe\n"
    assert ok(live, "role", "Scribe", "carol").stdout == "INC-1: carol is Scribe\n"
    ok(live, "role", "sme", "dave")
    ok(live, "role", "sme", "frank", "--incident", "INC-1")
    assert ok(live, "role", "scribe", "--relieve").stdout == "INC-1: Scribe relieved\n"
    ok(live, "role", "sme", "dave", "--relieve")
    roles = record(live)["roles"]
    history = [(r["role"], r["person"], r["relieved_at"] is not None) for r in roles]
    assert history == [
        ("ic", "alice", False),
        ("scribe", "bob", True),
        ("scribe", "carol", True),
        ("sme", "dave", True),
        ("sme", "frank", False),
    ]
    ok(live, "role", "ic", "bob")
    current = [(r["role"], r["person"]) for r in record(live)["roles"] if not r["relieved_at"]]
    assert current == [("sme", "frank"), ("ic", "bob")]


def test_list(live: Path) -> None:
    ok(live, "declare", "Login broken", "--severity", "SEV3", "--drill")
    ok(live, "status", "resolved", "--incident", "INC-1")
    lines = ok(live, "list").stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("INC-2") and "Login broken" in lines[0] and "[drill]" in lines[0]
    all_lines = ok(live, "list", "--all").stdout.splitlines()
    assert [line.split()[0] for line in all_lines] == ["INC-2", "INC-1"]
    assert "IC alice" in all_lines[1]
    listed = json.loads(ok(live, "list", "--json").stdout)
    assert [i["ref"] for i in listed] == ["INC-2"]
    everything = json.loads(ok(live, "list", "--all", "--json").stdout)
    assert [i["ref"] for i in everything] == ["INC-2", "INC-1"]
    for item in everything:
        assert {"ref", "title", "severity", "status", "started_at"} <= set(item)
        datetime.fromisoformat(item["started_at"])
    assert (everything[1]["title"], everything[1]["severity"]) == ("Checkout API 5xx", "SEV2")
    assert everything[1]["status"] == "resolved"


def test_list_empty(db: Path) -> None:
    assert ok(db, "list").stdout == "no active incidents\n"
    assert ok(db, "list", "--all").stdout == "no incidents\n"
    assert json.loads(ok(db, "list", "--json").stdout) == []


def test_show_text(live: Path) -> None:
    ok(live, "log", "Rolling back 4512", "--kind", "decision", "--pin")
    text = ok(live, "show", "INC-1").stdout
    assert "INC-1 · SEV2 · INVESTIGATING · Checkout API 5xx" in text
    assert "Incident Commander" in text and "alice" in text
    assert "Rolling back 4512" in text
    assert "Tasks 0/" in text


def test_show_json_is_the_whole_record(live: Path) -> None:
    ok(live, "role", "scribe", "bob")
    ok(live, "role", "scribe", "carol")
    ok(live, "log", "Rolling back 4512", "--kind", "action", "--author", "dave", "--pin")
    data = record(live)
    assert {"incident", "roles", "timeline", "tasks", "status_updates"} <= set(data)
    assert data["incident"]["ref"] == "INC-1"
    assert [r["person"] for r in data["roles"]] == ["alice", "bob", "carol"]
    assert data["roles"][1]["relieved_at"] is not None
    for entry in data["timeline"]:
        assert {"kind", "text", "author", "occurred_at", "recorded_at", "pinned"} <= set(entry)
    last = data["timeline"][-1]
    assert (last["kind"], last["text"], last["author"], last["pinned"]) == (
        "action",
        "Rolling back 4512",
        "dave",
        True,
    )
    assert data["tasks"] and all(t["status"] == "todo" for t in data["tasks"])
    assert data["status_updates"] == []


def test_search(live: Path) -> None:
    ok(live, "declare", "Login failures")
    ok(live, "log", "database failover started", "--incident", "INC-1")
    ok(live, "log", "certificate chain incomplete", "--incident", "INC-2")
    lines = ok(live, "search", "FAILOVER").stdout.splitlines()
    assert lines == ["INC-1    entry database failover started"]
    title_lines = ok(live, "search", "login").stdout.splitlines()
    assert "INC-2    title Login failures" in title_lines
    result = run("--db", str(live), "search", "nothing-like-this")
    assert (result.exit_code, result.stdout) == (1, "no matches\n")


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("icconsole ")
    assert len(result.stdout.splitlines()) == 1


def test_db_option_before_or_after_the_command(live: Path, tmp_path: Path) -> None:
    result = run("log", "after the command", "--db", str(live))
    assert result.exit_code == 0, result.output
    assert timeline_texts(live)[-1] == "after the command"
    other = tmp_path / "other.db"
    assert run("--db", str(live), "declare", "X", "--db", str(other)).exit_code == 0
    assert json.loads(ok(other, "list", "--json").stdout)[0]["title"] == "X"


def test_db_from_environment(tmp_path: Path) -> None:
    assert run("declare", "From the environment").stdout == "INC-1\n"
    assert (tmp_path / "icconsole.db").exists()


def test_config_option(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "team.toml"
    config.write_text('[roles.security]\nname = "Security Lead"\n')
    ok(db, "declare", "Breach", "--config", str(config))
    assert ok(db, "--config", str(config), "role", "security", "eve").stdout == (
        "INC-1: eve is Security Lead\n"
    )


def test_demo_default_path(tmp_path: Path) -> None:
    result = run("demo", "--no-open")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.name == "demo.db" and path.exists()
    assert path.is_relative_to(tmp_path / "home")


# --------------------------------------------------------------- bad input: 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("declare", "X", "--severity", "SEV9"), "unknown severity 'SEV9'"),
        (("declare", "  "), "title must not be empty"),
        (("declare", "t" * 201), "title is too long"),
        (("status", "fixed"), "unknown status 'fixed'"),
        (("status", "investigating"), "already investigating"),
        (("severity", "SEV0"), "unknown severity"),
        (("role", "janitor", "bob"), "unknown role 'janitor'"),
        (("role", "deputy"), "name the PERSON"),
        (("role", "ic", "--relieve"), "command cannot be left empty"),
        (("role", "deputy", "--relieve"), "nobody holds Deputy"),
        (("log", "x", "--kind", "gossip"), "'gossip' is not one of"),
        (("log", "x", "--at", "soon"), "not a time: 'soon'"),
        (("log", "x", "--at", "2999-01-01T00:00"), "in the future"),
        (("log", "x", "--at", "-2y"), "not a time"),
        (("log", ""), "entry text must not be empty"),
        (("log", " \x1b[0m "), "entry text must not be empty"),
        (("log", "e" * 10_001), "entry text is too long"),
        (("log", "x", "--author", " "), "author must not be empty"),
        (("log",), "nothing to log"),
        (("log", "text", "--stdin"), "give TEXT or --stdin, not both"),
        (("log", "--stdin", "--pin"), "--pin logs one entry"),
        (("log", "x", "--incident", "INC-9"), "no incident 'INC-9'"),
        (("show", "INC-9"), "no incident 'INC-9'"),
        (("search", "  "), "at least one word"),
        (("status",), "Missing argument 'STATUS'"),
        (("frobnicate",), "No such command 'frobnicate'"),
        (("list", "--colour"), "No such option"),
    ],
)
def test_bad_input_exits_2(live: Path, args: tuple[str, ...], message: str) -> None:
    before = record(live)
    line = refused(live, 2, *args)
    assert message in line
    assert record(live) == before


def test_stdin_empty_input(live: Path) -> None:
    assert "no text" in refused(live, 2, "log", "--stdin", input="\n  \n")


def test_stdin_invalid_utf8_logs_nothing(live: Path) -> None:
    before = len(record(live)["timeline"])
    line = refused(live, 2, "log", "--stdin", input=b"fine\nbad \xff\xfe byte\nfine too\n")
    assert "not valid UTF-8 (line 2)" in line
    assert len(record(live)["timeline"]) == before


def test_no_incident(db: Path) -> None:
    assert "no active incident" in refused(db, 2, "log", "anything")
    assert "no active incident" in refused(db, 2, "status", "mitigated")


def test_several_active_incidents_are_listed(live: Path) -> None:
    ok(live, "declare", "Login broken")
    line = refused(live, 2, "log", "which one?")
    assert "several active incidents" in line
    assert "INC-1 (Checkout API 5xx)" in line and "INC-2 (Login broken)" in line
    assert "several active incidents" in refused(live, 2, "severity", "SEV1")


def test_config_errors_exit_2(db: Path, tmp_path: Path) -> None:
    assert "config file not found" in refused(
        db, 2, "--config", str(tmp_path / "missing.toml"), "list"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('[severities.SEV1]\ncadence_minutes = "often"\n')
    assert "severities.SEV1.cadence_minutes" in refused(db, 2, "--config", str(bad), "list")
    bad.write_text("[severities\n")
    assert "invalid TOML" in refused(db, 2, "list", "--config", str(bad))


# ---------------------------------------------------------- runtime failure: 1


def test_newer_schema_file(live: Path) -> None:
    conn = sqlite3.connect(live)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = live.read_bytes()
    assert "newer IC Console" in refused(live, 1, "log", "hello")
    assert "newer IC Console" in refused(live, 1, "list")
    assert live.read_bytes() == before


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(os.urandom(2048))
    before = path.read_bytes()
    assert "not an SQLite file" in refused(path, 1, "list")
    assert "not an SQLite file" in refused(path, 1, "declare", "X")
    assert path.read_bytes() == before


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert "empty" in refused(path, 1, "list")
    assert path.read_bytes() == b""


def test_directory_as_db(tmp_path: Path) -> None:
    assert "is a directory" in refused(tmp_path, 1, "declare", "X")
    assert "is a directory" in refused(tmp_path, 1, "list")


def test_read_only_file(live: Path) -> None:
    live.chmod(0o444)
    before = live.read_bytes()
    assert ok(live, "list").stdout.startswith("INC-1")
    assert "read-only" in refused(live, 1, "log", "cannot write")
    assert "read-only" in refused(live, 1, "declare", "Another")
    assert live.read_bytes() == before


# ------------------------------------------------------------ the real console


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "icconsole", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_console_entry_point_error_format(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    no_incident = run_module("--db", str(db), "log", "hello", cwd=tmp_path)
    assert no_incident.returncode == 2
    assert no_incident.stdout == ""
    assert no_incident.stderr.startswith("icconsole: error: no active incident")
    assert len(no_incident.stderr.splitlines()) == 1
    bad_kind = run_module("log", "x", "--kind", "gossip", "--db", str(db), cwd=tmp_path)
    assert (bad_kind.returncode, len(bad_kind.stderr.splitlines())) == (2, 1)
    db.write_bytes(b"definitely not a database")
    broken = run_module("--db", str(db), "list", cwd=tmp_path)
    assert broken.returncode == 1
    assert broken.stderr.startswith("icconsole: error: ")
    assert "not an SQLite file" in broken.stderr
    assert len(broken.stderr.splitlines()) == 1
    assert "Traceback" not in no_incident.stderr + bad_kind.stderr + broken.stderr
