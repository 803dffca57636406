"""Best posting times: mean past engagement per hour of the week, in a chosen time zone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

import attrs

from .._records import Record
from ..models import Post
from ._columns import LocalClock, bound, to_us, within
from ._engine import optional
from .formulas import (
    DEFAULT_ENGAGEMENTS,
    MetricSource,
    RateBase,
    engagement_rate,
    engagements,
    metric_values,
)
from .html import heat_table
from .summaries import Selection
from .table import MetricTable

__all__ = ["WEEKDAYS", "BestTimes", "Slot", "best_times"]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PostsWithMetrics = MetricTable | Iterable[Post] | Iterable[tuple[Post, MetricSource]]


@attrs.frozen
class Slot(Record):
    """One hour of the week: ``weekday`` 0 is Monday, ``hour`` 0-23 local time."""

    weekday: int
    hour: int
    value: float
    posts: int

    @property
    def label(self) -> str:
        """``"Tue 18:00"``."""
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}:00"


@attrs.frozen(eq=False)
class BestTimes(Record):
    """Mean ``metric`` per post published in each hour of the week (7 x 24).

    ``mean[weekday][hour]`` is ``None`` where no post was published; ``posts``
    counts the posts behind each mean. ``skipped`` counts posts left out for
    want of a publish time or of the metric.
    """

    metric: str
    tz: str
    mean: tuple[tuple[float | None, ...], ...]
    posts: tuple[tuple[int, ...], ...]
    skipped: int = 0

    def at(self, weekday: int, hour: int) -> float | None:
        """The mean in one slot (``weekday`` 0 is Monday)."""
        return self.mean[weekday][hour]

    def top(self, n: int = 3, *, min_posts: int = 1) -> list[Slot]:
        """The ``n`` best slots with at least ``min_posts`` posts, best first."""
        slots = [
            Slot(day, hour, value, self.posts[day][hour])
            for day, row in enumerate(self.mean)
            for hour, value in enumerate(row)
            if value is not None and self.posts[day][hour] >= min_posts
        ]
        slots.sort(key=lambda s: (-s.value, -s.posts, s.weekday, s.hour))
        return slots[: max(n, 0)]

    def to_pandas(self) -> Any:
        """The 7 x 24 means as a ``pandas.DataFrame`` (weekday rows, hour columns)."""
        from .._optional import require

        pd = require("pandas", "pandas", "to_pandas()")
        return pd.DataFrame(
            [[float("nan") if v is None else v for v in row] for row in self.mean],
            index=list(WEEKDAYS),
            columns=list(range(24)),
        )

    def __str__(self) -> str:
        best = ", ".join(f"{s.label} ({s.value:,.4g}, {s.posts} posts)" for s in self.top(3))
        return f"Best times by {self.metric} ({self.tz}): {best or 'no data'}"

    def _repr_html_(self) -> str:
        return heat_table(
            WEEKDAYS,
            [f"{h:02d}" for h in range(24)],
            self.mean,
            title=f"Mean {self.metric} per post by hour of week ({self.tz})",
            notes=[f"{self.skipped} posts left out"] if self.skipped else [],
        )


Window = tuple[date | datetime | None, date | datetime | None, tzinfo]
"""``(since, until, zone)``: a ``date`` edge is its whole day in the zone."""


def best_times(
    posts_with_metrics: PostsWithMetrics,
    *,
    tz: str | tzinfo = "UTC",
    metric: str = "engagements",
    include: Sequence[str] = DEFAULT_ENGAGEMENTS,
    rate_by: RateBase = "auto",
    platform: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> BestTimes:
    """Hour-of-week heat of past engagement, to choose when to post.

    For each post published (in ``tz``) on a weekday and hour, takes its
    ``metric`` — ``"engagements"`` (the sum of ``include``),
    ``"engagement_rate"`` (by ``rate_by``) or any metric name — and averages
    per slot. Posts without a publish time or without the metric are left out
    (not counted as zero). Accepts a `MetricTable`, posts (their public
    ``metrics``), or ``(post, metrics)`` pairs.
    """
    clock = LocalClock(tz)
    window = (since, until, clock.tz)
    points = (
        _table_points(posts_with_metrics, metric, include, rate_by, platform, window)
        if isinstance(posts_with_metrics, MetricTable)
        else _post_points(posts_with_metrics, metric, include, rate_by, platform, window)
    )
    sums = [[0.0] * 24 for _ in range(7)]
    counts = [[0] * 24 for _ in range(7)]
    skipped = 0
    for published, value in points:
        if published is None or value is None:
            skipped += 1
            continue
        local = clock.local(published)
        sums[local.weekday()][local.hour] += value
        counts[local.weekday()][local.hour] += 1
    mean = tuple(
        tuple(s / c if c else None for s, c in zip(srow, crow, strict=True))
        for srow, crow in zip(sums, counts, strict=True)
    )
    return BestTimes(metric, str(clock.tz), mean, tuple(map(tuple, counts)), skipped)


def _table_points(
    table: MetricTable,
    metric: str,
    include: Sequence[str],
    rate_by: RateBase,
    platform: str | None,
    window: Window,
) -> list[tuple[int | None, float | None]]:
    since, until, tz = window
    selection = Selection.of(
        table, platform=platform, since=since, until=until, include=include, rate_by=rate_by,
        tz=tz,
    )
    if metric == "engagements":
        scores = selection.engagements
    elif metric == "engagement_rate":
        scores = selection.rate
    else:
        scores = selection.frame.column(metric)
    return list(zip(selection.published, optional(scores), strict=True))


def _post_points(
    items: Iterable[Post] | Iterable[tuple[Post, MetricSource]],
    metric: str,
    include: Sequence[str],
    rate_by: RateBase,
    platform: str | None,
    window: Window,
) -> list[tuple[int | None, float | None]]:
    since, until, tz = window
    low, high = bound(since, end=False, tz=tz), bound(until, end=True, tz=tz)
    points: list[tuple[int | None, float | None]] = []
    for item in items:
        post, source = item if isinstance(item, tuple) else (item, item)
        if platform is not None and post.platform != platform:
            continue
        published = None if post.created_at is None else to_us(post.created_at)
        if (low is not None or high is not None) and not within(published, low, high):
            continue
        if metric == "engagements":
            value = engagements(source, include=include).value
        elif metric == "engagement_rate":
            value = engagement_rate(source, rate_by, include=include).value
        else:
            found = metric_values(source).get(metric)
            value = None if found is None else float(found)
        points.append((published, value))
    return points
