"""The guided post-mortem: wizard steps with guidance and interview questions, pre-fill from
the record, key events, recurrence search, completion marks and the review gate."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from icconsole.blameless import Finding, lint
from icconsole.clock import format_short
from icconsole.errors import InputError
from icconsole.metrics import Metric, incident_metrics
from icconsole.models import (
    POSTMORTEM_SECTIONS,
    ActionItem,
    ActionStatus,
    EntryKind,
    Incident,
    PostMortem,
    PostMortemStatus,
    Status,
    Task,
    TimelineEntry,
)
from icconsole.store import EntryRow, Store, new_id

HEADER_FIELDS = ("facilitator", "attendees", "authors")
# Sections where people's names are flagged: causes are conditions, not persons.
CAUSE_SECTIONS = ("trigger", "contributing_factors", "five_whys")
REQUIRED_SECTIONS = (
    "summary",
    "impact",
    "detection",
    "response",
    "trigger",
    "contributing_factors",
    "went_well",
    "went_wrong",
)
KEY_EVENT_KINDS = (EntryKind.DECISION, EntryKind.STATUS, EntryKind.ROLE)
KNOWN_THEN = "then"
LEARNED_LATER = "later"
KNOWLEDGE_LABELS = {KNOWN_THEN: "known then", LEARNED_LATER: "learned later"}


@dataclass(frozen=True)
class FieldDef:
    """One editor field: a section key (or a header field), its label, one line or many."""

    key: str
    label: str
    multiline: bool = True
    placeholder: str = ""


@dataclass(frozen=True)
class Step:
    """One wizard step. `kind` is text, timeline, actions or review."""

    key: str
    title: str
    guidance: str
    questions: tuple[str, ...]
    fields: tuple[FieldDef, ...] = ()
    kind: str = "text"


STEPS: tuple[Step, ...] = (
    Step(
        "header",
        "Header",
        "Name the facilitator, everyone taking part and who writes it up. The facilitator "
        "keeps the conversation blameless and is ideally not one of the responders.",
        (
            "Which roles were held during the incident, and is each of them in the room?",
            "Which views are missing: support, customers, the team that owns the trigger?",
            "How will the draft reach people before the meeting?",
        ),
        (
            FieldDef("facilitator", "Facilitator", False, "who runs the review"),
            FieldDef("attendees", "Attendees", False, "comma-separated names"),
            FieldDef("authors", "Authors", False, "who writes the document"),
        ),
    ),
    Step(
        "summary",
        "Summary",
        "Two to four sentences a busy reader can stop after: what happened, the effect on "
        "users, how long, and how it ended. A draft from the record is filled in for you.",
        (
            "In a few sentences, what happened and what did users experience?",
            "What state was the system in before, during and after?",
            "How long did it last, and what brought it to an end?",
        ),
        (FieldDef("summary", "Summary"),),
    ),
    Step(
        "impact",
        "Impact",
        "Who was affected, how many, for how long, and what it cost. Prefer figures with "
        "their source over adjectives.",
        (
            "What could users or customers not do, and for how long?",
            "How many people, requests, orders or accounts were affected?",
            "What did it cost: revenue, service credits, support tickets, data?",
            "Which internal teams felt the effect, and how?",
        ),
        (FieldDef("impact", "Impact"),),
    ),
    Step(
        "leadup",
        "Lead-up and background",
        "The context a reader needs: recent changes, the state of the system and the "
        "pressures people worked under before impact began.",
        (
            "What changes, events or conditions came before the incident?",
            "What did the system look like just before impact began?",
            "What pressures (deadlines, staffing, load) shaped the work at the time?",
            "What did the people involved expect to happen next?",
        ),
        (FieldDef("leadup", "Lead-up and background"),),
    ),
    Step(
        "timeline",
        "Timeline review",
        "Walk the record together. Pinned entries, decisions, status and role changes are "
        "preselected as key events: include or leave out each one, and mark whether it was "
        "known then or learned later.",
        (
            "Which moments changed the direction of the response?",
            "At each decision, what did people know then, and what came to light later?",
            "What made sense to the people involved at that moment?",
            "What happened that the record does not show?",
        ),
        (FieldDef("timeline", "Timeline notes"),),
        kind="timeline",
    ),
    Step(
        "detection",
        "Detection",
        "How the problem came to light and how long that took. The metrics below are "
        "computed from the incident's times; each states what it measures.",
        (
            "How did we find out: an alert, a customer, a person noticing?",
            "What happened between impact beginning and someone knowing?",
            "Which signals were present but not noticed, and what made them easy to miss?",
            "What signal could tell us sooner next time?",
        ),
        (FieldDef("detection", "Detection"),),
    ),
    Step(
        "response",
        "Response and recovery",
        "How the response was organised and how service came back: roles, tools, "
        "communication, and what sped things up or slowed them down.",
        (
            "How was the response organised, and how did the roles work out?",
            "What slowed the response down, and what sped it up?",
            "Which tools, runbooks or dashboards helped, and which were missing or misleading?",
            "How did the team decide it was mitigated, and then resolved?",
        ),
        (FieldDef("response", "Response and recovery"),),
    ),
    Step(
        "factors",
        "Contributing factors",
        "Name the trigger, then the conditions that let it do harm: a list of contributing "
        "factors, not one root cause. Describe conditions and roles, not people.",
        (
            "What event set things in motion?",
            "What conditions allowed that event to cause harm? List several.",
            "How did each condition come to be? Follow the chain with how and what.",
            "What limited the damage, and what kept it from being worse?",
        ),
        (
            FieldDef("trigger", "Trigger"),
            FieldDef("contributing_factors", "Contributing factors (one per line)"),
            FieldDef("five_whys", "Five whys (optional)"),
            FieldDef("mitigators", "Mitigators"),
        ),
    ),
    Step(
        "backlog",
        "Backlog check and recurrence",
        "Look for known work that touches these conditions, and for earlier incidents like "
        "this one. Similar incidents in this file are listed below.",
        (
            "What known work in the backlog touches these conditions, and what kept it waiting?",
            "Has something like this happened before, here or elsewhere?",
            "What did we learn last time, and how did it carry over?",
        ),
        (
            FieldDef("backlog", "Backlog check"),
            FieldDef("recurrence", "Recurrence"),
        ),
    ),
    Step(
        "lessons",
        "Lessons learned",
        "What went well, what went wrong, and where the team got lucky. Luck is a risk "
        "worth naming: it will not always be there.",
        (
            "What went well that we want to keep doing?",
            "What went wrong, or was harder than it needed to be?",
            "Where did we get lucky: what could have turned out worse?",
            "What surprised people?",
        ),
        (
            FieldDef("went_well", "Went well"),
            FieldDef("went_wrong", "Went wrong"),
            FieldDef("got_lucky", "Got lucky"),
        ),
    ),
    Step(
        "actions",
        "Action items",
        "Specific, owned, dated changes: prevent, mitigate, detect, process. Tasks created "
        "during the incident can be promoted.",
        (
            "What change would stop this trigger or these conditions?",
            "What would detect it sooner or limit the damage next time?",
            "What process or training change are people asking for?",
            "Does each item have an owner, a due date and a ticket?",
        ),
        kind="actions",
    ),
    Step(
        "questions",
        "Open questions",
        "What the review could not answer yet, so it is not lost.",
        (
            "What do we still not understand?",
            "What needs more data, or another team's view?",
            "What did the review raise that it could not settle?",
        ),
        (FieldDef("open_questions", "Open questions"),),
    ),
    Step(
        "review",
        "Review",
        "Check the criteria together, then move the status on: draft, in review, reviewed, "
        "published. Publishing closes the incident.",
        (
            "Does the document tell the story to someone who was not there?",
            "Is the language free of blame and hindsight?",
            "Are the action items specific, owned and dated?",
            "Which teams and stakeholders should read this before it is published?",
        ),
        kind="review",
    ),
)
STEP_BY_KEY = {step.key: step for step in STEPS}

# Review criteria: (state key, label).
CRITERIA: tuple[tuple[str, str], ...] = (
    ("data", "Key data collected: timeline, metrics, impact figures"),
    ("impact", "Impact complete: who, how many, how long, a business figure"),
    ("causes", "Causes explored deeply enough: trigger and several contributing factors"),
    ("actions", "Action plan appropriate, with owners and due dates"),
    ("shared", "Shared with stakeholders for comment"),
)
STATUS_ORDER = list(PostMortemStatus)


# ------------------------------------------------------------------ pre-fill


def incident_duration(incident: Incident, now: datetime) -> str:
    """From impact beginning to resolution (or to now, while it lasts)."""
    end = incident.resolved_at or (None if incident.is_active else incident.closed_at) or now
    return format_short(end - incident.started_at)


def draft_summary(incident: Incident, now: datetime) -> str:
    """A first summary from title, severity, impact and duration, for the facilitator to edit."""
    day = incident.started_at.strftime("%Y-%m-%d")
    ongoing = incident.resolved_at is None and incident.is_active
    lasted = "has lasted" if ongoing else "lasted"
    text = (
        f"On {day}, a {incident.severity} incident, \u201c{incident.title}\u201d, "
        f"{lasted} {incident_duration(incident, now)} from when impact began"
    )
    if incident.mitigated_at:
        text += f" (mitigated after {format_short(incident.mitigated_at - incident.started_at)})"
    text += "."
    if incident.impact:
        text += f" Impact: {incident.impact.rstrip('.')}."
    if incident.summary:
        text += f" {incident.summary}"
    return text


def draft_detection(entries: list[TimelineEntry], incident: Incident) -> str:
    """The first alert on the record, if any, as a starting point for the detection section."""
    alert = next(
        (e for e in entries if e.kind == EntryKind.ALERT and not e.retracted),
        None,
    )
    if alert is None:
        return ""
    after = format_short(alert.occurred_at - incident.started_at)
    return (
        f"First alert at {_clock(alert.occurred_at)} UTC, {after} after impact began: {alert.text}"
    )


def _first_alert(store: Store, incident_id: str) -> list[EntryRow]:
    return store.picked_entry_rows(incident_id, kinds=[EntryKind.ALERT], live_only=True, limit=1)


def new_postmortem(store: Store, incident: Incident) -> PostMortem:
    """A draft with the summary, impact and detection pre-filled from the record. Reads only
    the entries it needs (the first alert, the key events): cheap on a long timeline."""
    now = store.now()
    alert = [store.entry(row.id) for row in _first_alert(store, incident.id)]
    sections = dict.fromkeys(POSTMORTEM_SECTIONS, "")
    sections["summary"] = draft_summary(incident, now)
    sections["impact"] = incident.impact
    sections["detection"] = draft_detection(alert, incident)
    return PostMortem.validated(
        id=new_id(),
        incident_id=incident.id,
        sections=sections,
        state={
            "step": STEPS[0].key,
            "key_events": preselected_ids(store, incident.id),
            "knowledge": {},
            "criteria": dict.fromkeys((key for key, _ in CRITERIA), False),
        },
        created_at=now,
        updated_at=now,
    )


def open_postmortem(store: Store, incident_id: str) -> PostMortem:
    """The incident's post-mortem, started (pre-filled and saved) on first use."""
    existing = store.postmortem(incident_id)
    if existing is not None:
        return existing
    return store.save_postmortem(new_postmortem(store, store.incident(incident_id)))


# ------------------------------------------------------------------ fields and state


def field_value(pm: PostMortem, key: str) -> str:
    if key in HEADER_FIELDS:
        return getattr(pm, key)
    return pm.sections.get(key, "")


def with_field(pm: PostMortem, key: str, value: str) -> PostMortem:
    """A copy with one header field or section changed (validated: control chars removed)."""
    if key in HEADER_FIELDS:
        return replace(pm, **{key: " ".join(value.split())})
    if key not in POSTMORTEM_SECTIONS:
        raise InputError(f"no post-mortem section {key!r}")
    return replace(pm, sections={**pm.sections, key: value})


def with_state(pm: PostMortem, **changes: Any) -> PostMortem:
    return replace(pm, state={**pm.state, **changes})


def current_step(pm: PostMortem) -> Step:
    return STEP_BY_KEY.get(str(pm.state.get("step")), STEPS[0])


# ------------------------------------------------------------------ key events


def _preselected(entry: TimelineEntry | EntryRow) -> bool:
    return bool(entry.pinned or entry.kind in KEY_EVENT_KINDS) and not entry.retracted


def default_key_events(entries: list[TimelineEntry]) -> list[str]:
    """Ids of pinned entries, decisions, status and role changes: preselected."""
    return [e.id for e in entries if _preselected(e)]


def _preselected_rows(store: Store, incident_id: str) -> list[EntryRow]:
    return store.picked_entry_rows(incident_id, kinds=KEY_EVENT_KINDS, pinned=True, live_only=True)


def preselected_ids(store: Store, incident_id: str) -> list[str]:
    """`default_key_events` read straight from the store, without the other entries."""
    return [row.id for row in _preselected_rows(store, incident_id)]


def key_event_rows(store: Store, pm: PostMortem) -> list[EntryRow]:
    """The key events as light rows in time order, read without the other entries."""
    chosen = chosen_key_events(pm)
    if chosen is None:
        return _preselected_rows(store, pm.incident_id)
    return store.picked_entry_rows(pm.incident_id, ids=chosen)


def chosen_key_events(pm: PostMortem) -> list[str] | None:
    """The ids in `state["key_events"]`, or None while nobody has chosen (preselection)."""
    chosen = pm.state.get("key_events")
    return [str(item) for item in chosen] if isinstance(chosen, list) else None


def _chosen_ids(pm: PostMortem, entries: list[TimelineEntry]) -> list[str]:
    chosen = chosen_key_events(pm)
    return default_key_events(entries) if chosen is None else chosen


def is_key_event(pm: PostMortem, entry: TimelineEntry) -> bool:
    """Chosen in `state["key_events"]` (a list of entry ids), else preselected."""
    chosen = pm.state.get("key_events")
    if isinstance(chosen, list):
        return entry.id in chosen
    return _preselected(entry)


def is_key_row(chosen: set[str] | None, row: TimelineEntry | EntryRow) -> bool:
    """`is_key_event` for a drawn row, given `chosen_key_events` as a set (fast per line)."""
    return row.id in chosen if chosen is not None else _preselected(row)


def knowledge(pm: PostMortem, entry_id: str) -> str | None:
    """ "then" (known then), "later" (learned later) or None (not marked)."""
    mark = pm.state.get("knowledge", {}).get(entry_id)
    return mark if mark in KNOWLEDGE_LABELS else None


def knowledge_marks(pm: PostMortem) -> dict[str, str]:
    """Every entry's `knowledge` mark, for drawing many lines."""
    marks = pm.state.get("knowledge", {})
    return {str(k): v for k, v in marks.items() if v in KNOWLEDGE_LABELS}


def toggle_key_event(
    pm: PostMortem, entry: TimelineEntry, entries: list[TimelineEntry]
) -> PostMortem:
    """Include or leave out one entry; the list stays in time order."""
    chosen = set(_chosen_ids(pm, entries)) ^ {entry.id}
    return with_state(pm, key_events=[e.id for e in entries if e.id in chosen])


def toggle_key_event_id(store: Store, pm: PostMortem, entry_id: str) -> PostMortem:
    """`toggle_key_event` by id, reading only the chosen entries (to keep them in time
    order) from the store: cheap however long the timeline is."""
    chosen = chosen_key_events(pm)
    if chosen is None:
        chosen = preselected_ids(store, pm.incident_id)
    wanted = set(chosen) ^ {entry_id}
    rows = store.picked_entry_rows(pm.incident_id, ids=wanted) if wanted else []
    return with_state(pm, key_events=[row.id for row in rows])


def cycle_knowledge(pm: PostMortem, entry_id: str) -> PostMortem:
    """Not marked -> known then -> learned later -> not marked."""
    order = [None, KNOWN_THEN, LEARNED_LATER]
    following = order[(order.index(knowledge(pm, entry_id)) + 1) % len(order)]
    marks = {**pm.state.get("knowledge", {})}
    if following is None:
        marks.pop(entry_id, None)
    else:
        marks[entry_id] = following
    return with_state(pm, knowledge=marks)


def key_events(pm: PostMortem, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """The entries chosen as key events, in time order."""
    chosen = chosen_key_events(pm)
    wanted = None if chosen is None else set(chosen)
    return [e for e in entries if is_key_row(wanted, e)]


def detection_metrics(store: Store, incident: Incident) -> list[Metric]:
    """`incident_metrics` with the time to acknowledge, reading only the two entries that
    decide it (the first alert and the first other entry after it)."""
    decisive = _first_alert(store, incident.id)
    if decisive:
        others = [kind for kind in EntryKind if kind != EntryKind.ALERT]
        decisive += store.picked_entry_rows(
            incident.id, kinds=others, live_only=True, after=decisive[0], limit=1
        )
    return incident_metrics(incident, [store.entry(row.id) for row in decisive])


def _clock(value: datetime) -> str:
    return value.strftime("%H:%M")


# ------------------------------------------------------------------ recurrence

_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "after",
        "before",
        "by",
        "is",
        "are",
        "was",
        "were",
        "be",
        "not",
        "no",
        "into",
        "over",
        "under",
        "during",
        "via",
    ]
)
_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Similar:
    """An earlier incident that shares words with this one's title."""

    incident_id: str
    ref: str
    title: str
    shared: tuple[str, ...]


def title_words(title: str) -> list[str]:
    words = [w.casefold() for w in _WORD.findall(title)]
    seen: dict[str, None] = {}
    for word in words:
        if len(word) > 2 and word not in _STOPWORDS and not word.isdigit():
            seen.setdefault(word)
    return list(seen)


def similar_incidents(store: Store, incident: Incident, limit: int = 5) -> list[Similar]:
    """Other incidents in this file whose title or timeline mention words of this title;
    the most shared words first."""
    shared: dict[str, set[str]] = {}
    titles: dict[str, tuple[str, str]] = {}
    for word in title_words(incident.title):
        for hit in store.search(word, limit=200):
            if hit.incident_id == incident.id:
                continue
            shared.setdefault(hit.incident_id, set()).add(word)
            titles[hit.incident_id] = (hit.ref, hit.title)
    ranked = sorted(shared, key=lambda i: (-len(shared[i]), titles[i][0]))
    return [
        Similar(i, titles[i][0], titles[i][1], tuple(sorted(shared[i]))) for i in ranked[:limit]
    ]


# ------------------------------------------------------------------ lint


def roster(store: Store, incident_id: str) -> list[str]:
    """Everyone who held a role on the incident."""
    return sorted({a.person for a in store.roles(incident_id, current_only=False)})


def lint_section(key: str, text: str, names: list[str]) -> list[Finding]:
    """Blame and hindsight everywhere; names of people only among the causes."""
    return lint(text, names if key in CAUSE_SECTIONS else ())


def lint_postmortem(pm: PostMortem, names: list[str]) -> dict[str, list[Finding]]:
    """Findings per section, only for sections that have some."""
    found = {key: lint_section(key, pm.sections.get(key, ""), names) for key in POSTMORTEM_SECTIONS}
    return {key: findings for key, findings in found.items() if findings}


# ------------------------------------------------------------------ actions


def promotable_tasks(tasks: list[Task], items: list[ActionItem]) -> list[Task]:
    """Tasks from the incident (not from a checklist) that are not action items yet."""
    promoted = {item.source_task_id for item in items if item.source_task_id}
    return [t for t in tasks if not t.source.startswith("checklist") and t.id not in promoted]


def promote_task(store: Store, task: Task) -> ActionItem:
    now = store.now()
    return store.save_action_item(
        ActionItem.validated(
            id=new_id(),
            incident_id=task.incident_id,
            title=task.title,
            owner=task.owner,
            source_task_id=task.id,
            created_at=now,
            updated_at=now,
        )
    )


def unplanned_actions(items: list[ActionItem]) -> list[ActionItem]:
    """Open action items without an owner or a due date."""
    return [
        i for i in items if i.status == ActionStatus.OPEN and (not i.owner or i.due_date is None)
    ]


# ------------------------------------------------------------------ completion


def step_state(
    step: Step,
    pm: PostMortem,
    items: list[ActionItem],
    entries: list[TimelineEntry] | None = None,
) -> str:
    """ "done", "started" or "empty": the completion mark of one step. `entries` matter
    only while nobody has chosen key events (an old post-mortem without the list)."""
    if step.kind == "review":
        return _review_state(pm)
    if step.kind == "actions":
        if not items:
            return "empty"
        return "started" if unplanned_actions(items) else "done"
    filled = [bool(field_value(pm, f.key).strip()) for f in step.fields]
    if step.kind == "timeline":
        chosen = chosen_key_events(pm)
        if chosen is None and entries is not None:
            chosen = default_key_events(entries)
        if chosen is not None:
            if chosen and all(knowledge(pm, entry_id) for entry_id in chosen):
                return "done"
            return "started" if any(filled) or pm.state.get("knowledge") else "empty"
    required = [f.key for f in step.fields if f.key in REQUIRED_SECTIONS or f.key == "facilitator"]
    if required:
        if all(field_value(pm, key).strip() for key in required):
            return "done"
    elif all(filled):
        return "done"
    return "started" if any(filled) else "empty"


def _review_state(pm: PostMortem) -> str:
    if pm.status == PostMortemStatus.PUBLISHED:
        return "done"
    return "started" if any(pm.state.get("criteria", {}).values()) else "empty"


# ------------------------------------------------------------------ review gate


def criteria(pm: PostMortem) -> list[tuple[str, str, bool]]:
    checked = pm.state.get("criteria", {})
    return [(key, label, bool(checked.get(key))) for key, label in CRITERIA]


def toggle_criterion(pm: PostMortem, key: str) -> PostMortem:
    if key not in dict(CRITERIA):
        raise InputError(f"no review criterion {key!r}")
    checked = {**pm.state.get("criteria", {})}
    checked[key] = not checked.get(key, False)
    return with_state(pm, criteria=checked)


def missing_sections(pm: PostMortem) -> list[str]:
    missing = [key for key in REQUIRED_SECTIONS if not pm.sections.get(key, "").strip()]
    if not pm.facilitator:
        missing.insert(0, "facilitator")
    return missing


def next_status(status: PostMortemStatus) -> PostMortemStatus | None:
    index = STATUS_ORDER.index(status)
    return STATUS_ORDER[index + 1] if index + 1 < len(STATUS_ORDER) else None


def gate_problems(
    pm: PostMortem, items: list[ActionItem], incident: Incident, target: PostMortemStatus
) -> list[str]:
    """Why the post-mortem cannot move to `target` yet; empty when it can."""
    problems = []
    missing = missing_sections(pm)
    if missing:
        problems.append("sections to fill: " + ", ".join(k.replace("_", " ") for k in missing))
    if target in (PostMortemStatus.REVIEWED, PostMortemStatus.PUBLISHED):
        unchecked = [label for key, label, done in criteria(pm) if not done]
        if unchecked:
            problems.append(f"criteria not checked: {len(unchecked)} of {len(CRITERIA)}")
        unplanned = unplanned_actions(items)
        if unplanned:
            problems.append(f"open action items without owner or due date: {len(unplanned)}")
    if target == PostMortemStatus.PUBLISHED and incident.is_active:
        problems.append(f"{incident.ref} is still {incident.status.value}: resolve it first")
    return problems


def advance(store: Store, pm: PostMortem, author: str) -> PostMortem:
    """Move to the next status when the gate allows; publishing closes the incident."""
    target = next_status(pm.status)
    if target is None:
        raise InputError("the post-mortem is already published")
    incident = store.incident(pm.incident_id)
    problems = gate_problems(pm, store.action_items(pm.incident_id), incident, target)
    if problems:
        raise InputError(f"cannot move to {target.value}: " + "; ".join(problems))
    saved = store.save_postmortem(replace(pm, status=target))
    if target == PostMortemStatus.PUBLISHED and incident.status != Status.CLOSED:
        store.set_status(incident.id, Status.CLOSED, author)
    return saved


def reopen(store: Store, pm: PostMortem) -> PostMortem:
    """Back to draft, for more work; the incident's status is left as it is."""
    if pm.status == PostMortemStatus.DRAFT:
        raise InputError("the post-mortem is already a draft")
    return store.save_postmortem(replace(pm, status=PostMortemStatus.DRAFT))
