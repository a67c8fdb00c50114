"""Data other files and tools take in: JSON export with a format version, validated
all-or-nothing import, and merging another responder's database. Rows are matched by
UUID: present rows are skipped, newer revisions win, clashing refs are renumbered."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from icconsole.clock import from_iso
from icconsole.errors import InputError, StoreError
from icconsole.models import EntryRevision, IncidentRecord, Record
from icconsole.store import Store
from icconsole.validation import RecordError, described

FORMAT = "icconsole"
FORMAT_VERSION = 1
MAX_PROBLEMS = 3
# Revisions made from the text that lost a merge get a stable id, so merging is idempotent.
_REVISION_NAMESPACE = uuid.UUID("6f1c8f5e-3a52-4f0e-9a57-1d5b3c2e7a10")
_CHILDREN = ("roles", "timeline", "tasks", "status_updates", "handoffs", "action_items")
_TABLES = {
    "roles": "role_assignment",
    "timeline": "timeline_entry",
    "tasks": "task",
    "status_updates": "status_update",
    "handoffs": "handoff",
    "action_items": "action_item",
}
_NOUNS = {
    "roles": "role assignment",
    "timeline": "timeline entry",
    "revisions": "entry revision",
    "tasks": "task",
    "status_updates": "status update",
    "handoffs": "handoff",
    "action_items": "action item",
    "postmortem": "post-mortem",
}


class ExportFile(BaseModel):
    """The JSON export: a format name and version, and whole incident records."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["icconsole"] = FORMAT
    version: int = FORMAT_VERSION
    incidents: list[IncidentRecord]


def export_json(records: list[IncidentRecord]) -> str:
    """Full-fidelity JSON of these records; the same records give the same bytes."""
    return ExportFile(incidents=records).model_dump_json(indent=2) + "\n"


def _fields_except(record: Record, *names: str) -> dict[str, Any]:
    return {key: value for key, value in record.values().items() if key not in names}


def all_records(store: Store, *, validate: bool = False) -> list[IncidentRecord]:
    """Every incident's record, oldest ref first; `validate` as for `Store.record`."""
    incidents = sorted(store.incidents(), key=lambda i: i.number)
    return [store.record(incident.id, validate=validate) for incident in incidents]


def _describe(exc: ValidationError, source: str) -> str:
    errors = described(exc)
    problems = []
    for error in errors[:MAX_PROBLEMS]:
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        problems.append(f"{where}: {error['msg']}")
    more = f" (and {len(errors) - MAX_PROBLEMS} more)" if len(errors) > MAX_PROBLEMS else ""
    return f"{source}: not a valid IC Console export; nothing imported: {'; '.join(problems)}{more}"


def _consistency(records: list[IncidentRecord]) -> list[str]:
    """Problems pydantic cannot see: child rows of another incident, revisions of entries
    not in the record, one id used twice."""
    problems: list[str] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        where = f"incidents.{index}"
        if record.incident.id in seen:
            problems.append(f"{where}.incident.id: the id {record.incident.id} appears twice")
        seen.add(record.incident.id)
        rows: list[tuple[str, Any]] = [
            (name, row) for name in _CHILDREN for row in getattr(record, name)
        ]
        if record.postmortem is not None:
            rows.append(("postmortem", record.postmortem))
        for name, row in rows:
            if row.incident_id != record.incident.id:
                problems.append(
                    f"{where}.{name}: incident_id {row.incident_id} is not this incident's"
                )
            if row.id in seen:
                problems.append(f"{where}.{name}: the id {row.id} appears twice")
            seen.add(row.id)
        entry_ids = {entry.id for entry in record.timeline}
        for number, revision in enumerate(record.revisions):
            if revision.entry_id not in entry_ids:
                problems.append(
                    f"{where}.revisions.{number}.entry_id: "
                    f"no entry {revision.entry_id} in this incident"
                )
            if revision.id in seen:
                problems.append(f"{where}.revisions.{number}: the id {revision.id} appears twice")
            seen.add(revision.id)
    return problems


def parse_export(text: str, source: str = "input") -> list[IncidentRecord]:
    """Validate an export document; any problem is an InputError naming the first ones."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "nothing imported"
        ) from None
    version = data.get("version") if isinstance(data, dict) else None
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise InputError(
            f"{source}: export format version {data['version']} is newer than this "
            f"IC Console knows ({FORMAT_VERSION}); upgrade icconsole. Nothing imported."
        )
    try:
        document = ExportFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(_describe(exc, source)) from None
    problems = _consistency(document.incidents)
    if problems:
        more = f" (and {len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
        shown = "; ".join(problems[:MAX_PROBLEMS])
        raise InputError(f"{source}: inconsistent export; nothing imported: {shown}{more}")
    return document.incidents


def read_export(path: Path) -> list[IncidentRecord]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; nothing imported") from None
    return parse_export(text, str(path))


@dataclass
class IncidentChanges:
    """What one incident gained: its ref here, the ref it had before if renumbered."""

    ref: str
    new: bool
    renumbered_from: str | None = None
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], name: str) -> None:
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return self.new or bool(self.added) or bool(self.updated)


@dataclass
class MergeReport:
    """The changes an import or merge made, incident by incident."""

    incidents: list[IncidentChanges] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(change.changed for change in self.incidents)

    def lines(self) -> list[str]:
        """One line per incident that changed, or `nothing new`."""
        lines = []
        for change in self.incidents:
            if not change.changed:
                continue
            parts = []
            if change.new:
                parts.append("new incident")
            if change.renumbered_from:
                parts.append(f"renumbered from {change.renumbered_from} (taken here)")
            if change.added:
                parts.append("added " + ", ".join(_counted(n, k) for k, n in change.added.items()))
            if change.updated:
                updated = ", ".join(_counted(n, k) for k, n in change.updated.items())
                parts.append(f"updated {updated}")
            lines.append(f"{change.ref}: {'; '.join(parts)}")
        return lines or ["nothing new"]


def _counted(n: int, name: str) -> str:
    noun = _NOUNS.get(name, name)
    if n != 1:
        noun = noun[:-1] + "ies" if noun.endswith("entry") else f"{noun}s"
    return f"{n} {noun}"


class _Applier:
    """Writes records into a store inside its one open write transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    def _existing(self, table: str, incident_id: str, columns: str) -> dict[str, tuple]:
        cursor = self.conn.execute(
            f"SELECT id, {columns} FROM {table} WHERE incident_id = ?", [incident_id]
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}

    @staticmethod
    def _free_seq(wanted: int, used: set[int]) -> int:
        """`wanted` if no row of the incident has it yet, else the next number after all."""
        return max(used) + 1 if wanted in used else wanted

    def apply(self, record: IncidentRecord) -> IncidentChanges:
        change = self._incident(record)
        incident_id = record.incident.id
        self._roles(record, change)
        losers = self._timeline(record, change)
        self._revisions(record, change, losers)
        self._tasks(record, change)
        for name in ("status_updates", "handoffs"):
            present = self._existing(_TABLES[name], incident_id, "1")
            for row in getattr(record, name):
                if row.id not in present:
                    self._insert(_TABLES[name], row, name, change)
        self._postmortem(record, change)
        self._action_items(record, change)
        return change

    def _insert(
        self, table: str, row: Record, name: str, change: IncidentChanges, **extra: Any
    ) -> None:
        values = replace(row, **extra) if extra else row
        exclude = {"ref"} if table == "incident" else None
        try:
            self.store._insert(table, values, exclude)
        except sqlite3.IntegrityError as exc:
            raise InputError(
                f"{change.ref}: {_NOUNS.get(name, name)} {row.id} clashes with a row of another "
                f"incident in this file ({exc}); nothing imported"
            ) from None
        if table != "incident":
            change.count(change.added, name)

    def _incident(self, record: IncidentRecord) -> IncidentChanges:
        incoming = record.incident
        row = self.conn.execute(
            "SELECT number, updated_at FROM incident WHERE id = ?", [incoming.id]
        ).fetchone()
        if row is not None:
            change = IncidentChanges(ref=f"INC-{row[0]}", new=False)
            if incoming.updated_at > from_iso(row[1]):
                fields = _fields_except(incoming, "id", "ref", "number", "created_at")
                self.store._update("incident", incoming.id, **fields)
                change.count(change.updated, "incident")
            return change
        number = incoming.number
        taken = self.conn.execute("SELECT 1 FROM incident WHERE number = ?", [number]).fetchone()
        renumbered = None
        if taken:
            renumbered = incoming.ref
            number = self.conn.execute("SELECT MAX(number) + 1 FROM incident").fetchone()[0]
        change = IncidentChanges(ref=f"INC-{number}", new=True, renumbered_from=renumbered)
        self._insert("incident", incoming, "incident", change, number=number)
        return change

    def _roles(self, record: IncidentRecord, change: IncidentChanges) -> None:
        present = self._existing("role_assignment", record.incident.id, "relieved_at")
        for role in record.roles:
            if role.id not in present:
                self._insert("role_assignment", role, "roles", change)
            elif role.relieved_at is not None and present[role.id][0] is None:
                self.store._update("role_assignment", role.id, relieved_at=role.relieved_at)
                change.count(change.updated, "roles")

    def _timeline(self, record: IncidentRecord, change: IncidentChanges) -> dict[str, set[str]]:
        """Insert new entries, let newer revisions win; returns each contested entry's
        texts that are not its current text, to keep as revisions."""
        incident_id = record.incident.id
        present = self._existing("timeline_entry", incident_id, "seq, updated_at, text")
        used = {values[0] for values in present.values()}
        losers: dict[str, set[str]] = {}
        for entry in record.timeline:
            if entry.id not in present:
                seq = self._free_seq(entry.seq, used)
                used.add(seq)
                self._insert("timeline_entry", entry, "timeline", change, seq=seq)
                continue
            _, updated_at, text = present[entry.id]
            if entry.updated_at > from_iso(updated_at):
                fields = _fields_except(entry, "id", "incident_id", "seq", "created_at")
                self.store._update("timeline_entry", entry.id, **fields)
                change.count(change.updated, "timeline")
                if text != entry.text:
                    losers.setdefault(entry.id, set()).add(text)
            elif text != entry.text:
                losers.setdefault(entry.id, set()).add(entry.text)
        return losers

    def _revisions(
        self, record: IncidentRecord, change: IncidentChanges, losers: dict[str, set[str]]
    ) -> None:
        incident_id = record.incident.id
        cursor = self.conn.execute(
            "SELECT r.id FROM entry_revision r JOIN timeline_entry e ON e.id = r.entry_id "
            "WHERE e.incident_id = ?",
            [incident_id],
        )
        present = {row[0] for row in cursor.fetchall()}
        by_entry = {e.id: e for e in record.timeline}
        for revision in record.revisions:
            if revision.id not in present:
                self._insert("entry_revision", revision, "revisions", change)
        for entry_id, texts in sorted(losers.items()):
            current, known = self._entry_texts(entry_id)
            for text in sorted(texts - known - {current}):
                author = by_entry[entry_id].author if entry_id in by_entry else "merge"
                revision = EntryRevision.validated(
                    id=str(uuid.uuid5(_REVISION_NAMESPACE, f"{entry_id}\n{text}")),
                    entry_id=entry_id,
                    text=text,
                    author=author,
                    created_at=self.store.now(),
                )
                self._insert("entry_revision", revision, "revisions", change)
            count = self.conn.execute(
                "SELECT count(*) FROM entry_revision WHERE entry_id = ?", [entry_id]
            ).fetchone()[0]
            self.conn.execute(
                "UPDATE timeline_entry SET revisions = MAX(revisions, ?) WHERE id = ?",
                [count, entry_id],
            )

    def _entry_texts(self, entry_id: str) -> tuple[str, set[str]]:
        current = self.conn.execute(
            "SELECT text FROM timeline_entry WHERE id = ?", [entry_id]
        ).fetchone()[0]
        rows = self.conn.execute(
            "SELECT text FROM entry_revision WHERE entry_id = ?", [entry_id]
        ).fetchall()
        return current, {row[0] for row in rows}

    def _tasks(self, record: IncidentRecord, change: IncidentChanges) -> None:
        incident_id = record.incident.id
        present = self._existing("task", incident_id, "seq, updated_at")
        used = {values[0] for values in present.values()}
        for task in record.tasks:
            if task.id not in present:
                seq = self._free_seq(task.seq, used)
                used.add(seq)
                self._insert("task", task, "tasks", change, seq=seq)
            elif task.updated_at > from_iso(present[task.id][1]):
                fields = _fields_except(task, "id", "incident_id", "seq", "created_at")
                self.store._update("task", task.id, **fields)
                change.count(change.updated, "tasks")

    def _postmortem(self, record: IncidentRecord, change: IncidentChanges) -> None:
        incoming = record.postmortem
        if incoming is None:
            return
        row = self.conn.execute(
            "SELECT id, updated_at FROM postmortem WHERE incident_id = ?", [incoming.incident_id]
        ).fetchone()
        if row is None:
            self._insert("postmortem", incoming, "postmortem", change)
        elif incoming.updated_at > from_iso(row[1]) or (
            incoming.updated_at == from_iso(row[1])
            and incoming.id != row[0]
            and incoming.id > row[0]
        ):
            self.conn.execute("DELETE FROM postmortem WHERE id = ?", [row[0]])
            self.store._insert("postmortem", incoming)
            change.count(change.updated, "postmortem")

    def _action_items(self, record: IncidentRecord, change: IncidentChanges) -> None:
        present = self._existing("action_item", record.incident.id, "updated_at")
        for item in record.action_items:
            if item.id not in present:
                self._insert("action_item", item, "action_items", change)
            elif item.updated_at > from_iso(present[item.id][0]):
                fields = _fields_except(item, "id", "incident_id", "created_at")
                self.store._update("action_item", item.id, **fields)
                change.count(change.updated, "action_items")


def apply_records(store: Store, records: list[IncidentRecord]) -> MergeReport:
    """Bring records into `store` in one transaction: all of them, or nothing."""
    report = MergeReport()
    with store._write():
        applier = _Applier(store)
        for record in records:
            report.incidents.append(applier.apply(record))
    return report


def import_file(store: Store, path: Path) -> MergeReport:
    """Validate a JSON export completely, then apply it in one transaction."""
    return apply_records(store, read_export(path))


def _other_records(other: Store) -> list[IncidentRecord]:
    check = other._scalar("PRAGMA quick_check")
    if check != "ok":
        raise StoreError(f"{other.path}: the database file is damaged ({check}); nothing merged")
    try:
        return all_records(other, validate=True)
    except RecordError as exc:
        raise StoreError(
            f"{other.path}: holds a record this IC Console cannot read ({exc}); nothing merged"
        ) from None
    except ValueError as exc:
        raise StoreError(f"{other.path}: holds damaged data ({exc}); nothing merged") from None


def merge_file(store: Store, other_path: Path) -> MergeReport:
    """Merge another responder's database into `store`. The other file is opened read-only
    through Store's own checks (newer or damaged files are refused) and never changed."""
    if other_path.exists() and store.path.exists() and other_path.resolve() == store.path.resolve():
        raise InputError(f"{other_path}: that is the file being merged into")
    with Store(other_path, store.config, read_only=True) as other:
        records = _other_records(other)
    return apply_records(store, records)
