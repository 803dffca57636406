"""Errors: TikTok's ``error.code`` mapped whether it comes with an error status or inside
an HTTP 200, rate limits, and the token refresh (also triggered from a 200 answer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

import socialkit as sk

from .tiktok_support import API, make_platform

USER = f"{API}/v2/user/info/"
TOKEN_URL = f"{API}/v2/oauth/token/"


@pytest.mark.parametrize("status", [200, 401])
def test_an_invalid_token_is_token_expired_with_the_log_id(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any], status: int
) -> None:
    router.get(USER).respond(status, json=body("error_access_token_invalid"))
    with pytest.raises(sk.TokenExpired) as raised:
        tt.me()
    assert raised.value.code == "access_token_invalid"
    assert raised.value.request_id == "20240829190020EBE0D84CCEA6DE000CB6"
    assert raised.value.message == "The access token is invalid or not found in the request."


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        ("error_scope_not_authorized", sk.PermissionDenied),
        ("error_unaudited", sk.PermissionDenied),
        ("error_invalid_params", sk.InvalidContent),
    ],
)
def test_errors_inside_a_200_answer_are_raised(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any],
    fixture: str, error: type[sk.SocialkitError],
) -> None:
    router.get(USER).respond(200, json=body(fixture))
    with pytest.raises(error) as raised:
        tt.me()
    assert raised.value.code == body(fixture)["error"]["code"]


def test_an_error_status_without_a_body_maps_by_status(tt: Any, router: respx.MockRouter) -> None:
    router.get(USER).respond(403)
    with pytest.raises(sk.PermissionDenied):
        tt.me()


def test_a_rate_limit_waits_the_one_minute_window_and_retries(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any], sleeps: list[float]
) -> None:
    route = router.get(USER).mock(side_effect=[
        httpx.Response(429, json=body("error_rate_limit")),
        httpx.Response(200, json=body("user_info")),
    ])
    assert tt.me().handle == "tiktok"
    assert route.call_count == 2
    assert 60.0 in sleeps


def test_a_rate_limit_in_raise_mode_raises(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(USER).respond(429, json=body("error_rate_limit"))
    with pytest.raises(sk.RateLimited) as raised:
        connect(rate_limit="raise").me()
    assert raised.value.retry_after == 60


def test_an_internal_error_is_a_platform_error(tt: Any, router: respx.MockRouter) -> None:
    internal = {"data": {}, "error": {"code": "internal_error", "message": "oops", "log_id": "1"}}
    router.get(USER).respond(500, json=internal)
    with pytest.raises(sk.PlatformError) as raised:
        tt.me()
    assert (raised.value.status, raised.value.code) == (500, "internal_error")


def test_an_unavailable_read_is_retried(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(USER).mock(side_effect=[
        httpx.Response(503), httpx.Response(200, json=body("user_info")),
    ])
    tt.me()
    assert route.call_count == 2


def test_malformed_json_is_a_parse_error(tt: Any, router: respx.MockRouter) -> None:
    router.get(USER).respond(200, content=b"<html>")
    with pytest.raises(sk.ParseError):
        tt.me()


@pytest.fixture
def refreshing(connect: Callable[..., Any]) -> Any:
    return connect(make_platform(
        access_token="act.old", refresh_token="rft.old",
        client_key="sbawx99tuchkscwygv", client_secret="SF9ZX2NHGGt",
    ))


@pytest.mark.parametrize("status", [200, 401])
def test_an_invalid_token_refreshes_with_the_client_key_and_replays(
    refreshing: Any, router: respx.MockRouter, body: Callable[[str], Any], status: int
) -> None:
    token = router.post(TOKEN_URL).respond(200, json=body("token"))
    route = router.get(USER).mock(side_effect=[
        httpx.Response(status, json=body("error_access_token_invalid")),
        httpx.Response(200, json=body("user_info")),
    ])
    refreshing.me()
    request = token.calls.last.request
    assert parse_qs(request.content.decode()) == {
        "client_key": ["sbawx99tuchkscwygv"],
        "client_secret": ["SF9ZX2NHGGt"],
        "grant_type": ["refresh_token"],
        "refresh_token": ["rft.old"],
    }
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in request.headers
    assert route.calls.last.request.headers["Authorization"] == (
        "Bearer act.example12345Example12345Example"
    )


def test_the_rotated_refresh_token_is_kept(
    refreshing: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post(TOKEN_URL).respond(200, json=body("token"))
    router.get(USER).mock(side_effect=[
        httpx.Response(401, json=body("error_access_token_invalid")),
        httpx.Response(200, json=body("user_info")),
    ])
    refreshing.me()
    credential = refreshing.platform.credential
    assert credential.refresh_token.get_secret_value() == "rft.example12345Example12345Example"


@pytest.mark.parametrize("status", [200, 400])
def test_a_refused_refresh_asks_for_a_new_login(
    refreshing: Any, router: respx.MockRouter, body: Callable[[str], Any], status: int
) -> None:
    router.post(TOKEN_URL).respond(status, json=body("token_error"))
    router.get(USER).respond(401, json=body("error_access_token_invalid"))
    with pytest.raises(sk.ReauthRequired, match="Refresh token is invalid"):
        refreshing.me()


def test_no_secret_shows_in_the_credentials_repr(refreshing: Any) -> None:
    shown = repr(refreshing.platform.credential) + repr(refreshing.platform.settings)
    assert "act.old" not in shown
    assert "rft.old" not in shown
    assert "SF9ZX2NHGGt" not in shown
