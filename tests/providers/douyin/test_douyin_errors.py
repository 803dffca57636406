"""Douyin's errors arrive with HTTP 200 in the body; they map to our exceptions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.testing.driver import Driver

from .douyin_support import API, LOGID, failed, load, make_platform, ok

LIST = f"{API}/api/douyin/v1/video/video_list/"


@pytest.mark.parametrize(("code", "error"), [
    (2100005, sk.InvalidContent),
    (2190004, sk.PermissionDenied),
    (2190001, sk.RateLimited),
    (2100004, sk.PlatformError),
])
def test_a_body_error_code_is_mapped_with_the_logid(
    dy: Driver, router: respx.MockRouter, code: int, error: type[sk.SocialkitError]
) -> None:
    router.get(LIST).respond(200, json=failed(code, "something"))
    with pytest.raises(error) as raised:
        list(dy.items("posts"))
    assert (raised.value.code, raised.value.request_id) == (str(code), LOGID)


def test_the_reference_error_example_is_invalid_content(
    dy: Driver, router: respx.MockRouter
) -> None:
    router.get(LIST).respond(200, json=load("error_parameter"))
    with pytest.raises(sk.InvalidContent, match="Parameter error") as raised:
        list(dy.items("posts"))
    assert raised.value.request_id == "2020070614111601022506808001045D59"


def test_a_spent_quota_waits_a_day(dy: Driver, router: respx.MockRouter) -> None:
    router.get(LIST).respond(200, json=failed(2190001, "quota 已用完"))
    with pytest.raises(sk.RateLimited) as raised:
        list(dy.items("posts"))
    assert raised.value.retry_after == 86_400.0


def test_an_expired_token_is_refreshed_and_the_call_replayed(
    connect: Any, router: respx.MockRouter
) -> None:
    route = router.get(LIST).mock(side_effect=[
        httpx.Response(200, json=failed(2190008, "access_token expired")),
        httpx.Response(200, json=ok({"list": [], "cursor": 0, "has_more": False})),
    ])
    refresh = router.post("https://open.douyin.com/oauth/refresh_token/").respond(200, json={
        "data": {"access_token": "act.renewed", "description": "", "error_code": 0,
                 "expires_in": 1296000, "open_id": "o", "refresh_expires_in": 2592000,
                 "refresh_token": "rft.same", "scope": "user_info,video.list.bind"},
        "message": "success"})
    client = connect(make_platform(refresh_token="rft.same", client_key="tt-key"))
    assert list(client.items("posts")) == []
    assert dict(httpx.QueryParams(refresh.calls.last.request.content.decode())) == {
        "client_key": "tt-key", "grant_type": "refresh_token", "refresh_token": "rft.same"}
    assert route.calls.last.request.headers["access-token"] == "act.renewed"


def test_an_expired_refresh_token_asks_for_a_new_login(
    connect: Any, router: respx.MockRouter
) -> None:
    router.get(LIST).respond(200, json=failed(2190008, "access_token expired"))
    router.post("https://open.douyin.com/oauth/refresh_token/").respond(200, json={
        "data": {"error_code": 10010, "description": "refresh_token 过期"},
        "message": "error"})
    client = connect(make_platform(refresh_token="rft.old", client_key="tt-key"))
    with pytest.raises(sk.ReauthRequired):
        list(client.items("posts"))


def test_a_refresh_token_about_to_expire_is_renewed_first(
    connect: Any, router: respx.MockRouter
) -> None:
    import time

    router.get(LIST).respond(200, json=ok({"list": [], "cursor": 0, "has_more": False}))
    renew = router.post("https://open.douyin.com/oauth/renew_refresh_token/").respond(
        200, json={"data": {"error_code": 0, "description": "", "expires_in": 2592000,
                            "refresh_token": "rft.renewed"}, "message": "success"})
    refresh = router.post("https://open.douyin.com/oauth/refresh_token/").respond(200, json={
        "data": {"access_token": "act.new", "error_code": 0, "expires_in": 1296000,
                 "open_id": "o", "scope": "user_info"}, "message": "success"})
    platform = make_platform(refresh_token="rft.old", client_key="tt-key",
                             expires_at=time.time() - 1, refresh_expires_at=time.time() + 3600)
    list(connect(platform).items("posts"))
    assert dict(httpx.QueryParams(renew.calls.last.request.content.decode())) == {
        "client_key": "tt-key", "refresh_token": "rft.old"}
    assert "rft.renewed" in refresh.calls.last.request.content.decode()


def test_secrets_never_show_in_an_error(dy: Driver, router: respx.MockRouter) -> None:
    router.get(LIST).respond(200, json=failed(2100004, "系统繁忙"))
    with pytest.raises(sk.PlatformError) as raised:
        list(dy.items("posts"))
    assert "act.secret" not in str(raised.value)
    assert "act.secret" not in repr(raised.value)


@pytest.mark.parametrize(("code", "error"), [
    (28001008, sk.TokenExpired),
    (28001012, sk.PermissionDenied),
    (28001018, sk.PermissionDenied),
    (28003017, sk.RateLimited),
    (28003018, sk.RateLimited),
    (28001007, sk.InvalidContent),
])
def test_the_new_general_codes_are_mapped(code: int, error: type[sk.SocialkitError]) -> None:
    from socialkit.providers.douyin.errors import error_for

    assert type(error_for(code, "x", status=200, request_id=None)) is error


def test_a_busy_answer_is_retried(dy: Driver, router: respx.MockRouter) -> None:
    route = router.get(LIST).mock(side_effect=[
        httpx.Response(200, json=failed(28001005, "系统繁忙")),
        httpx.Response(200, json=ok({"list": [], "cursor": 0, "has_more": False})),
    ])
    assert list(dy.items("posts")) == []
    assert route.call_count == 2
