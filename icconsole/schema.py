"""The database schema and its migrations, applied in order by `PRAGMA user_version`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

APPLICATION_ID = 0x49434331  # "ICC1": marks a file as ours, so other SQLite files are refused.

_T = str  # column types, as sqlite-utils takes them
_I = int


def _v1(db: sqlite_utils.Database) -> None:
    """Every table of the data model, with foreign keys, indexes and full-text search."""
    db.create_table(
        "incident",
        {
            "id": _T,
            "number": _I,
            "title": _T,
            "summary": _T,
            "impact": _T,
            "severity": _T,
            "status": _T,
            "drill": _I,
            "started_at": _T,
            "detected_at": _T,
            "declared_at": _T,
            "mitigated_at": _T,
            "resolved_at": _T,
            "closed_at": _T,
            "cadence_minutes": _I,
            "next_update_due": _T,
            "created_at": _T,
            "updated_at": _T,
        },
        pk="id",
        not_null=["number", "title", "severity", "status", "started_at", "declared_at"],
    )
    db["incident"].create_index(["number"], unique=True)
    db["incident"].create_index(["status"])
    children = {
        "role_assignment": {
            "role": _T,
            "person": _T,
            "assigned_at": _T,
            "relieved_at": _T,
        },
        "timeline_entry": {
            "seq": _I,
            "occurred_at": _T,
            "recorded_at": _T,
            "kind": _T,
            "author": _T,
            "text": _T,
            "pinned": _I,
            "revisions": _I,
            "retracted_at": _T,
            "updated_at": _T,
        },
        "task": {
            "seq": _I,
            "title": _T,
            "owner": _T,
            "status": _T,
            "check_back_at": _T,
            "source": _T,
            "done_at": _T,
            "updated_at": _T,
        },
        "status_update": {"audience": _T, "body": _T, "author": _T, "sent_at": _T},
        "handoff": {
            "from_person": _T,
            "to_person": _T,
            "brief": _T,
            "acknowledged_at": _T,
        },
        "postmortem": {
            "status": _T,
            "facilitator": _T,
            "attendees": _T,
            "authors": _T,
            "sections": _T,
            "state": _T,
            "updated_at": _T,
        },
        "action_item": {
            "title": _T,
            "type": _T,
            "priority": _T,
            "owner": _T,
            "due_date": _T,
            "ticket": _T,
            "status": _T,
            "reason": _T,
            "source_task_id": _T,
            "updated_at": _T,
        },
    }
    for name, columns in children.items():
        db.create_table(
            name,
            {"id": _T, "incident_id": _T, **columns, "created_at": _T},
            pk="id",
            not_null=["incident_id", "created_at"],
            foreign_keys=[("incident_id", "incident", "id")],
        )
        db[name].create_index(["incident_id"])
    db["timeline_entry"].create_index(["incident_id", "seq"], unique=True)
    db["timeline_entry"].create_index(["incident_id", "occurred_at", "seq"])
    db["task"].create_index(["incident_id", "seq"], unique=True)
    db["postmortem"].create_index(
        ["incident_id"], index_name="postmortem_one_per_incident", unique=True
    )
    db.create_table(
        "entry_revision",
        {"id": _T, "entry_id": _T, "text": _T, "author": _T, "created_at": _T},
        pk="id",
        not_null=["entry_id", "created_at"],
        foreign_keys=[("entry_id", "timeline_entry", "id")],
    )
    db["entry_revision"].create_index(["entry_id"])
    # Full-text search over incident titles and entry text, kept current by triggers and
    # keyed by the rowid of the row it indexes, so an edit updates one row.
    for table, column in (("incident", "title"), ("timeline_entry", "text")):
        db.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5({column}, tokenize='unicode61')")
        db.execute(
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {table}_fts (rowid, {column}) VALUES (new.rowid, new.{column}); END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF {column} ON {table} BEGIN "
            f"UPDATE {table}_fts SET {column} = new.{column} WHERE rowid = new.rowid; END"
        )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1]
SCHEMA_VERSION = len(MIGRATIONS)
