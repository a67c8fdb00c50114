"""The store: lifecycle, roles, never-deleted entries, search, migrations and refusals."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from icconsole.clock import FrozenClock
from icconsole.config import Config
from icconsole.errors import InputError, StoreError
from icconsole.models import EntryKind, Status
from icconsole.schema import APPLICATION_ID, SCHEMA_VERSION
from icconsole.store import Store


def snapshot(path: Path) -> tuple[bytes, int, int, list[str]]:
    """Bytes, mtime, mode and the directory listing: what "left untouched" means."""
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_mode, sorted(os.listdir(path.parent))


def texts(store: Store, incident_id: str, kind: EntryKind | None = None) -> list[str]:
    return [e.text for e in store.entries(incident_id) if kind is None or e.kind == kind]


def pragma(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


# ------------------------------------------------------------------- lifecycle


def test_declare(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("  Checkout\n5xx  ", "sev1", "alice", "It broke", author="bob")
    assert incident.ref == "INC-1"
    assert incident.title == "Checkout 5xx"
    assert incident.severity == "SEV1"
    assert incident.status == Status.INVESTIGATING
    assert incident.declared_at == incident.started_at == clock.now()
    assert incident.cadence_minutes == 15
    assert incident.next_update_due == clock.now() + timedelta(minutes=15)
    assert store.commander(incident.id) == "alice"
    assert [t.title for t in store.tasks(incident.id)] == [
        item.title for item in store.config.severity("SEV1").checklist
    ]
    timeline = store.entries(incident.id)
    assert timeline[0].kind == EntryKind.STATUS
    assert "Declared SEV1" in timeline[0].text
    assert timeline[0].author == "bob"
    second = store.declare("Second", author="bob")
    assert second.ref == "INC-2"
    assert second.severity == "SEV2"


def test_lifecycle_stamps_and_timeline(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("Checkout down", "SEV1", "alice", author="alice")
    clock.advance(minutes=5)
    identified = store.set_status(incident.id, "identified", "alice")
    assert identified.mitigated_at is None
    clock.advance(minutes=5)
    mitigated = store.set_status(incident.id, "Mitigated", "alice")
    assert mitigated.status == Status.MITIGATED
    assert mitigated.mitigated_at == clock.now()
    assert mitigated.resolved_at is None
    clock.advance(minutes=10)
    resolved = store.set_status(incident.id, "resolved", "alice")
    assert resolved.resolved_at == clock.now()
    assert resolved.mitigated_at == clock.now() - timedelta(minutes=10)
    assert resolved.next_update_due is None
    assert not resolved.is_active
    clock.advance(days=2)
    closed = store.set_status(incident.id, Status.CLOSED, "ivan")
    assert closed.closed_at == clock.now()
    status_texts = texts(store, incident.id, EntryKind.STATUS)
    assert "Status: investigating → identified" in status_texts
    assert "Status: identified → mitigated" in status_texts
    assert "Status: mitigated → resolved" in status_texts
    assert "Status: resolved → closed" in status_texts


def test_reopen_clears_later_stamps_and_restarts_cadence(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("Checkout down", "SEV1", "alice", author="alice")
    for status in ("mitigated", "resolved", "closed"):
        clock.advance(minutes=5)
        store.set_status(incident.id, status, "alice")
    clock.advance(minutes=5)
    reopened = store.set_status(incident.id, "investigating", "alice")
    assert reopened.is_active
    assert reopened.mitigated_at is None
    assert reopened.resolved_at is None
    assert reopened.closed_at is None
    assert reopened.next_update_due == clock.now() + timedelta(minutes=15)
    assert texts(store, incident.id, EntryKind.STATUS)[-1] == "Reopened: closed → investigating"
    clock.advance(minutes=5)
    store.set_status(incident.id, "mitigated", "alice")
    back = store.set_status(incident.id, "identified", "alice")
    assert back.mitigated_at is None


def test_status_refusals(store: Store) -> None:
    incident = store.declare("Checkout down", author="alice")
    with pytest.raises(InputError, match="already investigating"):
        store.set_status(incident.id, "investigating", "alice")
    with pytest.raises(InputError, match=r"unknown status 'fixed'.*investigating, identified"):
        store.set_status(incident.id, "fixed", "alice")
    assert store.incident(incident.id).status == Status.INVESTIGATING


def test_severity_change_recomputes_cadence(store: Store, clock: FrozenClock) -> None:
    declared = clock.now()
    incident = store.declare("Checkout down", "SEV2", "alice", author="alice")
    assert incident.next_update_due == declared + timedelta(minutes=30)
    clock.advance(minutes=5)
    sev1 = store.set_severity(incident.id, "1", "alice")
    assert (sev1.severity, sev1.cadence_minutes) == ("SEV1", 15)
    assert sev1.next_update_due == declared + timedelta(minutes=15)
    clock.advance(minutes=5)
    store.record_update(incident.id, "internal", "Rolling back", "carol")
    sent = clock.now()
    assert store.incident(incident.id).next_update_due == sent + timedelta(minutes=15)
    clock.advance(minutes=2)
    sev3 = store.set_severity(incident.id, "SEV3", "alice")
    assert sev3.cadence_minutes == 60
    assert sev3.next_update_due == sent + timedelta(minutes=60)
    sev4 = store.set_severity(incident.id, "sev4", "alice")
    assert sev4.cadence_minutes is None
    assert sev4.next_update_due is None
    assert texts(store, incident.id, EntryKind.SEVERITY) == [
        "Severity: SEV2 → SEV1",
        "Severity: SEV1 → SEV3",
        "Severity: SEV3 → SEV4",
    ]
    with pytest.raises(InputError, match="already SEV4"):
        store.set_severity(incident.id, "SEV4", "alice")
    with pytest.raises(InputError, match="unknown severity"):
        store.set_severity(incident.id, "SEV0", "alice")


def test_incident_lookup_and_resolution(store: Store) -> None:
    assert store.most_recent_active() is None
    with pytest.raises(InputError, match="no active incident"):
        store.resolve_incident(None)
    first = store.declare("Checkout down", author="alice")
    for key in ("INC-1", "inc-1", " 1 ", first.id):
        assert store.incident(key).id == first.id
    assert store.resolve_incident(None).id == first.id
    with pytest.raises(InputError, match="no incident 'INC-9'"):
        store.incident("INC-9")
    store.declare("Login broken", author="alice")
    with pytest.raises(InputError) as caught:
        store.resolve_incident(None)
    assert "INC-1 (Checkout down)" in str(caught.value)
    assert "INC-2 (Login broken)" in str(caught.value)
    store.set_status(first.id, "resolved", "alice")
    assert store.resolve_incident(None).ref == "INC-2"
    assert [i.ref for i in store.incidents(active_only=True)] == ["INC-2"]
    assert [i.ref for i in store.incidents()] == ["INC-2", "INC-1"]


def test_update_incident(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("Checkout down", author="alice")
    updated = store.update_incident(incident.id, "alice", title="Checkout 5xx", impact="EU only")
    assert (updated.title, updated.impact) == ("Checkout 5xx", "EU only")
    assert "Title: Checkout 5xx" in texts(store, incident.id)
    with pytest.raises(InputError, match="cannot edit severity"):
        store.update_incident(incident.id, "alice", severity="SEV1")
    with pytest.raises(InputError, match="title"):
        store.update_incident(incident.id, "alice", title="  ")
    assert store.incident(incident.id).title == "Checkout 5xx"


# ------------------------------------------------------------------------ roles


def test_role_history(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("Checkout down", commander="alice", author="alice")
    clock.advance(minutes=1)
    store.assign_role(incident.id, "scribe", "bob", "alice")
    clock.advance(minutes=1)
    store.assign_role(incident.id, "Scribe", "carol", "alice")
    swapped = clock.now()
    history = [
        (a.role, a.person, a.relieved_at) for a in store.roles(incident.id, current_only=False)
    ]
    assert history == [("ic", "alice", None), ("scribe", "bob", swapped), ("scribe", "carol", None)]
    assert [(a.role, a.person) for a in store.roles(incident.id)] == [
        ("ic", "alice"),
        ("scribe", "carol"),
    ]
    clock.advance(minutes=1)
    store.relieve_role(incident.id, "scribe", "alice")
    carol = next(a for a in store.roles(incident.id, current_only=False) if a.person == "carol")
    assert carol.relieved_at == clock.now()
    assert [a.role for a in store.roles(incident.id)] == ["ic"]
    assert len(store.roles(incident.id, current_only=False)) == 3
    role_texts = texts(store, incident.id, EntryKind.ROLE)
    assert "bob is now Scribe (was —)" in role_texts
    assert "carol is now Scribe (was bob)" in role_texts
    assert "carol relieved as Scribe" in role_texts


def test_several_subject_matter_experts(store: Store) -> None:
    incident = store.declare("Checkout down", commander="alice", author="alice")
    store.assign_role(incident.id, "sme", "dave", "alice")
    store.assign_role(incident.id, "Subject Matter Expert", "frank", "alice")
    assert [a.person for a in store.roles(incident.id) if a.role == "sme"] == ["dave", "frank"]
    store.relieve_role(incident.id, "sme", "alice", person="dave")
    assert [a.person for a in store.roles(incident.id) if a.role == "sme"] == ["frank"]
    with pytest.raises(InputError, match="dave does not hold"):
        store.relieve_role(incident.id, "sme", "alice", person="dave")
    with pytest.raises(InputError, match="already holds"):
        store.assign_role(incident.id, "sme", "frank", "alice")


def test_commander_is_replaced_never_left_empty(store: Store) -> None:
    incident = store.declare("Checkout down", commander="alice", author="alice")
    with pytest.raises(InputError, match="command cannot be left empty"):
        store.relieve_role(incident.id, "ic", "alice")
    assert store.commander(incident.id) == "alice"
    store.assign_role(incident.id, "ic", "bob", "alice")
    assert store.commander(incident.id) == "bob"
    assert [a.person for a in store.roles(incident.id) if a.role == "ic"] == ["bob"]
    with pytest.raises(InputError, match="unknown role"):
        store.assign_role(incident.id, "janitor", "bob", "alice")
    with pytest.raises(InputError, match="nobody holds Deputy"):
        store.relieve_role(incident.id, "deputy", "alice")
    with pytest.raises(InputError, match="person must not be empty"):
        store.assign_role(incident.id, "deputy", " \x1b[1m ", "alice")


# --------------------------------------------------------------------- timeline


def test_log_entry(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("Checkout down", author="alice")
    clock.advance(minutes=10)
    entry = store.log(
        incident.id,
        "  roll back\x1b[31m 4512 ",
        "decision",
        "bob",
        clock.now() - timedelta(minutes=5),
    )
    assert entry.text == "roll back 4512"
    assert entry.kind == EntryKind.DECISION
    assert entry.occurred_at == clock.now() - timedelta(minutes=5)
    assert entry.recorded_at == clock.now()
    assert store.entry(entry.id) == entry
    assert store.last_entry(incident.id) == entry
    # Committed when log returns: another connection sees it.
    conn = sqlite3.connect(store.path)
    try:
        row = conn.execute("SELECT text FROM timeline_entry WHERE id = ?", [entry.id]).fetchone()
    finally:
        conn.close()
    assert row == ("roll back 4512",)


def test_backdated_entries_sort_by_when_they_happened(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("Checkout down", author="alice")
    clock.advance(minutes=10)
    late = store.log(incident.id, "logged late", author="bob", occurred_at=clock.now())
    early = store.log(
        incident.id,
        "happened earlier",
        author="bob",
        occurred_at=clock.now() - timedelta(minutes=8),
    )
    order = [e.id for e in store.entries(incident.id)]
    assert order.index(early.id) < order.index(late.id)
    assert early.seq > late.seq


def test_revisions_on_edit(store: Store, clock: FrozenClock) -> None:
    incident = store.declare("Checkout down", author="alice")
    entry = store.log(incident.id, "db is down", author="bob")
    clock.advance(minutes=1)
    edited = store.edit_entry(entry.id, "db primary is down", "bob")
    assert edited.text == "db primary is down"
    assert edited.revisions == 1 and edited.edited
    assert edited.recorded_at == entry.recorded_at
    clock.advance(minutes=1)
    store.edit_entry(entry.id, "db primary failed over", "carol")
    assert [(r.text, r.author) for r in store.revisions(entry.id)] == [
        ("db is down", "bob"),
        ("db primary is down", "carol"),
    ]
    assert store.entry(entry.id).revisions == 2
    assert store.edit_entry(entry.id, "db primary failed over", "bob").revisions == 2
    with pytest.raises(InputError, match="must not be empty"):
        store.edit_entry(entry.id, "  ", "bob")
    assert store.entry(entry.id).text == "db primary failed over"
    assert len(store.record(incident.id).revisions) == 2


def test_retract_keeps_the_row(store: Store) -> None:
    incident = store.declare("Checkout down", author="alice")
    entry = store.log(incident.id, "wrong incident, sorry", author="bob")
    count = store.entry_count(incident.id)
    retracted = store.retract_entry(entry.id, "bob")
    assert retracted.retracted and retracted.retracted_at is not None
    assert retracted.text == "wrong incident, sorry"
    assert store.entry_count(incident.id) == count
    assert [r.retracted for r in store.entry_rows(incident.id, 0, 100) if r.id == entry.id] == [
        True
    ]
    with pytest.raises(InputError, match="already retracted"):
        store.retract_entry(entry.id, "bob")


def test_pin(store: Store) -> None:
    incident = store.declare("Checkout down", author="alice")
    pinned = store.log(incident.id, "key decision", "decision", "alice", pinned=True)
    assert pinned.pinned
    assert not store.set_pinned(pinned.id, False).pinned
    assert store.set_pinned(pinned.id, True).pinned
    assert store.entry(pinned.id).pinned


def test_log_many_is_one_transaction_of_100k(store: Store) -> None:
    incident = store.declare("Checkout down", author="alice")
    before = store.entry_count(incident.id)
    lines = (f"line {n}\x07" if n % 1000 else "   " for n in range(100_000))
    count = store.log_many(incident.id, lines, "alert", "pagerbot")
    assert count == 99_900
    assert store.entry_count(incident.id) == before + 99_900
    assert store.max_seq(incident.id) == before + 99_900
    last = store.last_entry(incident.id)
    assert last is not None and last.text == "line 99999" and last.kind == EntryKind.ALERT
    rows = store.entry_rows(incident.id, before, 3)
    assert [r.text for r in rows] == ["line 1", "line 2", "line 3"]
    assert [hit.text for hit in store.search("99999")] == ["line 99999"]


def test_log_many_refuses_all_or_nothing(store: Store) -> None:
    incident = store.declare("Checkout down", author="alice")
    before = store.entry_count(incident.id)
    with pytest.raises(InputError, match="too long"):
        store.log_many(incident.id, ["fine", "x" * 10_001, "also fine"], "note", "bob")
    with pytest.raises(InputError, match="no text"):
        store.log_many(incident.id, ["", "  ", "\x1b[0m"], "note", "bob")
    with pytest.raises(InputError, match="no incident"):
        store.log_many("INC-99", ["fine"], "note", "bob")
    assert store.entry_count(incident.id) == before


def test_input_limits(store: Store, clock: FrozenClock) -> None:
    assert len(store.declare("t" * 200, author="alice").title) == 200
    with pytest.raises(InputError, match="title is too long"):
        store.declare("t" * 201, author="alice")
    for empty in ("", "   ", "\n\t", "\x1b[31m\x07"):
        with pytest.raises(InputError, match="title must not be empty"):
            store.declare(empty, author="alice")
    incident = store.declare("Checkout down", author="alice")
    assert len(store.log(incident.id, "e" * 10_000, author="bob").text) == 10_000
    with pytest.raises(InputError, match="entry text is too long"):
        store.log(incident.id, "e" * 10_001, author="bob")
    for empty in ("", "  \n ", "\x00\x1b[2J"):
        with pytest.raises(InputError, match="entry text must not be empty"):
            store.log(incident.id, empty, author="bob")
    with pytest.raises(InputError, match="author must not be empty"):
        store.log(incident.id, "text", author=" ")
    with pytest.raises(InputError, match="unknown entry kind 'gossip'"):
        store.log(incident.id, "text", "gossip", "bob")
    with pytest.raises(InputError, match="future"):
        store.log(incident.id, "text", author="bob", occurred_at=clock.now() + timedelta(hours=1))
    assert len(store.incidents()) == 2


def test_search_titles_and_entries(store: Store) -> None:
    checkout = store.declare("Checkout API errors", author="alice")
    login = store.declare("Login failures", author="alice")
    entry = store.log(checkout.id, "database failover started", author="bob")
    store.log(login.id, "certificate chain incomplete", author="grace")
    title_hits = [h for h in store.search("checkout") if h.entry_id is None]
    assert [(h.ref, h.text) for h in title_hits] == [("INC-1", "Checkout API errors")]
    hits = store.search("FAILOVER")
    assert [(h.ref, h.entry_id, h.text) for h in hits] == [
        ("INC-1", entry.id, "database failover started")
    ]
    assert [h.ref for h in store.search("certificate")] == ["INC-2"]
    store.edit_entry(entry.id, "replica promoted", "bob")
    assert store.search("failover") == []
    assert [h.entry_id for h in store.search("promoted")] == [entry.id]
    store.update_incident(checkout.id, "alice", title="Payments API errors")
    assert [h.text for h in store.search("payments") if h.entry_id is None] == [
        "Payments API errors"
    ]
    assert [h for h in store.search("checkout") if h.entry_id is None] == []
    for odd in ('"', "a-b OR (", "NEAR(", "*", "x AND"):
        assert store.search(odd) == []
    with pytest.raises(InputError, match="at least one word"):
        store.search("   ")


# ---------------------------------------------------------- files and migrations


def test_fresh_file(store: Store, db_file: Path) -> None:
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
    assert pragma(db_file, "user_version") == SCHEMA_VERSION
    assert pragma(db_file, "application_id") == APPLICATION_ID
    assert pragma(db_file, "journal_mode") == "wal"


def test_new_file_in_new_directory_is_private(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.umask(0o022)
    path = tmp_path / "deep" / "er" / "incidents.db"
    with Store(path, config) as opened:
        opened.declare("Checkout down", author="alice")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_reopen_keeps_data(db_file: Path, config: Config, clock: FrozenClock) -> None:
    with Store(db_file, config, clock) as first:
        first.declare("Checkout down", author="alice")
    with Store(db_file, config, clock) as second:
        assert [i.ref for i in second.incidents()] == ["INC-1"]
    assert pragma(db_file, "user_version") == SCHEMA_VERSION


def test_empty_sqlite_database_is_adopted(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "blank.db"
    sqlite3.connect(path).close()
    path.write_bytes(b"")
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    with Store(path, config) as opened:
        opened.declare("Checkout down", author="alice")
    assert pragma(path, "application_id") == APPLICATION_ID


def test_file_another_process_is_creating_is_waited_for(tmp_path: Path, config: Config) -> None:
    """Two processes opening a new file at once: one creates it (empty for a moment)."""
    path = tmp_path / "new.db"
    path.touch(mode=0o600)

    def peer_writes_first_page() -> None:
        time.sleep(0.2)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()

    peer = threading.Thread(target=peer_writes_first_page)
    peer.start()
    try:
        with Store(path, config) as opened:
            assert opened.declare("Checkout down", author="alice").ref == "INC-1"
    finally:
        peer.join()
    assert pragma(path, "application_id") == APPLICATION_ID


def test_newer_schema_is_refused_untouched(
    db_file: Path, config: Config, clock: FrozenClock
) -> None:
    with Store(db_file, config, clock) as opened:
        opened.declare("Checkout down", author="alice")
    conn = sqlite3.connect(db_file)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = snapshot(db_file)
    with pytest.raises(StoreError) as caught:
        Store(db_file, config, clock)
    message = str(caught.value)
    assert "newer IC Console" in message and "not changed" in message
    assert "\n" not in message
    assert snapshot(db_file) == before


def _random_bytes(path: Path) -> None:
    path.write_bytes(b"\x00not sqlite" + os.urandom(4096))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT, stars INTEGER)")
    conn.execute("INSERT INTO recipes VALUES ('soup', 5)")
    conn.commit()
    conn.close()


def _text_file(path: Path) -> None:
    path.write_text("SQLite format 3 is what this note is about\n")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_random_bytes, "not an SQLite file"),
        (_empty, "the file is empty"),
        (_foreign_sqlite, "an SQLite file, but not an IC Console database"),
        (_text_file, "not an SQLite file"),
    ],
)
def test_files_that_are_not_ours_are_refused_untouched(
    tmp_path: Path, config: Config, make: Callable[[Path], None], message: str
) -> None:
    path = tmp_path / "other.db"
    make(path)
    before = snapshot(path)
    with pytest.raises(StoreError, match=message) as caught:
        Store(path, config)
    assert str(path) in str(caught.value)
    assert snapshot(path) == before


def test_directory_is_refused(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "a-directory"
    path.mkdir()
    with pytest.raises(StoreError, match="is a directory"):
        Store(path, config)
    assert os.listdir(path) == []


def test_unwritable_location_is_a_store_error(tmp_path: Path, config: Config) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create"):
        Store(blocker / "sub" / "x.db", config)


def test_read_only_file(db_file: Path, config: Config, clock: FrozenClock) -> None:
    with Store(db_file, config, clock) as opened:
        incident = opened.declare("Checkout down", author="alice")
        opened.log(incident.id, "first entry", author="bob")
    db_file.chmod(0o444)
    before = db_file.read_bytes(), db_file.stat().st_mtime_ns
    with Store(db_file, config, clock) as read_only:
        assert read_only.read_only
        assert [i.ref for i in read_only.incidents()] == ["INC-1"]
        assert "first entry" in texts(read_only, incident.id)
        assert read_only.search("first")
        with pytest.raises(StoreError, match="read-only") as caught:
            read_only.log(incident.id, "second entry", author="bob")
        assert "\n" not in str(caught.value)
        with pytest.raises(StoreError, match="read-only"):
            read_only.declare("Another", author="alice")
        with pytest.raises(StoreError, match="read-only"):
            read_only.set_status(incident.id, "resolved", "alice")
    assert (db_file.read_bytes(), db_file.stat().st_mtime_ns) == before


def test_data_version_changes_when_another_connection_commits(
    store: Store, db_file: Path, config: Config, clock: FrozenClock
) -> None:
    incident = store.declare("Checkout down", author="alice")
    seen = store.data_version()
    assert store.data_version() == seen
    store.log(incident.id, "my own entry", author="alice")
    assert store.data_version() == seen
    with Store(db_file, config, clock) as other:
        other.log(incident.id, "from another shell", author="bob")
    assert store.data_version() != seen
    assert store.last_entry(incident.id).text == "from another shell"
