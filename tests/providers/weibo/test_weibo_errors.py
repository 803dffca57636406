"""Weibo's error codes become socialkit exceptions."""

from __future__ import annotations

import httpx
import pytest
import respx

from socialkit.errors import (
    AuthError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    RateLimited,
    SocialkitError,
    TokenExpired,
)

from .weibo_support import TOKEN, Driver, load


def fail(api: respx.MockRouter, method: str, path: str, name: str, status: int = 400) -> None:
    api.route(method=method, path=path).respond(status, json=load(name))


def test_expired_token_is_token_expired(driver: Driver, api: respx.MockRouter) -> None:
    fail(api, "GET", "/2/statuses/show.json", "error_21327")
    with pytest.raises(TokenExpired) as raised:
        driver("get_post", "1")
    assert raised.value.code == 21327


def test_invalid_token_is_an_auth_error(driver: Driver, api: respx.MockRouter) -> None:
    fail(api, "GET", "/2/statuses/show.json", "error_21332")
    with pytest.raises(AuthError) as raised:
        driver("get_post", "1")
    assert not isinstance(raised.value, TokenExpired)


def test_user_request_limit_is_rate_limited_until_the_next_hour(
    driver: Driver, api: respx.MockRouter
) -> None:
    fail(api, "POST", "/2/statuses/share.json", "error_10023", status=403)
    with pytest.raises(RateLimited) as raised:
        driver("publish", "看 https://brand.example.com")
    assert raised.value.reset_at is not None
    assert raised.value.reset_at.minute == 0


def test_posting_too_fast_is_rate_limited(driver: Driver, api: respx.MockRouter) -> None:
    fail(api, "POST", "/2/statuses/share.json", "error_20016")
    with pytest.raises(RateLimited):
        driver("publish", "看 https://brand.example.com")


def test_repeated_content_is_invalid_content(driver: Driver, api: respx.MockRouter) -> None:
    fail(api, "POST", "/2/statuses/share.json", "error_20019")
    with pytest.raises(InvalidContent) as raised:
        driver("publish", "看 https://brand.example.com")
    assert raised.value.rule == "duplicate"


def test_a_comment_restricted_by_the_author_is_permission_denied(
    driver: Driver, api: respx.MockRouter
) -> None:
    fail(api, "POST", "/2/comments/create.json", "error_20206", status=403)
    with pytest.raises(PermissionDenied):
        driver("reply", "3504803600502730", "你好")


def test_a_missing_status_is_not_found(driver: Driver, api: respx.MockRouter) -> None:
    fail(api, "GET", "/2/statuses/show.json", "error_20101")
    with pytest.raises(NotFound):
        driver("get_post", "0")


def test_a_system_error_on_a_read_is_retried(driver: Driver, api: respx.MockRouter) -> None:
    route = api.get("/2/statuses/show.json")
    route.side_effect = [
        httpx.Response(503, json=load("error_10001")),
        httpx.Response(200, json=load("status")),
    ]
    assert driver("get_post", "3504803600502730").id == "3504803600502730"


def test_an_error_without_a_body_maps_by_status(driver: Driver, api: respx.MockRouter) -> None:
    api.get("/2/statuses/show.json").respond(404, content=b"not found")
    with pytest.raises(NotFound):
        driver("get_post", "1")


def test_errors_never_show_the_token(driver: Driver, api: respx.MockRouter) -> None:
    fail(api, "GET", "/2/statuses/show.json", "error_20101")
    with pytest.raises(SocialkitError) as raised:
        driver("get_post", "0")
    assert TOKEN not in str(raised.value) + repr(raised.value)
