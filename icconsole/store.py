"""The one owner of the database: opening safely, migrations, every write as one short
transaction, and the queries the CLI and the TUI need."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, get_type_hints

from icconsole.clock import Clock, from_iso, to_iso
from icconsole.collector import collector_paused
from icconsole.config import COMMANDER, ChecklistItem, Config
from icconsole.errors import InputError, StoreError
from icconsole.models import (
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    STATUS_STAMP,
    ActionItem,
    Audience,
    EntryKind,
    EntryRevision,
    Handoff,
    Incident,
    IncidentRecord,
    PostMortem,
    Record,
    RoleAssignment,
    Status,
    StatusUpdate,
    Task,
    TaskStatus,
    TimelineEntry,
)
from icconsole.sanitize import clean_line, clean_optional, clean_text
from icconsole.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
EMPTY_FILE_WAIT = 1.0  # seconds
LIFECYCLE = list(Status)
M = TypeVar("M", bound=Record)


class EntryRow(NamedTuple):
    """A timeline entry as the cockpit draws it: no validation, cheap to fetch in bulk."""

    id: str
    seq: int
    occurred_at: str
    kind: str
    author: str
    text: str
    pinned: bool
    revisions: int
    retracted: bool


class SearchHit(NamedTuple):
    incident_id: str
    ref: str
    title: str
    entry_id: str | None
    text: str


def new_id() -> str:
    return str(uuid.uuid4())


def _ref(number: int) -> str:
    return f"INC-{number}"


def _row_model(model: type[M], row: dict[str, Any]) -> M:
    """A record from one of this file's rows, converted (times, enums, flags) but not
    validated again: its values were checked when they were written or merged. A value
    that does not convert is checked, so that it is refused with the field named."""
    try:
        return model(**{name: convert(row[name]) for name, convert in _converters(model)})
    except (KeyError, TypeError, ValueError):
        return model.validated(**row)


_CONVERTERS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _converters(model: type) -> tuple[tuple[str, Any], ...]:
    """(field, conversion from its column) for every field of a record type."""
    found = _CONVERTERS.get(model)
    if found is None:
        hints = get_type_hints(model)
        found = _CONVERTERS[model] = tuple(
            (f.name, _converter(hints[f.name])) for f in fields(model)
        )
    return found


def _converter(hint: Any) -> Any:
    kinds = [kind for kind in getattr(hint, "__args__", (hint,)) if kind is not type(None)]
    kind = kinds[0] if len(kinds) == 1 else None
    if kind is datetime:
        return _optional(_stored_time)
    if kind is date:
        return _optional(date.fromisoformat)
    if kind is bool:
        return bool
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _optional(kind)
    return _same


def _optional(convert: Any) -> Any:
    return lambda value: None if value is None else convert(value)


def _same(value: Any) -> Any:
    return value


def _check_length(text: str, limit: int, what: str) -> str:
    if len(text) > limit:
        raise InputError(f"{what} is too long ({len(text):,} characters; at most {limit:,})")
    return text


def _person(name: str | None, what: str = "name") -> str:
    cleaned = clean_line(name or "")
    if not cleaned:
        raise InputError(f"{what} must not be empty")
    return _check_length(cleaned, MAX_NAME, what)


def _translate(exc: sqlite3.Error, path: Path) -> StoreError:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return StoreError(f"{path}: the database stayed locked by another process; try again")
    if "readonly" in message or "read-only" in message:
        return StoreError(f"{path}: the database is read-only")
    if "full" in message or ("i/o" in message and _short_of_space(path)):
        return StoreError(f"{path}: the disk is full; nothing was written")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return StoreError(f"{path}: the database file is damaged ({exc})")
    return StoreError(f"{path}: database error: {exc}")


def _short_of_space(path: Path) -> bool:
    """Whether the file system holding `path` is (nearly) full: SQLite reports a failure
    to grow its -wal/-shm side files as a mere "disk I/O error"."""
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 1024 * 1024


def _discard_new(path: Path) -> None:
    """Remove a database file this process just created and could not set up, with its
    side files, so that an empty file does not block the next attempt."""
    for name in (str(path), f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        with suppress(OSError):
            os.unlink(name)


def _newer_error(path: Path, version: int) -> StoreError:
    return StoreError(
        f"{path}: written by a newer IC Console (schema {version}; this one knows up to "
        f"{SCHEMA_VERSION}); upgrade icconsole. The file was not changed."
    )


def _read_header(path: Path) -> bytes:
    """The first 100 bytes. An empty file gets a moment to fill: another process may have
    just created it and be writing its first page."""
    deadline = time.monotonic() + EMPTY_FILE_WAIT
    while True:
        try:
            with path.open("rb") as handle:
                header = handle.read(100)
        except OSError as exc:
            raise StoreError(f"{path}: cannot read: {exc.strerror}") from None
        if header or time.monotonic() >= deadline:
            return header
        time.sleep(0.05)


def _inspect_existing(path: Path) -> None:
    """Refuse, without writing a byte, a file that is not an IC Console database we can use."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    header = _read_header(path)
    if not header:
        raise StoreError(f"{path}: the file is empty (0 bytes); not an IC Console database")
    if not header.startswith(SQLITE_HEADER):
        raise StoreError(f"{path}: not an IC Console database (not an SQLite file)")
    # The file header holds user_version (offset 60) and application_id (offset 68): most
    # files are judged from it without opening them, so not even -wal/-shm files appear.
    header_version = int.from_bytes(header[60:64], "big", signed=True)
    header_app_id = int.from_bytes(header[68:72], "big", signed=True)
    if header_version > SCHEMA_VERSION:
        raise _newer_error(path, header_version)
    if header_app_id == APPLICATION_ID:
        return
    if header_app_id:
        raise StoreError(f"{path}: an SQLite file, but not an IC Console database")
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            app_id = probe.execute("PRAGMA application_id").fetchone()[0]
            tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            probe.close()
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None
    if version > SCHEMA_VERSION:
        raise _newer_error(path, version)
    if app_id != APPLICATION_ID and tables:
        raise StoreError(f"{path}: an SQLite file, but not an IC Console database")


def _is_read_only(path: Path) -> bool:
    """Read-only when no write bit is set (honoured even for root) or we may not write."""
    return not (path.stat().st_mode & 0o222) or not os.access(path, os.W_OK)


def _read_only_uri(path: Path, untouched: bool = False) -> str:
    """A read-only URI; `untouched` adds immutable when no WAL file is beside it, so that
    not even the -shm and -wal side files appear next to a file we only read."""
    immutable = untouched and not Path(f"{path}-wal").exists()
    mode = "ro&immutable=1" if immutable else "ro"
    return f"{path.resolve().as_uri()}?mode={mode}"


def _create_private(path: Path) -> bool:
    """Create `path` with mode 0600; False if another process created it first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database: {exc.strerror}") from None
    return True


class Store:
    """An open IC Console database. Thread-safe: every call holds one lock."""

    def __init__(
        self,
        path: Path | str,
        config: Config,
        clock: Clock | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        """`read_only=True` opens an existing file without writing a byte (for merging
        another responder's file); a missing file is refused instead of created."""
        self.path = Path(path)
        self.config = config
        self.clock = clock or Clock()
        self._lock = threading.RLock()
        created = False
        if self.path.exists():
            _inspect_existing(self.path)
        elif read_only:
            raise StoreError(f"{self.path}: no such file")
        else:
            created = _create_private(self.path)
        self.read_only = read_only or _is_read_only(self.path)
        try:
            if self.read_only:
                conn = sqlite3.connect(
                    _read_only_uri(self.path, untouched=read_only),
                    uri=True,
                    isolation_level=None,
                    check_same_thread=False,
                )
            else:
                conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False, timeout=5
                )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it
            if not self.read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            if created:
                _discard_new(self.path)
            raise _translate(exc, self.path) from None
        self.conn = conn
        try:
            self._migrate()
        except BaseException:
            conn.close()
            if created:
                _discard_new(self.path)
            raise

    # ----------------------------------------------------------------- plumbing

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the connection, for migrations only: imported on first use, as
        it imports numpy and pandas when installed (slower than opening the cockpit)."""
        import sqlite_utils

        # No sqlite-utils plugins: looking for them scans every installed package's entry
        # points, which costs `icconsole log` more than the write itself.
        return sqlite_utils.Database(self.conn, execute_plugins=False)

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self._scalar("PRAGMA user_version")
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise _newer_error(self.path, version)
        if self.read_only:
            raise StoreError(f"{self.path}: the database is read-only and needs an upgrade")
        with self._write():
            version = self._scalar("PRAGMA user_version")
            if version > SCHEMA_VERSION:
                raise _newer_error(self.path, version)
            for index in range(version, SCHEMA_VERSION):
                MIGRATIONS[index](self.db)
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction; returns only after COMMIT (durable: synchronous=FULL)."""
        if self.read_only:
            raise StoreError(f"{self.path}: the database is read-only")
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from None
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _translate(exc, self.path) from None
                raise

    @contextmanager
    def _read(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise _translate(exc, self.path) from None

    def _scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        with self._read():
            row = self.conn.execute(sql, tuple(params)).fetchone()
        return row[0] if row else None

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._read():
            cursor = self.conn.execute(sql, tuple(params))
            keys = [column[0] for column in cursor.description]
            return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]

    def _insert(self, table: str, record: Record, exclude: set[str] | None = None) -> None:
        values = record.values().items()
        row = {key: _column_value(value) for key, value in values if key not in (exclude or ())}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))

    def _update(self, table: str, row_id: str, **values: Any) -> None:
        assignments = ", ".join(f"{key} = ?" for key in values)
        encoded = [_column_value(v) for v in values.values()]
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*encoded, row_id])

    def now(self) -> datetime:
        return self.clock.now()

    def data_version(self) -> int:
        """Changes whenever another connection commits: the cockpit's cheap change check."""
        return self._scalar("PRAGMA data_version")

    # ---------------------------------------------------------------- incidents

    def _incident_from_row(self, row: dict[str, Any]) -> Incident:
        return _row_model(Incident, {**row, "ref": _ref(row["number"])})

    def incident(self, key: str) -> Incident:
        """An incident by ref (`INC-7`, `inc-7`, `7`) or id."""
        text = key.strip()
        number = text.upper().removeprefix("INC-").removeprefix("INC")
        if number.isdigit():
            rows = self._rows("SELECT * FROM incident WHERE number = ?", [int(number)])
        else:
            rows = self._rows("SELECT * FROM incident WHERE id = ?", [text])
        if not rows:
            raise InputError(f"no incident {key!r}")
        return self._incident_from_row(rows[0])

    def incidents(self, active_only: bool = False) -> list[Incident]:
        """Active incidents first, then the rest, newest first."""
        active = [status.value for status in Status if status.is_active]
        where = f"WHERE status IN ({', '.join('?' for _ in active)}) " if active_only else ""
        rows = self._rows(
            f"SELECT * FROM incident {where}ORDER BY "
            "status IN ('resolved', 'closed'), declared_at DESC, number DESC",
            active if active_only else [],
        )
        return [self._incident_from_row(row) for row in rows]

    def resolve_incident(self, key: str | None) -> Incident:
        """The incident named, or the only active one; several active is a clear error."""
        if key:
            return self.incident(key)
        active = self.incidents(active_only=True)
        if len(active) == 1:
            return active[0]
        if not active:
            raise InputError("no active incident; declare one or name it with --incident")
        listing = ", ".join(f"{i.ref} ({i.title})" for i in active)
        raise InputError(f"several active incidents, choose one with --incident: {listing}")

    def most_recent_active(self) -> Incident | None:
        active = self.incidents(active_only=True)
        return active[0] if active else None

    def declare(
        self,
        title: str,
        severity: str | None = None,
        commander: str | None = None,
        summary: str = "",
        drill: bool = False,
        author: str = "unknown",
        started_at: datetime | None = None,
    ) -> Incident:
        """Declare an incident: the IC takes command and the severity's checklist is applied."""
        now = self.now()
        sev = self.config.severity(severity or self.config.default_severity)
        title = _check_length(clean_line(title), MAX_TITLE, "title")
        if not title:
            raise InputError("title must not be empty")
        commander = _person(commander or author, "commander")
        summary = _check_length(clean_text(summary).strip(), MAX_TEXT, "summary")
        with self._write():
            number = self._scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM incident")
            incident = Incident.validated(
                id=new_id(),
                ref=_ref(number),
                number=number,
                title=title,
                summary=summary,
                severity=sev.key,
                drill=drill,
                started_at=started_at or now,
                detected_at=now,
                declared_at=now,
                cadence_minutes=sev.cadence_minutes,
                next_update_due=now + timedelta(minutes=sev.cadence_minutes)
                if sev.cadence_minutes
                else None,
                created_at=now,
                updated_at=now,
            )
            self._insert("incident", incident, exclude={"ref"})
            drill_note = " (drill)" if drill else ""
            self._add_entry(
                incident.id,
                f"Declared {sev.key}{drill_note}: {title} — status investigating",
                EntryKind.STATUS,
                author,
                now,
            )
            self._assign(incident.id, COMMANDER, commander, author, now)
            self._add_tasks(incident.id, sev.checklist, f"checklist {sev.key}", author, now)
        return incident

    def set_status(self, incident_id: str, status: Status | str, author: str) -> Incident:
        """Move through the lifecycle; stamps the status time, clears later stamps on reopen."""
        try:
            new = Status(str(status).strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in Status)
            raise InputError(f"unknown status {status!r} (choose from: {choices})") from None
        now = self.now()
        with self._write():
            incident = self.incident(incident_id)
            old = incident.status
            if old == new:
                raise InputError(f"{incident.ref} is already {new.value}")
            changes: dict[str, Any] = {"status": new.value, "updated_at": now}
            for later in LIFECYCLE[LIFECYCLE.index(new) + 1 :]:
                if later in STATUS_STAMP:
                    changes[STATUS_STAMP[later]] = None
            if new in STATUS_STAMP:
                changes[STATUS_STAMP[new]] = now
            if not new.is_active:
                changes["next_update_due"] = None
            elif not old.is_active and incident.cadence_minutes:
                changes["next_update_due"] = now + timedelta(minutes=incident.cadence_minutes)
            self._update("incident", incident.id, **changes)
            verb = "Reopened" if new.is_active and not old.is_active else "Status"
            self._add_entry(
                incident.id, f"{verb}: {old.value} → {new.value}", EntryKind.STATUS, author, now
            )
        return self.incident(incident.id)

    def set_severity(self, incident_id: str, severity: str, author: str) -> Incident:
        """Change severity; the update cadence and the next due time are recomputed."""
        sev = self.config.severity(severity)
        now = self.now()
        with self._write():
            incident = self.incident(incident_id)
            if incident.severity == sev.key:
                raise InputError(f"{incident.ref} is already {sev.key}")
            due = None
            if sev.cadence_minutes and incident.is_active:
                last = self._scalar(
                    "SELECT MAX(sent_at) FROM status_update WHERE incident_id = ?", [incident.id]
                )
                base = from_iso(last) if last else incident.declared_at
                due = base + timedelta(minutes=sev.cadence_minutes)
            self._update(
                "incident",
                incident.id,
                severity=sev.key,
                cadence_minutes=sev.cadence_minutes,
                next_update_due=due,
                updated_at=now,
            )
            self._add_entry(
                incident.id,
                f"Severity: {incident.severity} → {sev.key}",
                EntryKind.SEVERITY,
                author,
                now,
            )
        return self.incident(incident.id)

    def update_incident(self, incident_id: str, author: str, **fields: Any) -> Incident:
        """Edit title, summary, impact, drill, started_at or detected_at; logged as a note."""
        allowed = {"title", "summary", "impact", "drill", "started_at", "detected_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise InputError(f"cannot edit {', '.join(sorted(unknown))}")
        now = self.now()
        with self._write():
            incident = self.incident(incident_id)
            merged = incident.values()
            merged.update(fields, updated_at=now)
            updated = Incident.validated(**merged)
            changes = {
                key: getattr(updated, key)
                for key in fields
                if getattr(updated, key) != getattr(incident, key)
            }
            if not changes:
                return incident
            self._update("incident", incident.id, **changes, updated_at=now)
            for key, value in changes.items():
                shown = to_iso(value) if isinstance(value, datetime) else value
                label = key.replace("_", " ").capitalize()
                self._add_entry(incident.id, f"{label}: {shown}", EntryKind.NOTE, author, now)
        return self.incident(incident.id)

    # ----------------------------------------------------------------- timeline

    def _next_seq(self, table: str, incident_id: str) -> int:
        return self._scalar(
            f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE incident_id = ?", [incident_id]
        )

    def _add_entry(
        self,
        incident_id: str,
        text: str,
        kind: EntryKind,
        author: str,
        occurred_at: datetime,
        pinned: bool = False,
        seq: int | None = None,
    ) -> TimelineEntry:
        now = self.now()
        entry = TimelineEntry.validated(
            id=new_id(),
            incident_id=incident_id,
            seq=seq or self._next_seq("timeline_entry", incident_id),
            occurred_at=occurred_at,
            recorded_at=now,
            kind=kind,
            author=author,
            text=text,
            pinned=pinned,
            created_at=now,
            updated_at=now,
        )
        self._insert("timeline_entry", entry)
        return entry

    def _entry_text(self, text: str) -> str:
        cleaned = clean_text(text).strip()
        if not cleaned:
            raise InputError("entry text must not be empty")
        return _check_length(cleaned, MAX_TEXT, "entry text")

    def _kind(self, kind: EntryKind | str) -> EntryKind:
        try:
            return EntryKind(str(kind).strip().lower())
        except ValueError:
            choices = ", ".join(k.value for k in EntryKind)
            raise InputError(f"unknown entry kind {kind!r} (choose from: {choices})") from None

    def _occurred(self, occurred_at: datetime | None) -> datetime:
        now = self.now()
        if occurred_at is None:
            return now
        if occurred_at > now + timedelta(minutes=5):
            raise InputError("an entry cannot be dated in the future")
        return occurred_at

    def log(
        self,
        incident_id: str,
        text: str,
        kind: EntryKind | str = EntryKind.NOTE,
        author: str = "unknown",
        occurred_at: datetime | None = None,
        pinned: bool = False,
    ) -> TimelineEntry:
        """Append one timeline entry; returns after it is committed."""
        text = self._entry_text(text)
        entry_kind = self._kind(kind)
        author = _person(author, "author")
        when = self._occurred(occurred_at)
        with self._write():
            self.incident(incident_id)
            return self._add_entry(incident_id, text, entry_kind, author, when, pinned)

    def log_many(
        self,
        incident_id: str,
        texts: Iterable[str],
        kind: EntryKind | str = EntryKind.NOTE,
        author: str = "unknown",
        occurred_at: datetime | None = None,
    ) -> int:
        """Append one entry per non-blank text, all in one transaction. Returns the count."""
        entry_kind = self._kind(kind)
        author = _person(author, "author")
        when = self._occurred(occurred_at)
        cleaned = [clean_text(t).strip() for t in texts]
        lines = [_check_length(t, MAX_TEXT, "entry text") for t in cleaned if t]
        if not lines:
            raise InputError("nothing to log: the input had no text")
        now = to_iso(self.now())
        when_iso = to_iso(when)
        # One INSERT ... SELECT rather than executemany: each statement makes the full-text
        # index flush at its savepoint, so one statement is several times faster.
        rows = json.dumps([[new_id(), text] for text in lines], ensure_ascii=False)
        with self._write():
            self.incident(incident_id)
            first = self._next_seq("timeline_entry", incident_id)
            self.conn.execute(
                "INSERT INTO timeline_entry (id, incident_id, seq, occurred_at, recorded_at, "
                "kind, author, text, pinned, revisions, retracted_at, created_at, updated_at) "
                "SELECT json_extract(value, '$[0]'), ?, ? + key, ?, ?, ?, ?, "
                "json_extract(value, '$[1]'), 0, 0, NULL, ?, ? FROM json_each(?) ORDER BY key",
                [incident_id, first, when_iso, now, entry_kind.value, author, now, now, rows],
            )
        return len(lines)

    def entry(self, entry_id: str) -> TimelineEntry:
        rows = self._rows("SELECT * FROM timeline_entry WHERE id = ?", [entry_id])
        if not rows:
            raise InputError(f"no timeline entry {entry_id!r}")
        return _row_model(TimelineEntry, rows[0])

    def entries(
        self, incident_id: str, offset: int = 0, limit: int | None = None
    ) -> list[TimelineEntry]:
        """Entries in time order (occurred_at, then sequence)."""
        rows = self._rows(
            "SELECT * FROM timeline_entry WHERE incident_id = ? "
            "ORDER BY occurred_at, seq LIMIT ? OFFSET ?",
            [incident_id, -1 if limit is None else limit, offset],
        )
        return [_row_model(TimelineEntry, row) for row in rows]

    def entry_count(self, incident_id: str, after_seq: int = 0) -> int:
        """Entries of the incident; with `after_seq`, only those with a higher sequence
        number (an index range: cheap however long the timeline is)."""
        if after_seq:
            return self._scalar(
                "SELECT count(*) FROM timeline_entry WHERE incident_id = ? AND seq > ?",
                [incident_id, after_seq],
            )
        return self._scalar(
            "SELECT count(*) FROM timeline_entry WHERE incident_id = ?", [incident_id]
        )

    def entry_rows(
        self, incident_id: str, offset: int, limit: int, from_end: bool = False
    ) -> list[EntryRow]:
        """A window of entries in time order, unvalidated, for drawing. With `from_end`,
        `offset` counts back from the newest entry (SQLite walks OFFSET rows, so the
        newest window of a long timeline is cheap only this way)."""
        order = "occurred_at DESC, seq DESC" if from_end else "occurred_at, seq"
        with self._read():
            cursor = self.conn.execute(
                "SELECT id, seq, occurred_at, kind, author, text, pinned, revisions, "
                "retracted_at IS NOT NULL FROM timeline_entry WHERE incident_id = ? "
                f"ORDER BY {order} LIMIT ? OFFSET ?",
                [incident_id, limit, offset],
            )
            rows = [EntryRow(*row) for row in cursor.fetchall()]
        return rows[::-1] if from_end else rows

    def picked_entry_rows(
        self,
        incident_id: str,
        *,
        ids: Iterable[str] = (),
        kinds: Iterable[EntryKind | str] = (),
        pinned: bool = False,
        live_only: bool = False,
        after: EntryRow | None = None,
        limit: int | None = None,
    ) -> list[EntryRow]:
        """Entries among `ids`, of `kinds`, or (with `pinned`) pinned, in time order; without
        retracted ones when `live_only`, only those after `after`. For picking a few entries
        out of a long timeline without building the rest."""
        wanted = [self._kind(kind).value for kind in kinds]
        chosen = list(ids)
        picks: list[str] = []
        params: list[Any] = [incident_id]
        if chosen:
            picks.append("id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(chosen))
        if wanted:
            picks.append(f"kind IN ({', '.join('?' for _ in wanted)})")
            params += wanted
        if pinned:
            picks.append("pinned")
        if not picks:
            return []
        # By ids alone, look each one up by key rather than walking the incident's entries.
        by_key = "+" if len(picks) == 1 and chosen else ""
        sql = (
            "SELECT id, seq, occurred_at, kind, author, text, pinned, revisions, "
            f"retracted_at IS NOT NULL FROM timeline_entry WHERE {by_key}incident_id = ? "
            f"AND ({' OR '.join(picks)})"
        )
        if live_only:
            sql += " AND retracted_at IS NULL"
        if after is not None:
            sql += " AND (occurred_at, seq) > (?, ?)"
            params += [after.occurred_at, after.seq]
        sql += " ORDER BY occurred_at, seq LIMIT ?"
        params.append(-1 if limit is None else limit)
        with self._read():
            return [EntryRow(*row) for row in self.conn.execute(sql, params).fetchall()]

    def entry_position(self, incident_id: str, row: EntryRow) -> int:
        """How many entries come before `row` in time order (its index in `entry_rows`)."""
        return self._scalar(
            "SELECT count(*) FROM timeline_entry WHERE incident_id = ? "
            "AND (occurred_at, seq) < (?, ?)",
            [incident_id, row.occurred_at, row.seq],
        )

    def max_seq(self, incident_id: str) -> int:
        return self._next_seq("timeline_entry", incident_id) - 1

    def last_entry(self, incident_id: str, author: str | None = None) -> TimelineEntry | None:
        """The most recently recorded entry, by anyone or by `author`."""
        sql = "SELECT * FROM timeline_entry WHERE incident_id = ?"
        params: list[Any] = [incident_id]
        if author:
            sql += " AND author = ?"
            params.append(author)
        rows = self._rows(sql + " ORDER BY seq DESC LIMIT 1", params)
        return _row_model(TimelineEntry, rows[0]) if rows else None

    def latest_entries(
        self, incident_id: str, kinds: Iterable[EntryKind | str], limit: int
    ) -> list[TimelineEntry]:
        """The newest `limit` entries of these kinds that are not retracted, in time order."""
        wanted = [self._kind(kind).value for kind in kinds]
        marks = ", ".join("?" for _ in wanted)
        rows = self._rows(
            "SELECT * FROM timeline_entry WHERE incident_id = ? AND retracted_at IS NULL "
            f"AND kind IN ({marks}) ORDER BY occurred_at DESC, seq DESC LIMIT ?",
            [incident_id, *wanted, limit],
        )
        return [_row_model(TimelineEntry, row) for row in reversed(rows)]

    def edit_entry(self, entry_id: str, text: str, author: str) -> TimelineEntry:
        """Replace an entry's text; the previous text is kept as a revision."""
        text = self._entry_text(text)
        author = _person(author, "author")
        now = self.now()
        with self._write():
            entry = self.entry(entry_id)
            if entry.text == text:
                return entry
            revision = EntryRevision.validated(
                id=new_id(), entry_id=entry.id, text=entry.text, author=author, created_at=now
            )
            self._insert("entry_revision", revision)
            self._update(
                "timeline_entry",
                entry.id,
                text=text,
                revisions=entry.revisions + 1,
                updated_at=now,
            )
        return self.entry(entry_id)

    def revisions(self, entry_id: str) -> list[EntryRevision]:
        rows = self._rows(
            "SELECT * FROM entry_revision WHERE entry_id = ? ORDER BY created_at", [entry_id]
        )
        return [_row_model(EntryRevision, row) for row in rows]

    def retract_entry(self, entry_id: str, author: str) -> TimelineEntry:
        """Mark an entry retracted; the row and its text stay."""
        now = self.now()
        with self._write():
            entry = self.entry(entry_id)
            if entry.retracted:
                raise InputError("that entry is already retracted")
            self._update("timeline_entry", entry.id, retracted_at=now, updated_at=now)
        return self.entry(entry_id)

    def set_pinned(self, entry_id: str, pinned: bool) -> TimelineEntry:
        with self._write():
            entry = self.entry(entry_id)
            self._update("timeline_entry", entry.id, pinned=int(pinned), updated_at=self.now())
        return self.entry(entry_id)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over incident titles and timeline text, across all incidents."""
        words = [w for w in clean_line(query).split() if w]
        if not words:
            raise InputError("search needs at least one word")
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self._rows(
            "SELECT i.id AS incident_id, i.number, i.title, NULL AS entry_id, i.title AS text, "
            "i.declared_at AS at FROM incident_fts f JOIN incident i ON i.rowid = f.rowid "
            "WHERE incident_fts MATCH ? "
            "UNION ALL "
            "SELECT i.id, i.number, i.title, e.id, e.text, e.occurred_at FROM timeline_entry_fts f "
            "JOIN timeline_entry e ON e.rowid = f.rowid JOIN incident i ON i.id = e.incident_id "
            "WHERE timeline_entry_fts MATCH ? "
            "ORDER BY at DESC LIMIT ?",
            [match, match, limit],
        )
        return [
            SearchHit(r["incident_id"], _ref(r["number"]), r["title"], r["entry_id"], r["text"])
            for r in rows
        ]

    # -------------------------------------------------------------------- roles

    def _assign(
        self, incident_id: str, role_key: str, person: str, author: str, now: datetime
    ) -> RoleAssignment | None:
        role = self.config.role(role_key)
        holders = self._current_holders(incident_id, role.key)
        if person in holders:
            return None
        previous = "—"
        if not role.multiple:
            for assignment in self._open_assignments(incident_id, role.key):
                self._update("role_assignment", assignment.id, relieved_at=now)
            previous = ", ".join(holders) or "—"
        assignment = RoleAssignment.validated(
            id=new_id(),
            incident_id=incident_id,
            role=role.key,
            person=person,
            assigned_at=now,
            created_at=now,
        )
        self._insert("role_assignment", assignment)
        text = f"{person} is now {role.name}"
        if not role.multiple:
            text += f" (was {previous})"
        self._add_entry(incident_id, text, EntryKind.ROLE, author, now)
        return assignment

    def _open_assignments(self, incident_id: str, role: str) -> list[RoleAssignment]:
        rows = self._rows(
            "SELECT * FROM role_assignment WHERE incident_id = ? AND role = ? "
            "AND relieved_at IS NULL ORDER BY assigned_at",
            [incident_id, role],
        )
        return [_row_model(RoleAssignment, row) for row in rows]

    def _current_holders(self, incident_id: str, role: str) -> list[str]:
        return [a.person for a in self._open_assignments(incident_id, role)]

    def assign_role(self, incident_id: str, role: str, person: str, author: str) -> None:
        """Give `role` to `person`; a single-holder role relieves its current holder."""
        person = _person(person, "person")
        role_def = self.config.role(role)
        with self._write():
            self.incident(incident_id)
            if self._assign(incident_id, role_def.key, person, author, self.now()) is None:
                raise InputError(f"{person} already holds {role_def.name}")

    def relieve_role(
        self, incident_id: str, role: str, author: str, person: str | None = None
    ) -> None:
        """End an assignment. The Incident Commander is only replaced, never left empty."""
        role_def = self.config.role(role)
        if role_def.key == COMMANDER:
            raise InputError("command cannot be left empty: hand it off to someone instead")
        now = self.now()
        with self._write():
            open_rows = self._open_assignments(incident_id, role_def.key)
            if person:
                open_rows = [a for a in open_rows if a.person == clean_line(person)]
            if not open_rows:
                who = f"{person} does not hold" if person else "nobody holds"
                raise InputError(f"{who} {role_def.name}")
            for assignment in open_rows:
                self._update("role_assignment", assignment.id, relieved_at=now)
                self._add_entry(
                    incident_id,
                    f"{assignment.person} relieved as {role_def.name}",
                    EntryKind.ROLE,
                    author,
                    now,
                )

    def roles(self, incident_id: str, current_only: bool = True) -> list[RoleAssignment]:
        """Assignments in the order they were made; open ones only unless asked."""
        sql = "SELECT * FROM role_assignment WHERE incident_id = ?"
        if current_only:
            sql += " AND relieved_at IS NULL"
        rows = self._rows(sql + " ORDER BY assigned_at, rowid", [incident_id])
        return [_row_model(RoleAssignment, row) for row in rows]

    def commander(self, incident_id: str) -> str | None:
        holders = self._current_holders(incident_id, COMMANDER)
        return holders[0] if holders else None

    def commanders(self) -> dict[str, str]:
        """The current Incident Commander of every incident that has one, by incident id."""
        rows = self._rows(
            "SELECT incident_id, person FROM role_assignment WHERE role = ? "
            "AND relieved_at IS NULL ORDER BY assigned_at DESC, rowid DESC",
            [COMMANDER],
        )
        return {row["incident_id"]: row["person"] for row in rows}

    def transfer_command(
        self, incident_id: str, to_person: str, brief: str, author: str
    ) -> Handoff:
        """The acknowledged transfer of command: brief stored, one timeline entry."""
        to_person = _person(to_person, "incoming commander")
        brief = _check_length(clean_text(brief).strip(), MAX_TEXT * 2, "brief")
        role = self.config.role(COMMANDER)
        now = self.now()
        with self._write():
            self.incident(incident_id)
            current = self._current_holders(incident_id, COMMANDER)
            from_person = current[0] if current else None
            if from_person == to_person:
                raise InputError(f"{to_person} already has command")
            for assignment in self._open_assignments(incident_id, COMMANDER):
                self._update("role_assignment", assignment.id, relieved_at=now)
            self._insert(
                "role_assignment",
                RoleAssignment.validated(
                    id=new_id(),
                    incident_id=incident_id,
                    role=role.key,
                    person=to_person,
                    assigned_at=now,
                    created_at=now,
                ),
            )
            handoff = Handoff.validated(
                id=new_id(),
                incident_id=incident_id,
                from_person=from_person,
                to_person=to_person,
                brief=brief,
                acknowledged_at=now,
                created_at=now,
            )
            self._insert("handoff", handoff)
            self._add_entry(
                incident_id,
                f"Command transferred from {from_person or '—'} to {to_person}",
                EntryKind.ROLE,
                author,
                now,
            )
        return handoff

    def handoffs(self, incident_id: str) -> list[Handoff]:
        rows = self._rows(
            "SELECT * FROM handoff WHERE incident_id = ? ORDER BY acknowledged_at", [incident_id]
        )
        return [_row_model(Handoff, row) for row in rows]

    def people(self, incident_id: str | None = None) -> list[str]:
        """Names seen before (role holders, authors, task owners), for completion."""
        where = "WHERE incident_id = ?" if incident_id else ""
        params = [incident_id] * 3 if incident_id else []
        rows = self._rows(
            f"SELECT person AS name FROM role_assignment {where} UNION "
            f"SELECT author FROM timeline_entry {where} UNION "
            f"SELECT owner FROM task {where} ORDER BY 1",
            params,
        )
        return [r["name"] for r in rows if r["name"]]

    # -------------------------------------------------------------------- tasks

    def _add_tasks(
        self,
        incident_id: str,
        items: Iterable[ChecklistItem],
        source: str,
        author: str,
        now: datetime,
    ) -> list[Task]:
        added = []
        seq = self._next_seq("task", incident_id)
        for offset, item in enumerate(items):
            check_back = (
                now + timedelta(minutes=item.check_back_minutes)
                if item.check_back_minutes
                else None
            )
            task = Task.validated(
                id=new_id(),
                incident_id=incident_id,
                seq=seq + offset,
                title=item.title,
                check_back_at=check_back,
                source=source,
                created_at=now,
                updated_at=now,
            )
            self._insert("task", task)
            added.append(task)
        if added:
            titles = "; ".join(t.title for t in added)
            self._add_entry(incident_id, f"Applied {source}: {titles}", EntryKind.TASK, author, now)
        return added

    def add_task(
        self,
        incident_id: str,
        title: str,
        author: str,
        owner: str | None = None,
        check_back_at: datetime | None = None,
        source: str = "manual",
    ) -> Task:
        title = _check_length(clean_line(title), MAX_TITLE, "task title")
        if not title:
            raise InputError("task title must not be empty")
        owner = clean_optional(owner)
        now = self.now()
        with self._write():
            self.incident(incident_id)
            task = Task.validated(
                id=new_id(),
                incident_id=incident_id,
                seq=self._next_seq("task", incident_id),
                title=title,
                owner=owner,
                check_back_at=check_back_at,
                source=source,
                created_at=now,
                updated_at=now,
            )
            self._insert("task", task)
            owner_note = f" (owner {owner})" if owner else ""
            self._add_entry(
                incident_id, f"Task added: {title}{owner_note}", EntryKind.TASK, author, now
            )
        return task

    def task(self, task_id: str) -> Task:
        rows = self._rows("SELECT * FROM task WHERE id = ?", [task_id])
        if not rows:
            raise InputError(f"no task {task_id!r}")
        return _row_model(Task, rows[0])

    def tasks(self, incident_id: str) -> list[Task]:
        rows = self._rows("SELECT * FROM task WHERE incident_id = ? ORDER BY seq", [incident_id])
        return [_row_model(Task, row) for row in rows]

    def set_task_status(self, task_id: str, status: TaskStatus | str, author: str) -> Task:
        try:
            new = TaskStatus(str(status).strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in TaskStatus)
            raise InputError(f"unknown task status {status!r} (choose from: {choices})") from None
        now = self.now()
        with self._write():
            task = self.task(task_id)
            if task.status == new:
                return task
            done_at = now if new in (TaskStatus.DONE, TaskStatus.SKIPPED) else None
            self._update("task", task.id, status=new.value, done_at=done_at, updated_at=now)
            self._add_entry(
                task.incident_id, f"Task {new.value}: {task.title}", EntryKind.TASK, author, now
            )
        return self.task(task_id)

    def update_task(self, task_id: str, author: str, **fields: Any) -> Task:
        """Change a task's title, owner or check-back time; logged on the timeline."""
        allowed = {"title", "owner", "check_back_at"}
        if set(fields) - allowed:
            raise InputError(f"cannot edit {', '.join(sorted(set(fields) - allowed))}")
        now = self.now()
        with self._write():
            task = self.task(task_id)
            merged = task.values()
            merged.update(fields, updated_at=now)
            updated = Task.validated(**merged)
            changes = {k: getattr(updated, k) for k in fields}
            self._update("task", task.id, **changes, updated_at=now)
            described = ", ".join(f"{k.replace('_', ' ')} {_shown(v)}" for k, v in changes.items())
            self._add_entry(
                task.incident_id,
                f"Task changed: {updated.title} — {described}",
                EntryKind.TASK,
                author,
                now,
            )
        return self.task(task_id)

    def missing_checklist(self, incident_id: str, severity: str) -> list[ChecklistItem]:
        """Items of `severity`'s checklist that the incident has no task for yet."""
        sev = self.config.severity(severity)
        have = {t.title.casefold() for t in self.tasks(incident_id)}
        return [item for item in sev.checklist if item.title.casefold() not in have]

    def apply_checklist(
        self, incident_id: str, severity: str, author: str, items: list[ChecklistItem]
    ) -> list[Task]:
        sev = self.config.severity(severity)
        with self._write():
            self.incident(incident_id)
            return self._add_tasks(incident_id, items, f"checklist {sev.key}", author, self.now())

    # ------------------------------------------------------------ status updates

    def record_update(
        self, incident_id: str, audience: Audience | str, body: str, author: str
    ) -> StatusUpdate:
        """A status update sent: stored, logged as `comms`, and the cadence restarts."""
        try:
            aud = Audience(str(audience).strip().lower())
        except ValueError:
            choices = ", ".join(a.value for a in Audience)
            raise InputError(f"unknown audience {audience!r} (choose from: {choices})") from None
        body = _check_length(clean_text(body).strip(), MAX_TEXT * 2, "update")
        if not body:
            raise InputError("the update is empty")
        author = _person(author, "author")
        now = self.now()
        with self._write():
            incident = self.incident(incident_id)
            update = StatusUpdate.validated(
                id=new_id(),
                incident_id=incident.id,
                audience=aud,
                body=body,
                author=author,
                sent_at=now,
                created_at=now,
            )
            self._insert("status_update", update)
            due = (
                now + timedelta(minutes=incident.cadence_minutes)
                if incident.cadence_minutes and incident.is_active
                else None
            )
            self._update("incident", incident.id, next_update_due=due, updated_at=now)
            first_line = body.splitlines()[0][:120]
            self._add_entry(
                incident.id,
                f"{aud.value.capitalize()} update sent: {first_line}",
                EntryKind.COMMS,
                author,
                now,
            )
        return update

    def snooze_update(self, incident_id: str, minutes: int, author: str) -> Incident:
        """Push the update reminder back `minutes` from now (from the due time when it is not
        yet overdue, so a snooze never brings it forward); the snooze is a timeline entry."""
        if minutes < 1 or minutes > 60:
            raise InputError("snooze for 1 to 60 minutes")
        now = self.now()
        with self._write():
            incident = self.incident(incident_id)
            if not incident.is_active:
                raise InputError(f"{incident.ref} is {incident.status.value}; no update is due")
            if not incident.cadence_minutes:
                raise InputError(f"{incident.ref}: {incident.severity} has no update cadence")
            self._update(
                "incident",
                incident.id,
                next_update_due=max(incident.next_update_due or now, now)
                + timedelta(minutes=minutes),
                updated_at=now,
            )
            self._add_entry(
                incident.id,
                f"Status update reminder snoozed for {minutes} minutes",
                EntryKind.COMMS,
                author,
                now,
            )
        return self.incident(incident.id)

    def status_updates(self, incident_id: str) -> list[StatusUpdate]:
        rows = self._rows(
            "SELECT * FROM status_update WHERE incident_id = ? ORDER BY sent_at", [incident_id]
        )
        return [_row_model(StatusUpdate, row) for row in rows]

    # -------------------------------------------------------------- post-mortem

    def postmortem(self, incident_id: str) -> PostMortem | None:
        rows = self._rows("SELECT * FROM postmortem WHERE incident_id = ?", [incident_id])
        if not rows:
            return None
        row = rows[0]
        row["sections"] = json.loads(row["sections"] or "{}")
        row["state"] = json.loads(row["state"] or "{}")
        return _row_model(PostMortem, row)

    def save_postmortem(self, postmortem: PostMortem) -> PostMortem:
        """Insert or replace the incident's post-mortem in one transaction."""
        now = self.now()
        saved = PostMortem.validated(**{**postmortem.values(), "updated_at": now})
        with self._write():
            self.incident(saved.incident_id)
            self.conn.execute("DELETE FROM postmortem WHERE incident_id = ?", [saved.incident_id])
            self._insert("postmortem", saved)
        return saved

    def action_items(self, incident_id: str) -> list[ActionItem]:
        rows = self._rows(
            "SELECT * FROM action_item WHERE incident_id = ? ORDER BY created_at, rowid",
            [incident_id],
        )
        return [_row_model(ActionItem, row) for row in rows]

    def save_action_item(self, item: ActionItem) -> ActionItem:
        """Insert or replace one action item. "won't do" needs a reason."""
        if item.status.value == "won't do" and not item.reason:
            raise InputError("an action item marked won't do needs a reason")
        saved = ActionItem.validated(**{**item.values(), "updated_at": self.now()})
        with self._write():
            self.incident(saved.incident_id)
            self.conn.execute("DELETE FROM action_item WHERE id = ?", [saved.id])
            self._insert("action_item", saved)
        return saved

    def delete_action_item(self, item_id: str) -> None:
        with self._write():
            self.conn.execute("DELETE FROM action_item WHERE id = ?", [item_id])

    # ------------------------------------------------------------------ records

    def record(self, incident_id: str, *, validate: bool = False) -> IncidentRecord:
        """Everything about one incident: the shape of `show --json` and JSON export.
        Timeline entries and revisions, validated when this file wrote them, are built
        without validating again; `validate=True` validates every row (another file's).
        The lock is held for the reads only, not while the models are built."""
        with collector_paused():
            with self._read():
                incident = self.incident(incident_id)
                timeline_sql = _TIMELINE_SQL if validate else _STORED_TIMELINE_SQL
                entries = self.conn.execute(timeline_sql, [incident.id]).fetchall()
                revisions = self.conn.execute(_REVISIONS_SQL, [incident.id]).fetchall()
                rest = {
                    "roles": self.roles(incident.id, current_only=False),
                    "tasks": self.tasks(incident.id),
                    "status_updates": self.status_updates(incident.id),
                    "handoffs": self.handoffs(incident.id),
                    "postmortem": self.postmortem(incident.id),
                    "action_items": self.action_items(incident.id),
                }
            if validate:
                incident = _checked(incident)
                rest = {key: _checked(value) for key, value in rest.items()}
                timeline = _validated(TimelineEntry, ENTRY_FIELDS, entries)
                changes = _validated(EntryRevision, REVISION_FIELDS, revisions)
            else:
                timeline = _stored_entries(entries, incident.id)
                changes = _stored_revisions(revisions)
            del entries, revisions  # freed while the collector is paused: never walked
            return IncidentRecord(incident=incident, timeline=timeline, revisions=changes, **rest)


# Columns in the models' field order, for building models straight from rows.
ENTRY_FIELDS = (
    "id",
    "created_at",
    "incident_id",
    "seq",
    "occurred_at",
    "recorded_at",
    "kind",
    "author",
    "text",
    "pinned",
    "revisions",
    "retracted_at",
    "updated_at",
)
REVISION_FIELDS = ("id", "created_at", "entry_id", "text", "author")
_TIMELINE_SQL = (
    f"SELECT {', '.join(ENTRY_FIELDS)} FROM timeline_entry WHERE incident_id = ? "
    "ORDER BY occurred_at, seq"
)
# The same with less to fetch and convert: no incident id, and times equal to the creation
# time (most are) as NULL.
_STORED_TIMELINE_SQL = (
    "SELECT id, created_at, seq, nullif(occurred_at, created_at), "
    "nullif(recorded_at, created_at), kind, author, text, pinned, revisions, retracted_at, "
    "nullif(updated_at, created_at) FROM timeline_entry WHERE incident_id = ? "
    "ORDER BY occurred_at, seq"
)
_REVISIONS_SQL = (
    f"SELECT {', '.join(f'r.{name}' for name in REVISION_FIELDS)} FROM entry_revision r "
    "JOIN timeline_entry e ON e.id = r.entry_id WHERE e.incident_id = ? "
    "ORDER BY r.created_at, r.rowid"
)
_ENTRY_KINDS = {kind.value: kind for kind in EntryKind}
_set_attribute = object.__setattr__


def _stored_time(text: str) -> datetime:
    """A time as `to_iso` stored it, as an aware UTC datetime."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is UTC else from_iso(text)


def _checked(value: Any) -> Any:
    """A record, a list of records or None, validated (reads only convert)."""
    if isinstance(value, list):
        return [_checked(item) for item in value]
    return None if value is None else type(value).validated(**value.values())


def _validated(model: type[M], fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[M]:
    return [model.validated(**dict(zip(fields, row, strict=True))) for row in rows]


def _trusted(model: type[M], values: dict[str, Any]) -> M:
    """A record built from `values` without its `__init__` (half the cost of building a
    timeline entry): `values` holds every field, in field order, already of its type."""
    built = model.__new__(model)
    _set_attribute(built, "__dict__", values)
    return built


def _stored_entries(rows: list[tuple[Any, ...]], incident_id: str) -> list[TimelineEntry]:
    """The timeline entries of one incident from rows of `_STORED_TIMELINE_SQL`, converted
    but not validated."""
    kinds, time = _ENTRY_KINDS, _stored_time
    return [
        _trusted(
            TimelineEntry,
            {
                "id": id_,
                "created_at": (created_at := time(created)),
                "incident_id": incident_id,
                "seq": seq,
                "occurred_at": created_at if occurred is None else time(occurred),
                "recorded_at": created_at if recorded is None else time(recorded),
                "kind": kinds.get(kind) or EntryKind(kind),
                "author": author,
                "text": text,
                "pinned": bool(pinned),
                "revisions": revisions,
                "retracted_at": None if retracted is None else time(retracted),
                "updated_at": created_at if updated is None else time(updated),
            },
        )
        for (
            id_,
            created,
            seq,
            occurred,
            recorded,
            kind,
            author,
            text,
            pinned,
            revisions,
            retracted,
            updated,
        ) in rows
    ]


def _stored_revisions(rows: list[tuple[Any, ...]]) -> list[EntryRevision]:
    """Entry revisions from rows of `_REVISIONS_SQL`, converted but not validated."""
    return [
        _trusted(
            EntryRevision,
            {
                "id": id_,
                "created_at": _stored_time(created),
                "entry_id": entry_id,
                "text": text,
                "author": author,
            },
        )
        for id_, created, entry_id, text, author in rows
    ]


def _column_value(value: Any) -> Any:
    """A Python value as stored: fixed-width UTC times, enum values, JSON for containers."""
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return to_iso(value)
    return str(value)
