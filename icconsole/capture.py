"""The cockpit's capture line: parsing what the IC typed into a typed command, and
completing commands, roles, statuses and names. No Textual here."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from icconsole.clock import parse_when
from icconsole.config import COMMANDER, Config
from icconsole.errors import InputError
from icconsole.models import EntryKind, Status
from icconsole.sanitize import clean_line, clean_text


@dataclass(frozen=True)
class LogEntry:
    """A timeline entry; `/action` also creates a task."""

    kind: EntryKind
    text: str
    occurred_at: datetime | None = None
    also_task: bool = False


@dataclass(frozen=True)
class SetStatus:
    status: Status


@dataclass(frozen=True)
class SetSeverity:
    severity: str


@dataclass(frozen=True)
class AssignRole:
    role: str
    person: str


@dataclass(frozen=True)
class Handoff:
    person: str | None


@dataclass(frozen=True)
class AddTask:
    title: str


@dataclass(frozen=True)
class PinLast:
    """Pin the most recent entry."""


@dataclass(frozen=True)
class ComposeUpdate:
    """Open the status-update composer."""


Command = (
    LogEntry | SetStatus | SetSeverity | AssignRole | Handoff | AddTask | PinLast | ComposeUpdate
)

ENTRY_COMMANDS: dict[str, EntryKind] = {
    "note": EntryKind.NOTE,
    "decision": EntryKind.DECISION,
    "action": EntryKind.ACTION,
    "hypothesis": EntryKind.HYPOTHESIS,
    "finding": EntryKind.FINDING,
}

# Every slash command with its argument hint, in the order help lists them.
COMMANDS: dict[str, str] = {
    "decision": "TEXT",
    "action": "TEXT (also adds a task)",
    "hypothesis": "TEXT",
    "finding": "TEXT",
    "note": "TEXT",
    "status": "STATUS",
    "sev": "N",
    "role": "ROLE PERSON",
    "handoff": "PERSON",
    "task": "TEXT",
    "pin": "(pins the last entry)",
    "update": "(opens the update composer)",
}

_BACKDATE = re.compile(
    r"^(-\s*(?:\d+\s*[dhms]\s*)+|@\d{1,2}:\d{2}(?::\d{2})?)\s+(.*)$", re.I | re.S
)


def split_backdate(line: str) -> tuple[str | None, str]:
    """`-5m text` / `@14:05 text` -> (`-5m`, `text`); otherwise (None, line)."""
    match = _BACKDATE.match(line)
    if not match:
        return None, line
    return match.group(1).replace(" ", ""), match.group(2)


def parse(line: str, now: datetime, config: Config) -> Command | None:
    """Parse one capture line. Blank gives None; anything wrong raises InputError."""
    text = clean_text(line).strip()
    if not text:
        return None
    when_text, text = split_backdate(text)
    occurred_at = parse_when(when_text.removeprefix("@"), now) if when_text else None
    if not text.startswith("/") or text.startswith("//"):
        body = text[1:] if text.startswith("//") else text
        if not body.strip():
            raise InputError("nothing to log after the time")
        return LogEntry(EntryKind.NOTE, body.strip(), occurred_at)
    name, _, rest = text[1:].partition(" ")
    name = name.casefold()
    rest = rest.strip()
    if name in ENTRY_COMMANDS:
        if not rest:
            raise InputError(f"/{name} needs text, e.g. /{name} roll back deploy 4512")
        return LogEntry(ENTRY_COMMANDS[name], rest, occurred_at, also_task=name == "action")
    if name not in COMMANDS:
        raise InputError(f"unknown command /{name} (commands: {command_list()})")
    if occurred_at is not None:
        raise InputError(f"/{name} cannot be backdated; only entries can")
    return _parse_other(name, clean_line(rest), config)


def _parse_other(name: str, rest: str, config: Config) -> Command:
    if name == "status":
        try:
            return SetStatus(Status(rest.casefold()))
        except ValueError:
            choices = ", ".join(s.value for s in Status)
            raise InputError(f"/status needs one of: {choices}") from None
    if name == "sev":
        if not rest:
            choices = ", ".join(s.key for s in config.severities)
            raise InputError(f"/sev needs a severity: {choices}")
        return SetSeverity(config.severity(rest).key)
    if name == "role":
        role_text, _, person = rest.partition(" ")
        if not role_text or not person.strip():
            raise InputError("/role needs a role and a person, e.g. /role scribe bob")
        role = config.role(role_text)
        if role.key == COMMANDER:
            return Handoff(person.strip())
        return AssignRole(role.key, person.strip())
    if name == "handoff":
        return Handoff(rest or None)
    if name == "task":
        if not rest:
            raise InputError("/task needs a title, e.g. /task page the database on-call")
        return AddTask(rest)
    if rest:
        raise InputError(f"/{name} takes no arguments")
    return PinLast() if name == "pin" else ComposeUpdate()


def command_list() -> str:
    return " ".join(f"/{name}" for name in COMMANDS)


def _first_match(prefix: str, candidates: Sequence[str]) -> str | None:
    folded = prefix.casefold()
    for candidate in candidates:
        if candidate.casefold().startswith(folded) and len(candidate) > len(prefix):
            return candidate
    return None


def complete(
    line: str, config: Config, people: Sequence[str] | Callable[[], Sequence[str]]
) -> str | None:
    """The whole line completed (commands, statuses, severities, roles, people), or None.
    The typed part is kept exactly as typed; only the rest is added. `people` may be a
    function, called only when a name is being completed."""
    when_text, body = split_backdate(line)
    head = line[: len(line) - len(body)] if when_text else ""
    if not body.startswith("/") or body.startswith("//"):
        return None
    name, space, rest = body[1:].partition(" ")
    if not space:
        found = _first_match(name, list(COMMANDS))
        return f"{head}/{name}{found[len(name) :]}" if found else None
    name = name.casefold()
    choices: Sequence[str] = ()
    wants_people = False
    typed = rest
    prefix = body[: len(body) - len(rest)]
    if name == "status":
        choices = [s.value for s in Status]
    elif name == "sev":
        choices = [s.key for s in config.severities]
    elif name == "handoff":
        wants_people = True
    elif name == "role":
        _, role_space, person = rest.partition(" ")
        if role_space:
            typed = person
            prefix = body[: len(body) - len(person)]
            wants_people = True
        else:
            choices = [role.key for role in config.active_roles]
    if not typed:
        return None
    if wants_people:
        choices = people() if callable(people) else people
    found = _first_match(typed, choices)
    return f"{head}{prefix}{typed}{found[len(typed) :]}" if found else None
