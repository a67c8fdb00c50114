"""The incident record: pydantic models and enums shared by the store, CLI, TUI and export."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

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


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp must carry a time zone")
    return value.astimezone(UTC)


def _optional_utc(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


UtcTime = Annotated[datetime, AfterValidator(_utc)]
OptionalUtcTime = Annotated[datetime | None, AfterValidator(_optional_utc)]
Title = Annotated[str, AfterValidator(clean_line), Field(max_length=MAX_TITLE * 4)]
Name = Annotated[str, AfterValidator(clean_line)]
Text = Annotated[str, AfterValidator(clean_text)]


def _non_empty_title(value: str) -> str:
    if not value:
        raise ValueError("title must not be empty")
    if len(value) > MAX_TITLE:
        raise ValueError(f"title must be at most {MAX_TITLE} characters")
    return value


class Record(BaseModel):
    """Common to every row: a UUID key and a creation time."""

    # Validators are built on first use: `icconsole log` needs two models, not all of them.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    id: str = Field(min_length=1, max_length=64)
    created_at: UtcTime


class Incident(Record):
    ref: str
    number: int = Field(ge=1)
    title: Annotated[Title, AfterValidator(_non_empty_title)]
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
    cadence_minutes: int | None = Field(default=None, ge=1)
    next_update_due: OptionalUtcTime = None
    updated_at: UtcTime

    @property
    def is_active(self) -> bool:
        return self.status.is_active


class RoleAssignment(Record):
    incident_id: str
    role: str
    person: Name = Field(min_length=1, max_length=MAX_NAME)
    assigned_at: UtcTime
    relieved_at: OptionalUtcTime = None


class EntryRevision(Record):
    entry_id: str
    text: Text
    author: Name


class TimelineEntry(Record):
    incident_id: str
    seq: int = Field(ge=1)
    occurred_at: UtcTime
    recorded_at: UtcTime
    kind: EntryKind = EntryKind.NOTE
    author: Name = Field(max_length=MAX_NAME)
    text: Text = Field(max_length=MAX_TEXT)
    pinned: bool = False
    revisions: int = Field(default=0, ge=0)
    retracted_at: OptionalUtcTime = None
    updated_at: UtcTime

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("entry text must not be empty")
        return value

    @property
    def edited(self) -> bool:
        return self.revisions > 0

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None


class Task(Record):
    incident_id: str
    seq: int = Field(ge=1)
    title: Annotated[Title, AfterValidator(_non_empty_title)]
    owner: Name | None = None
    status: TaskStatus = TaskStatus.TODO
    check_back_at: OptionalUtcTime = None
    source: str = "manual"
    done_at: OptionalUtcTime = None
    updated_at: UtcTime


class StatusUpdate(Record):
    incident_id: str
    audience: Audience
    body: Text = Field(min_length=1, max_length=MAX_TEXT * 2)
    author: Name
    sent_at: UtcTime


class Handoff(Record):
    incident_id: str
    from_person: Name | None = None
    to_person: Name = Field(min_length=1, max_length=MAX_NAME)
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


class PostMortem(Record):
    incident_id: str
    status: PostMortemStatus = PostMortemStatus.DRAFT
    facilitator: Name = ""
    attendees: Name = ""
    authors: Name = ""
    sections: dict[str, Text] = Field(default_factory=dict)
    state: dict[str, Any] = Field(default_factory=dict)
    updated_at: UtcTime


class ActionItem(Record):
    incident_id: str
    title: Annotated[Title, AfterValidator(_non_empty_title)]
    type: ActionType = ActionType.OTHER
    priority: Priority = Priority.P2
    owner: Name | None = None
    due_date: date | None = None
    ticket: Name | None = None
    status: ActionStatus = ActionStatus.OPEN
    reason: Text = ""
    source_task_id: str | None = None
    updated_at: UtcTime

    @field_validator("reason")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.strip()


class IncidentRecord(BaseModel):
    """One incident with everything attached: the shape of `show --json` and JSON export."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    incident: Incident
    roles: list[RoleAssignment] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    revisions: list[EntryRevision] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    status_updates: list[StatusUpdate] = Field(default_factory=list)
    handoffs: list[Handoff] = Field(default_factory=list)
    postmortem: PostMortem | None = None
    action_items: list[ActionItem] = Field(default_factory=list)
