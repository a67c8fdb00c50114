"""Markdown and HTML documents: golden files for the demo incidents, determinism, and a
document whose every user field is hostile keeping exactly its expected structure."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from markdown_it.token import Token

from icconsole.clock import FrozenClock
from icconsole.export import (
    SECTION_TITLES,
    html_document,
    key_events,
    markdown_document,
    markdown_parser,
)
from icconsole.models import POSTMORTEM_SECTIONS, ActionItem, ActionStatus, Audience, PostMortem
from icconsole.store import Store, new_id

GOLDEN = Path(__file__).parent / "golden"
# Set ICCONSOLE_UPDATE_GOLDEN=1 to rewrite the golden files, then read the diff.
UPDATE = bool(os.environ.get("ICCONSOLE_UPDATE_GOLDEN"))
EVIL = (
    "# head\n- item\n> quote | pipe\n```\n<b>raw</b> &amp; [link](http://x.io) "
    "![img](http://x.io/i.png) <http://x.io> *em* __strong__ ~~s~~ [^1]\n1. one\n===\n---"
)
FORBIDDEN = {
    "html_inline",
    "html_block",
    "link_open",
    "image",
    "code_inline",
    "code_block",
    "fence",
    "blockquote_open",
    "hr",
    "ordered_list_open",
}


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from the golden file"


@pytest.mark.parametrize(
    ("ref", "name"), [("INC-1", "INC-1-postmortem"), ("INC-2", "INC-2-report")]
)
def test_demo_documents_match_the_golden_files(demo_store: Store, ref: str, name: str) -> None:
    record = demo_store.record(demo_store.incident(ref).id)
    _golden(f"{name}.md", markdown_document(record, demo_store.config))
    _golden(f"{name}.html", html_document(record, demo_store.config))


def test_same_record_gives_the_same_bytes(demo_store: Store) -> None:
    incident = demo_store.incident("INC-1")
    first = markdown_document(demo_store.record(incident.id), demo_store.config)
    second = markdown_document(demo_store.record(incident.id), demo_store.config)
    assert first.encode() == second.encode()


def test_post_mortem_has_every_section_in_order(demo_store: Store) -> None:
    record = demo_store.record(demo_store.incident("INC-1").id)
    headings = _headings(markdown_document(record, demo_store.config))
    sections = [SECTION_TITLES[key] for key in POSTMORTEM_SECTIONS]
    assert [h for h in headings if h in sections] == sections
    assert headings[-2:] == ["Action items", "Appendix: full timeline"]
    assert {"Metrics", "Key events"} <= set(headings)


def test_report_without_post_mortem_has_its_sections(demo_store: Store) -> None:
    record = demo_store.record(demo_store.incident("INC-2").id)
    text = markdown_document(record, demo_store.config)
    assert _headings(text)[1:9] == [
        "Summary",
        "Impact",
        "Metrics",
        "Role history",
        "Timeline",
        "Tasks",
        "Updates sent",
        *_headings(text)[8:9],
    ]
    assert "All times are in UTC." in text


def test_local_time_states_the_zone(demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        record = demo_store.record(demo_store.incident("INC-2").id)
        text = markdown_document(record, demo_store.config, utc=False)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert "All times are in CET (UTC+0100)." in text
    assert "2026-03-14 14:48" in text  # declared 13:48 UTC


def test_key_events_follow_the_wizard_selection(demo_store: Store) -> None:
    incident = demo_store.incident("INC-1")
    record = demo_store.record(incident.id)
    chosen = [record.timeline[3].id, record.timeline[7].id]
    assert record.postmortem is not None
    demo_store.save_postmortem(replace(record.postmortem, state={"key_events": chosen}))
    record = demo_store.record(incident.id)
    assert [e.id for e in key_events(record)] == chosen


def test_key_events_default_to_pinned_decisions_status_and_roles(demo_store: Store) -> None:
    record = demo_store.record(demo_store.incident("INC-2").id)
    kinds = {(e.kind.value, e.pinned) for e in key_events(record)}
    assert all(pinned or kind in {"decision", "status", "role"} for kind, pinned in kinds)
    assert ("alert", True) in kinds


def _hostile_incident(store: Store, clock: FrozenClock) -> str:
    incident = store.declare(EVIL, "SEV1", commander="<i>mallory</i>", summary=EVIL, author="x|y")
    store.update_incident(incident.id, "x", impact=EVIL)
    for kind in ("note", "decision", "finding"):
        clock.advance(minutes=1)
        entry = store.log(incident.id, EVIL, kind, "[eve](http://x.io)", pinned=True)
    store.edit_entry(entry.id, EVIL + " edited", "eve")
    store.retract_entry(store.log(incident.id, EVIL, "note", "eve").id, "eve")
    store.assign_role(incident.id, "scribe", "# bob |", "x")
    store.add_task(incident.id, EVIL, "x", owner="| owner |")
    store.record_update(incident.id, Audience.EXTERNAL, EVIL, "## carol")
    store.transfer_command(incident.id, "> dave", EVIL, "x")
    return incident.id


# The only emphasis and strikethrough in a document are our own markers around text.
OUR_EMPHASIS = {"(edited)", "(retracted)", "Not written.", "None."}
OUR_LABELS = {
    f"{label}:"
    for label in (
        "Severity",
        "Status",
        "Drill",
        "Incident Commander",
        "Impact began",
        "Detected",
        "Declared",
        "Mitigated",
        "Resolved",
        "Closed",
        "Post-mortem status",
        "Facilitator",
        "Authors",
        "Attendees",
    )
}


def _tokens(text: str) -> list[Token]:
    """Every token, inline children included; emphasis only around our own markers."""
    out: list[Token] = []
    for token in markdown_parser().parse(text):
        out.append(token)
        children = token.children or []
        out.extend(children)
        for index, child in enumerate(children):
            if child.type == "em_open":
                assert children[index + 1].content in OUR_EMPHASIS, token.content
            if child.type == "strong_open":
                assert children[index + 1].content in OUR_LABELS, token.content
            if child.type == "s_open":
                assert token.content.endswith("*(retracted)*"), token.content
    return out


def _plain(token: Token) -> str:
    """The text an inline token shows, line breaks as spaces."""
    parts = [c.content if c.type == "text" else " " for c in token.children or []]
    return "".join(parts)


def _headings(text: str) -> list[str]:
    tokens = markdown_parser().parse(text)
    return [_plain(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]


def _tables(text: str) -> list[tuple[int, list[int]]]:
    """Each table as (columns, cells per body row)."""
    tables, columns, rows, cells = [], 0, [], 0
    in_body = False
    for token in markdown_parser().parse(text):
        if token.type == "table_open":
            columns, rows = 0, []
        elif token.type == "th_open":
            columns += 1
        elif token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open":
            cells = 0
        elif token.type == "td_open":
            cells += 1
        elif token.type == "tr_close" and in_body:
            rows.append(cells)
        elif token.type == "table_close":
            tables.append((columns, rows))
            in_body = False
    return tables


def test_hostile_report_keeps_its_structure(store: Store, clock: FrozenClock) -> None:
    incident_id = _hostile_incident(store, clock)
    record = store.record(incident_id)
    text = markdown_document(record, store.config)
    types = {t.type for t in _tokens(text)}
    assert not types & FORBIDDEN, types & FORBIDDEN
    headings = _headings(text)
    assert headings[1:] == [
        "Summary",
        "Impact",
        "Metrics",
        "Role history",
        "Handoffs",
        headings[6],
        "Timeline",
        "Tasks",
        "Updates sent",
        headings[10],
    ]
    assert headings[0].startswith("INC-1: # head - item > quote | pipe")
    assert headings[0].endswith("1. one === --- — incident report")
    assert headings[6].endswith("· <i>mallory</i> → > dave")
    assert headings[10].endswith("· external · ## carol")
    tables = _tables(text)
    assert [columns for columns, _ in tables] == [3, 4, 4, 6]
    assert tables[2][1] == [4] * len(record.timeline)
    assert tables[1][1] == [4] * len(record.roles)
    assert tables[3][1] == [6] * len(record.tasks)
    # Each prose field is one paragraph per written block, with hard breaks only.
    tokens = markdown_parser().parse(text)
    paragraphs = [t for t in tokens if t.type == "paragraph_open" and t.level == 0]
    assert len(paragraphs) == 5  # summary, impact, handoff brief, update body, times note


def test_hostile_post_mortem_keeps_its_structure(store: Store, clock: FrozenClock) -> None:
    incident_id = _hostile_incident(store, clock)
    now = clock.now()
    store.save_postmortem(
        PostMortem(
            id=new_id(),
            incident_id=incident_id,
            facilitator="*fac*",
            attendees="<a>",
            authors="[x]",
            sections=dict.fromkeys(POSTMORTEM_SECTIONS, EVIL),
            created_at=now,
            updated_at=now,
        )
    )
    store.save_action_item(
        ActionItem(
            id=new_id(),
            incident_id=incident_id,
            title=EVIL.replace("\n", " "),
            owner="| a |",
            ticket="<T-1>",
            due_date=date(2026, 4, 1),
            status=ActionStatus.WONT_DO,
            reason="| because |\n# no",
            created_at=now,
            updated_at=now,
        )
    )
    text = markdown_document(store.record(incident_id), store.config)
    types = {t.type for t in _tokens(text)}
    assert not types & FORBIDDEN, types & FORBIDDEN
    sections = [SECTION_TITLES[key] for key in POSTMORTEM_SECTIONS]
    headings = _headings(text)
    assert [h for h in headings[1:] if h not in ("Metrics", "Key events")] == [
        *sections,
        "Action items",
        "Appendix: full timeline",
    ]
    tables = _tables(text)
    assert [columns for columns, _ in tables] == [3, 4, 8, 4]
    assert tables[2][1] == [8]


def test_html_is_self_contained_and_escaped(store: Store, clock: FrozenClock) -> None:
    page = html_document(store.record(_hostile_incident(store, clock)), store.config)
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "@media print" in page
    for forbidden in ("<script", "<b>", "<i>", "src=", "href=", "<link", "@import", "url("):
        assert forbidden not in page, forbidden
    assert "&lt;b&gt;raw&lt;/b&gt;" in page
    assert "<title>INC-1: # head - item &gt; quote | pipe" in page
