"""The role board as the cockpit shows it, and the span-of-control check.

Span of control: everyone holding a role other than Incident Commander reports directly
to the IC (one count per person, the IC not counted). Incident-command practice keeps
that at 3-7; above 7 the board warns and suggests a Deputy or a sub-team lead."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from icconsole.config import COMMANDER, Config
from icconsole.models import RoleAssignment

MAX_SPAN = 7


@dataclass(frozen=True)
class RoleRow:
    """One configured role with its current holders (empty: the IC holds it)."""

    key: str
    name: str
    holders: tuple[str, ...]
    multiple: bool

    @property
    def delegated(self) -> bool:
        return bool(self.holders)


@dataclass(frozen=True)
class RoleBoard:
    rows: tuple[RoleRow, ...]
    commander: str | None
    direct_reports: int

    @property
    def span_warning(self) -> str | None:
        """A non-blocking warning when more than MAX_SPAN report directly to the IC."""
        if self.direct_reports <= MAX_SPAN:
            return None
        return (
            f"{self.direct_reports} people report to the IC (keep it to {MAX_SPAN}): "
            "name a Deputy or a sub-team lead"
        )


def role_board(config: Config, assignments: Iterable[RoleAssignment]) -> RoleBoard:
    """Every active role in config order with its current holders, in assignment order."""
    current = [a for a in assignments if a.relieved_at is None]
    rows = tuple(
        RoleRow(
            key=role.key,
            name=role.name,
            holders=tuple(a.person for a in current if a.role == role.key),
            multiple=role.multiple,
        )
        for role in config.active_roles
    )
    commanders = [a.person for a in current if a.role == COMMANDER]
    commander = commanders[0] if commanders else None
    return RoleBoard(rows, commander, direct_report_count(current, commander))


def direct_report_count(current: Iterable[RoleAssignment], commander: str | None) -> int:
    """Distinct people holding a non-IC role, not counting the IC."""
    return len({a.person for a in current if a.role != COMMANDER and a.person != commander})
