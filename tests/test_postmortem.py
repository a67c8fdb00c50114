from dataclasses import replace
from datetime import date, timedelta

import pytest

from icconsole.blameless import lint
from icconsole.errors import InputError
from icconsole.metrics import incident_metrics
from icconsole.models import (
    POSTMORTEM_SECTIONS,
    ActionItem,
    ActionStatus,
    EntryKind,
    PostMortemStatus,
    Status,
)
from icconsole.postmortem import (
    CRITERIA,
    HEADER_FIELDS,
    STEP_BY_KEY,
    STEPS,
    advance,
    current_step,
    cycle_knowledge,
    default_key_events,
    detection_metrics,
    draft_summary,
    gate_problems,
    key_event_rows,
    key_events,
    knowledge,
    lint_postmortem,
    open_postmortem,
    preselected_ids,
    promotable_tasks,
    promote_task,
    reopen,
    roster,
    similar_incidents,
    step_state,
    title_words,
    toggle_criterion,
    toggle_key_event,
    toggle_key_event_id,
    with_field,
    with_state,
)
from icconsole.store import new_id

# ------------------------------------------------------------------ steps


def test_steps_in_order_cover_every_section():
    assert [s.title for s in STEPS] == [
        "Header",
        "Summary",
        "Impact",
        "Lead-up and background",
        "Timeline review",
        "Detection",
        "Response and recovery",
        "Contributing factors",
        "Backlog check and recurrence",
        "Lessons learned",
        "Action items",
        "Open questions",
        "Review",
    ]
    keys = [f.key for s in STEPS for f in s.fields if f.key not in HEADER_FIELDS]
    assert sorted(keys) == sorted(POSTMORTEM_SECTIONS)
    assert [f.key for f in STEP_BY_KEY["factors"].fields] == [
        "trigger",
        "contributing_factors",
        "five_whys",
        "mitigators",
    ]


def test_questions_ask_how_and_what_never_who_or_why():
    for step in STEPS:
        assert 3 <= len(step.questions) <= 5, step.key
        assert step.guidance
        for question in step.questions:
            first = question.split()[0].lower()
            assert first not in ("who", "why"), question
            assert " why " not in f" {question.lower()} ", question
            assert question.endswith("?") or question.endswith("."), question
            assert lint(question) == [], question


# ------------------------------------------------------------------ pre-fill


@pytest.fixture
def resolved(store, clock):
    """A resolved SEV2 with an alert, a decision, a pinned note and roles."""
    incident = store.declare(
        "Checkout latency after cache deploy",
        "SEV2",
        "alice",
        author="alice",
        started_at=clock.now() - timedelta(minutes=20),
    )
    store.update_incident(incident.id, "alice", impact="12% of checkouts timed out.")
    store.log(incident.id, "p99 latency above 2s", "alert", "monitor", clock.now())
    store.assign_role(incident.id, "scribe", "bob", "alice")
    clock.advance(minutes=5)
    store.log(incident.id, "Roll back the cache deploy", "decision", "alice")
    store.log(incident.id, "latency back to normal", "finding", "bob", pinned=True)
    store.log(incident.id, "coffee", "note", "bob")
    clock.advance(minutes=10)
    store.set_status(incident.id, "mitigated", "alice")
    clock.advance(minutes=15)
    store.set_status(incident.id, "resolved", "alice")
    return store.incident(incident.id)


def test_summary_draft_from_title_severity_impact_duration(resolved, clock):
    text = draft_summary(resolved, clock.now())
    assert "SEV2" in text
    assert "Checkout latency after cache deploy" in text
    assert "lasted 50m" in text
    assert "mitigated after 35m" in text
    assert "12% of checkouts timed out." in text


def test_summary_of_an_ongoing_incident_says_so(store, clock):
    incident = store.declare("Disk full", "SEV3", "alice", author="alice")
    clock.advance(minutes=7)
    assert "has lasted 7m" in draft_summary(incident, clock.now())


def test_open_prefills_and_saves_once(store, resolved):
    pm = open_postmortem(store, resolved.id)
    assert pm.status == PostMortemStatus.DRAFT
    assert "Checkout latency" in pm.sections["summary"]
    assert pm.sections["impact"] == "12% of checkouts timed out."
    assert pm.sections["detection"].startswith("First alert at 14:30 UTC, 20m after impact")
    assert current_step(pm).key == "header"
    assert store.postmortem(resolved.id) == pm
    edited = store.save_postmortem(with_field(pm, "summary", "Mine"))
    assert open_postmortem(store, resolved.id).sections["summary"] == "Mine"
    assert edited.id == pm.id


def test_key_events_preselected_and_toggled(store, resolved):
    pm = open_postmortem(store, resolved.id)
    entries = store.entries(resolved.id)
    chosen = [e.text for e in key_events(pm, entries)]
    assert any(t.startswith("Declared SEV2") for t in chosen)  # status
    assert "Roll back the cache deploy" in chosen  # decision
    assert "latency back to normal" in chosen  # pinned
    assert any("is now Scribe" in t for t in chosen)  # role
    assert "coffee" not in chosen
    assert "p99 latency above 2s" not in chosen
    coffee = next(e for e in entries if e.text == "coffee")
    decision = next(e for e in entries if e.kind == EntryKind.DECISION)
    pm = toggle_key_event(toggle_key_event(pm, coffee, entries), decision, entries)
    chosen = [e.text for e in key_events(pm, entries)]
    assert "coffee" in chosen and "Roll back the cache deploy" not in chosen
    assert pm.state["key_events"] == [e.id for e in key_events(pm, entries)]


def test_key_events_read_from_the_store_match_the_full_timeline(store, resolved, clock):
    alert = next(e for e in store.entries(resolved.id) if e.kind == EntryKind.ALERT)
    store.set_pinned(alert.id, True)
    store.retract_entry(store.log(resolved.id, "wrong call", "decision", "bob").id, "bob")
    entries = store.entries(resolved.id)
    assert preselected_ids(store, resolved.id) == default_key_events(entries)
    pm = open_postmortem(store, resolved.id)
    assert [r.id for r in key_event_rows(store, pm)] == [e.id for e in key_events(pm, entries)]
    coffee = next(e for e in entries if e.text == "coffee")
    by_id = toggle_key_event_id(store, pm, coffee.id)
    assert by_id.state == toggle_key_event(pm, coffee, entries).state  # same, in time order
    assert toggle_key_event_id(store, by_id, coffee.id).state == pm.state
    unchosen = with_state(pm, key_events=None)  # an old post-mortem: the preselection
    assert [r.id for r in key_event_rows(store, unchosen)] == default_key_events(entries)
    assert (
        toggle_key_event_id(store, unchosen, coffee.id).state["key_events"]
        == (toggle_key_event(unchosen, coffee, entries).state["key_events"])
    )


def test_picked_rows_and_positions(store, resolved, clock):
    entries = store.entries(resolved.id)
    rows = store.entry_rows(resolved.id, 0, len(entries))
    assert [store.entry_position(resolved.id, row) for row in rows] == list(range(len(rows)))
    alert = store.picked_entry_rows(resolved.id, kinds=["alert"], limit=1)
    assert [r.text for r in alert] == ["p99 latency above 2s"]
    after = store.picked_entry_rows(resolved.id, kinds=["decision", "status"], after=alert[0])
    assert [r.kind for r in after] == ["decision", "status", "status"]
    pinned = store.picked_entry_rows(resolved.id, pinned=True)
    assert [r.text for r in pinned] == ["latency back to normal"]
    chosen = [entries[3].id, entries[0].id]
    assert [r.id for r in store.picked_entry_rows(resolved.id, ids=chosen)] == [
        entries[0].id,
        entries[3].id,
    ]
    assert store.picked_entry_rows(resolved.id) == []
    store.retract_entry(alert[0].id, "bob")
    assert store.picked_entry_rows(resolved.id, kinds=["alert"], live_only=True) == []


def test_detection_metrics_read_two_entries_only(store, resolved, clock):
    store.log(resolved.id, "second alert", "alert", "monitor", clock.now())
    full = incident_metrics(resolved, store.entries(resolved.id))
    assert detection_metrics(store, resolved) == full
    assert next(m for m in full if m.key == "acknowledge").value is not None
    first = next(e for e in store.entries(resolved.id) if e.kind == EntryKind.ALERT)
    store.retract_entry(first.id, "bob")  # the next alert counts, as in the full computation
    assert detection_metrics(store, resolved) == incident_metrics(
        resolved, store.entries(resolved.id)
    )


def test_known_then_learned_later_cycle(store, resolved):
    pm = open_postmortem(store, resolved.id)
    entry_id = store.entries(resolved.id)[0].id
    assert knowledge(pm, entry_id) is None
    pm = cycle_knowledge(pm, entry_id)
    assert knowledge(pm, entry_id) == "then"
    pm = cycle_knowledge(pm, entry_id)
    assert knowledge(pm, entry_id) == "later"
    saved = store.save_postmortem(pm)
    assert knowledge(store.postmortem(resolved.id), entry_id) == "later"
    assert knowledge(cycle_knowledge(saved, entry_id), entry_id) is None


def test_timeline_step_done_when_every_key_event_is_marked(store, resolved):
    pm = open_postmortem(store, resolved.id)
    entries = store.entries(resolved.id)
    step = STEP_BY_KEY["timeline"]
    assert step_state(step, pm, [], entries) == "empty"
    for entry in key_events(pm, entries):
        pm = cycle_knowledge(pm, entry.id)
    assert step_state(step, pm, [], entries) == "done"


def test_completion_marks(store, resolved):
    pm = open_postmortem(store, resolved.id)
    assert step_state(STEP_BY_KEY["header"], pm, []) == "empty"
    pm = with_field(pm, "attendees", "bob")
    assert step_state(STEP_BY_KEY["header"], pm, []) == "started"
    pm = with_field(pm, "facilitator", "  ivan  ")
    assert pm.facilitator == "ivan"
    assert step_state(STEP_BY_KEY["header"], pm, []) == "done"
    assert step_state(STEP_BY_KEY["summary"], pm, []) == "done"  # pre-filled
    factors = STEP_BY_KEY["factors"]
    pm = with_field(pm, "trigger", "cache deploy")
    assert step_state(factors, pm, []) == "started"
    pm = with_field(pm, "contributing_factors", "- no canary")
    assert step_state(factors, pm, []) == "done"  # five whys and mitigators are optional
    assert step_state(STEP_BY_KEY["actions"], pm, []) == "empty"


def test_unknown_section_is_refused(store, resolved):
    pm = open_postmortem(store, resolved.id)
    with pytest.raises(InputError):
        with_field(pm, "nonsense", "x")


# ------------------------------------------------------------------ recurrence


def test_similar_incidents_exclude_this_one(store, clock, resolved):
    store.declare("Cache stampede on checkout", "SEV3", "bob", author="bob")
    store.declare("Unrelated disk alarm", "SEV4", "bob", author="bob")
    other = store.declare("Slow search", "SEV3", "bob", author="bob")
    store.log(other.id, "latency rose when the cache emptied", "finding", "bob")
    found = similar_incidents(store, resolved)
    refs = [s.ref for s in found]
    assert resolved.ref not in refs
    assert refs[0] == "INC-2"  # shares "checkout" and "cache"
    assert set(found[0].shared) == {"cache", "checkout"}
    assert "INC-4" in refs and "INC-3" not in refs


def test_title_words_drop_short_and_stop_words():
    assert title_words("The API of the Cache after 500 deploy") == ["api", "cache", "deploy"]


def test_demo_recurrence_finds_nothing_similar(demo_store):
    past = demo_store.incident("INC-1")
    assert similar_incidents(demo_store, past) == []


# ------------------------------------------------------------------ lint

TRUE_POSITIVES = [
    ("We should have caught this in review.", "should have"),
    ("The on-call should've known.", "should've"),
    ("Someone shouldn't have pushed on Friday.", "shouldn't have"),
    ("Dave failed to check the pool size.", "failed to"),
    ("The operator forgot to drain the node.", "forgot to"),
    ("Root cause: human error.", "human error"),
    ("A careless change to the config.", "careless"),
    ("They didn't follow the runbook.", "didn't follow"),
    ("Why didn't anyone notice the alert?", "Why didn't"),
    ("Why wasn\u2019t the canary used?", "Why wasn\u2019t"),
    ("The engineer neglected to test it.", "neglected to"),
    ("If only we had a canary.", "If only"),
    ("It was clearly the deployer's fault.", "deployer's fault"),
    ("Obviously the pool was too big.", "Obviously"),
    ("The release team was to blame.", "to blame"),
]


@pytest.mark.parametrize(("text", "phrase"), TRUE_POSITIVES)
def test_lint_true_positives(text, phrase):
    findings = lint(text)
    assert [f.phrase for f in findings] == [phrase]
    assert findings[0].suggestion
    assert findings[0].column == text.index(phrase) + 1


FALSE_ALARMS = [
    "Should the cache expire?",
    "We should add a canary stage to the deploy.",
    "Should we page the database team sooner?",
    "The cache should have a TTL of five minutes.",
    "Each pod could have more connections than the database allows.",
    "It could have been much worse: the rotation ran on a Sunday.",
    "The rotation job failed to verify the chain.",
    "Health checks failed to detect the partial outage.",
    "A blameless review of the failover.",
    "Is the language free of blame and hindsight?",
    "Why did the pool grow? Because deploy 4512 changed its size.",
    "The service ignored the retry header.",
    "The failed deploy was rolled back.",
    "Nobody knew the limit was shared.",
]


@pytest.mark.parametrize("text", FALSE_ALARMS)
def test_lint_false_alarms(text):
    assert lint(text) == []


def test_lint_positions_across_lines():
    text = "Fine line.\nThe team forgot to page.\n  Human error too."
    findings = lint(text)
    assert [(f.line, f.column, f.phrase) for f in findings] == [
        (2, 10, "forgot to"),
        (3, 3, "Human error"),
    ]
    assert str(findings[0]).startswith("2:10: forgot to — ")


def test_roster_names_flagged_in_causes_only(store, resolved):
    names = roster(store, resolved.id)
    assert names == ["alice", "bob"]
    pm = open_postmortem(store, resolved.id)
    pm = with_field(pm, "contributing_factors", "- Bob changed the TTL\n- no canary")
    pm = with_field(pm, "went_well", "bob found the cause quickly")
    found = lint_postmortem(pm, names)
    assert list(found) == ["contributing_factors"]
    assert found["contributing_factors"][0].phrase == "Bob"
    assert "role" in found["contributing_factors"][0].suggestion


def test_names_that_are_common_words_need_a_capital():
    assert lint("a grace period of five minutes", ["grace"]) == []
    assert [f.phrase for f in lint("Grace rotated the certificate", ["grace"])] == ["Grace"]
    assert lint("alice2 and malice", ["alice"]) == []
    assert [f.phrase for f in lint("paged @heidi then heidi", ["heidi"])] == ["heidi"]


# ------------------------------------------------------------------ review gate


def _complete(pm):
    for key in (
        "summary",
        "impact",
        "detection",
        "response",
        "trigger",
        "contributing_factors",
        "went_well",
        "went_wrong",
    ):
        pm = with_field(pm, key, f"text for {key}")
    return with_field(pm, "facilitator", "ivan")


def _check_all(pm):
    for key, _ in CRITERIA:
        pm = toggle_criterion(pm, key)
    return pm


def _action(incident_id, clock, **kw):
    fields = {
        "id": new_id(),
        "incident_id": incident_id,
        "title": "Add a canary stage",
        "owner": "bob",
        "due_date": date(2026, 4, 1),
        "created_at": clock.now(),
        "updated_at": clock.now(),
        **kw,
    }
    return ActionItem(**fields)


def test_gate_needs_required_sections(store, resolved):
    pm = open_postmortem(store, resolved.id)
    expected = "sections to fill: facilitator, response, trigger, contributing factors, went well"
    with pytest.raises(InputError, match=expected):
        advance(store, pm, "ivan")
    assert store.postmortem(resolved.id).status == PostMortemStatus.DRAFT
    pm = advance(store, _complete(pm), "ivan")
    assert pm.status == PostMortemStatus.IN_REVIEW


def test_gate_needs_criteria_and_planned_actions(store, resolved, clock):
    pm = advance(store, _complete(open_postmortem(store, resolved.id)), "ivan")
    with pytest.raises(InputError, match="criteria not checked: 5 of 5"):
        advance(store, pm, "ivan")
    pm = _check_all(pm)
    store.save_action_item(_action(resolved.id, clock, owner=None))
    with pytest.raises(InputError, match="without owner or due date: 1"):
        advance(store, pm, "ivan")
    for item in store.action_items(resolved.id):
        store.save_action_item(replace(item, owner="bob"))
    pm = advance(store, pm, "ivan")
    assert pm.status == PostMortemStatus.REVIEWED


def test_publishing_closes_the_incident(store, resolved):
    pm = _check_all(_complete(open_postmortem(store, resolved.id)))
    for _ in range(3):
        pm = advance(store, pm, "ivan")
    assert pm.status == PostMortemStatus.PUBLISHED
    incident = store.incident(resolved.id)
    assert incident.status == Status.CLOSED
    assert incident.closed_at is not None
    with pytest.raises(InputError, match="already published"):
        advance(store, pm, "ivan")
    assert reopen(store, pm).status == PostMortemStatus.DRAFT
    assert store.incident(resolved.id).status == Status.CLOSED


def test_cannot_publish_an_active_incident(store, clock):
    incident = store.declare("Still burning", "SEV2", "alice", author="alice")
    pm = _check_all(_complete(open_postmortem(store, incident.id)))
    pm = advance(store, advance(store, pm, "ivan"), "ivan")
    problems = gate_problems(pm, [], incident, PostMortemStatus.PUBLISHED)
    assert problems == [f"{incident.ref} is still investigating: resolve it first"]
    with pytest.raises(InputError, match="resolve it first"):
        advance(store, pm, "ivan")
    assert store.incident(incident.id).status == Status.INVESTIGATING


def test_wont_do_and_done_items_need_no_owner(store, resolved, clock):
    pm = _check_all(_complete(open_postmortem(store, resolved.id)))
    store.save_action_item(
        _action(resolved.id, clock, owner=None, status=ActionStatus.WONT_DO, reason="too costly")
    )
    pm = advance(store, advance(store, pm, "ivan"), "ivan")
    assert pm.status == PostMortemStatus.REVIEWED


# ------------------------------------------------------------------ actions


def test_promote_tasks_once(store, resolved):
    store.add_task(resolved.id, "Add canary stage for cache deploys", "alice", owner="bob")
    tasks = store.tasks(resolved.id)
    candidates = promotable_tasks(tasks, [])
    assert [t.title for t in candidates] == ["Add canary stage for cache deploys"]
    item = promote_task(store, candidates[0])
    assert item.owner == "bob" and item.source_task_id == candidates[0].id
    assert promotable_tasks(tasks, store.action_items(resolved.id)) == []


# ------------------------------------------------------------------ autosave and resume


def test_state_resumes_step_and_field(store, resolved):
    pm = open_postmortem(store, resolved.id)
    pm = with_state(
        with_field(pm, "leadup", "a cache deploy at 14:00"), step="leadup", field="leadup"
    )
    store.save_postmortem(pm)
    again = open_postmortem(store, resolved.id)
    assert current_step(again).key == "leadup"
    assert again.state["field"] == "leadup"
    assert again.sections["leadup"] == "a cache deploy at 14:00"


def test_unknown_step_in_state_falls_back_to_first(store, resolved):
    pm = with_state(open_postmortem(store, resolved.id), step="gone")
    assert current_step(pm).key == "header"


def test_export_reads_the_same_key_events(store, resolved):
    from icconsole.export import key_events as exported_key_events

    pm = open_postmortem(store, resolved.id)
    entries = store.entries(resolved.id)
    coffee = next(e for e in entries if e.text == "coffee")
    store.save_postmortem(toggle_key_event(pm, coffee, entries))
    record = store.record(resolved.id)
    mine = key_events(record.postmortem, record.timeline)
    assert [e.id for e in exported_key_events(record)] == [e.id for e in mine]
    assert "coffee" in [e.text for e in mine]
