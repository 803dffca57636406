"""Date ranges for insights endpoints that refuse long or early ``since``/``until``.

Facebook Page insights show "only 90 days of insights at one time when using the since and
until parameters" and "only the last two years"
(https://developers.facebook.com/docs/graph-api/reference/insights, Limitations);
Instagram account insights take at most 30 days per request; Threads user insights "do
not work for dates before April 13, 2024 (Unix timestamp 1712991600)"
(https://developers.facebook.com/docs/threads/insights, Limitations).

A long range is cut into consecutive windows, one request each; the `Metric` records of
every window are returned together, each with the ``start``/``end`` of its own window or
day, so a total over a window is never mistaken for one over the whole range. An early
``since`` is moved to the earliest date the API serves, logged at WARNING; a total then
starts there (its ``start`` says so).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from ...models import Metric

__all__ = ["clamp", "unique", "windows"]

log = logging.getLogger(__name__)


def windows(
    since: datetime | None, until: datetime | None, longest: timedelta | None, now: datetime
) -> list[tuple[datetime | None, datetime | None]]:
    """``[since, until)`` (``until`` defaulting to ``now``) cut into consecutive windows of
    at most ``longest``; one window when nothing needs cutting (or ``since`` is unset, so
    the API picks its default range)."""
    if since is None or longest is None:
        return [(since, until)]
    end = until or now
    found: list[tuple[datetime | None, datetime | None]] = []
    start = since
    while start < end:
        last = min(end, start + longest)
        found.append((start, last))
        start = last
    return found or [(since, until)]


def clamp(since: datetime | None, earliest: datetime, *, platform: str) -> datetime | None:
    """``since``, moved forward to ``earliest`` (with a WARNING) when it is before it."""
    if since is None or since >= earliest:
        return since
    log.warning(
        "%s insights start no earlier than %s: asked since %s, reading from %s",
        platform,
        earliest.astimezone(UTC).isoformat(),
        since.astimezone(UTC).isoformat(),
        earliest.astimezone(UTC).isoformat(),
    )
    return earliest


def unique(metrics: Iterable[Metric]) -> list[Metric]:
    """The metrics in order, without a second copy of a (name, period, start, end) that
    two adjacent windows both returned."""
    seen: set[tuple[str, str, datetime | None, datetime | None]] = set()
    found = []
    for metric in metrics:
        key = (metric.name, metric.period, metric.start, metric.end)
        if key not in seen:
            seen.add(key)
            found.append(metric)
    return found
