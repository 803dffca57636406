"""Deleting, moderating, liking, reposting, and the post and account metrics."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

ME = "2244994945"
TWEET = "1346889436626259968"


def ok(body: Callable[[str], Any], name: str) -> httpx.Response:
    return httpx.Response(200, json=body(name))


def test_delete_post_sends_delete(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.delete(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "delete_tweet"))
    assert x.delete_post(TWEET) is None
    assert route.call_count == 1


def test_a_delete_x_did_not_do_is_a_platform_error(x: Any, router: respx.MockRouter) -> None:
    router.delete(f"/2/tweets/{TWEET}").mock(
        return_value=httpx.Response(200, json={"data": {"deleted": False}}))
    with pytest.raises(sk.PlatformError, match="did not delete"):
        x.delete_post(TWEET)


def test_delete_comment_deletes_our_own_reply(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.delete("/2/tweets/1346891234567890001").mock(
        return_value=ok(body, "delete_tweet"))
    x.delete_comment("1346891234567890001")
    assert route.call_count == 1


def test_hide_comment_puts_hidden_true(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.put("/2/tweets/1346891234567890001/hidden").mock(
        return_value=ok(body, "hide_reply"))
    x.hide_comment("1346891234567890001")
    assert json.loads(route.calls.last.request.content) == {"hidden": True}


def test_unhide_comment_puts_hidden_false(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.put("/2/tweets/1346891234567890001/hidden").mock(
        return_value=ok(body, "unhide_reply"))
    x.hide_comment("1346891234567890001", hidden=False)
    assert json.loads(route.calls.last.request.content) == {"hidden": False}


def test_react_likes_as_the_authenticated_user(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"/2/users/{ME}/likes").mock(return_value=ok(body, "like"))
    x.react(TWEET)
    assert json.loads(route.calls.last.request.content) == {"tweet_id": TWEET}


def test_reactions_other_than_like_are_unsupported_before_io(
    x: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.Unsupported) as raised:
        x.react(TWEET, "love")
    assert raised.value.capability == "react"
    assert not router.calls


def test_repost_retweets_as_the_authenticated_user(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"/2/users/{ME}/retweets").mock(return_value=ok(body, "retweet"))
    x.repost(TWEET)
    assert json.loads(route.calls.last.request.content) == {"tweet_id": TWEET}


def test_like_is_retried_after_a_503(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"/2/users/{ME}/likes").mock(side_effect=[
        httpx.Response(503, json=body("problem_service_unavailable")), ok(body, "like"),
    ])
    x.react(TWEET)
    assert route.call_count == 2


def _metrics(metrics: list[sk.Metric]) -> dict[str, int | float | None]:
    return {m.name: m.value for m in metrics}


def test_post_metrics_asks_for_private_metrics_with_a_user_token(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet_metrics_private"))
    x.post_metrics(TWEET)
    assert route.calls.last.request.url.params["tweet.fields"] == (
        "created_at,public_metrics,non_public_metrics,organic_metrics"
    )


def test_post_metrics_normalises_public_private_and_organic_names(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet_metrics_private"))
    assert _metrics(x.post_metrics(TWEET)) == {
        "likes": 134, "shares": 27, "comments": 6, "quotes": 3, "saves": 11,
        "impressions": 40321, "clicks": 512, "profile_clicks": 87, "engagements": 1402,
        "organic_impressions": 38002, "organic_likes": 130, "organic_comments": 6,
        "organic_shares": 25, "organic_clicks": 498, "organic_profile_clicks": 80,
    }


def test_post_metrics_keep_the_native_names(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet_metrics_private"))
    natives = {m.name: m.native_name for m in x.post_metrics(TWEET)}
    assert natives["shares"] == "public_metrics.retweet_count"
    assert natives["clicks"] == "non_public_metrics.url_link_clicks"
    assert all(m.subject == "post" and m.subject_id == TWEET for m in x.post_metrics(TWEET))


def test_post_metrics_fall_back_to_public_on_a_field_authorization_error(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/tweets/{TWEET}").mock(side_effect=[
        ok(body, "tweet_metrics_field_unauthorized"), ok(body, "tweet_metrics_public"),
    ])
    metrics = _metrics(x.post_metrics(TWEET))
    assert metrics["impressions"] == 40321
    assert "clicks" not in metrics
    assert route.calls.last.request.url.params["tweet.fields"] == "created_at,public_metrics"


def test_post_metrics_with_app_only_ask_for_public_metrics_only(
    connect: Any, platform_factory: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/tweets/{TWEET}").mock(return_value=ok(body, "tweet_metrics_public"))
    connect(platform_factory(bearer_token="app-token")).post_metrics(TWEET)
    assert route.call_count == 1
    assert route.calls.last.request.url.params["tweet.fields"] == "created_at,public_metrics"


def test_account_metrics_snapshot_users_me_public_metrics(
    x: Any, router: respx.MockRouter
) -> None:
    metrics = x.account_metrics()
    assert _metrics(metrics) == {"followers": 513958, "following": 2039, "posts": 3635,
                                 "listed": 1672, "likes_given": 2150}
    assert {(m.subject, m.subject_id) for m in metrics} == {("account", ME)}
