"""`icconsole update draft|sent` through click's CliRunner."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from icconsole.cli import cli
from icconsole.models import Audience, EntryKind


def run(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def _live(store):
    return store.most_recent_active()


def test_draft_defaults_to_internal(demo_store):
    result = run("update", "draft")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("SEV1 INC-2: Checkout API returning 5xx in eu-west-1\n")
    assert "What we know:" in result.output
    assert "None" not in result.output and "{" not in result.output


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("external", "Checkout API returning 5xx in eu-west-1 — Monitoring"),
        ("executive", "Business impact: About 30% of checkout attempts in the EU fail"),
        ("CAN", "CAN report · SEV1 INC-2"),
    ],
)
def test_draft_for_each_audience(demo_store, audience, expected):
    result = run("update", "draft", "--audience", audience, "--incident", "INC-2")
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_draft_needs_an_incident_when_none_is_active(store):
    result = run("update", "draft")
    assert result.exit_code == 2
    assert "no active incident" in result.output


def test_draft_refuses_an_unknown_audience(demo_store):
    result = run("update", "draft", "--audience", "slack")
    assert result.exit_code == 2
    assert "slack" in result.output
    assert "Traceback" not in result.output


def test_draft_uses_a_template_from_config(demo_store, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[templates]\nexternal = "Update on {title}: {public_status}"\n')
    result = run("update", "draft", "-a", "external", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert result.output == "Update on Checkout API returning 5xx in eu-west-1: Monitoring\n"


def test_a_bad_template_in_config_is_one_clear_line(demo_store, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[templates]\ninternal = "{severity} {whatever}"\n')
    result = run("update", "draft", "--config", str(config))
    assert result.exit_code == 2
    assert "templates.internal: unknown placeholder {whatever}" in result.output


def test_sent_records_the_update_and_restarts_the_cadence(demo_store):
    incident = _live(demo_store)
    before = len(demo_store.status_updates(incident.id))
    result = run("update", "sent", "All clear in eu-west-1", "--audience", "executive")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"INC-2: executive update recorded; next update due \d\d:\d\d \S+\n", result.output
    )
    updates = demo_store.status_updates(incident.id)
    assert len(updates) == before + 1
    assert updates[-1].audience is Audience.EXECUTIVE
    assert updates[-1].body == "All clear in eu-west-1"
    assert updates[-1].author == "tester"
    last = demo_store.last_entry(incident.id)
    assert last.kind == EntryKind.COMMS
    assert last.text == "Executive update sent: All clear in eu-west-1"
    refreshed = demo_store.incident(incident.id)
    assert refreshed.next_update_due > incident.next_update_due


def test_sent_reads_stdin_and_records_can_as_internal(demo_store):
    incident = _live(demo_store)
    body = "CAN report\n\nConditions:\n- stable\x1b[31m\n"
    result = run("update", "sent", "-", "--audience", "can", "-i", "INC-2", stdin=body)
    assert result.exit_code == 0, result.output
    update = demo_store.status_updates(incident.id)[-1]
    assert update.audience is Audience.INTERNAL
    assert update.body == "CAN report\n\nConditions:\n- stable"


def test_sent_refuses_empty_text_and_bad_stdin(demo_store):
    incident = _live(demo_store)
    before = len(demo_store.status_updates(incident.id))
    empty = run("update", "sent", "   ")
    assert empty.exit_code == 2 and "the update is empty" in empty.output
    bad = run("update", "sent", "-", stdin=b"\xff\xfe")
    assert bad.exit_code == 2 and "not valid UTF-8" in bad.output
    assert len(demo_store.status_updates(incident.id)) == before


def test_sent_on_a_resolved_incident_sets_no_due_time(demo_store):
    past = demo_store.incident("INC-1")
    result = run("update", "sent", "Final: resolved", "--incident", "INC-1")
    assert result.exit_code == 0, result.output
    assert result.output == "INC-1: internal update recorded\n"
    assert demo_store.incident(past.id).next_update_due is None
