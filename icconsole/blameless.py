"""The blameless lint: phrases of blame and hindsight, and people's names among the causes,
each with a suggestion. Advisory only: it never blocks saving."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One flagged phrase: 1-based line and column, the phrase as written, a suggestion."""

    line: int
    column: int
    phrase: str
    suggestion: str
    offset: int

    @property
    def end(self) -> int:
        return self.offset + len(self.phrase)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.phrase} — {self.suggestion}"


HINDSIGHT = "hindsight: describe what people knew and what made sense at the time"
CONDITION = "describe the condition instead: what made this easy to miss or hard to do?"
HUMAN_ERROR = "name the conditions that made the slip likely (tooling, alerts, load, time)"
JUDGEMENT = "a judgement of a person: describe the situation they were in"
PROCEDURE = "ask how the procedure fits the work: was it known, findable, workable?"
WHY_NOT = "ask how and what instead: 'how did this look at the time?'"
FAULT = "describe causes as conditions in the system, not as someone's fault"
NAME = "a person's name among the causes: name the role or the system instead"

# Words after "should have" that mean possession, not hindsight ("should have a TTL").
_POSSESSION = (
    r"a|an|the|some|any|no|more|less|fewer|its|their|our|his|her|my|your|this|that|these|"
    r"those|enough|one|two|three|both|each|every|several|multiple|many|much|at\s+least|\d+"
)
# Nouns for systems: "the job failed to start" describes a machine, not a person.
_SYSTEMS = (
    "job|jobs|check|checks|deploy|deployment|build|request|requests|service|services|server|"
    "servers|pod|pods|script|alert|alerts|test|tests|process|query|queries|connection|"
    "connections|migration|rollout|node|nodes|system|pipeline|cron|task|certificate|cert|"
    "probe|api|client|clients|host|hosts|container|containers|worker|workers|cluster|"
    "database|db|cache|proxy|balancer|page|pager|monitor|monitoring|dns|disk|network|"
    "replica|replicas|backup|backups|upgrade|restart|app|application|tool|command|call|calls"
)

# (pattern, suggestion, skip when the word before it names a system); ' stands for ' or ’.
_RULES: tuple[tuple[str, str, bool], ...] = (
    (
        rf"\b(?:should|ought\s+to)\s+(?:not\s+)?have\b(?!\s+(?:{_POSSESSION})\b)",
        HINDSIGHT,
        False,
    ),
    (rf"\bshouldn'?t\s+have\b(?!\s+(?:{_POSSESSION})\b)", HINDSIGHT, False),
    (r"\b(?:should|shouldn'?t)'ve\b", HINDSIGHT, False),
    (r"\bif\s+only\b", HINDSIGHT, False),
    (r"\bobviously\b", HINDSIGHT, False),
    (r"\bfail(?:ed|s)?\s+to\b", CONDITION, True),
    (r"\bforg(?:ot|otten|ets?)\s+to\b", CONDITION, False),
    (r"\bneglect(?:ed|s)?\s+to\b", CONDITION, False),
    (r"\bdid(?:n'?t|\s+not)\s+(?:bother|notice|think|check|read|test)\b", CONDITION, True),
    (r"\b(?:human|operator|pilot|engineer)\s+error\b", HUMAN_ERROR, False),
    (r"\bcareless(?:ly|ness)?\b", JUDGEMENT, False),
    (
        r"\b(?:sloppy|sloppiness|lazy|laziness|negligen(?:t|ce)|incompeten(?:t|ce))\b",
        JUDGEMENT,
        False,
    ),
    (r"\b(?:stupid|dumb|reckless(?:ly)?)\b", JUDGEMENT, False),
    (r"\bnot\s+paying\s+attention\b", JUDGEMENT, False),
    (r"\bdropped\s+the\s+ball\b", JUDGEMENT, False),
    (r"\b(?:screwed|messed)\s+up\b", JUDGEMENT, False),
    (r"\bdid(?:n'?t|\s+not)\s+follow\b", PROCEDURE, True),
    (r"\bignored\s+the\b", PROCEDURE, True),
    (r"\bwent\s+against\s+the\s+(?:runbook|process|procedure|policy)\b", PROCEDURE, False),
    (
        r"\bwhy\s+(?:didn'?t|did\s+not|wasn'?t|was\s+not|weren'?t|were\s+not|"
        r"couldn'?t|hadn'?t|had\s+not|wouldn'?t|haven'?t)\b",
        WHY_NOT,
        False,
    ),
    (r"\bwho\s+(?:broke|caused|forgot|missed|deployed|pushed)\b", WHY_NOT, False),
    (r"\b(?:to\s+blame|blamed|at\s+fault|blame\s+(?:lies|goes|falls))\b", FAULT, False),
    (r"\b\w+'s\s+fault\b", FAULT, False),
)
_COMPILED = tuple(
    (re.compile(pattern.replace("'", "['’]"), re.IGNORECASE), hint, system_ok)
    for pattern, hint, system_ok in _RULES
)
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_SYSTEM_WORDS = frozenset(_SYSTEMS.split("|"))

# Names that are also common words: flagged only when written with a capital letter.
_COMMON_WORDS = frozenset(
    {
        "will",
        "mark",
        "grace",
        "may",
        "june",
        "april",
        "august",
        "bill",
        "rob",
        "pat",
        "sue",
        "jack",
        "chase",
        "hope",
        "faith",
        "joy",
        "summer",
        "art",
        "max",
        "sky",
        "rose",
        "dawn",
        "drew",
        "gene",
        "frank",
        "don",
        "ray",
        "page",
        "lane",
    }
)


def _name_pattern(name: str) -> re.Pattern[str] | None:
    parts = name.split()
    if not parts or len(" ".join(parts)) < 2:
        return None
    if " ".join(parts).casefold() in _COMMON_WORDS:
        parts[0] = parts[0][0].upper() + parts[0][1:]
        flags = 0
    else:
        flags = re.IGNORECASE
    body = r"\s+".join(re.escape(part) for part in parts)
    return re.compile(rf"(?<![\w@]){body}(?!\w)", flags)


def _after_system(text: str, offset: int) -> bool:
    """True when the word just before `offset` names a system ("the job failed to …")."""
    before = _WORD_BEFORE.search(text[max(0, offset - 40) : offset])
    return bool(before) and before.group(1).casefold() in _SYSTEM_WORDS


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def lint(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """Blame and hindsight in `text`, and any of `names` (people, to keep out of causes).
    Sorted by position; overlapping matches are reported once."""
    spans: list[tuple[int, int, str]] = []
    for pattern, hint, system_ok in _COMPILED:
        spans += [
            (m.start(), m.end(), hint)
            for m in pattern.finditer(text)
            if not (system_ok and _after_system(text, m.start()))
        ]
    for name in sorted(set(names)):
        pattern = _name_pattern(name)
        if pattern is not None:
            spans += [(m.start(), m.end(), NAME) for m in pattern.finditer(text)]
    findings: list[Finding] = []
    taken_until = -1
    for start, end, hint in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < taken_until:
            continue
        taken_until = end
        line, column = _position(text, start)
        findings.append(Finding(line, column, text[start:end], hint, start))
    return findings
