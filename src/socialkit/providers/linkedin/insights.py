"""The statistics flows: post metrics and account metrics, for organizations and members.

- Organization post: ``GET /rest/organizationalEntityShareStatistics?q=organizationalEntity
  &organizationalEntity=…&shares=List(…)`` (or ``ugcPosts=List(…)``); ``rw_organization_admin``.
- Member post: ``GET /rest/memberCreatorPostAnalytics?q=entity&entity=(share:…)&queryType=…
  &aggregation=TOTAL``, one call per metric; ``r_member_postAnalytics``.
- Organization followers: ``GET /rest/networkSizes/{org}?edgeType=COMPANY_FOLLOWED_BY_MEMBER``;
  over a period, ``organizationalEntityFollowerStatistics`` and
  ``organizationalEntityShareStatistics`` with ``timeIntervals`` (daily).
- Member followers: ``GET /rest/memberFollowersCount?q=me``; over a period,
  ``q=dateRange&dateRange=(start:(…),end:(…))``; ``r_member_profileAnalytics``.

References: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics,
.../organizations/follower-statistics, .../organizations/organization-lookup-api,
.../members/post-statistics, .../members/follower-statistics
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...errors import PermissionDenied
from ...models import Metric
from ...platform import Flow, Platform
from . import parse
from .stats import (
    MEMBER_QUERY_TYPES,
    follower_gains,
    member_metric,
    share_metrics,
    time_intervals,
)
from .urns import analytics_entity, encode, restli_list, with_query

__all__ = ["member", "member_post", "organization", "organization_post"]

_FINDER = {"X-RestLi-Method": "FINDER"}


def _get(platform: Platform, url: str, *, finder: bool = True) -> Flow[Any]:
    response = yield platform.call("GET", url, headers=_FINDER if finder else {})
    return platform.json(response)


def _scope_error(error: PermissionDenied, scope: str, what: str) -> PermissionDenied:
    return PermissionDenied(
        f"reading {what} needs the {scope} permission (LinkedIn Community Management API), "
        f"which this token lacks: {error.message}",
        platform="linkedin",
        status=error.status,
        code=error.code,
        request_id=error.request_id,
    )


def organization_post(platform: Platform, org: str, urn: str) -> Flow[list[Metric]]:
    """Lifetime share statistics of one of the organization's posts."""
    key = "ugcPosts" if urn.startswith("urn:li:ugcPost:") else "shares"
    url = with_query(
        "/rest/organizationalEntityShareStatistics",
        ("q", "organizationalEntity"),
        ("organizationalEntity", encode(org)),
        (key, restli_list([urn])),
    )
    found = parse.elements((yield from _get(platform, url)))
    totals = found[0].get("totalShareStatistics") if found else None
    return share_metrics("post", urn, totals if isinstance(totals, Mapping) else {})


def member_post(platform: Platform, urn: str) -> Flow[list[Metric]]:
    """Lifetime counts of one of the member's posts, one call per metric."""
    metrics = []
    for query_type in MEMBER_QUERY_TYPES:
        url = with_query(
            "/rest/memberCreatorPostAnalytics",
            ("q", "entity"),
            ("entity", analytics_entity(urn)),
            ("queryType", query_type),
            ("aggregation", "TOTAL"),
        )
        try:
            body = yield from _get(platform, url)
        except PermissionDenied as error:
            raise _scope_error(error, "r_member_postAnalytics", "post metrics") from None
        metrics.append(member_metric(urn, query_type, parse.elements(body)))
    return metrics


def organization(
    platform: Platform, org: str, since: datetime | None, until: datetime | None
) -> Flow[list[Metric]]:
    """Followers now; with ``since``, daily follower gains and share statistics."""
    url = with_query(
        f"/rest/networkSizes/{encode(org)}", ("edgeType", "COMPANY_FOLLOWED_BY_MEMBER")
    )
    body = yield from _get(platform, url, finder=False)
    size = body.get("firstDegreeSize") if isinstance(body, Mapping) else None
    metrics = [parse.metric("account", org, "followers", size, "firstDegreeSize")]
    if since is None:
        return metrics
    common = (
        ("q", "organizationalEntity"),
        ("organizationalEntity", encode(org)),
        ("timeIntervals", time_intervals(since, until or datetime.now(UTC))),
    )
    body = yield from _get(
        platform, with_query("/rest/organizationalEntityFollowerStatistics", *common)
    )
    metrics.extend(follower_gains(org, parse.elements(body)))
    shares_url = with_query("/rest/organizationalEntityShareStatistics", *common)
    body = yield from _get(platform, shares_url)
    for element in parse.elements(body):
        totals = element.get("totalShareStatistics")
        span = element.get("timeRange")
        span = span if isinstance(span, Mapping) else {}
        metrics.extend(
            share_metrics(
                "account",
                org,
                totals if isinstance(totals, Mapping) else {},
                start=parse.epoch_ms(span.get("start")),
                end=parse.epoch_ms(span.get("end")),
                period="day",
            )
        )
    return metrics


def _day(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"(year:{moment.year},month:{moment.month},day:{moment.day})"


def _date(value: Any) -> datetime | None:
    if not isinstance(value, Mapping):
        return None
    try:
        return datetime(int(value["year"]), int(value["month"]), int(value["day"]), tzinfo=UTC)
    except (KeyError, TypeError, ValueError):
        return None


def member(
    platform: Platform, author: str, since: datetime | None, until: datetime | None
) -> Flow[list[Metric]]:
    """Followers now; with ``since``, new followers per day."""
    try:
        body = yield from _get(platform, with_query("/rest/memberFollowersCount", ("q", "me")))
        found = parse.elements(body)
        count = found[0].get("memberFollowersCount") if found else None
        metrics = [parse.metric("account", author, "followers", count, "memberFollowersCount")]
        if since is None:
            return metrics
        span = f"(start:{_day(since)},end:{_day(until or datetime.now(UTC))})"
        url = with_query("/rest/memberFollowersCount", ("q", "dateRange"), ("dateRange", span))
        body = yield from _get(platform, url)
    except PermissionDenied as error:
        raise _scope_error(error, "r_member_profileAnalytics", "follower counts") from None
    for element in parse.elements(body):
        dates = element.get("dateRange")
        metrics.append(
            parse.metric(
                "account",
                author,
                "new_followers",
                element.get("memberFollowersCount"),
                "memberFollowersCount",
                start=_date(dates.get("start")) if isinstance(dates, Mapping) else None,
                end=_date(dates.get("end")) if isinstance(dates, Mapping) else None,
                period="day",
            )
        )
    return metrics
