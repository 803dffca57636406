"""Faults through both drivers: rate limits, 5xx, timeouts, bad payloads, auth, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from socialkit.errors import (
    AuthError,
    InvalidContent,
    NotFound,
    ParseError,
    PlatformError,
    PublishUncertain,
    RateLimited,
    TokenExpired,
)
from socialkit.http import RATE_LIMITS
from socialkit.models import Draft, MediaUpload
from socialkit.providers.mastodon import MediaNotReady

from .mastodon_support import BASE, Driver, body, load, make_platform


def _iso(delta: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=delta)).isoformat()


# -- rate limits ---------------------------------------------------------------------------------


def test_429_with_retry_after_waits_then_succeeds(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/statuses/1")
    route.side_effect = [
        httpx.Response(429, json={"error": "Too many requests"}, headers={"Retry-After": "7"}),
        httpx.Response(200, json=load("status")),
    ]
    post = driver("get_post", "1")
    assert post.id == "108880211901672326"
    assert route.call_count == 2
    assert driver.sleeps[0] == 7.0


def test_429_with_retry_after_beyond_the_cap_raises_rate_limited(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get("/api/v1/statuses/1").respond(
        429, json={"error": "Too many requests"}, headers={"Retry-After": "3600"}
    )
    with pytest.raises(RateLimited) as caught:
        driver("get_post", "1")
    assert route.call_count == 1
    assert caught.value.retry_after == 3600
    assert caught.value.reset_at is not None
    assert caught.value.reset_at > datetime.now(UTC) + timedelta(minutes=59)
    assert driver.sleeps == []


def test_mastodon_429_without_retry_after_waits_for_the_reset(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.get("/api/v1/statuses/1")
    headers = {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": _iso(20),
    }
    route.side_effect = [
        httpx.Response(429, json={"error": "Too many requests"}, headers=headers),
        httpx.Response(200, json=load("status")),
    ]
    driver("get_post", "1")
    assert route.call_count == 2
    assert 15 < driver.sleeps[0] <= 20


def test_mastodon_429_with_a_far_reset_raises_with_reset_at(
    driver: Driver, api: respx.MockRouter
) -> None:
    reset = _iso(1800)
    api.get("/api/v1/statuses/1").respond(
        429,
        json={"error": "Too many requests"},
        headers={
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset,
        },
    )
    with pytest.raises(RateLimited) as caught:
        driver("get_post", "1")
    assert caught.value.reset_at == datetime.fromisoformat(reset)


def test_rate_limit_headers_are_kept_per_account_and_bucket(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    reset = _iso(600)
    limits = {"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "29", "X-RateLimit-Reset": reset}
    api.post("/api/v2/media").respond(200, json=load("media"), headers=limits)
    api.post("/api/v1/statuses").respond(200, json=load("status_created"))
    driver("publish", Draft(text="x").with_media(MediaUpload(data=b"x", filename="a.png")))
    key = ("mastodon", driver.platform.account_key, "media")
    state = RATE_LIMITS.get(key)
    assert state is not None
    assert (state.limit, state.remaining) == (30, 29)
    assert state.reset_at == datetime.fromisoformat(reset)
    other = make_platform(access_token="another-token")
    assert RATE_LIMITS.get(("mastodon", other.account_key, "media")) is None


def test_an_exhausted_bucket_raises_before_sending(driver: Driver, api: respx.MockRouter) -> None:
    exhausted = {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": _iso(900),
    }
    route = api.get("/api/v1/statuses/1").respond(200, json=load("status"), headers=exhausted)
    driver("get_post", "1")
    with pytest.raises(RateLimited):
        driver("get_post", "1")
    assert route.call_count == 1


def test_another_account_is_not_slowed_by_an_exhausted_one(
    kind: str, api: respx.MockRouter
) -> None:
    exhausted = {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": _iso(900),
    }
    route = api.get("/api/v1/statuses/1").respond(200, json=load("status"), headers=exhausted)
    Driver(kind)("get_post", "1")
    Driver(kind, make_platform(access_token="second-account"))("get_post", "1")
    assert route.call_count == 2


# -- retries -------------------------------------------------------------------------------------


def test_503_on_a_get_is_retried(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/api/v1/statuses/1")
    route.side_effect = [
        httpx.Response(503, json={"error": "Remote data could not be fetched"}),
        httpx.Response(200, json=load("status")),
    ]
    assert driver("get_post", "1").id == "108880211901672326"
    assert route.call_count == 2


def test_a_publish_retried_after_503_sends_the_same_idempotency_key(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    route = api.post("/api/v1/statuses")
    route.side_effect = [
        httpx.Response(503, json={"error": "Remote data could not be fetched"}),
        httpx.Response(200, json=load("status_created")),
    ]
    driver("publish", Draft(text="Hello", idempotency_key="same-key"))
    keys = [call.request.headers["Idempotency-Key"] for call in route.calls]
    assert keys == ["same-key", "same-key"]
    assert body(route.calls[0].request) == body(route.calls[1].request)


def test_a_publish_retried_after_a_read_timeout_keeps_its_key(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    route = api.post("/api/v1/statuses")
    route.side_effect = [
        httpx.ReadTimeout("slow"),
        httpx.Response(200, json=load("status_created")),
    ]
    driver("publish", Draft(text="Hello", idempotency_key="k"))
    assert [c.request.headers["Idempotency-Key"] for c in route.calls] == ["k", "k"]


def test_a_read_timeout_on_a_post_without_key_is_publish_uncertain(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.post("/api/v1/statuses/1/bookmark").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(PublishUncertain):
        driver("request", "POST", "/api/v1/statuses/1/bookmark")
    assert route.call_count == 1


def test_favourite_is_retried_after_a_timeout_as_it_is_idempotent(
    driver: Driver, api: respx.MockRouter
) -> None:
    route = api.post("/api/v1/statuses/1/favourite")
    route.side_effect = [httpx.ReadTimeout("slow"), httpx.Response(200, json=load("status"))]
    driver("react", "1", "like")
    assert route.call_count == 2


def test_500_is_a_platform_error_with_mastodons_words(
    driver: Driver, api: respx.MockRouter
) -> None:
    api.get("/api/v1/statuses/1").respond(
        500, json={"error": "Error processing thumbnail for uploaded media"}
    )
    with pytest.raises(PlatformError, match="thumbnail") as caught:
        driver("get_post", "1")
    assert caught.value.status == 500


# -- payloads and statuses -----------------------------------------------------------------------


def test_malformed_json_is_a_parse_error(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/statuses/1").respond(200, content=b"<html>maintenance</html>")
    with pytest.raises(ParseError):
        driver("get_post", "1")


def test_a_status_missing_its_id_is_a_parse_error(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/statuses/1").respond(200, json={"content": "<p>no id</p>"})
    with pytest.raises(ParseError):
        driver("get_post", "1")


def test_401_is_an_auth_error(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(
        401, json={"error": "The access token is invalid"}
    )
    with pytest.raises(AuthError, match="invalid") as caught:
        driver("me")
    assert not isinstance(caught.value, TokenExpired)


def test_a_wrong_token_is_an_auth_error_and_never_refreshed(
    driver: Driver, api: respx.MockRouter
) -> None:
    # What Mastodon (Doorkeeper) sends for a token it does not know.
    route = api.get("/api/v1/accounts/verify_credentials").respond(
        401,
        json={"error": "The access token is invalid"},
        headers={
            "WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token", '
            'error_description="The access token is invalid"'
        },
    )
    with pytest.raises(AuthError) as caught:
        driver("me")
    assert not isinstance(caught.value, TokenExpired)
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("payload", "headers"),
    [
        ({"error": "The access token was revoked"}, {}),
        ({"error": "The access token expired"}, {}),
        (
            {"error": "Not authorized"},
            {
                "WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token", '
                'error_description="The access token expired"'
            },
        ),
    ],
)
def test_401_for_a_revoked_or_expired_token_is_token_expired(
    driver: Driver, api: respx.MockRouter, payload: dict[str, str], headers: dict[str, str]
) -> None:
    api.get("/api/v1/accounts/verify_credentials").respond(401, json=payload, headers=headers)
    with pytest.raises(TokenExpired):
        driver("me")


def test_404_is_not_found(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/api/v1/statuses/404").respond(404, json={"error": "Record not found"})
    with pytest.raises(NotFound, match="Record not found"):
        driver("get_post", "404")


def test_422_is_invalid_content(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    api.post("/api/v1/statuses").respond(
        422, json={"error": "Validation failed: Text character limit of 500 exceeded"}
    )
    with pytest.raises(InvalidContent, match="character limit"):
        driver("publish", "x")


def test_too_long_text_is_refused_and_never_posted(kind: str) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as api:
        api.get("/api/v2/instance").respond(200, json=load("instance"))
        statuses = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
        with pytest.raises(InvalidContent) as caught:
            Driver(kind)("publish", "x" * 501)
    assert statuses.call_count == 0
    assert (caught.value.count, caught.value.limit) == (501, 500)


def test_too_long_for_the_fetched_limit_is_refused_and_never_posted(kind: str) -> None:
    strict = load("instance")
    strict["configuration"]["statuses"]["max_characters"] = 100
    with respx.mock(base_url=BASE, assert_all_called=False) as api:
        instance = api.get("/api/v2/instance").respond(200, json=strict)
        statuses = api.post("/api/v1/statuses").respond(200, json=load("status_created"))
        with pytest.raises(InvalidContent) as caught:
            Driver(kind)("publish", "x" * 120)
    assert (instance.call_count, statuses.call_count) == (1, 0)
    assert (caught.value.count, caught.value.limit) == (120, 100)


def test_unknown_options_are_refused_before_any_request(
    driver: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(InvalidContent, match="schedule"):
        driver("publish", Draft(text="hi", options={"schedule": "tomorrow"}))
    assert not api.calls


# -- media ---------------------------------------------------------------------------------------


def test_media_never_ready_is_a_clear_error(
    driver: Driver, api: respx.MockRouter, instance: respx.Route
) -> None:
    api.post("/api/v2/media").respond(202, json=load("media_processing"))
    poll = api.get("/api/v1/media/22348641").respond(206)
    with pytest.raises(MediaNotReady, match="still being processed"):
        driver("publish", Draft(text="clip").with_media(MediaUpload(data=b"x", filename="a.mp4")))
    assert poll.call_count == len(driver.sleeps)
    assert sum(driver.sleeps) <= 60
    assert driver.sleeps[:3] == [1.0, 1.5, 2.25]


def test_422_from_verify_credentials_is_an_auth_error(
    driver: Driver, api: respx.MockRouter
) -> None:
    # snac2's answer to a token it does not know (an empty HTML body).
    api.get("/api/v1/accounts/verify_credentials").respond(422, text="")
    with pytest.raises(AuthError) as caught:
        driver("me")
    assert caught.value.status == 422
