"""The demo file: a realistic SEV1 in progress and a closed incident with its post-mortem."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from icconsole.cli import cli
from icconsole.clock import FrozenClock
from icconsole.models import POSTMORTEM_SECTIONS, PostMortemStatus, Status, TaskStatus
from icconsole.postmortem import REQUIRED_SECTIONS, gate_problems
from icconsole.store import Store


def test_two_incidents(demo_store: Store) -> None:
    assert [(i.ref, i.status.is_active) for i in demo_store.incidents()] == [
        ("INC-2", True),
        ("INC-1", False),
    ]


def test_live_sev1(demo_store: Store, clock: FrozenClock) -> None:
    live = demo_store.most_recent_active()
    assert live is not None and live.ref == "INC-2"
    assert live.severity == "SEV1"
    assert live.status == Status.MITIGATED
    assert live.declared_at == clock.now() - timedelta(minutes=42)
    assert live.started_at < live.declared_at
    assert live.summary and live.impact
    assert live.next_update_due is not None

    roles = demo_store.roles(live.id)
    assert demo_store.commander(live.id) == "alice"
    assert {a.role for a in roles} >= {"ic", "scribe", "comms", "sme"}
    assert len([a for a in roles if a.role == "sme"]) == 2

    timeline = demo_store.entries(live.id)
    assert 35 <= len(timeline) <= 60
    kinds = Counter(e.kind.value for e in timeline)
    assert len(kinds) >= 8
    assert {"decision", "finding", "hypothesis", "action", "alert", "comms"} <= set(kinds)
    assert len({e.author for e in timeline}) >= 5
    assert any(e.pinned for e in timeline)
    assert all(e.occurred_at <= clock.now() for e in timeline)
    assert [e.occurred_at for e in timeline] == sorted(e.occurred_at for e in timeline)

    statuses = Counter(t.status for t in demo_store.tasks(live.id))
    assert statuses[TaskStatus.DONE] >= 3
    assert statuses[TaskStatus.TODO] + statuses[TaskStatus.DOING] >= 2

    updates = demo_store.status_updates(live.id)
    assert len(updates) == 2
    assert {u.audience.value for u in updates} == {"internal", "external"}
    assert demo_store.postmortem(live.id) is None


def test_past_incident_with_post_mortem(demo_store: Store) -> None:
    past = demo_store.incident("INC-1")
    assert past.status == Status.CLOSED
    assert past.mitigated_at and past.resolved_at and past.closed_at
    assert past.declared_at < past.mitigated_at < past.resolved_at < past.closed_at

    postmortem = demo_store.postmortem(past.id)
    assert postmortem is not None
    assert postmortem.status == PostMortemStatus.PUBLISHED
    assert postmortem.facilitator and postmortem.attendees
    assert set(postmortem.sections) == set(POSTMORTEM_SECTIONS)
    assert all(postmortem.sections[key].strip() for key in REQUIRED_SECTIONS)
    items = demo_store.action_items(past.id)
    assert len(items) >= 3
    assert all(item.owner and item.due_date for item in items)
    assert len({item.type for item in items}) >= 3
    assert gate_problems(postmortem, items, past, PostMortemStatus.PUBLISHED) == []


def test_demo_leaves_the_store_clock_alone(demo_store: Store, clock: FrozenClock) -> None:
    assert demo_store.clock is clock


def test_demo_command_twice_does_not_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"

    def demo_and_list() -> list[dict]:
        shown = CliRunner().invoke(cli, ["--db", str(path), "demo", "--no-open"])
        assert (shown.exit_code, shown.stdout) == (0, f"{path}\n"), shown.output
        listed = CliRunner().invoke(cli, ["--db", str(path), "list", "--all", "--json"])
        return json.loads(listed.stdout)

    first = demo_and_list()
    assert [(i["ref"], i["severity"]) for i in first] == [("INC-2", "SEV1"), ("INC-1", "SEV2")]
    assert demo_and_list() == first
