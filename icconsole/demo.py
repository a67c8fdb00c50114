"""The demo file: one SEV1 in progress and one resolved incident with its post-mortem."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icconsole.clock import Clock, FrozenClock
from icconsole.models import (
    ActionItem,
    ActionStatus,
    ActionType,
    Audience,
    PostMortem,
    PostMortemStatus,
    Priority,
    TaskStatus,
)
from icconsole.store import Store, new_id

# (minutes after declaring, author, kind, text, pinned)
LIVE_TIMELINE: list[tuple[int, str, str, str, bool]] = [
    (-6, "pagerbot", "alert", "Checkout API 5xx rate above 5% for 5 minutes (now 12.4%)", True),
    (1, "alice", "note", "Joining the bridge; paging payments on-call", False),
    (2, "bob", "finding", "5xx are all from checkout-api pods in eu-west-1", False),
    (
        3,
        "bob",
        "hypothesis",
        "Deploy 4512 (connection pool change) went out just before the alert",
        False,
    ),
    (4, "carol", "finding", "Payment provider status page shows all green", False),
    (5, "alice", "decision", "Freeze all deploys to checkout until further notice", True),
    (6, "dave", "finding", "DB connection count at max_connections on checkout-db primary", False),
    (7, "bob", "hypothesis", "New pool size x pod count exceeds max_connections", False),
    (8, "alice", "action", "dave to confirm pool settings in deploy 4512", False),
    (9, "dave", "finding", "Deploy 4512 raised pool size from 20 to 80 per pod", True),
    (10, "alice", "decision", "Roll back deploy 4512", True),
    (11, "erin", "note", "Support reports ~40 tickets about failed payments", False),
    (12, "bob", "action", "Rollback of 4512 started", False),
    (14, "dave", "note", "Rollback 30% complete", False),
    (15, "carol", "comms", "Status page: investigating elevated checkout errors", False),
    (16, "dave", "note", "Rollback 70% complete", False),
    (17, "pagerbot", "alert", "checkout-db connections 100% (warning)", False),
    (18, "dave", "finding", "Rollback complete; connections falling (640 -> 410)", False),
    (19, "bob", "finding", "5xx rate dropping: 12% -> 3%", False),
    (20, "alice", "hypothesis", "Retry storm from mobile clients keeps load high", False),
    (21, "frank", "finding", "Mobile clients retry without backoff on 503", False),
    (22, "alice", "decision", "Shed 20% of mobile retries at the edge", False),
    (23, "frank", "action", "Edge rule for mobile retries deployed", False),
    (25, "bob", "finding", "5xx rate at 0.8% and falling", False),
    (26, "erin", "note", "Support: new tickets slowing down", False),
    (27, "alice", "note", "Holding mitigation; watching for 10 minutes", False),
    (29, "dave", "finding", "DB connections stable at 310 of 500", False),
    (31, "bob", "hypothesis", "Ruled out: payment provider latency (p99 normal)", False),
    (33, "carol", "comms", "Drafted customer notice for affected orders", False),
    (35, "frank", "note", "Edge shedding 4% of retries now", False),
    (37, "bob", "finding", "5xx rate at baseline 0.1%", False),
    (38, "alice", "note", "Next: identify failed orders for replay", False),
    (40, "dave", "action", "Query for orders that failed since deploy 4512", False),
    (41, "erin", "note", "Support macro updated with workaround", False),
]

PAST_TIMELINE: list[tuple[int, str, str, str, bool]] = [
    (-12, "monitor", "alert", "Login success rate below 90% (now 61%)", True),
    (2, "grace", "finding", "Login failures all show TLS handshake errors from auth-proxy", False),
    (
        4,
        "heidi",
        "hypothesis",
        "The certificate rotation installed an incomplete chain",
        False,
    ),
    (
        7,
        "heidi",
        "finding",
        "auth-proxy serves the leaf certificate without the intermediate",
        True,
    ),
    (9, "grace", "decision", "Restore the previous certificate bundle", True),
    (14, "heidi", "action", "Previous bundle restored on auth-proxy", False),
    (16, "grace", "finding", "Login success rate back to 99.6%", False),
    (30, "grace", "note", "Rotation job paused until the chain check is in place", False),
]


def build_demo(store: Store, now: datetime) -> None:
    """Write the demo incidents into `store`, as if recorded live up to `now`."""
    original = store.clock
    clock = FrozenClock(now)
    store.clock = clock
    try:
        _past_incident(store, clock, now - timedelta(days=9, hours=3))
        _live_incident(store, clock, now - timedelta(minutes=42))
    finally:
        store.clock = original if isinstance(original, Clock) else Clock()


def _log_all(
    store: Store,
    clock: FrozenClock,
    incident_id: str,
    start: datetime,
    entries: list[tuple[int, str, str, str, bool]],
) -> None:
    for minutes, author, kind, text, pinned in entries:
        at = start + timedelta(minutes=minutes)
        clock.set(max(at, start))
        store.log(incident_id, text, kind, author, occurred_at=at, pinned=pinned)


def _live_incident(store: Store, clock: FrozenClock, start: datetime) -> None:
    clock.set(start)
    incident = store.declare(
        "Checkout API returning 5xx in eu-west-1",
        "SEV1",
        commander="alice",
        summary="Customers in Europe cannot complete checkout; errors began after deploy 4512.",
        author="alice",
        started_at=start - timedelta(minutes=6),
    )
    store.update_incident(
        incident.id, "alice", impact="About 30% of checkout attempts in the EU fail"
    )
    _log_all(store, clock, incident.id, start, LIVE_TIMELINE[:5])
    store.assign_role(incident.id, "scribe", "bob", "alice")
    store.assign_role(incident.id, "comms", "carol", "alice")
    store.assign_role(incident.id, "sme", "dave", "alice")
    _log_all(store, clock, incident.id, start, LIVE_TIMELINE[5:10])
    store.set_status(incident.id, "identified", "alice")
    tasks = store.tasks(incident.id)
    for task in tasks[:4]:
        store.set_task_status(task.id, TaskStatus.DONE, "bob")
    clock.set(start + timedelta(minutes=10))
    store.record_update(
        incident.id,
        Audience.INTERNAL,
        "SEV1 checkout errors in eu-west-1. Cause likely deploy 4512; rolling back. "
        "Next update in 15 minutes.",
        "carol",
    )
    store.set_task_status(tasks[4].id, TaskStatus.DONE, "carol")
    _log_all(store, clock, incident.id, start, LIVE_TIMELINE[10:20])
    store.assign_role(incident.id, "sme", "frank", "alice")
    store.set_status(incident.id, "mitigated", "alice")
    _log_all(store, clock, incident.id, start, LIVE_TIMELINE[20:27])
    clock.set(start + timedelta(minutes=30))
    store.record_update(
        incident.id,
        Audience.EXTERNAL,
        "We have mitigated elevated checkout errors affecting some customers in Europe "
        "and are monitoring. Next update in 15 minutes.",
        "carol",
    )
    store.set_task_status(tasks[5].id, TaskStatus.DOING, "carol")
    _log_all(store, clock, incident.id, start, LIVE_TIMELINE[27:])
    clock.set(start + timedelta(minutes=40))
    store.add_task(
        incident.id,
        "Identify failed orders for replay",
        "alice",
        owner="dave",
        check_back_at=start + timedelta(minutes=55),
    )


def _past_incident(store: Store, clock: FrozenClock, start: datetime) -> None:
    clock.set(start)
    incident = store.declare(
        "Login failures after certificate rotation",
        "SEV2",
        commander="grace",
        summary="Users could not log in for 16 minutes after a certificate rotation.",
        author="grace",
        started_at=start - timedelta(minutes=12),
    )
    store.update_incident(
        incident.id, "grace", impact="39% of login attempts failed for 16 minutes"
    )
    store.assign_role(incident.id, "scribe", "heidi", "grace")
    _log_all(store, clock, incident.id, start, PAST_TIMELINE[:5])
    store.set_status(incident.id, "identified", "grace")
    _log_all(store, clock, incident.id, start, PAST_TIMELINE[5:6])
    store.set_status(incident.id, "mitigated", "grace")
    clock.set(start + timedelta(minutes=15))
    store.record_update(
        incident.id,
        Audience.EXTERNAL,
        "Login problems are resolved. We are monitoring.",
        "grace",
    )
    for task in store.tasks(incident.id):
        store.set_task_status(task.id, TaskStatus.DONE, "heidi")
    _log_all(store, clock, incident.id, start, PAST_TIMELINE[6:])
    clock.set(start + timedelta(minutes=45))
    store.set_status(incident.id, "resolved", "grace")
    clock.set(start + timedelta(days=2))
    store.save_postmortem(
        PostMortem.validated(
            id=new_id(),
            incident_id=incident.id,
            status=PostMortemStatus.PUBLISHED,
            facilitator="ivan",
            attendees="grace, heidi, ivan, judy",
            authors="grace, heidi",
            sections=PAST_POSTMORTEM,
            state={"criteria": dict.fromkeys(REVIEW_CRITERIA, True), "step": "review"},
            created_at=clock.now(),
            updated_at=clock.now(),
        )
    )
    for title, kind, priority, owner, days, ticket, status in PAST_ACTIONS:
        store.save_action_item(
            ActionItem.validated(
                id=new_id(),
                incident_id=incident.id,
                title=title,
                type=kind,
                priority=priority,
                owner=owner,
                due_date=date.fromordinal(start.date().toordinal() + days),
                ticket=ticket,
                status=status,
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    store.set_status(incident.id, "closed", "ivan")


REVIEW_CRITERIA = ("data", "impact", "causes", "actions", "shared")

PAST_POSTMORTEM = {
    "summary": "For 16 minutes users could not log in because the rotated TLS certificate "
    "on auth-proxy was served without its intermediate certificate.",
    "impact": "39% of login attempts failed for 16 minutes; about 52,000 users "
    "affected; no data lost.",
    "leadup": "Certificates are rotated by a scheduled job that copies the bundle from the "
    "secrets store. The new bundle had been exported leaf-only.",
    "timeline": "Alert 12 minutes after impact began; declared; mitigated 15 minutes later.",
    "detection": "The login success-rate alert fired 4 minutes after impact began.",
    "response": "The team restored the previous bundle once the chain was found incomplete.",
    "trigger": "The rotation job installed a leaf-only certificate bundle.",
    "contributing_factors": "- The export tool defaults to leaf-only\n"
    "- The rotation job does not verify the chain\n"
    "- Older clients do not fetch missing intermediates",
    "five_whys": "",
    "mitigators": "The previous bundle was still on disk, so the rollback took two minutes.",
    "backlog": "A chain check had been proposed in a ticket last quarter.",
    "recurrence": "No similar incident in this file.",
    "went_well": "Fast detection; the rollback path was simple.",
    "went_wrong": "Twelve minutes passed between the alert and declaring.",
    "got_lucky": "The rotation ran on a quiet Sunday morning.",
    "open_questions": "Should the export tool refuse leaf-only bundles?",
}

PAST_ACTIONS = [
    (
        "Verify the full chain before installing a certificate",
        ActionType.PREVENT,
        Priority.P1,
        "heidi",
        14,
        "SEC-412",
        ActionStatus.OPEN,
    ),
    (
        "Alert on TLS handshake error rate at auth-proxy",
        ActionType.DETECT,
        Priority.P2,
        "grace",
        21,
        "OBS-88",
        ActionStatus.DONE,
    ),
    (
        "Declare within 5 minutes of a login-rate alert",
        ActionType.PROCESS,
        Priority.P2,
        "ivan",
        30,
        None,
        ActionStatus.OPEN,
    ),
]
