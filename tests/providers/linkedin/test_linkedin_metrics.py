"""Metrics: organization share statistics, member post analytics (or a clear refusal),
follower counts and daily gains."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .linkedin_support import ORG, SHARE, raw_query

API = "https://api.linkedin.com"
MEMBER_SHARE = "urn:li:share:7300000000000000001"
SINCE = datetime(2024, 5, 4, tzinfo=UTC)
UNTIL = datetime(2024, 5, 6, tzinfo=UTC)


def values(metrics: list[sk.Metric]) -> dict[str, Any]:
    return {m.name: m.value for m in metrics}


def test_organization_post_metrics_ask_share_statistics_for_the_share(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/organizationalEntityShareStatistics").respond(
        200, json=body("share_statistics")
    )
    li.post_metrics(SHARE)
    request = route.calls.last.request
    assert raw_query(request) == (
        "q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
        "&shares=List(urn%3Ali%3Ashare%3A6844785523593134080)"
    )
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"


def test_organization_post_metrics_are_normalised(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/organizationalEntityShareStatistics").respond(
        200, json=body("share_statistics")
    )
    metrics = li.post_metrics(SHARE)
    assert values(metrics) == {
        "impressions": 3, "reach": 2, "clicks": 0, "likes": 0, "comments": 0, "shares": 0,
        "engagement_rate": 0.0,
    }
    impressions = next(m for m in metrics if m.name == "impressions")
    assert (impressions.subject, impressions.subject_id, impressions.native_name) == (
        "post", SHARE, "totalShareStatistics.impressionCount"
    )


def test_a_ugc_post_is_asked_as_ugc_posts(li: Any, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/rest/organizationalEntityShareStatistics").respond(
        200, json={"elements": []}
    )
    li.post_metrics("urn:li:ugcPost:6949676953017315328")
    assert raw_query(route.calls.last.request).endswith(
        "&ugcPosts=List(urn%3Ali%3AugcPost%3A6949676953017315328)"
    )


def test_a_post_without_statistics_counts_zero(li: Any, router: respx.MockRouter) -> None:
    router.get(f"{API}/rest/organizationalEntityShareStatistics").respond(
        200, json={"elements": []}
    )
    found = values(li.post_metrics(SHARE))
    assert found["impressions"] == 0
    assert found["engagement_rate"] is None


def test_member_post_metrics_ask_each_query_type_in_total(
    member: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/memberCreatorPostAnalytics").respond(
        200, json=body("member_post_analytics")
    )
    member.post_metrics(MEMBER_SHARE)
    queries = [raw_query(call.request) for call in route.calls]
    assert queries[0] == (
        "q=entity&entity=(share:urn%3Ali%3Ashare%3A7300000000000000001)"
        "&queryType=IMPRESSION&aggregation=TOTAL"
    )
    assert [q.split("queryType=")[1].split("&")[0] for q in queries] == [
        "IMPRESSION", "MEMBERS_REACHED", "REACTION", "COMMENT", "RESHARE"
    ]


def test_member_post_metrics_read_the_counts(
    member: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/memberCreatorPostAnalytics").respond(
        200, json=body("member_post_analytics")
    )
    metrics = member.post_metrics(MEMBER_SHARE)
    assert values(metrics)["impressions"] == 1100
    assert {m.native_name for m in metrics} == {
        "IMPRESSION", "MEMBERS_REACHED", "REACTION", "COMMENT", "RESHARE"
    }


def test_a_member_ugc_post_uses_the_ugc_entity(member: Any, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/rest/memberCreatorPostAnalytics").respond(
        200, json={"elements": []}
    )
    metrics = member.post_metrics("urn:li:ugcPost:42")
    assert "entity=(ugc:urn%3Ali%3AugcPost%3A42)" in raw_query(route.calls.last.request)
    assert values(metrics)["impressions"] is None


def test_member_post_metrics_without_the_scope_say_which_scope(
    member: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/memberCreatorPostAnalytics").respond(
        403, json=body("error_access_denied")
    )
    with pytest.raises(sk.PermissionDenied, match="r_member_postAnalytics") as raised:
        member.post_metrics(MEMBER_SHARE)
    assert raised.value.status == 403


def test_organization_followers_come_from_network_sizes(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(url__startswith=f"{API}/rest/networkSizes/").respond(
        200, json=body("network_size")
    )
    (followers,) = li.account_metrics()
    request = route.calls.last.request
    assert request.url.raw_path == (
        b"/rest/networkSizes/urn%3Ali%3Aorganization%3A2414183"
        b"?edgeType=COMPANY_FOLLOWED_BY_MEMBER"
    )
    assert (followers.name, followers.value, followers.subject_id) == ("followers", 154181, ORG)


def test_organization_metrics_over_a_period_ask_daily_statistics(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(url__startswith=f"{API}/rest/networkSizes/").respond(200, json=body("network_size"))
    followers = router.get(f"{API}/rest/organizationalEntityFollowerStatistics").respond(
        200, json=body("follower_statistics_daily")
    )
    shares = router.get(f"{API}/rest/organizationalEntityShareStatistics").respond(
        200, json=body("share_statistics_daily")
    )
    li.account_metrics(SINCE, UNTIL)
    expected = (
        "q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
        "&timeIntervals=(timeRange:(start:1714780800000,end:1714953600000),"
        "timeGranularityType:DAY)"
    )
    assert raw_query(followers.calls.last.request) == expected
    assert raw_query(shares.calls.last.request) == expected


def test_organization_daily_gains_and_share_statistics(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(url__startswith=f"{API}/rest/networkSizes/").respond(200, json=body("network_size"))
    router.get(f"{API}/rest/organizationalEntityFollowerStatistics").respond(
        200, json=body("follower_statistics_daily")
    )
    router.get(f"{API}/rest/organizationalEntityShareStatistics").respond(
        200, json=body("share_statistics_daily")
    )
    metrics = li.account_metrics(SINCE, UNTIL)
    gains = [m for m in metrics if m.name == "new_followers"]
    assert [m.value for m in gains] == [3, -1]
    assert gains[0].start == datetime(2016, 1, 1, tzinfo=UTC)
    assert gains[0].period == "day"
    impressions = next(m for m in metrics if m.name == "impressions")
    assert (impressions.value, impressions.subject) == (20, "account")


def test_member_followers_now(
    member: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/memberFollowersCount").respond(
        200, json=body("member_followers")
    )
    (followers,) = member.account_metrics()
    assert raw_query(route.calls.last.request) == "q=me"
    assert (followers.name, followers.value) == ("followers", 961)


def test_member_new_followers_per_day(
    member: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/memberFollowersCount").mock(side_effect=[
        httpx.Response(200, json=body("member_followers")),
        httpx.Response(200, json=body("member_followers_daily")),
    ])
    metrics = member.account_metrics(SINCE, UNTIL)
    assert raw_query(route.calls.last.request) == (
        "q=dateRange&dateRange=(start:(year:2024,month:5,day:4),end:(year:2024,month:5,day:6))"
    )
    daily = [m for m in metrics if m.name == "new_followers"]
    assert [(m.start, m.value) for m in daily] == [
        (datetime(2024, 5, 4, tzinfo=UTC), 3), (datetime(2024, 5, 5, tzinfo=UTC), 5)
    ]


def test_member_followers_without_the_scope_say_which_scope(
    member: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/memberFollowersCount").respond(403, json=body("error_access_denied"))
    with pytest.raises(sk.PermissionDenied, match="r_member_profileAnalytics"):
        member.account_metrics()
