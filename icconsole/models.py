"""The incident record: plain dataclasses and enums shared by the store, CLI, TUI and export.

Records are validated where data comes in (`Record.validated`, the store's writes, imports),
by pydantic, imported only then: reading and showing records, which is all that opening the
cockpit does, never loads it. Each field's checks are one `Check` in its annotation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from icconsole.sanitize import clean_line, clean_text

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_NAME = 100


class Status(StrEnum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_active(self) -> bool:
        return self in (Status.INVESTIGATING, Status.IDENTIFIED, Status.MITIGATED)


# The lifecycle time each status stamps on the incident when first reached.
STATUS_STAMP: dict[Status, str] = {
    Status.MITIGATED: "mitigated_at",
    Status.RESOLVED: "resolved_at",
    Status.CLOSED: "closed_at",
}


class EntryKind(StrEnum):
    NOTE = "note"
    DECISION = "decision"
    ACTION = "action"
    HYPOTHESIS = "hypothesis"
    FINDING = "finding"
    COMMS = "comms"
    STATUS = "status"
    SEVERITY = "severity"
    ROLE = "role"
    TASK = "task"
    ALERT = "alert"


class TaskStatus(StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    SKIPPED = "skipped"

    @property
    def is_open(self) -> bool:
        return self in (TaskStatus.TODO, TaskStatus.DOING)


class Audience(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"
    EXECUTIVE = "executive"


class PostMortemStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in review"
    REVIEWED = "reviewed"
    PUBLISHED = "published"


class ActionType(StrEnum):
    PREVENT = "prevent"
    MITIGATE = "mitigate"
    DETECT = "detect"
    PROCESS = "process"
    OTHER = "other"


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    WONT_DO = "won't do"


class Check:
    """The checks of one field, in order: functions run on the value (as pydantic's
    `AfterValidator`), dicts of constraints (as `Field(...)`; first, they bound the text as
    given). Read by pydantic, and built into its validators, only when a record is
    validated."""

    def __init__(self, *steps: Callable[[Any], Any] | dict[str, Any]) -> None:
        self.steps = steps

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import AfterValidator, Field

        metadata = [Field(**s) if isinstance(s, dict) else AfterValidator(s) for s in self.steps]
        return handler(Annotated[source, *metadata])


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp must carry a time zone")
    return value.astimezone(UTC)


def _optional_utc(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


def _non_empty_title(value: str) -> str:
    if not value:
        raise ValueError("title must not be empty")
    if len(value) > MAX_TITLE:
        raise ValueError(f"title must be at most {MAX_TITLE} characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("entry text must not be empty")
    return value


UtcTime = Annotated[datetime, Check(_utc)]
OptionalUtcTime = Annotated[datetime | None, Check(_optional_utc)]
Title = Annotated[str, Check(clean_line, {"max_length": MAX_TITLE * 4}, _non_empty_title)]
Name = Annotated[str, Check(clean_line)]
PersonName = Annotated[str, Check({"min_length": 1, "max_length": MAX_NAME}, clean_line)]
Text = Annotated[str, Check(clean_text)]
Positive = Annotated[int, Check({"ge": 1})]


@dataclass(kw_only=True)
class Record:
    """Common to every row: a UUID key and a creation time."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    id: Annotated[str, Check({"min_length": 1, "max_length": 64})]
    created_at: UtcTime

    @classmethod
    def validated(cls, **values: Any) -> Self:
        """A record of this type from `values`, checked and converted (text cleaned, times in
        UTC, strings to enums); a bad value raises `RecordError` naming the field."""
        from icconsole.validation import validated

        return validated(cls, values)

    def values(self) -> dict[str, Any]:
        """Every field's value, by name, in field order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(kw_only=True)
class Incident(Record):
    ref: str
    number: Positive
    title: Title
    summary: Text = ""
    impact: Text = ""
    severity: str
    status: Status = Status.INVESTIGATING
    drill: bool = False
    started_at: UtcTime
    detected_at: OptionalUtcTime = None
    declared_at: UtcTime
    mitigated_at: OptionalUtcTime = None
    resolved_at: OptionalUtcTime = None
    closed_at: OptionalUtcTime = None
    cadence_minutes: Positive | None = None
    next_update_due: OptionalUtcTime = None
    updated_at: UtcTime

    @property
    def is_active(self) -> bool:
        return self.status.is_active


@dataclass(kw_only=True)
class RoleAssignment(Record):
    incident_id: str
    role: str
    person: PersonName
    assigned_at: UtcTime
    relieved_at: OptionalUtcTime = None


@dataclass(kw_only=True)
class EntryRevision(Record):
    entry_id: str
    text: Text
    author: Name


@dataclass(kw_only=True)
class TimelineEntry(Record):
    incident_id: str
    seq: Positive
    occurred_at: UtcTime
    recorded_at: UtcTime
    kind: EntryKind = EntryKind.NOTE
    author: Annotated[str, Check({"max_length": MAX_NAME}, clean_line)]
    text: Annotated[str, Check({"max_length": MAX_TEXT}, clean_text, _not_blank)]
    pinned: bool = False
    revisions: Annotated[int, Check({"ge": 0})] = 0
    retracted_at: OptionalUtcTime = None
    updated_at: UtcTime

    @property
    def edited(self) -> bool:
        return self.revisions > 0

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None


@dataclass(kw_only=True)
class Task(Record):
    incident_id: str
    seq: Positive
    title: Title
    owner: Name | None = None
    status: TaskStatus = TaskStatus.TODO
    check_back_at: OptionalUtcTime = None
    source: str = "manual"
    done_at: OptionalUtcTime = None
    updated_at: UtcTime


@dataclass(kw_only=True)
class StatusUpdate(Record):
    incident_id: str
    audience: Audience
    body: Annotated[str, Check({"min_length": 1, "max_length": MAX_TEXT * 2}, clean_text)]
    author: Name
    sent_at: UtcTime


@dataclass(kw_only=True)
class Handoff(Record):
    incident_id: str
    from_person: Name | None = None
    to_person: PersonName
    brief: Text
    acknowledged_at: UtcTime


# The post-mortem's written sections, in the order the wizard asks for them.
POSTMORTEM_SECTIONS: tuple[str, ...] = (
    "summary",
    "impact",
    "leadup",
    "timeline",
    "detection",
    "response",
    "trigger",
    "contributing_factors",
    "five_whys",
    "mitigators",
    "backlog",
    "recurrence",
    "went_well",
    "went_wrong",
    "got_lucky",
    "open_questions",
)


@dataclass(kw_only=True)
class PostMortem(Record):
    incident_id: str
    status: PostMortemStatus = PostMortemStatus.DRAFT
    facilitator: Name = ""
    attendees: Name = ""
    authors: Name = ""
    sections: dict[str, Text] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    updated_at: UtcTime


def _trimmed(value: str) -> str:
    return value.strip()


@dataclass(kw_only=True)
class ActionItem(Record):
    incident_id: str
    title: Title
    type: ActionType = ActionType.OTHER
    priority: Priority = Priority.P2
    owner: Name | None = None
    due_date: date | None = None
    ticket: Name | None = None
    status: ActionStatus = ActionStatus.OPEN
    reason: Annotated[str, Check(clean_text, _trimmed)] = ""
    source_task_id: str | None = None
    updated_at: UtcTime


@dataclass(kw_only=True)
class IncidentRecord:
    """One incident with everything attached: the shape of `show --json` and JSON export."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    incident: Incident
    roles: list[RoleAssignment] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    revisions: list[EntryRevision] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    status_updates: list[StatusUpdate] = field(default_factory=list)
    handoffs: list[Handoff] = field(default_factory=list)
    postmortem: PostMortem | None = None
    action_items: list[ActionItem] = field(default_factory=list)
