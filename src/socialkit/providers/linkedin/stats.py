"""LinkedIn statistics → normalised `Metric` records.

- ``organizationalEntityShareStatistics``: ``totalShareStatistics`` (impressionCount,
  uniqueImpressionsCount, clickCount, likeCount, commentCount, shareCount, engagement).
- ``organizationalEntityFollowerStatistics`` (time-bound): ``followerGains``
  (organicFollowerGain, paidFollowerGain) per ``timeRange``.
- ``memberCreatorPostAnalytics``: one ``count`` per ``queryType``.

References: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics,
.../organizations/follower-statistics and .../members/post-statistics
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ...models import Metric
from .parse import epoch_ms, metric

__all__ = [
    "MEMBER_QUERY_TYPES",
    "SHARE_STATISTICS",
    "follower_gains",
    "member_metric",
    "share_metrics",
    "time_intervals",
]

SHARE_STATISTICS = {
    "impressionCount": "impressions",
    "uniqueImpressionsCount": "reach",
    "clickCount": "clicks",
    "likeCount": "likes",
    "commentCount": "comments",
    "shareCount": "shares",
    "engagement": "engagement_rate",
}
"""``totalShareStatistics`` fields → metric names."""

MEMBER_QUERY_TYPES = {
    "IMPRESSION": "impressions",
    "MEMBERS_REACHED": "reach",
    "REACTION": "likes",
    "COMMENT": "comments",
    "RESHARE": "shares",
}
"""memberCreatorPostAnalytics ``queryType`` values asked for → metric names."""


def share_metrics(
    subject: str,
    subject_id: str,
    totals: Mapping[str, Any],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    period: str = "lifetime",
) -> list[Metric]:
    """Share statistics. LinkedIn leaves out posts with no impressions and no actions, so an
    absent post's counts are zero (the engagement rate of nothing stays ``None``)."""
    empty = not totals
    return [
        metric(
            subject,
            subject_id,
            name,
            0 if empty and native != "engagement" else totals.get(native),
            f"totalShareStatistics.{native}",
            start=start,
            end=end,
            period=period,
        )
        for native, name in SHARE_STATISTICS.items()
    ]


def member_metric(post_id: str, query_type: str, elements: Sequence[Mapping[str, Any]]) -> Metric:
    """The lifetime (``TOTAL``) count of one queryType; no data point is ``None``."""
    count = sum(
        e["count"] for e in elements if isinstance(e.get("count"), int) and e["count"] >= 0
    ) if elements else None
    return metric("post", post_id, MEMBER_QUERY_TYPES[query_type], count, query_type)


def follower_gains(org: str, elements: Sequence[Mapping[str, Any]]) -> list[Metric]:
    """Daily ``new_followers`` (organic + paid) and ``new_paid_followers``."""
    found = []
    for element in elements:
        gains = element.get("followerGains")
        span = element.get("timeRange")
        if not isinstance(gains, Mapping) or not isinstance(span, Mapping):
            continue
        start, end = epoch_ms(span.get("start")), epoch_ms(span.get("end"))
        organic, paid = gains.get("organicFollowerGain"), gains.get("paidFollowerGain")
        total = organic + paid if isinstance(organic, int) and isinstance(paid, int) else None
        found.append(
            metric("account", org, "new_followers", total, "followerGains", start=start,
                   end=end, period="day")
        )
        found.append(
            metric("account", org, "new_paid_followers", paid, "followerGains.paidFollowerGain",
                   start=start, end=end, period="day")
        )
    return found


def _ms(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp() * 1000)


def time_intervals(since: datetime, until: datetime) -> str:
    """The Rest.li record ``(timeRange:(start:ms,end:ms),timeGranularityType:DAY)``."""
    return f"(timeRange:(start:{_ms(since)},end:{_ms(until)}),timeGranularityType:DAY)"
