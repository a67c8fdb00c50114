"""Snapshots of the post-mortem wizard on a resolved copy of the demo's live incident."""

from __future__ import annotations

from datetime import date

import pytest

from icconsole.models import ActionItem, ActionStatus, ActionType, Priority
from icconsole.postmortem import open_postmortem, toggle_criterion, with_field
from icconsole.store import new_id
from tests.tui import make_app


@pytest.fixture
def wizard(demo_store):
    """The app and the resolved demo SEV1 whose post-mortem it will open."""
    incident = demo_store.incident("INC-2")
    demo_store.set_status(incident.id, "resolved", "alice")
    return make_app(demo_store), demo_store, incident


def _opener(incident_id: str, step: str, then=None):
    async def run_before(pilot) -> None:
        pilot.app.open_postmortem(incident_id)
        await pilot.pause()
        pilot.app.screen.show_step(step)
        await pilot.pause()
        if then is not None:
            await then(pilot)
        await pilot.pause()

    return run_before


def _add_actions(store, incident_id: str) -> None:
    now = store.now()
    for title, kind, priority, owner, due, status, reason in (
        ("Cap connection pool size per pod", ActionType.PREVENT, Priority.P1, "dave",
         date(2026, 3, 28), ActionStatus.OPEN, ""),
        ("Alert when connections pass 80% of max", ActionType.DETECT, Priority.P2, None,
         None, ActionStatus.OPEN, ""),
        ("Back off mobile retries on 503", ActionType.MITIGATE, Priority.P2, "frank",
         date(2026, 4, 10), ActionStatus.DONE, ""),
        ("Rewrite the pool library", ActionType.OTHER, Priority.P3, None, None,
         ActionStatus.WONT_DO, "superseded by the proxy"),
    ):  # fmt: skip
        store.save_action_item(
            ActionItem(
                id=new_id(),
                incident_id=incident_id,
                title=title,
                type=kind,
                priority=priority,
                owner=owner,
                due_date=due,
                status=status,
                reason=reason,
                created_at=now,
                updated_at=now,
            )
        )


def test_header_step_80x24(snap_compare, wizard):
    app, _, incident = wizard
    assert snap_compare(app, terminal_size=(80, 24), run_before=_opener(incident.id, "header"))


def test_timeline_step_120x40(snap_compare, wizard):
    app, _, incident = wizard

    async def mark(pilot) -> None:
        await pilot.press("k", "down", "k", "k", "down", "space")

    assert snap_compare(
        app, terminal_size=(120, 40), run_before=_opener(incident.id, "timeline", mark)
    )


def test_factors_step_with_lint_highlights_120x40(snap_compare, wizard):
    app, _, incident = wizard

    async def write(pilot) -> None:
        screen = pilot.app.screen
        screen.query_one("#f-trigger").insert("dave deployed 4512, which raised the pool size.")
        factors = screen.query_one("#f-contributing_factors")
        factors.insert(
            "- The on-call should have checked max_connections; human error\n"
            "- Should the pool be capped per pod?\n"
            "- Mobile clients retry without backoff"
        )

    assert snap_compare(
        app, terminal_size=(120, 40), run_before=_opener(incident.id, "factors", write)
    )


def test_action_items_80x24(snap_compare, wizard):
    app, store, incident = wizard
    _add_actions(store, incident.id)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_opener(incident.id, "actions"))


def test_review_step_120x40(snap_compare, wizard):
    app, store, incident = wizard
    _add_actions(store, incident.id)
    pm = open_postmortem(store, incident.id)
    pm = with_field(pm, "went_wrong", "Someone forgot to check the pool size.")
    pm = toggle_criterion(toggle_criterion(pm, "data"), "impact")
    store.save_postmortem(pm)

    async def try_advance(pilot) -> None:
        await pilot.click("#pm-advance")

    assert snap_compare(
        app, terminal_size=(120, 40), run_before=_opener(incident.id, "review", try_advance)
    )


def test_preview_120x40(snap_compare, wizard):
    app, store, incident = wizard
    _add_actions(store, incident.id)

    async def preview(pilot) -> None:
        await pilot.press("ctrl+o")

    assert snap_compare(
        app, terminal_size=(120, 40), run_before=_opener(incident.id, "summary", preview)
    )
