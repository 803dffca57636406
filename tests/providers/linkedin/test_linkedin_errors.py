"""Errors: LinkedIn's error bodies mapped, daily rate limits, retries, and the token refresh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

import socialkit as sk

from .linkedin_support import SHARE, make_platform

API = "https://api.linkedin.com"
POST_URL = f"{API}/rest/posts/{SHARE}"


@pytest.mark.parametrize(
    ("status", "fixture", "error"),
    [
        (401, "error_expired_token", sk.TokenExpired),
        (403, "error_access_denied", sk.PermissionDenied),
        (422, "error_unprocessable", sk.InvalidContent),
        (400, "error_bad_request", sk.InvalidContent),
        (404, "error_not_found", sk.NotFound),
    ],
)
def test_error_bodies_map_to_exceptions(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any],
    status: int, fixture: str, error: type[sk.SocialkitError],
) -> None:
    router.get(POST_URL).respond(status, json=body(fixture))
    with pytest.raises(error) as raised:
        li.get_post(SHARE)
    assert raised.value.message == body(fixture)["message"]
    assert (raised.value.status, raised.value.code) == (status, body(fixture)["code"])


def test_an_invalid_token_is_an_auth_error_not_an_expiry(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(POST_URL).respond(401, json=body("error_invalid_token"))
    with pytest.raises(sk.AuthError) as raised:
        li.get_post(SHARE)
    assert not isinstance(raised.value, sk.TokenExpired)


def test_a_sunset_version_names_the_api_version_setting(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(POST_URL).respond(426, json=body("error_version"))
    with pytest.raises(sk.ConfigError) as raised:
        li.get_post(SHARE)
    assert raised.value.field == "api_version"


def test_the_request_id_comes_from_x_li_uuid(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(POST_URL).respond(
        403, json=body("error_access_denied"), headers={"x-li-uuid": "AAYQbQ2y3nYhV6"}
    )
    with pytest.raises(sk.PermissionDenied) as raised:
        li.get_post(SHARE)
    assert raised.value.request_id == "AAYQbQ2y3nYhV6"


def test_a_daily_limit_raises_until_midnight_utc_without_retrying(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(POST_URL).respond(429, json=body("error_throttled"))
    with pytest.raises(sk.RateLimited) as raised:
        li.get_post(SHARE)
    reset = raised.value.reset_at
    assert reset is not None
    assert (reset.hour, reset.minute, reset.second) == (0, 0, 0)
    assert reset > datetime.now(UTC)
    assert route.call_count == 1


def test_a_short_retry_after_is_waited_for_and_retried(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any], sleeps: list[float]
) -> None:
    route = router.get(POST_URL).mock(side_effect=[
        httpx.Response(429, json=body("error_throttled"), headers={"Retry-After": "2"}),
        httpx.Response(200, json=body("post")),
    ])
    assert li.get_post(SHARE).id == SHARE
    assert route.call_count == 2
    assert 2.0 in sleeps


def test_a_server_error_on_a_read_is_retried(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(POST_URL).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=body("post"))]
    )
    li.get_post(SHARE)
    assert route.call_count == 2


def test_malformed_json_is_a_parse_error(li: Any, router: respx.MockRouter) -> None:
    router.get(POST_URL).respond(200, content=b"{not json")
    with pytest.raises(sk.ParseError):
        li.get_post(SHARE)


@pytest.fixture
def refreshing(connect: Callable[..., Any]) -> Any:
    return connect(make_platform(
        access_token="old-token", refresh_token="refresh-1",
        client_id="client-77", client_secret="secret-88",
    ))


def test_an_expired_token_is_refreshed_once_and_the_call_replayed(
    refreshing: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    token = router.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
        200, json=body("token")
    )
    route = router.get(POST_URL).mock(side_effect=[
        httpx.Response(401, json=body("error_expired_token")),
        httpx.Response(200, json=body("post")),
    ])
    refreshing.get_post(SHARE)
    form = parse_qs(token.calls.last.request.content.decode())
    assert form == {
        "grant_type": ["refresh_token"], "refresh_token": ["refresh-1"],
        "client_id": ["client-77"], "client_secret": ["secret-88"],
    }
    assert route.calls.last.request.headers["Authorization"] == (
        "Bearer AQXNnd2kXITHELmWblJigbHEuoFdfRhOwGA0QNuumtB5ulXF"
    )


def test_a_refused_refresh_asks_for_a_new_login(
    refreshing: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
        400, json={"error": "invalid_grant", "error_description": "The token is revoked"}
    )
    router.get(POST_URL).respond(401, json=body("error_expired_token"))
    with pytest.raises(sk.ReauthRequired):
        refreshing.get_post(SHARE)


def test_the_token_endpoint_never_gets_the_bearer_token(
    refreshing: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    token = router.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
        200, json=body("token")
    )
    router.get(POST_URL).mock(side_effect=[
        httpx.Response(401, json=body("error_expired_token")),
        httpx.Response(200, json=body("post")),
    ])
    refreshing.get_post(SHARE)
    assert "Authorization" not in token.calls.last.request.headers
