"""Google error answers mapped by ``errors[].reason``; the token refreshed on a 401."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.providers.youtube.errors import SHORT_WAIT
from socialkit.providers.youtube.quota import PACIFIC
from socialkit.testing.driver import Driver

from .youtube_support import API, google_error, load, make_platform

VIDEOS = f"{API}/videos"


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (403, "quotaExceeded", sk.RateLimited),
        (403, "rateLimitExceeded", sk.RateLimited),
        (403, "userRateLimitExceeded", sk.RateLimited),
        (400, "uploadLimitExceeded", sk.RateLimited),
        (403, "forbidden", sk.PermissionDenied),
        (403, "insufficientPermissions", sk.PermissionDenied),
        (403, "commentsDisabled", sk.PermissionDenied),
        (404, "videoNotFound", sk.NotFound),
        (404, "commentNotFound", sk.NotFound),
        (404, "channelNotFound", sk.NotFound),
        (400, "invalidTitle", sk.InvalidContent),
        (400, "invalidCategoryId", sk.InvalidContent),
        (401, "authError", sk.TokenExpired),
        (500, "backendError", sk.PlatformError),
        (400, "somethingNew", sk.PlatformError),
    ],
)
def test_reasons_map_to_exceptions(
    connect: Callable[..., Driver], router: respx.MockRouter,
    status: int, reason: str, expected: type[sk.SocialkitError],
) -> None:
    router.get(VIDEOS).mock(return_value=google_error(status, reason, "The API said no."))
    with pytest.raises(expected) as raised:
        connect(retry=sk.RetryPolicy(attempts=1)).get_post("Ks-_Mh1QhMc")
    assert raised.value.code == reason
    assert raised.value.status == status
    assert raised.value.platform == "youtube"


def test_comments_disabled_says_why(
    yt: Driver, router: respx.MockRouter
) -> None:
    router.get(f"{API}/commentThreads").mock(
        return_value=google_error(403, "commentsDisabled", "The video has disabled comments."))
    with pytest.raises(sk.PermissionDenied) as raised:
        yt.items("comments", "Ks-_Mh1QhMc")
    assert "comments are turned off" in raised.value.message


def test_quota_exceeded_waits_until_midnight_pacific(
    connect: Callable[..., Driver], router: respx.MockRouter
) -> None:
    router.get(VIDEOS).mock(return_value=google_error(403, "quotaExceeded"))
    with pytest.raises(sk.RateLimited) as raised:
        connect().get_post("Ks-_Mh1QhMc")
    reset = raised.value.reset_at
    assert reset is not None
    local = reset.astimezone(PACIFIC)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert timedelta(0) < reset - datetime.now(UTC) <= timedelta(hours=25)
    assert raised.value.retry_after is not None
    assert raised.value.retry_after > 60


def test_a_short_rate_limit_is_retried(
    connect: Callable[..., Driver], router: respx.MockRouter, sleeps: list[float]
) -> None:
    router.get(VIDEOS).mock(side_effect=[
        google_error(403, "rateLimitExceeded"),
        httpx.Response(200, json={"items": [load("video")]}),
    ])
    assert connect().get_post("Ks-_Mh1QhMc").id == "Ks-_Mh1QhMc"
    assert sleeps[0] == SHORT_WAIT  # the second is the bucket reset, already past when slept


def test_server_errors_are_retried_for_reads(
    connect: Callable[..., Driver], router: respx.MockRouter
) -> None:
    route = router.get(VIDEOS).mock(side_effect=[
        google_error(503, "backendError"),
        httpx.Response(200, json={"items": [load("video")]}),
    ])
    connect().get_post("Ks-_Mh1QhMc")
    assert route.call_count == 2


def test_an_error_without_a_reason_falls_back_to_the_status(
    connect: Callable[..., Driver], router: respx.MockRouter
) -> None:
    router.get(VIDEOS).mock(return_value=httpx.Response(404, text="Not Found"))
    with pytest.raises(sk.NotFound):
        connect().get_post("Ks-_Mh1QhMc")


def test_a_401_refreshes_the_token_and_replays(
    connect: Callable[..., Driver], router: respx.MockRouter
) -> None:
    token = router.post("https://oauth2.googleapis.com/token").mock(
        return_value=httpx.Response(200, json={"access_token": "ya29.new", "expires_in": 3599,
                                               "token_type": "Bearer"}))
    videos = router.get(VIDEOS).mock(side_effect=[
        google_error(401, "authError", "Invalid Credentials"),
        httpx.Response(200, json={"items": [load("video")]}),
    ])
    platform = make_platform(refresh_token="1//refresh", client_id="123.apps.googleusercontent.com",
                             client_secret="GOCSPX-secret")
    connect(platform).get_post("Ks-_Mh1QhMc")
    form = dict(httpx.QueryParams(token.calls.last.request.content.decode()))
    assert form == {"grant_type": "refresh_token", "refresh_token": "1//refresh",
                    "client_id": "123.apps.googleusercontent.com", "client_secret": "GOCSPX-secret"}
    assert videos.calls.last.request.headers["Authorization"] == "Bearer ya29.new"


def test_a_refused_refresh_token_needs_a_new_login(
    connect: Callable[..., Driver], router: respx.MockRouter
) -> None:
    router.post("https://oauth2.googleapis.com/token").mock(
        return_value=httpx.Response(400, json={
            "error": "invalid_grant", "error_description": "Token has been expired or revoked."}))
    router.get(VIDEOS).mock(return_value=google_error(401, "authError"))
    platform = make_platform(refresh_token="1//refresh", client_id="123.apps")
    with pytest.raises(sk.AuthError) as raised:
        connect(platform).get_post("Ks-_Mh1QhMc")
    assert "1//refresh" not in str(raised.value)
