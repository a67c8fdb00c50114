"""Status-update templates and the update cadence."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from icconsole import comms
from icconsole.config import build_config
from icconsole.errors import InputError
from icconsole.models import Audience, EntryKind


def _live(store):
    return store.most_recent_active()


def _assert_clean(text: str) -> None:
    assert text.strip()
    assert "None" not in text
    assert "{" not in text and "}" not in text
    assert "$" not in text


@pytest.mark.parametrize("name", comms.TEMPLATE_NAMES)
def test_every_template_filled_on_the_demo_incident(demo_store, clock, name):
    record = demo_store.record(_live(demo_store).id)
    text = comms.draft(record, demo_store.config, name, clock.now())
    _assert_clean(text)
    assert "Checkout API returning 5xx in eu-west-1" in text
    assert "unknown" not in text
    assert "Next update by 14:45 UTC." in text


@pytest.mark.parametrize("name", comms.TEMPLATE_NAMES)
def test_every_template_filled_on_a_bare_incident(store, clock, name):
    incident = store.declare("Queue backlog", "SEV4", author="alice")
    text = comms.draft(store.record(incident.id), store.config, name, clock.now())
    _assert_clean(text)
    assert "Queue backlog" in text
    assert "What we know" not in text and "Current plan" not in text
    assert "Next update" not in text  # SEV4 has no cadence


def test_every_field_has_a_value_or_is_known_to_be_optional(demo_store, store, clock):
    bare = store.declare("Bare", "SEV4", author="alice")
    for incident_id in (_live(demo_store).id, bare.id):
        values = comms.field_values(store.record(incident_id), store.config, clock.now())
        assert set(values) == set(comms.FIELDS)
        for name, value in values.items():
            assert value or name in comms.OPTIONAL_FIELDS or name in ("impact", "commander")


def test_demo_values_come_from_the_latest_entries(demo_store, clock):
    record = demo_store.record(_live(demo_store).id)
    values = comms.field_values(record, demo_store.config, clock.now())
    assert values["severity"] == "SEV1"
    assert values["status"] == "Mitigated"
    assert values["public_status"] == "Monitoring"
    assert values["started"] == "13:42 UTC"
    assert values["elapsed"] == "48m"
    assert values["commander"] == "alice"
    assert values["known"].splitlines()[-1] == "- 5xx rate at baseline 0.1%"
    assert len(values["known"].splitlines()) == comms.LATEST
    assert "- Decided: Shed 20% of mobile retries at the edge" in values["doing"]
    assert values["plan"] == "- Shed 20% of mobile retries at the edge"
    assert "an owner for: Post on the status page" in values["needs"]


def test_retracted_entries_are_left_out(store, clock):
    incident = store.declare("Disk full", "SEV2", author="alice")
    entry = store.log(incident.id, "Log volume is the cause", EntryKind.FINDING, "bob")
    store.retract_entry(entry.id, "bob")
    values = comms.field_values(store.record(incident.id), store.config, clock.now())
    assert values["known"] is None


def test_user_text_cannot_inject_placeholders(store, clock):
    incident = store.declare("Title {impact} ${ref} {{x}}", "SEV2", author="alice")
    store.log(incident.id, "found {title} and {now}", EntryKind.FINDING, "bob")
    text = comms.draft(store.record(incident.id), store.config, "internal", clock.now())
    assert "SEV2 INC-1: Title {impact} ${ref} {{x}}" in text
    assert "- found {title} and {now}" in text


def test_fill_rules():
    values = {"title": "T", "impact": None, "known": None, "needs": "- n"}
    template = "{title} {{literal}}\nImpact: {impact}\n\nKnown:\n{known}\n\nNeeds:\n{needs}"
    assert comms.fill(template, values) == "T {literal}\nImpact: unknown\n\nNeeds:\n- n"


def test_a_heading_without_a_dropped_line_is_kept():
    assert comms.fill("Hello all:\n\n{title}", {"title": "T"}) == "Hello all:\n\nT"


def test_times_are_utc_when_configured_and_dated_on_another_day(demo_store, clock):
    config = build_config({"utc": True})
    record = demo_store.record(_live(demo_store).id)
    later = clock.now() + timedelta(days=1)
    values = comms.field_values(record, config, later)
    assert values["started"] == "Mar 14 13:42 UTC"
    assert values["now"] == "14:30 UTC"


def test_config_overrides_a_template(demo_store, clock):
    config = build_config({"templates": {"external": "{title}: {public_sentence}"}})
    record = demo_store.record(_live(demo_store).id)
    assert comms.draft(record, config, "external", clock.now()) == (
        "Checkout API returning 5xx in eu-west-1: "
        "A fix is in place and we are monitoring the results."
    )
    assert comms.draft(record, config, "internal", clock.now()).startswith("SEV1 INC-2")


@pytest.mark.parametrize(
    ("templates", "message"),
    [
        ({"internal": "{nope}"}, "templates.internal: unknown placeholder {nope}"),
        ({"internal": "a { b"}, "templates.internal: a lone '{'"),
        ({"internal": "a } b"}, "templates.internal: a lone '}'"),
        ({"slack": "{title}"}, "templates.slack: no such template"),
    ],
)
def test_bad_template_overrides_are_refused_naming_the_key(templates, message):
    with pytest.raises(InputError, match=re.escape(message)):
        build_config({"templates": templates})


def test_template_names_and_audiences():
    assert comms.template_name(" CAN ") == "can"
    assert comms.template_audience("can") is Audience.INTERNAL
    assert comms.template_audience("executive") is Audience.EXECUTIVE
    with pytest.raises(InputError, match="unknown template 'slack'"):
        comms.template_name("slack")


# ------------------------------------------------------------------ cadence


def test_countdown_and_overdue_with_the_clock_advanced(demo_store, clock):
    incident = _live(demo_store)
    state = comms.update_due(demo_store.record(incident.id), clock.now())
    assert state.has_cadence and not state.overdue
    assert state.remaining == timedelta(minutes=3)
    assert state.label() == "next update 03:00"
    clock.advance(minutes=5, seconds=7)
    state = comms.update_due(demo_store.record(incident.id), clock.now())
    assert state.overdue
    assert state.remaining == -timedelta(minutes=2, seconds=7)
    assert state.label() == "update overdue 02:07"
    clock.advance(hours=1)
    assert comms.update_due(incident.next_update_due, clock.now()).label() == (
        "update overdue 1:02:07"
    )


def test_no_cadence_shows_nothing(store, clock):
    incident = store.declare("Low", "SEV4", author="alice")
    state = comms.update_due(store.record(incident.id), clock.now())
    assert not state.has_cadence and not state.overdue
    assert state.remaining is None and state.label() == ""


def test_a_resolved_incident_has_no_update_due(demo_store, clock):
    incident = _live(demo_store)
    demo_store.set_status(incident.id, "resolved", "alice")
    clock.advance(hours=2)
    assert not comms.update_due(demo_store.record(incident.id), clock.now()).has_cadence


def test_reminder_repeats_every_minute_while_overdue(clock):
    due = clock.now()
    assert not comms.reminder_due(due, clock.now() - timedelta(seconds=1), None)
    assert comms.reminder_due(due, clock.now(), None)
    last = clock.now()
    assert not comms.reminder_due(due, clock.advance(seconds=59), last)
    assert comms.reminder_due(due, clock.advance(seconds=1), last)
    assert not comms.reminder_due(None, clock.now(), None)


def test_a_new_overdue_spell_reminds_at_once(clock):
    last = clock.now()
    new_due = clock.now() + timedelta(seconds=20)
    clock.advance(seconds=20)
    assert comms.reminder_due(new_due, clock.now(), last)


def test_sending_restarts_the_cadence(demo_store, clock):
    incident = _live(demo_store)
    clock.advance(minutes=10)
    demo_store.record_update(incident.id, Audience.INTERNAL, "All good", "alice")
    assert demo_store.incident(incident.id).next_update_due == clock.now() + timedelta(minutes=15)


def test_a_snooze_moves_the_due_time_and_is_logged(demo_store, clock):
    incident = _live(demo_store)
    clock.advance(minutes=6)
    assert comms.update_due(demo_store.incident(incident.id).next_update_due, clock.now()).overdue
    snoozed = demo_store.snooze_update(incident.id, 10, "alice")
    assert snoozed.next_update_due == clock.now() + timedelta(minutes=10)
    last = demo_store.last_entry(incident.id)
    assert last.kind == EntryKind.COMMS
    assert last.text == "Status update reminder snoozed for 10 minutes"
    assert not comms.reminder_due(snoozed.next_update_due, clock.now(), clock.now())


def test_snooze_needs_a_cadence(store):
    incident = store.declare("Low", "SEV4", author="alice")
    with pytest.raises(InputError, match="no update cadence"):
        store.snooze_update(incident.id, 5, "alice")


def test_a_severity_change_recomputes_the_due_time(demo_store, clock):
    incident = _live(demo_store)
    last_sent = demo_store.status_updates(incident.id)[-1].sent_at
    changed = demo_store.set_severity(incident.id, "SEV2", "alice")
    assert changed.cadence_minutes == 30
    assert changed.next_update_due == last_sent + timedelta(minutes=30)
    state = comms.update_due(demo_store.record(incident.id), clock.now())
    assert state.label() == "next update 18:00"
    lowered = demo_store.set_severity(incident.id, "SEV4", "alice")
    assert lowered.next_update_due is None
    assert comms.update_due(demo_store.record(incident.id), clock.now()).label() == ""


def test_severity_change_without_updates_counts_from_declaring(store, clock):
    incident = store.declare("Slow search", "SEV3", author="alice")
    clock.advance(minutes=20)
    changed = store.set_severity(incident.id, "SEV1", "alice")
    assert changed.next_update_due == incident.declared_at + timedelta(minutes=15)
    assert comms.update_due(changed.next_update_due, clock.now()).overdue


@pytest.mark.parametrize("name", comms.TEMPLATE_NAMES)
def test_the_slim_record_drafts_like_the_full_one(demo_store, clock, name):
    incident = _live(demo_store)
    full = comms.draft(demo_store.record(incident.id), demo_store.config, name, clock.now())
    slim = comms.update_record(demo_store, incident.id)
    assert comms.draft(slim, demo_store.config, name, clock.now()) == full
    assert len(slim.timeline) <= 2 * comms.LATEST + 1


def test_latest_entries_skip_retracted_and_other_kinds(store):
    incident = store.declare("Disk full", "SEV2", author="alice")
    first = store.log(incident.id, "one", EntryKind.FINDING, "bob")
    store.log(incident.id, "a note", EntryKind.NOTE, "bob")
    second = store.log(incident.id, "two", EntryKind.HYPOTHESIS, "bob")
    gone = store.log(incident.id, "three", EntryKind.FINDING, "bob")
    store.retract_entry(gone.id, "bob")
    latest = store.latest_entries(incident.id, ("finding", "hypothesis"), 5)
    assert [e.id for e in latest] == [first.id, second.id]
    assert [e.text for e in store.latest_entries(incident.id, ("finding",), 1)] == ["one"]


def test_a_snooze_before_the_due_time_pushes_it_back(demo_store, clock):
    incident = _live(demo_store)
    snoozed = demo_store.snooze_update(incident.id, 5, "alice")
    assert snoozed.next_update_due == incident.next_update_due + timedelta(minutes=5)
