"""JSON export and import (round trip, validation, all or nothing, idempotence) and merging
another responder's file (union, newer revisions win, refs renumbered, refusals)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from icconsole.clock import FrozenClock
from icconsole.config import Config
from icconsole.errors import InputError, StoreError
from icconsole.interchange import (
    FORMAT_VERSION,
    all_records,
    apply_records,
    export_json,
    import_file,
    merge_file,
    parse_export,
)
from icconsole.store import Store


def _open(path: Path, config: Config, clock: FrozenClock) -> Store:
    return Store(path, config, clock)


def _snapshot(store: Store) -> str:
    return export_json(all_records(store))


def _files(path: Path) -> dict[str, bytes]:
    """The bytes of a database and of any side files next to it."""
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}


def test_round_trip_gives_identical_json(
    demo_store: Store, tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    exported = _snapshot(demo_store)
    data = json.loads(exported)
    assert data["format"] == "icconsole" and data["version"] == FORMAT_VERSION
    assert [r["incident"]["ref"] for r in data["incidents"]] == ["INC-1", "INC-2"]
    (tmp_path / "all.json").write_text(exported, encoding="utf-8")
    with _open(tmp_path / "empty.db", config, clock) as fresh:
        report = import_file(fresh, tmp_path / "all.json")
        assert [c.ref for c in report.incidents if c.new] == ["INC-1", "INC-2"]
        assert _snapshot(fresh) == exported


def test_single_incident_round_trip(
    demo_store: Store, tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    record = demo_store.record(demo_store.incident("INC-2").id)
    exported = export_json([record])
    with _open(tmp_path / "one.db", config, clock) as fresh:
        apply_records(fresh, parse_export(exported))
        again = export_json([fresh.record(record.incident.id)])
    assert again == exported  # INC-2 keeps its number: it is free in the new file


def test_importing_twice_changes_nothing(
    demo_store: Store, tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    path = tmp_path / "all.json"
    path.write_text(_snapshot(demo_store), encoding="utf-8")
    with _open(tmp_path / "b.db", config, clock) as other:
        import_file(other, path)
        before = _snapshot(other)
        report = import_file(other, path)
        assert report.lines() == ["nothing new"]
        assert _snapshot(other) == before
    # Importing into the file it came from changes nothing either.
    assert import_file(demo_store, path).lines() == ["nothing new"]


def _broken(demo_store: Store, change) -> str:
    data = json.loads(_snapshot(demo_store))
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["incidents"][1]["timeline"][3].update(text="   "),
            "incidents.1.timeline.3.text: Value error, entry text must not be empty",
        ),
        (
            lambda d: d["incidents"][0]["incident"].update(status="exploded"),
            "incidents.0.incident.status: Input should be",
        ),
        (lambda d: d.update(extra=1), "extra: Extra inputs are not permitted"),
        (lambda d: d.update(version=FORMAT_VERSION + 1), "is newer than this IC Console knows"),
        (
            lambda d: d["incidents"][1]["tasks"][0].update(incident_id="elsewhere"),
            "incidents.1.tasks: incident_id elsewhere is not this incident's",
        ),
        (
            lambda d: d["incidents"][0]["revisions"].append(
                {
                    "id": "r1",
                    "entry_id": "nope",
                    "text": "x",
                    "author": "a",
                    "created_at": "2026-03-14T14:00:00+00:00",
                }
            ),
            "incidents.0.revisions.0.entry_id: no entry nope",
        ),
        (
            lambda d: d["incidents"].append(d["incidents"][0]),
            "appears twice",
        ),
    ],
)
def test_invalid_import_names_the_problem_and_writes_nothing(
    demo_store: Store, tmp_path: Path, config: Config, clock: FrozenClock, change, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(_broken(demo_store, change), encoding="utf-8")
    with _open(tmp_path / "target.db", config, clock) as target:
        target.declare("Already here", author="zed")
        before = _snapshot(target)
        with pytest.raises(InputError) as caught:
            import_file(target, path)
        assert message in str(caught.value)
        assert "nothing imported" in str(caught.value).lower()
        assert _snapshot(target) == before


def test_not_json_is_refused_with_the_position(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "icconsole",\n  oops}', encoding="utf-8")
    with pytest.raises(InputError, match=r"not JSON \(line 2, column 3"):
        import_file(store, path)
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(InputError, match="not UTF-8"):
        import_file(store, path)


def test_failure_half_way_rolls_back_everything(
    demo_store: Store, tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    """The second incident reuses an entry id that belongs to another incident in the
    target: the first incident, already written in the transaction, is rolled back."""
    data = json.loads(_snapshot(demo_store))
    with _open(tmp_path / "target.db", config, clock) as target:
        taken = target.declare("Target", author="zed")
        clash = target.entries(taken.id)[0].id
        before = _snapshot(target)
        data["incidents"][1]["timeline"][0]["id"] = clash
        with pytest.raises(InputError, match="clashes with a row of another incident"):
            apply_records(target, parse_export(json.dumps(data)))
        assert _snapshot(target) == before


def _two_responders(tmp_path: Path, config: Config, clock: FrozenClock) -> tuple[Path, Path, str]:
    """Two files that share the start of an incident, then each saw part of it."""
    first, second = tmp_path / "alice.db", tmp_path / "bob.db"
    with _open(first, config, clock) as store:
        incident = store.declare("Shared outage", "SEV2", author="alice")
        store.log(incident.id, "seen by both", "note", "alice")
    shutil.copy(first, second)
    clock.advance(minutes=1)
    with _open(first, config, clock) as store:
        store.log(incident.id, "alice only 1", "finding", "alice")
        store.log(incident.id, "alice only 2", "decision", "alice", pinned=True)
        store.declare("Alice's other incident", author="alice")
    clock.advance(minutes=1)
    with _open(second, config, clock) as store:
        store.log(incident.id, "bob only", "finding", "bob")
        shared = store.entries(incident.id)[-2]
        store.edit_entry(shared.id, "seen by both (bob's correction)", "bob")
        store.add_task(incident.id, "Check the replicas", "bob", owner="bob")
        store.assign_role(incident.id, "scribe", "bob", "bob")
        store.declare("Bob's other incident", author="bob")
    return first, second, incident.id


def _ids(store: Store, table: str) -> set[str]:
    return {row[0] for row in store.conn.execute(f"SELECT id FROM {table}")}


TABLES = ("incident", "timeline_entry", "task", "role_assignment", "entry_revision")


def test_merge_gives_the_union_and_is_idempotent(
    tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    first, second, incident_id = _two_responders(tmp_path, config, clock)
    with _open(first, config, clock) as a, _open(second, config, clock) as b:
        expected = {table: _ids(a, table) | _ids(b, table) for table in TABLES}
    with _open(first, config, clock) as a:
        report = merge_file(a, second)
        lines = report.lines()
        # bob's finding, and the entries for his task and his role.
        assert lines[0] == (
            "INC-1: added 1 role assignment, 3 timeline entries, 1 entry revision, 1 task; "
            "updated 1 timeline entry"
        )
        assert lines[1].startswith("INC-3: new incident; renumbered from INC-2 (taken here)")
        for table in TABLES:
            assert _ids(a, table) == expected[table], table
        texts = [e.text for e in a.entries(incident_id)]
        assert "seen by both (bob's correction)" in texts
        assert {"alice only 1", "alice only 2", "bob only"} <= set(texts)
        seqs = [e.seq for e in a.entries(incident_id)]
        assert len(seqs) == len(set(seqs))
        assert a.incident("INC-2").title == "Alice's other incident"
        assert a.incident("INC-3").title == "Bob's other incident"
        after = _snapshot(a)
        assert merge_file(a, second).lines() == ["nothing new"]
        assert _snapshot(a) == after


def test_newer_revision_wins_and_the_history_is_kept(
    tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    first, second, incident_id = _two_responders(tmp_path, config, clock)
    with _open(first, config, clock) as a:
        shared = next(e for e in a.entries(incident_id) if e.text == "seen by both")
        clock.advance(minutes=5)
        a.edit_entry(shared.id, "seen by both (alice's later correction)", "alice")
        merge_file(a, second)
        entry = a.entry(shared.id)
        assert entry.text == "seen by both (alice's later correction)"
        history = {r.text for r in a.revisions(shared.id)}
        assert history == {"seen by both", "seen by both (bob's correction)"}
        # Both files kept the original text as a revision (two rows); bob's text lost.
        assert entry.revisions == len(a.revisions(shared.id)) == 3
        merged = _snapshot(a)
    with _open(second, config, clock) as b:
        merge_file(b, first)
        assert b.entry(shared.id).text == "seen by both (alice's later correction)"
        assert {r.text for r in b.revisions(shared.id)} == history
    with _open(first, config, clock) as a:
        assert merge_file(a, second).lines() == ["nothing new"]
        assert _snapshot(a) == merged


def test_merge_refuses_a_newer_file_and_leaves_both_untouched(
    tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    first, second, _ = _two_responders(tmp_path, config, clock)
    conn = sqlite3.connect(second)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = (_files(first), _files(second))
    with _open(first, config, clock) as a:
        snapshot = _snapshot(a)
        with pytest.raises(StoreError, match="newer IC Console"):
            merge_file(a, second)
        assert _snapshot(a) == snapshot
    assert _files(second) == before[1]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "not ours", "empty"])
def test_merge_refuses_a_damaged_file(
    tmp_path: Path, config: Config, clock: FrozenClock, damage: str
) -> None:
    first, second, _ = _two_responders(tmp_path, config, clock)
    data = second.read_bytes()
    if damage == "garbage":
        noise = bytes(range(256)) * (len(data) // 256 + 1)
        second.write_bytes(data[:100] + noise[: len(data) - 100])
    elif damage == "truncated":
        second.write_bytes(data[: len(data) // 2])
    elif damage == "not ours":
        second.unlink()
        conn = sqlite3.connect(second)
        conn.execute("CREATE TABLE t (x)")
        conn.close()
    else:
        second.write_bytes(b"")
    other_before = _files(second)
    with _open(first, config, clock) as a:
        snapshot = _snapshot(a)
        with pytest.raises(StoreError):
            merge_file(a, second)
        assert _snapshot(a) == snapshot
    assert _files(second) == other_before


def test_merge_reads_the_other_file_without_leaving_side_files(
    tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    first, second, _ = _two_responders(tmp_path, config, clock)
    before = _files(second)
    assert set(before) == {"bob.db"}
    with _open(first, config, clock) as a:
        merge_file(a, second)
    assert _files(second) == before


def test_merge_refuses_itself_and_a_missing_file(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file being merged into"):
        merge_file(store, store.path)
    with pytest.raises(StoreError, match="no such file"):
        merge_file(store, tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
