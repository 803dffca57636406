"""First-response SLA figures: time to first response, per platform, percentiles, overdue.

Percentiles use the **nearest-rank** method: the p-th percentile of n sorted
values is the value at rank ⌈p/100 · n⌉ (the smallest value for p = 0). It
always returns a response time that actually happened, and it is exact: no
interpolation, so a hand-computed case gives the same figure.

Only items that need an answer count: ignored items are left out; an
escalated item still waits for its first response.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import attrs

from .._records import Record
from .items import InboxItem, Stage

__all__ = ["Response", "SlaFigures", "SlaReport", "percentile", "sla_report"]


def percentile(values: Sequence[timedelta], p: float) -> timedelta:
    """The nearest-rank ``p``-th percentile (0 ≤ p ≤ 100) of ``values``.

    Raises:
        ValueError: ``values`` is empty or ``p`` is out of range.
    """
    if not values:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@attrs.frozen
class Response(Record):
    """What the SLA needs of one item: when it arrived and when it was first answered."""

    key: str
    platform: str
    created_at: datetime
    responded_at: datetime | None = None

    @property
    def time_to_first_response(self) -> timedelta | None:
        """How long the first answer took, once there is one."""
        return None if self.responded_at is None else self.responded_at - self.created_at

    @classmethod
    def of(cls, item: InboxItem) -> Response:
        """The SLA view of an inbox item (its creation time, else when it was fetched)."""
        return cls(item.key, item.platform, item.created_at or item.fetched_at, item.replied_at)


@attrs.frozen
class SlaFigures(Record):
    """SLA figures for a group of items.

    Attributes:
        items: Items that needed an answer. ``answered``: how many got one.
        percentiles: Time to first response at each requested percentile.
        mean: The mean time to first response (``None`` when none answered).
        within_target: Share of answered items answered within the target.
    """

    items: int
    answered: int
    percentiles: dict[float, timedelta]
    mean: timedelta | None
    within_target: float | None


@attrs.frozen
class SlaReport(Record):
    """Overall and per-platform figures, and what is overdue now."""

    overall: SlaFigures
    by_platform: dict[str, SlaFigures]
    overdue: list[Response]
    target: timedelta | None
    at: datetime


def _figures(
    rows: list[Response], percentiles: Sequence[float], target: timedelta | None
) -> SlaFigures:
    times = [t for r in rows if (t := r.time_to_first_response) is not None]
    mean = sum(times, timedelta()) / len(times) if times else None
    within = sum(t <= target for t in times) / len(times) if times and target is not None else None
    return SlaFigures(
        items=len(rows),
        answered=len(times),
        percentiles={p: percentile(times, p) for p in percentiles} if times else {},
        mean=mean,
        within_target=within,
    )


def sla_report(
    responses: Iterable[Response | InboxItem],
    *,
    now: datetime,
    target: timedelta | None = None,
    percentiles: Sequence[float] = (50, 90, 95),
) -> SlaReport:
    """SLA figures for ``responses`` (ignored inbox items are left out).

    ``overdue`` lists unanswered items older than ``target`` at ``now``, oldest first.
    """
    rows = [
        r if isinstance(r, Response) else Response.of(r)
        for r in responses
        if not (isinstance(r, InboxItem) and r.stage is Stage.IGNORED)
    ]
    groups: dict[str, list[Response]] = defaultdict(list)
    for row in rows:
        groups[row.platform].append(row)
    overdue = (
        sorted(
            (r for r in rows if r.responded_at is None and now - r.created_at > target),
            key=lambda r: r.created_at,
        )
        if target is not None
        else []
    )
    return SlaReport(
        overall=_figures(rows, percentiles, target),
        by_platform={name: _figures(group, percentiles, target) for name, group in groups.items()},
        overdue=overdue,
        target=target,
        at=now,
    )
