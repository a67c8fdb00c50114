"""The quick paths behind exporting long timelines give exactly what the plain ones did:
rows read without validation equal validated ones, the escaper equals the one-regex
escaper it replaced, times format as strftime did. Merged files are still validated."""

from __future__ import annotations

import gc
import re
import sqlite3
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icconsole.clock import FrozenClock
from icconsole.collector import collector_paused
from icconsole.config import Config
from icconsole.errors import StoreError
from icconsole.export import _Times, markdown_document
from icconsole.interchange import export_json, merge_file
from icconsole.markdown_safe import _escape_line, cell, inline
from icconsole.models import EntryKind, EntryRevision, IncidentRecord, TimelineEntry
from icconsole.store import ENTRY_FIELDS, REVISION_FIELDS, Store
from icconsole.validation import jsonable

# The escaper before the quick path: one regex for every inline special character.
_REFERENCE = re.compile(
    r"""[\\`*\[\]<|]
      | ~(?=~) | (?<=~)~
      | _(?![^\W_]) | (?<![^\W_])_
      | &(?=\#?[0-9A-Za-z]+;)
      | \#(?=\#*$)""",
    re.VERBOSE,
)


def _reference_escape_line(line: str) -> str:
    escaped = _REFERENCE.sub(lambda m: "\\" + m[0], line)
    first = escaped[:1]
    if first and first in "-+=>#":
        return "\\" + escaped
    if first.isdigit():
        return re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)
    return escaped


SPECIALS = st.sampled_from(list("\\`*[]<>|~_&#;-+=.)!( 0123456789aZé_x\u00a0"))


@given(st.lists(SPECIALS | st.characters(), max_size=40).map("".join))
def test_escaper_equals_the_one_regex_escaper(text: str) -> None:
    line = " ".join(text.split())
    assert _escape_line(line) == _reference_escape_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "~~x~~ ~y~ a~~",
        "_a_ snake_case _ __ é_é _é",
        "&amp; &#35; &#x41; & &; R&D\\&amp;",
        "# title ## ### \\# #|# #*",
        "1. 12) 3.x 4",
        "\\\\ \\` \\* [] <> | `|` *_* ~_~ _~_",
    ],
)
def test_escaper_equals_the_one_regex_escaper_on_nasty_lines(line: str) -> None:
    assert _escape_line(line) == _reference_escape_line(line)


@given(st.datetimes(min_value=datetime(1, 1, 2), timezones=st.just(UTC)), st.booleans())
def test_times_format_as_strftime_did(value: datetime, utc: bool) -> None:
    times = _Times(utc, datetime(2026, 3, 14, tzinfo=UTC))
    shown = value.astimezone(UTC) if utc else value.astimezone()
    assert times.at(value) == shown.strftime("%Y-%m-%d %H:%M")


def test_field_orders_match_the_models() -> None:
    assert tuple(f.name for f in fields(TimelineEntry)) == ENTRY_FIELDS
    assert tuple(f.name for f in fields(EntryRevision)) == REVISION_FIELDS


def _varied(store: Store, clock: FrozenClock) -> str:
    """An incident whose timeline has every kind, edits, retractions, pins, odd text."""
    incident = store.declare("Varied | *record*", "SEV2", author="alice")
    texts = ["plain", "# head | pipe", "1. list", "~~gone~~ _u_ &amp;", "line\nbreak\ttab", "é ★"]
    for number, kind in enumerate(EntryKind):
        clock.advance(minutes=1)
        entry = store.log(
            incident.id,
            texts[number % len(texts)],
            author=f"p{number % 3} [x]",
            kind=kind,
            occurred_at=clock.now() - timedelta(seconds=number * 7),
        )
        if number % 3 == 0:
            store.edit_entry(entry.id, f"edited {number}", author="bob")
        if number % 4 == 1:
            store.retract_entry(entry.id, author="bob")
        if number % 5 == 2:
            store.set_pinned(entry.id, True)
    return incident.id


def _same_record(trusted: IncidentRecord, validated: IncidentRecord) -> None:
    assert trusted == validated
    assert repr(trusted) == repr(validated)
    assert jsonable(trusted) == jsonable(validated)
    for fast, slow in zip(
        [*trusted.timeline, *trusted.revisions],
        [*validated.timeline, *validated.revisions],
        strict=True,
    ):
        assert list(vars(fast)) == list(vars(slow))
        assert [type(v) for v in vars(fast).values()] == [type(v) for v in vars(slow).values()]
        zones = [getattr(v, "tzinfo", None) for v in vars(fast).values()]
        assert zones == [getattr(v, "tzinfo", None) for v in vars(slow).values()]


def test_trusted_read_equals_validated_read_on_the_demo(demo_store: Store) -> None:
    for incident in demo_store.incidents():
        trusted = demo_store.record(incident.id)
        validated = demo_store.record(incident.id, validate=True)
        _same_record(trusted, validated)
        config = demo_store.config
        assert markdown_document(trusted, config) == markdown_document(validated, config)
        assert export_json([trusted]) == export_json([validated])


def test_trusted_read_equals_validated_read_on_a_varied_record(
    store: Store, clock: FrozenClock
) -> None:
    incident_id = _varied(store, clock)
    trusted = store.record(incident_id)
    validated = store.record(incident_id, validate=True)
    assert trusted.revisions and any(e.retracted for e in trusted.timeline)
    _same_record(trusted, validated)
    assert markdown_document(trusted, store.config) == markdown_document(validated, store.config)
    assert export_json([trusted]) == export_json([validated])


def test_changing_one_entry_read_without_validation_leaves_the_others_alone(
    store: Store, clock: FrozenClock
) -> None:
    first, second, *_ = store.record(_varied(store, clock)).timeline
    copy = replace(first, text="copied")
    first.text = "changed"
    assert (first.text, copy.text) == ("changed", "copied")
    assert second.text != "changed"
    assert list(vars(second)) == list(ENTRY_FIELDS)


def test_timeline_rows_read_as_before(store: Store, clock: FrozenClock) -> None:
    """Each timeline row is the time, the kind (★ when pinned), the author and the text
    (struck through when retracted, marked when edited), as the per-entry code made it."""
    record = store.record(_varied(store, clock))
    document = markdown_document(record, store.config).splitlines()
    for entry in record.timeline:
        text = inline(entry.text)
        if entry.retracted:
            text = f"~~{text}~~ *(retracted)*"
        elif entry.edited:
            text = f"{text} *(edited)*"
        kind = f"{entry.kind.value} ★" if entry.pinned else entry.kind.value
        when = entry.occurred_at.strftime("%Y-%m-%d %H:%M")
        assert f"| {when} | {kind} | {cell(entry.author)} | {text} |" in document


def test_a_merged_file_is_still_validated(
    tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    other_path = tmp_path / "other.db"
    with Store(other_path, config, clock) as other:
        incident = other.declare("Theirs", author="bob")
        other.log(incident.id, "fine", author="bob")
    conn = sqlite3.connect(other_path)
    conn.execute("UPDATE timeline_entry SET text = '   ' WHERE text = 'fine'")
    conn.commit()
    conn.close()
    with Store(tmp_path / "mine.db", config, clock) as mine:
        with pytest.raises(StoreError, match=r"cannot read.*entry text must not be empty"):
            merge_file(mine, other_path)
        assert mine.incidents() == []


def test_the_collector_is_paused_and_left_as_it_was() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
