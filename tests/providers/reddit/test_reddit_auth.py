"""Tokens: the script app's password grant, the refresh grant, HTTP Basic client auth, the
User-Agent on every request, and refusals that never leak a secret."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .reddit_support import AGENT, API, TOKEN_URL, form, make_platform

BASIC = "Basic " + base64.b64encode(b"app-id:app-secret").decode()


def script(**values: Any) -> sk.Platform:
    return make_platform(access_token=None, client_id="app-id", client_secret="app-secret",
                         password="hunter2-secret", **values)


def test_a_script_app_gets_its_token_by_the_password_grant_first(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    token = router.post(TOKEN_URL).respond(200, json=body("token"))
    me = router.get(f"{API}/api/v1/me").respond(200, json=body("me"))
    connect(script())("me")
    sent = token.calls[0].request
    assert form(sent) == {"grant_type": "password", "username": "brand",
                          "password": "hunter2-secret"}
    assert sent.headers["Authorization"] == BASIC
    assert sent.headers["User-Agent"] == AGENT
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    api = me.calls[0].request
    assert api.headers["Authorization"] == "bearer new-reddit-token"
    assert api.headers["User-Agent"] == AGENT


def test_the_password_grant_token_is_reused_until_it_expires(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    token = router.post(TOKEN_URL).respond(200, json=body("token"))
    router.get(f"{API}/api/v1/me").respond(200, json=body("me"))
    driver = connect(script())
    driver("me")
    driver("me")
    assert token.call_count == 1


def test_a_refused_password_is_reauth_required_without_the_password(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post(TOKEN_URL).respond(200, json=body("token_invalid_grant"))
    with pytest.raises(sk.ReauthRequired) as raised:
        connect(script())("me")
    assert "invalid_grant" in str(raised.value)
    assert "hunter2-secret" not in str(raised.value)


def test_an_expired_token_is_refreshed_by_the_refresh_grant_and_the_call_replayed(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    platform = make_platform(client_id="app-id", client_secret="app-secret",
                             refresh_token="refresh-secret")
    token = router.post(TOKEN_URL).respond(200, json=body("token_refresh"))
    me = router.get(f"{API}/api/v1/me").mock(side_effect=[
        httpx.Response(401, json=body("error_401")),
        httpx.Response(200, json=body("me")),
    ])
    assert connect(platform)("me").handle == "brand"
    assert form(token.calls[0].request) == {"grant_type": "refresh_token",
                                            "refresh_token": "refresh-secret"}
    assert token.calls[0].request.headers["Authorization"] == BASIC
    assert me.calls[1].request.headers["Authorization"] == "bearer refreshed-token"
    assert platform.credential.refresh_token is not None
    assert platform.credential.refresh_token.get_secret_value() == "rotated-refresh"


def test_an_installed_app_authenticates_with_an_empty_secret(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    platform = make_platform(client_id="installed-id", refresh_token="refresh-secret",
                             expires_at=0)
    token = router.post(TOKEN_URL).respond(200, json=body("token_refresh"))
    router.get(f"{API}/api/v1/me").respond(200, json=body("me"))
    connect(platform)("me")
    expected = "Basic " + base64.b64encode(b"installed-id:").decode()
    assert token.calls[0].request.headers["Authorization"] == expected


def test_a_401_without_a_way_to_renew_asks_for_a_new_login(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/v1/me").respond(401, json=body("error_401"))
    with pytest.raises(sk.AuthError):
        rd("me")


def test_no_token_goes_to_another_host(
    rd: Any, router: respx.MockRouter
) -> None:
    other = router.get("https://example.com/x").respond(200, json={})
    rd.client.request("GET", "https://example.com/x") if rd.kind == "sync" else rd.wait(
        rd.client.request("GET", "https://example.com/x"))
    assert "Authorization" not in other.calls[0].request.headers
