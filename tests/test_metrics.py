from datetime import timedelta

from icconsole.metrics import (
    METRICS,
    acknowledged_at,
    cross_incident_stats,
    format_metric,
    incident_metrics,
    store_stats,
)


def _values(incident, entries=None):
    return {m.key: m.value for m in incident_metrics(incident, entries)}


def _declare(store, clock, title, started_minutes_ago, drill=False):
    return store.declare(
        title,
        "SEV2",
        "alice",
        author="alice",
        drill=drill,
        started_at=clock.now() - timedelta(minutes=started_minutes_ago),
    )


def test_every_metric_states_its_definition():
    assert [m.key for m in METRICS] == ["detect", "acknowledge", "declare", "mitigate", "resolve"]
    for metric in METRICS:
        assert metric.definition.startswith("from ")
        assert len(metric.definition) > 30


def test_metrics_of_a_resolved_incident(store, clock):
    incident = _declare(store, clock, "Disk full", started_minutes_ago=10)
    clock.advance(minutes=20)
    store.set_status(incident.id, "mitigated", "alice")
    clock.advance(minutes=30)
    incident = store.set_status(incident.id, "resolved", "alice")
    values = _values(incident, store.entries(incident.id))
    assert values["detect"] == timedelta(minutes=10)
    assert values["declare"] == timedelta(minutes=10)
    assert values["mitigate"] == timedelta(minutes=30)
    assert values["resolve"] == timedelta(minutes=60)
    assert values["acknowledge"] is None  # no alert was logged


def test_missing_stamps_give_none(store, clock):
    incident = _declare(store, clock, "Slow pages", started_minutes_ago=5)
    values = _values(incident)
    assert values["mitigate"] is None
    assert values["resolve"] is None
    assert values["acknowledge"] is None
    assert [m.text for m in incident_metrics(incident) if m.key == "resolve"] == ["—"]


def test_acknowledge_runs_from_first_alert_to_first_response(store, clock):
    incident = _declare(store, clock, "Queue backlog", started_minutes_ago=15)
    now = clock.now()
    store.log(incident.id, "queue depth high", "alert", "monitor", now - timedelta(minutes=12))
    store.log(incident.id, "queue depth very high", "alert", "monitor", now - timedelta(minutes=9))
    store.log(incident.id, "looking", "note", "bob", now - timedelta(minutes=7))
    entries = store.entries(incident.id)
    assert acknowledged_at(entries) == (now - timedelta(minutes=12), now - timedelta(minutes=7))
    assert _values(incident, entries)["acknowledge"] == timedelta(minutes=5)


def test_acknowledge_ignores_retracted_response(store, clock):
    incident = _declare(store, clock, "Queue backlog", started_minutes_ago=15)
    now = clock.now()
    store.log(incident.id, "queue depth high", "alert", "monitor", now - timedelta(minutes=12))
    wrong = store.log(incident.id, "typo", "note", "bob", now - timedelta(minutes=11))
    store.retract_entry(wrong.id, "bob")
    # the declaration entry (at now) is the first live response
    assert _values(incident, store.entries(incident.id))["acknowledge"] == timedelta(minutes=12)


def test_stats_mean_median_and_drills_excluded(store, clock):
    for minutes in (10, 20, 60):
        _declare(store, clock, f"Real {minutes}", started_minutes_ago=minutes)
    _declare(store, clock, "Game day", started_minutes_ago=600, drill=True)
    stats = {s.key: s for s in store_stats(store)}
    declare = stats["declare"]
    assert declare.count == 3
    assert declare.mean == timedelta(minutes=30)
    assert declare.median == timedelta(minutes=20)
    assert declare.drills_excluded == 1
    assert stats["resolve"].count == 0
    assert stats["resolve"].mean is None and stats["resolve"].median is None


def test_stats_over_nothing():
    stats = cross_incident_stats([])
    assert all(s.count == 0 and s.mean is None for s in stats)


def test_format_metric():
    assert format_metric(None) == "—"
    assert format_metric(timedelta(minutes=12)) == "12m"
    assert format_metric(timedelta(minutes=-3)) == "-3m"


def test_demo_metrics(demo_store):
    past = demo_store.incident("INC-1")
    values = _values(past, demo_store.entries(past.id))
    assert values["detect"] == timedelta(minutes=12)
    assert values["acknowledge"] == timedelta(minutes=12)
    assert values["resolve"] == timedelta(minutes=57)
