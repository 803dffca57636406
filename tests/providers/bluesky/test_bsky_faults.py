"""Faults: rate limits, server errors, malformed answers and XRPC error names."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.http import RATE_LIMITS

from .bsky_support import Driver, load, platform, xrpc

POST = "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt2ttvf6c2a"
GET_POSTS = xrpc("app.bsky.feed.getPosts")


def limited(reset: float) -> httpx.Response:
    return httpx.Response(
        429,
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={"RateLimit-Limit": "3000", "RateLimit-Remaining": "0",
                 "RateLimit-Reset": str(int(reset)), "RateLimit-Policy": "3000;w=300"},
    )


def test_429_with_a_distant_reset_raises_rate_limited(bsky: Driver, api: respx.MockRouter) -> None:
    reset = time.time() + 3600
    route = api.get(GET_POSTS).mock(return_value=limited(reset))
    with pytest.raises(sk.RateLimited) as raised:
        bsky.get_post(POST)
    assert raised.value.reset_at == datetime.fromtimestamp(int(reset), UTC)
    assert raised.value.retry_after == pytest.approx(3600, abs=5)
    assert route.call_count == 1


def test_429_with_a_near_reset_waits_and_retries(
    bsky: Driver, api: respx.MockRouter, sleeps: list[float]
) -> None:
    route = api.get(GET_POSTS)
    route.side_effect = [limited(time.time() + 3), httpx.Response(200, json=load("getPosts"))]
    assert bsky.get_post(POST).id == POST
    assert route.call_count == 2
    assert 1 <= max(sleeps) <= 4


def test_rate_limit_headers_are_recorded_per_bucket(bsky: Driver, api: respx.MockRouter) -> None:
    reset = int(time.time()) + 300
    api.get(GET_POSTS).respond(json=load("getPosts"), headers={
        "RateLimit-Limit": "3000", "RateLimit-Remaining": "2999",
        "RateLimit-Reset": str(reset), "RateLimit-Policy": "3000;w=300",
    })
    bluesky = bsky.platform
    bsky.get_post(POST)
    info = RATE_LIMITS.get((bluesky.name, bluesky.account_key, "read"))
    assert info is not None
    assert (info.limit, info.remaining) == (3000, 2999)
    assert info.reset_at == datetime.fromtimestamp(reset, UTC)


def test_limit_comes_from_the_policy_when_the_limit_header_is_missing() -> None:
    from socialkit.providers.bluesky.xrpc import rate_limit

    request = httpx.Request("GET", GET_POSTS)
    response = httpx.Response(200, headers={"RateLimit-Policy": "5000;w=3600",
                                            "RateLimit-Remaining": "12"}, request=request)
    info = rate_limit(response)
    assert info is not None
    assert (info.limit, info.remaining) == (5000, 12)


def test_login_has_its_own_bucket(bsky: Driver, api: respx.MockRouter) -> None:
    api["login"].respond(
        json=load("createSession") | {"accessJwt": "a.b.c", "refreshJwt": "r.s.t"},
        headers={"RateLimit-Limit": "30", "RateLimit-Remaining": "29",
                 "RateLimit-Reset": str(int(time.time()) + 300)},
    )
    api.get(GET_POSTS).respond(json=load("getPosts"))
    bsky.get_post(POST)
    bluesky = bsky.platform
    info = RATE_LIMITS.get((bluesky.name, bluesky.account_key, "session"))
    assert info is not None
    assert info.limit == 30


def test_503_on_a_get_is_retried(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(GET_POSTS)
    route.side_effect = [httpx.Response(503), httpx.Response(502),
                         httpx.Response(200, json=load("getPosts"))]
    assert bsky.get_post(POST).id == POST
    assert route.call_count == 3


def test_persistent_503_is_a_platform_error(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(GET_POSTS).respond(503, json={"error": "UpstreamFailure", "message": "down"})
    with pytest.raises(sk.PlatformError) as raised:
        bsky.get_post(POST)
    assert (raised.value.status, raised.value.code) == (503, "UpstreamFailure")


def test_malformed_json_is_a_parse_error(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(GET_POSTS).respond(200, content=b'{"posts": [', headers={
        "Content-Type": "application/json"})
    with pytest.raises(sk.ParseError):
        bsky.get_post(POST)


def test_answer_missing_required_fields_is_a_parse_error(
    bsky: Driver, api: respx.MockRouter
) -> None:
    api.get(GET_POSTS).respond(json={"posts": [{"cid": "bafy"}]})
    with pytest.raises(sk.ParseError):
        bsky.get_post(POST)


def test_record_not_found_is_not_found(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(GET_POSTS).respond(
        400, json={"error": "RecordNotFound", "message": "Could not locate record"}
    )
    with pytest.raises(sk.NotFound) as raised:
        bsky.get_post(POST)
    assert raised.value.code == "RecordNotFound"


def test_blocked_actor_is_permission_denied(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(xrpc("app.bsky.feed.getAuthorFeed")).respond(
        400, json={"error": "BlockedByActor", "message": "Requester is blocked by actor"}
    )
    with pytest.raises(sk.PermissionDenied):
        bsky.posts("alice.bsky.social")


def test_invalid_request_on_a_read_is_a_platform_error(
    bsky: Driver, api: respx.MockRouter
) -> None:
    api.get(xrpc("app.bsky.feed.searchPosts")).respond(
        400, json={"error": "BadQueryString", "message": "Bad query string"}
    )
    with pytest.raises(sk.PlatformError) as raised:
        bsky.search("(((")
    assert (raised.value.status, raised.value.code) == (400, "BadQueryString")


def test_errors_carry_the_xrpc_message(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(GET_POSTS).respond(
        400, json={"error": "InvalidRequest", "message": "uris must be valid at-uris"}
    )
    with pytest.raises(sk.PlatformError, match="uris must be valid at-uris"):
        bsky.get_post(POST)


def test_timeout_on_a_get_is_retried(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(GET_POSTS)
    route.side_effect = [httpx.ReadTimeout("slow"), httpx.Response(200, json=load("getPosts"))]
    assert bsky.get_post(POST).id == POST
    assert route.call_count == 2


def test_plain_http_service_is_refused(api: respx.MockRouter) -> None:
    with pytest.raises(sk.ConfigError):
        Driver("sync", platform(service="http://pds.example.com"))
