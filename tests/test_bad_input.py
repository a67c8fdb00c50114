"""Bad input through every door: CLI arguments, stdin, config TOML, JSON import, merged
files, database files, a full disk, the capture line and the declare form.

Each refused input gets one clear line (asserted), a non-zero exit where it is a command,
no traceback, and leaves every stored byte as it was. Input that is acceptable once
cleaned (escape sequences, NUL bytes, markup, Markdown) is stored clean and literal."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from icconsole.cli import cli
from icconsole.config import Config, build_config
from icconsole.screens.declare import DeclareScreen
from icconsole.store import Store
from icconsole.widgets.capture import CaptureLine
from icconsole.widgets.incident_bar import IncidentBar
from icconsole.widgets.timeline import Timeline
from tests.tui import make_app

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
Prepare = Callable[[Path, Path], None]


# ------------------------------------------------------------------ the world


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """A database with INC-1 (and one note), and an empty folder for the case's files."""
    db = tmp_path / "ic.db"
    with Store(db, build_config({})) as store:
        incident = store.declare("Checkout down", "SEV2", author="alice")
        store.log(incident.id, "first note", author="alice")
    files = tmp_path / "in"
    files.mkdir()
    return db, files


def dump(db: Path) -> list[str]:
    """Every stored row, as SQL text."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def invoke(args: list[str], stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, args, input=stdin)


def a_database(path: Path, title: str = "Elsewhere") -> Path:
    with Store(path, build_config({})) as store:
        store.declare(title, "SEV3", author="bob")
    return path


def an_export(db: Path) -> dict:
    result = invoke(["--db", str(db), "export", "--all", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------- file makers


def text_file(name: str, content: str | bytes) -> Prepare:
    def prepare(files: Path, db: Path) -> None:
        data = content.encode() if isinstance(content, str) else content
        (files / name).write_bytes(data)

    return prepare


def folder(name: str) -> Prepare:
    return lambda files, db: (files / name).mkdir()


def truncated(name: str) -> Prepare:
    def prepare(files: Path, db: Path) -> None:
        data = a_database(files.parent / f"whole-{name}").read_bytes()
        (files / name).write_bytes(data[: len(data) // 2])

    return prepare


def newer(name: str) -> Prepare:
    """A database whose header says schema 99 (user_version lives at offset 60)."""

    def prepare(files: Path, db: Path) -> None:
        data = bytearray(a_database(files.parent / f"whole-{name}").read_bytes())
        data[60:64] = (99).to_bytes(4, "big")
        (files / name).write_bytes(bytes(data))

    return prepare


def read_only(name: str) -> Prepare:
    def prepare(files: Path, db: Path) -> None:
        copy = files / name
        shutil.copy(a_database(files.parent / f"whole-{name}"), copy)
        copy.chmod(0o444)

    return prepare


def tampered_export(name: str, change: Callable[[dict], None]) -> Prepare:
    """A real export of another file, changed by `change`."""

    def prepare(files: Path, db: Path) -> None:
        document = an_export(a_database(files.parent / f"source-{name}.db"))
        change(document)
        (files / name).write_text(json.dumps(document))

    return prepare


def _set(path: str, value: object) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        *parents, last = path.split(".")
        node = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return change


# ------------------------------------------------------------------ refusals


@dataclass(frozen=True)
class Refused:
    """A command that must refuse: `args` may name {db} (the good file) and {in} (the
    folder of this case's files)."""

    id: str
    args: tuple[str, ...]
    message: str
    code: int = 2
    stdin: bytes | None = None
    prepare: Prepare | None = None


ISO_FUTURE = "2999-01-01T00:00:00+00:00"
CONFIG = ("--config", "{in}/config.toml", "--db", "{db}", "list")
TOML_HINT = "--config"
REFUSED = [
    # CLI arguments
    Refused("log-empty", ("log", ""), "entry text must not be empty"),
    Refused("log-whitespace", ("log", " \t \n "), "entry text must not be empty"),
    Refused(
        "log-1mb",
        ("log", "x" * MB),
        "entry text is too long (1,000,000 characters; at most 10,000)",
    ),
    Refused("log-only-escapes", ("log", "\x1b[31m\x1b[0m\x1b]0;t\x07"), "must not be empty"),
    Refused("log-only-nul", ("log", "\x00\x00"), "entry text must not be empty"),
    Refused(
        "log-at-1900",
        ("log", "--at", "1900-01-01T00:00:00+00:00", "x"),
        "time is more than a year ago: '1900-01-01T00:00:00+00:00'",
    ),
    Refused("log-at-year-1", ("log", "--at", "0001-01-01", "x"), "time is out of range"),
    Refused(
        "log-at-billion-days",
        ("log", "--at", "-999999999999d", "x"),
        "time is out of range: '-999999999999d'",
    ),
    Refused("log-at-2999", ("log", "--at", ISO_FUTURE, "x"), "time is in the future"),
    Refused("log-at-words", ("log", "--at", "yesterday", "x"), "not a time: 'yesterday'"),
    Refused("log-unknown-kind", ("log", "--kind", "rumour", "x"), "Invalid value for '--kind'"),
    Refused("log-unknown-incident", ("log", "-i", "INC-999", "x"), "no incident 'INC-999'"),
    Refused("declare-empty", ("declare", ""), "title must not be empty"),
    Refused("declare-1mb", ("declare", "t" * MB), "title is too long (1,000,000 characters"),
    Refused(
        "declare-unknown-severity",
        ("declare", "--severity", "SEV9", "x"),
        "unknown severity 'SEV9' (choose from: SEV1, SEV2, SEV3, SEV4)",
    ),
    Refused(
        "declare-blank-commander",
        ("declare", "--commander", "  ", "x"),
        "commander must not be empty",
    ),
    Refused("severity-unknown", ("severity", "SEV0"), "unknown severity 'SEV0'"),
    Refused("role-unknown", ("role", "wizard", "bob"), "unknown role 'wizard' (choose from: ic,"),
    Refused("role-escape-person", ("role", "scribe", "\x1b[31m"), "person must not be empty"),
    Refused("status-unknown", ("status", "panicking"), "unknown status 'panicking'"),
    Refused("search-escapes-only", ("search", "\x1b[2J"), "search needs at least one word"),
    # standard input
    Refused(
        "stdin-invalid-utf8",
        ("log", "--stdin"),
        "standard input is not valid UTF-8 (line 2); nothing logged",
        stdin=b"fine\n\xff\xfe broken\n",
    ),
    Refused("stdin-empty", ("log", "--stdin"), "nothing to log: the input had no text", stdin=b""),
    Refused(
        "stdin-whitespace",
        ("log", "--stdin"),
        "nothing to log: the input had no text",
        stdin=b"  \n\t\n\n",
    ),
    Refused(
        "stdin-1mb-line",
        ("log", "--stdin"),
        "entry text is too long (1,000,000 characters",
        stdin=b"a good line first\n" + b"y" * MB + b"\n",
    ),
    Refused(
        "update-stdin-invalid-utf8",
        ("update", "sent", "-"),
        "standard input is not valid UTF-8; nothing recorded",
        stdin=b"\xff\xfe",
    ),
    Refused("update-stdin-empty", ("update", "sent", "-"), "the update is empty", stdin=b"\n"),
    Refused(
        "handoff-brief-invalid-utf8",
        ("handoff", "carol", "--brief-file", "-", "--yes"),
        "is not valid UTF-8; nothing changed",
        stdin=b"\xff",
    ),
    # config TOML
    Refused(
        "config-invalid-toml",
        CONFIG,
        "invalid TOML",
        prepare=text_file("config.toml", "user = ["),
    ),
    Refused(
        "config-unknown-key",
        CONFIG,
        "bogus: Extra inputs are not permitted",
        prepare=text_file("config.toml", "bogus = 1\n"),
    ),
    Refused(
        "config-unknown-default-severity",
        CONFIG,
        "default_severity: unknown severity 'SEV9'",
        prepare=text_file("config.toml", 'default_severity = "SEV9"\n'),
    ),
    Refused(
        "config-severity-without-description",
        CONFIG,
        "severities.SEV0.description: Field required",
        prepare=text_file("config.toml", "[severities.SEV0]\ncadence_minutes = 5\n"),
    ),
    Refused(
        "config-negative-cadence",
        CONFIG,
        "severities.SEV1.cadence_minutes: Input should be greater than or equal to 1",
        prepare=text_file("config.toml", "[severities.SEV1]\ncadence_minutes = -5\n"),
    ),
    Refused(
        "config-commander-disabled",
        CONFIG,
        "roles.ic: the Incident Commander cannot be removed",
        prepare=text_file("config.toml", "[roles.ic]\nenabled = false\n"),
    ),
    Refused(
        "config-invalid-utf8",
        CONFIG,
        "cannot read config",
        prepare=text_file("config.toml", b'user = "\xff"\n'),
    ),
    Refused(
        "config-escape-sequence",
        CONFIG,
        "invalid TOML: Illegal character '\\x1b'",
        prepare=text_file("config.toml", 'user = "\x1b[31mred"\n'),
    ),
    Refused(
        "config-unknown-placeholder",
        CONFIG,
        "templates.internal: unknown placeholder {nope}",
        prepare=text_file("config.toml", '[templates]\ninternal = "{nope}"\n'),
    ),
    Refused("config-directory", CONFIG, "is a directory", prepare=folder("config.toml")),
    Refused("config-missing", CONFIG, "config file not found"),
    # JSON import
    Refused(
        "import-not-json",
        ("import", "{in}/x.json"),
        "not JSON (line 1, column 1: Expecting value); nothing imported",
        prepare=text_file("x.json", "incidents: none"),
    ),
    Refused(
        "import-zero-bytes",
        ("import", "{in}/x.json"),
        "not JSON (line 1, column 1: Expecting value); nothing imported",
        prepare=text_file("x.json", b""),
    ),
    Refused(
        "import-invalid-utf8",
        ("import", "{in}/x.json"),
        "not UTF-8 text; nothing imported",
        prepare=text_file("x.json", b'{"format": "\xff"}'),
    ),
    Refused(
        "import-wrong-shape",
        ("import", "{in}/x.json"),
        "not a valid IC Console export; nothing imported",
        prepare=text_file("x.json", "[1, 2, 3]"),
    ),
    Refused(
        "import-newer-format",
        ("import", "{in}/x.json"),
        "export format version 99 is newer than this IC Console knows (1)",
        prepare=text_file("x.json", '{"format": "icconsole", "version": 99, "incidents": []}'),
    ),
    Refused(
        "import-1mb-entry",
        ("import", "{in}/x.json"),
        "incidents.0.timeline.0.text: String should have at most 10000 characters",
        prepare=tampered_export("x.json", _set("incidents.0.timeline.0.text", "z" * MB)),
    ),
    Refused(
        "import-year-1-naive",
        ("import", "{in}/x.json"),
        "incidents.0.timeline.0.occurred_at: Value error, timestamp must carry a time zone",
        prepare=tampered_export(
            "x.json", _set("incidents.0.timeline.0.occurred_at", "0001-01-01T00:00:00")
        ),
    ),
    Refused(
        "import-unknown-kind",
        ("import", "{in}/x.json"),
        "incidents.0.timeline.0.kind: Input should be 'note'",
        prepare=tampered_export("x.json", _set("incidents.0.timeline.0.kind", "rumour")),
    ),
    Refused("import-directory", ("import", "{in}/d"), "is a directory", prepare=folder("d")),
    Refused(
        "import-missing", ("import", "{in}/none.json"), "cannot read: No such file or directory"
    ),
    # merged files
    Refused(
        "merge-zero-bytes",
        ("merge", "{in}/other.db"),
        "the file is empty (0 bytes); not an IC Console database",
        code=1,
        prepare=text_file("other.db", b""),
    ),
    Refused(
        "merge-truncated",
        ("merge", "{in}/other.db"),
        "the database file is damaged",
        code=1,
        prepare=truncated("other.db"),
    ),
    Refused(
        "merge-text-file",
        ("merge", "{in}/other.db"),
        "not an IC Console database (not an SQLite file)",
        code=1,
        prepare=text_file("other.db", "# notes\n"),
    ),
    Refused(
        "merge-newer",
        ("merge", "{in}/other.db"),
        "written by a newer IC Console (schema 99",
        code=1,
        prepare=newer("other.db"),
    ),
    Refused("merge-directory", ("merge", "{in}/d"), "is a directory", prepare=folder("d")),
    Refused("merge-itself", ("merge", "{db}"), "that is the file being merged into"),
    Refused("merge-missing", ("merge", "{in}/none.db"), "no such file"),
    # the database file itself
    Refused(
        "db-truncated",
        ("--db", "{in}/bad.db", "log", "x"),
        "the database file is damaged",
        code=1,
        prepare=truncated("bad.db"),
    ),
    Refused(
        "db-zero-bytes",
        ("--db", "{in}/bad.db", "log", "x"),
        "the file is empty (0 bytes); not an IC Console database",
        code=1,
        prepare=text_file("bad.db", b""),
    ),
    Refused(
        "db-directory",
        ("--db", "{in}/bad.db", "log", "x"),
        "is a directory, not a database file",
        code=1,
        prepare=folder("bad.db"),
    ),
    Refused(
        "db-read-only",
        ("--db", "{in}/bad.db", "log", "x"),
        "the database is read-only",
        code=1,
        prepare=read_only("bad.db"),
    ),
    Refused(
        "db-newer",
        ("--db", "{in}/bad.db", "log", "x"),
        "upgrade icconsole. The file was not changed.",
        code=1,
        prepare=newer("bad.db"),
    ),
    Refused(
        "db-text-file",
        ("--db", "{in}/bad.db", "log", "x"),
        "not an IC Console database (not an SQLite file)",
        code=1,
        prepare=text_file("bad.db", "incident notes\n"),
    ),
]


def _args(args: tuple[str, ...], db: Path, files: Path) -> list[str]:
    filled = [a.replace("{db}", str(db)).replace("{in}", str(files)) for a in args]
    return filled if "--db" in filled else ["--db", str(db), *filled]


def assert_one_line_error(result: Result, message: str, code: int) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("icconsole: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("case", REFUSED, ids=[case.id for case in REFUSED])
def test_refused_with_one_clear_line(case: Refused, world: tuple[Path, Path]) -> None:
    db, files = world
    if case.prepare:
        case.prepare(files, db)
    before, inputs = dump(db), file_bytes(files)
    result = invoke(_args(case.args, db, files), case.stdin)
    assert_one_line_error(result, case.message, case.code)
    assert_untouched(files, inputs)
    assert dump(db) == before


def assert_untouched(files: Path, inputs: dict[str, bytes]) -> None:
    """Every input file has its bytes; SQLite may have opened a damaged database in WAL
    mode before finding the damage, leaving only its empty -wal and index -shm beside it."""
    after = file_bytes(files)
    assert {name: after.get(name) for name in inputs} == inputs
    for name in set(after) - set(inputs):
        assert name.endswith(("-wal", "-shm")), name
        assert name.endswith("-shm") or after[name] == b""


def test_the_corpus_is_large() -> None:
    assert len(REFUSED) + len(CLEANED) + len(CAPTURE) + len(FORMS) >= 40


# ------------------------------------------------------------- cleaned input


@dataclass(frozen=True)
class Cleaned:
    """Input accepted once cleaned: the newest entry's text must be `stored`."""

    id: str
    args: tuple[str, ...]
    stored: str
    stdin: bytes | None = None


MARKUP = "[@click=app.quit]quit[/] [bold red]loud[/]"
MARKDOWN = "# Heading\n| a | b |\n- item"
CLEANED = [
    Cleaned("log-ansi", ("log", "\x1b[31mred\x1b[0m alert"), "red alert"),
    Cleaned("log-osc52-clipboard", ("log", "\x1b]52;c;ZXZpbA==\x07copy me"), "copy me"),
    Cleaned("log-osc8-link", ("log", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "link"),
    Cleaned("log-nul", ("log", "a\x00b"), "ab"),
    Cleaned("log-bidi-override", ("log", "abc\u202edef"), "abcdef"),
    Cleaned("log-markup", ("log", MARKUP), MARKUP),
    Cleaned("log-markdown", ("log", MARKDOWN), MARKDOWN),
    Cleaned("stdin-nul", ("log", "--stdin"), "ab", stdin=b"a\x00b\n"),
    Cleaned("stdin-csi", ("log", "--stdin"), "cleared", stdin=b"\x1b[2J\x1b[Hcleared\n"),
]


@pytest.mark.parametrize("case", CLEANED, ids=[case.id for case in CLEANED])
def test_accepted_once_cleaned(case: Cleaned, world: tuple[Path, Path]) -> None:
    db, files = world
    result = invoke(_args(case.args, db, files), case.stdin)
    assert result.exception is None, repr(result.exception)
    assert result.exit_code == 0 and result.stderr == ""
    with Store(db, build_config({})) as store:
        assert store.last_entry(store.incident("INC-1").id).text == case.stored


def test_markdown_in_an_entry_stays_text_in_the_export(world: tuple[Path, Path]) -> None:
    db, _ = world
    assert invoke(["--db", str(db), "log", "# Heading\n- item\n<script>x</script>"]).exit_code == 0
    result = invoke(["--db", str(db), "export", "INC-1"])
    assert result.exit_code == 0
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    inline = [child for token in tokens for child in token.children or ()]
    assert not [t for t in [*tokens, *inline] if t.type.startswith("html")]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings if "Heading" in h]
    assert not [t for t in tokens if t.type == "inline" and t.content.startswith("item")]


def test_import_cleans_escapes_and_keeps_markup_literal(world: tuple[Path, Path]) -> None:
    db, files = world
    evil = "\x1b]52;c;ZXZpbA==\x07evil \x1b[2J" + MARKUP + "\x00"
    tampered_export("x.json", _set("incidents.0.timeline.0.text", evil))(files, db)
    result = invoke(["--db", str(db), "import", str(files / "x.json")])
    assert result.exit_code == 0, result.output
    with Store(db, build_config({})) as store:
        texts = [e.text for e in store.entries(store.incident("INC-2").id)]
    assert texts[0] == "evil " + MARKUP


def test_invalid_utf8_in_arguments_of_a_real_process(world: tuple[Path, Path]) -> None:
    """Undecodable bytes in argv arrive as surrogates; they are dropped, the rest kept."""
    db, _ = world
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable.encode(), b"-m", b"icconsole", b"--db", bytes(db), b"log"]
    result = subprocess.run([*argv, b"ok \xff\xfe bytes"], env=env, capture_output=True)
    assert (result.returncode, result.stderr) == (0, b"")
    with Store(db, build_config({})) as store:
        assert store.last_entry(store.incident("INC-1").id).text == "ok  bytes"


@pytest.mark.parametrize(
    ("args", "stdin", "message", "code"),
    [
        (["log", "--at", "-999999999999d", "x"], b"", "time is out of range", 2),
        (["log", "--stdin"], b"\xff", "standard input is not valid UTF-8 (line 1)", 2),
        (["--db", "{in}/bad.db", "list"], b"", "the database file is damaged", 1),
    ],
    ids=["huge-offset", "invalid-utf8-stdin", "truncated-db"],
)
def test_real_process_says_one_line(
    world: tuple[Path, Path], args: list[str], stdin: bytes, message: str, code: int
) -> None:
    db, files = world
    truncated("bad.db")(files, db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "icconsole", *_args(tuple(args), db, files)]
    result = subprocess.run(command, env=env, input=stdin, capture_output=True)
    assert result.returncode == code
    assert result.stdout == b""
    assert result.stderr.decode().startswith("icconsole: error: ")
    assert result.stderr.count(b"\n") == 1 and message in result.stderr.decode()


# ------------------------------------------------------------------ full disk


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB tmpfs when this process may mount one (root in a container), else None."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)],
            capture_output=True,
        ).returncode
    except OSError:
        mounted = -1
    if mounted != 0:
        yield None
        return
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill(disk: Path) -> None:
    with (disk / "filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass


def test_full_disk(
    small_disk: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real full file system (tmpfs of 2 MB, filled) when it can be mounted; otherwise
    the store's writes fail as SQLite fails on a full disk."""
    disk = small_disk or tmp_path
    db = a_database(disk / "ic.db", "Disk filling up")
    before = dump(db)
    if small_disk is not None:
        fill(small_disk)
    else:
        monkeypatch.setattr(Store, "_insert", _disk_full)
        monkeypatch.setattr(Store, "_migrate", _migrate_on_full_disk(Store._migrate))
    result = invoke(["--db", str(db), "log", "one more line"])
    assert_one_line_error(result, f"{db}: the disk is full; nothing was written", 1)
    result = invoke(["--db", str(disk / "new.db"), "declare", "Fresh file"])
    assert_one_line_error(result, "the disk is full; nothing was written", 1)
    # Regression: the failed first open left an empty file that refused every retry.
    assert not (disk / "new.db").exists()
    if small_disk is not None:
        (small_disk / "filler").unlink()
    else:
        monkeypatch.undo()
    assert dump(db) == before
    assert invoke(["--db", str(db), "log", "space again"]).exit_code == 0


def _disk_full(*args: object, **kwargs: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def _migrate_on_full_disk(migrate: Callable[[Store], None]) -> Callable[[Store], None]:
    """Creating the schema of a new file fails as it does on a full disk."""

    def failing(store: Store) -> None:
        if store._scalar("PRAGMA user_version"):
            migrate(store)
            return
        with store._write():
            _disk_full()

    return failing


class FullDisk:
    """A connection whose inserts fail as on a full disk; everything else goes through."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


async def test_full_disk_in_the_cockpit(store: Store) -> None:
    """Simulated at the store layer: the line stays to retry, one message, nothing lost."""
    incident = store.declare("Checkout down", author="alice")
    app = make_app(store, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        count = store.entry_count(incident.id)
        real = store.conn
        store.conn = FullDisk(real)
        capture = app.screen.query_one(CaptureLine)
        capture.value = "rollback started"
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#capture-error").render())
        assert error == f"✗ {store.path}: the disk is full; nothing was written"
        assert capture.value == "rollback started"
        store.conn = real
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#capture-error").render()) == ""
        assert capture.value == ""
    assert store.entry_count(incident.id) == count + 1
    assert store.last_entry(incident.id).text == "rollback started"


# --------------------------------------------------------- the capture line


@dataclass(frozen=True)
class Typed:
    """A line typed into the cockpit: refused with `error`, or stored as `stored`."""

    id: str
    line: str
    error: str = ""
    stored: str | None = None


CAPTURE = [
    Typed("empty", ""),
    Typed("whitespace", "   \t "),
    Typed("1mb", "x" * MB, error="entry text is too long (1,000,000 characters; at most 10,000)"),
    Typed("nul", "a\x00b", stored="ab"),
    Typed("ansi", "\x1b[31mred\x1b[0m alert", stored="red alert"),
    Typed("osc52", "\x1b]52;c;ZXZpbA==\x07copy me", stored="copy me"),
    Typed("markup", MARKUP, stored=MARKUP),
    Typed("markdown", "# Heading | cell | [link](http://x)", stored=None),
    Typed("billion-days-back", "-999999999999d old", error="time is out of range"),
    Typed("far-past", "-400d old", error="time is more than a year ago: '-400d'"),
    Typed("bad-clock", "@25:99 late", error="not a time of day: '25:99'"),
    Typed("unknown-command", "/frobnicate now", error="unknown command /frobnicate"),
    Typed("unknown-severity", "/sev 9", error="unknown severity '9'"),
    Typed("unknown-role", "/role wizard bob", error="unknown role 'wizard'"),
    Typed("unknown-status", "/status panicking", error="/status needs one of"),
    Typed("command-without-text", "/decision", error="/decision needs text"),
]


@pytest.mark.parametrize("case", CAPTURE, ids=[case.id for case in CAPTURE])
async def test_capture_line(case: Typed, store: Store) -> None:
    incident = store.declare("Checkout down", author="alice")
    before = store.record(incident.id)
    app = make_app(store, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        capture = app.screen.query_one(CaptureLine)
        capture.value = case.line
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#capture-error").render())
        assert app.is_running
        if case.error:
            assert error.startswith("✗ ") and case.error in error
            assert capture.value == case.line
            assert store.record(incident.id) == before
            return
        assert error == ""
        assert capture.value == ""
        if not case.line.strip():
            assert store.record(incident.id) == before
            return
        stored = store.last_entry(incident.id).text
        assert stored == (case.stored if case.stored is not None else case.line)
        newest = app.screen.query_one(Timeline).selected
        assert newest is not None and newest.text == stored


# --------------------------------------------------------- the declare form


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    commander: str = "dana"
    error: str = ""
    title_stored: str = ""


MARKUP_TITLE = "[@click=app.quit]x[/] red"
FORMS = [
    Form("empty-title", "", error="Title must not be empty"),
    Form("whitespace-title", "   ", error="Title must not be empty"),
    Form("1mb-title", "t" * MB, error="Title is too long (1,000,000 characters; at most 200)"),
    Form("blank-commander", "Checkout down", commander=" \x1b[0m ", error="Commander must not"),
    Form(
        "markup-title",
        "[@click=app.quit]x[/] \x1b[31mred",
        title_stored="[@click=app.quit]x[/] red",
    ),
]


@pytest.mark.parametrize("case", FORMS, ids=[case.id for case in FORMS])
async def test_declare_form(case: Form, store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DeclareScreen)
        dialog.query_one("#declare-title").value = case.title
        dialog.query_one("#declare-commander").value = case.commander
        await pilot.press("ctrl+s")
        await pilot.pause()
        if case.error:
            assert app.screen is dialog
            assert str(dialog.query_one("#declare-error").render()).startswith(case.error)
            assert store.incidents() == []
            return
        [incident] = store.incidents()
        assert incident.title == case.title_stored
        assert app.is_running


# ------------------------------------------------ unknown keys in merged data


async def test_cockpit_opens_an_incident_with_unknown_severity_and_role(
    tmp_path: Path, store: Store, config: Config
) -> None:
    """An incident merged from a responder whose config had other severities and roles
    opens, shows them as they are, and can be moved to a known severity."""
    document = an_export(a_database(tmp_path / "theirs.db", "From elsewhere"))
    document["incidents"][0]["incident"]["severity"] = "SEV0"
    document["incidents"][0]["roles"][0]["role"] = "wizard"
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps(document))
    result = invoke(["--db", str(store.path), "import", str(path)])
    assert result.exit_code == 0, result.output
    incident = store.incident("INC-1")
    app = make_app(store, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "SEV0" in str(app.screen.query_one(IncidentBar).render())
        capture = app.screen.query_one(CaptureLine)
        capture.value = "/sev 2"
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#capture-error").render()) == ""
        assert app.is_running
    assert store.incident(incident.id).severity == "SEV2"
