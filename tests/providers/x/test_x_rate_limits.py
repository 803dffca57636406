"""``x-rate-limit-*`` headers become per-bucket state, one bucket per endpoint family."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.http import RATE_LIMITS
from socialkit.providers.x.wire import bucket_for

TWEET = "1346889436626259968"


def limited(body: Callable[[str], Any], name: str, remaining: int, reset: int) -> httpx.Response:
    return httpx.Response(200, json=body(name), headers={
        "x-rate-limit-limit": "900", "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(reset),
    })


@pytest.mark.parametrize(
    ("method", "path", "bucket"),
    [
        ("POST", "/2/tweets", "tweets:write"),
        ("DELETE", f"/2/tweets/{TWEET}", "tweets:write"),
        ("GET", f"/2/tweets/{TWEET}", "tweets:read"),
        ("PUT", f"/2/tweets/{TWEET}/hidden", "tweets:hide"),
        ("GET", "/2/tweets/search/recent", "search"),
        ("GET", "/2/users/2244994945/tweets", "tweets:timeline"),
        ("GET", "/2/users/2244994945/mentions", "tweets:mentions"),
        ("GET", "/2/users/me", "users"),
        ("GET", "/2/users/by/username/TwitterDev", "users"),
        ("POST", "/2/users/2244994945/likes", "likes"),
        ("POST", "/2/users/2244994945/retweets", "retweets"),
        ("POST", "/2/media/upload/initialize", "media"),
        ("GET", "/2/media/upload", "media"),
    ],
)
def test_each_endpoint_family_has_its_bucket(method: str, path: str, bucket: str) -> None:
    assert bucket_for(method, path) == bucket


def test_headers_update_the_state_of_the_calls_bucket(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    reset = int(time.time()) + 600
    router.get(f"/2/tweets/{TWEET}").mock(return_value=limited(body, "tweet", 899, reset))
    x.get_post(TWEET)
    info = RATE_LIMITS.get(("x", x.platform.account_key, "tweets:read"))
    assert info is not None
    assert (info.limit, info.remaining, info.bucket) == (900, 899, "tweets:read")
    assert info.reset_at == datetime.fromtimestamp(reset, UTC)


def test_an_empty_bucket_refuses_the_next_call_before_sending(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"/2/tweets/{TWEET}").mock(
        return_value=limited(body, "tweet", 0, int(time.time()) + 900))
    x.get_post(TWEET)
    with pytest.raises(sk.RateLimited):
        x.get_post(TWEET)
    assert route.call_count == 1


def test_an_empty_bucket_does_not_hold_up_other_families(
    x: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get("/2/tweets/search/recent").mock(
        return_value=limited(body, "empty_page", 0, int(time.time()) + 900))
    tweet = router.get(f"/2/tweets/{TWEET}").mock(return_value=httpx.Response(
        200, json=body("tweet")))
    x.items(x.search("socialkit"))
    x.get_post(TWEET)
    assert tweet.call_count == 1
