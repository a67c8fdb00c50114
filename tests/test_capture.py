"""The capture line's parser and completion (core, no terminal)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from icconsole.capture import (
    AddTask,
    AssignRole,
    ComposeUpdate,
    Handoff,
    LogEntry,
    PinLast,
    SetSeverity,
    SetStatus,
    complete,
    parse,
    split_backdate,
)
from icconsole.errors import InputError
from icconsole.models import EntryKind, Status

PEOPLE = ["alice", "bob", "carol"]


def p(line, clock, config):
    return parse(line, clock.now(), config)


def test_plain_text_is_a_note(clock, config):
    assert p("  db is slow  ", clock, config) == LogEntry(EntryKind.NOTE, "db is slow")


def test_blank_is_nothing(clock, config):
    assert p("   ", clock, config) is None


@pytest.mark.parametrize("name", ["decision", "action", "hypothesis", "finding", "note"])
def test_entry_commands(name, clock, config):
    entry = p(f"/{name} roll back 4512", clock, config)
    assert entry == LogEntry(EntryKind(name), "roll back 4512", None, also_task=name == "action")


def test_other_commands(clock, config):
    assert p("/status Mitigated", clock, config) == SetStatus(Status.MITIGATED)
    assert p("/sev 1", clock, config) == SetSeverity("SEV1")
    assert p("/sev sev3", clock, config) == SetSeverity("SEV3")
    assert p("/role Scribe bob smith", clock, config) == AssignRole("scribe", "bob smith")
    assert p("/handoff carol", clock, config) == Handoff("carol")
    assert p("/handoff", clock, config) == Handoff(None)
    assert p("/task page the DBA", clock, config) == AddTask("page the DBA")
    assert p("/pin", clock, config) == PinLast()
    assert p("/update", clock, config) == ComposeUpdate()


def test_giving_the_ic_role_is_a_handoff(clock, config):
    assert p("/role ic dave", clock, config) == Handoff("dave")


def test_backdating(clock, config):
    entry = p("-5m saw the first alert", clock, config)
    assert entry == LogEntry(
        EntryKind.NOTE, "saw the first alert", clock.now() - timedelta(minutes=5)
    )
    entry = p("@14:05 /decision freeze deploys", clock, config)
    assert entry.kind == EntryKind.DECISION
    assert entry.occurred_at == clock.now().replace(minute=5, hour=14)
    assert split_backdate("-1h30m x") == ("-1h30m", "x")
    assert split_backdate("-5 is not a time") == (None, "-5 is not a time")


def test_double_slash_logs_a_literal_slash(clock, config):
    assert p("//var/log is full", clock, config) == LogEntry(EntryKind.NOTE, "/var/log is full")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/frobnicate now", "unknown command /frobnicate"),
        ("/decision", "/decision needs text"),
        ("/status sideways", "/status needs one of"),
        ("/sev 9", "unknown severity"),
        ("/sev", "/sev needs a severity"),
        ("/role scribe", "/role needs a role and a person"),
        ("/role juggler bob", "unknown role"),
        ("/task", "/task needs a title"),
        ("/pin now", "/pin takes no arguments"),
        ("-5m /status mitigated", "cannot be backdated"),
        ("@25:00 late", "not a time of day"),
        ("-400d long ago", "more than a year ago"),
    ],
)
def test_rejected(line, message, clock, config):
    with pytest.raises(InputError, match=message):
        p(line, clock, config)


def test_control_characters_are_removed(clock, config):
    assert p("boom\x1b[31m red\x07", clock, config) == LogEntry(EntryKind.NOTE, "boom red")


@pytest.mark.parametrize(
    ("line", "completed"),
    [
        ("/dec", "/decision"),
        ("/st", "/status"),
        ("/status mit", "/status mitigated"),
        ("/sev S", "/sev SEV1"),
        ("/role scr", "/role scribe"),
        ("/role scribe b", "/role scribe bob"),
        ("/handoff Ca", "/handoff Carol"),
        ("-5m /fin", "-5m /finding"),
        ("/decision", None),
        ("plain text", None),
        ("/handoff zed", None),
        ("/status ", None),
    ],
)
def test_completion(line, completed, config):
    assert complete(line, config, PEOPLE) == completed
