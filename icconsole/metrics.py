"""Incident timing metrics, each with its definition in words, and stats across incidents."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from icconsole.clock import format_short
from icconsole.models import EntryKind, Incident, TimelineEntry

if TYPE_CHECKING:
    from icconsole.store import Store


@dataclass(frozen=True)
class MetricDef:
    """One metric: a key, a name and the definition shown next to every figure."""

    key: str
    name: str
    definition: str


METRICS: tuple[MetricDef, ...] = (
    MetricDef(
        "detect",
        "Time to detect",
        "from when impact began (started) to when it was detected (detected)",
    ),
    MetricDef(
        "acknowledge",
        "Time to acknowledge",
        "from the first alert on the timeline to the first entry after it that is not an "
        "alert (a person responding); none when no alert was logged",
    ),
    MetricDef(
        "declare",
        "Time to declare",
        "from when impact began (started) to when the incident was declared",
    ),
    MetricDef(
        "mitigate",
        "Time to mitigate",
        "from when impact began (started) to when the status first became mitigated",
    ),
    MetricDef(
        "resolve",
        "Time to resolve",
        "from when impact began (started) to when the status became resolved",
    ),
)
METRIC_BY_KEY = {metric.key: metric for metric in METRICS}


@dataclass(frozen=True)
class Metric:
    """One metric for one incident; `value` is None when a time it needs is missing."""

    key: str
    name: str
    definition: str
    value: timedelta | None

    @property
    def text(self) -> str:
        return format_metric(self.value)


@dataclass(frozen=True)
class MetricStats:
    """One metric across incidents: how many had it, mean and median. Drills are left out."""

    key: str
    name: str
    definition: str
    count: int
    mean: timedelta | None
    median: timedelta | None
    drills_excluded: int


def format_metric(value: timedelta | None) -> str:
    """`12m`, `3h 05m`; `—` for a missing value; a minus sign when the times are reversed."""
    if value is None:
        return "—"
    sign = "-" if value < timedelta(0) else ""
    return sign + format_short(value)


def acknowledged_at(entries: Iterable[TimelineEntry]) -> tuple[datetime, datetime] | None:
    """(first alert, first non-alert entry at or after it), ignoring retracted entries."""
    live = sorted((e for e in entries if not e.retracted), key=lambda e: (e.occurred_at, e.seq))
    alert = next((e for e in live if e.kind == EntryKind.ALERT), None)
    if alert is None:
        return None
    response = next(
        (
            e
            for e in live
            if e.kind != EntryKind.ALERT and (e.occurred_at, e.seq) > (alert.occurred_at, alert.seq)
        ),
        None,
    )
    return None if response is None else (alert.occurred_at, response.occurred_at)


def _between(start: datetime | None, end: datetime | None) -> timedelta | None:
    return None if start is None or end is None else end - start


def incident_metrics(
    incident: Incident, entries: Sequence[TimelineEntry] | None = None
) -> list[Metric]:
    """Every metric for one incident, in the order of METRICS. Without `entries` the
    time to acknowledge is None."""
    ack = acknowledged_at(entries) if entries is not None else None
    values = {
        "detect": _between(incident.started_at, incident.detected_at),
        "acknowledge": _between(*ack) if ack else None,
        "declare": _between(incident.started_at, incident.declared_at),
        "mitigate": _between(incident.started_at, incident.mitigated_at),
        "resolve": _between(incident.started_at, incident.resolved_at),
    }
    return [Metric(m.key, m.name, m.definition, values[m.key]) for m in METRICS]


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))


def _mean(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.fmean(v.total_seconds() for v in values))


def cross_incident_stats(
    items: Iterable[tuple[Incident, Sequence[TimelineEntry] | None]],
) -> list[MetricStats]:
    """Mean and median of each metric over the incidents that have it; drills excluded."""
    drills = 0
    collected: dict[str, list[timedelta]] = {m.key: [] for m in METRICS}
    for incident, entries in items:
        if incident.drill:
            drills += 1
            continue
        for metric in incident_metrics(incident, entries):
            if metric.value is not None:
                collected[metric.key].append(metric.value)
    return [
        MetricStats(
            m.key,
            m.name,
            m.definition,
            len(collected[m.key]),
            _mean(collected[m.key]),
            _median(collected[m.key]),
            drills,
        )
        for m in METRICS
    ]


def store_stats(store: Store) -> list[MetricStats]:
    """`cross_incident_stats` over every incident in the file."""
    return cross_incident_stats(
        (incident, store.entries(incident.id)) for incident in store.incidents()
    )
