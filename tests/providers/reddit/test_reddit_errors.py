"""Every Reddit error shape mapped: api_type=json errors, HTTP errors, OAuth errors."""

from __future__ import annotations

import httpx
import pytest

import socialkit as sk
from socialkit.providers.reddit.errors import error_for, error_in_body, map_error

from .reddit_support import load


def response(status: int, body: object = None, text: str | None = None) -> httpx.Response:
    request = httpx.Request("POST", "https://oauth.reddit.com/api/submit")
    if text is not None:
        return httpx.Response(status, text=text, request=request)
    return httpx.Response(status, json=body, request=request)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("RATELIMIT", sk.RateLimited),
        ("SUBREDDIT_NOEXIST", sk.NotFound),
        ("DELETED_LINK", sk.NotFound),
        ("DELETED_COMMENT", sk.NotFound),
        ("SUBREDDIT_NOTALLOWED", sk.PermissionDenied),
        ("BANNED_FROM_SUBREDDIT", sk.PermissionDenied),
        ("THREAD_LOCKED", sk.PermissionDenied),
        ("TOO_OLD", sk.PermissionDenied),
        ("USER_REQUIRED", sk.AuthError),
        ("NO_SELFS", sk.InvalidContent),
        ("NO_LINKS", sk.InvalidContent),
        ("NO_TEXT", sk.InvalidContent),
        ("BAD_URL", sk.InvalidContent),
        ("TOO_LONG", sk.InvalidContent),
        ("ALREADY_SUB", sk.InvalidContent),
        ("SUBMIT_VALIDATION_FLAIR_REQUIRED", sk.InvalidContent),
        ("SUBMIT_VALIDATION_SOMETHING_NEW", sk.InvalidContent),
        ("SOMETHING_ELSE", sk.PlatformError),
    ],
)
def test_each_code_has_its_exception(code: str, kind: type[Exception]) -> None:
    error = error_for(code, "words", field="sr")
    assert type(error) is kind
    assert error.code == code
    assert error.platform == "reddit"


def test_an_answer_without_errors_is_a_success() -> None:
    assert error_in_body(response(200, load("submit_self"))) is None
    assert error_in_body(response(200, {})) is None
    assert error_in_body(response(200, text="<xml/>")) is None


def test_an_answer_with_errors_is_never_a_success() -> None:
    error = error_in_body(response(200, load("submit_no_selfs")))
    assert isinstance(error, sk.InvalidContent)
    assert "doesn't allow text posts" in error.message


def test_the_token_endpoints_error_in_a_200_is_an_auth_error() -> None:
    error = error_in_body(response(200, load("token_invalid_grant")))
    assert isinstance(error, sk.AuthError)
    assert error.code == "invalid_grant"


@pytest.mark.parametrize(
    ("status", "fixture", "kind"),
    [
        (401, "error_401", sk.TokenExpired),
        (403, "error_403", sk.PermissionDenied),
        (404, "error_404", sk.NotFound),
        (429, "error_429", sk.RateLimited),
    ],
)
def test_http_errors_by_status(status: int, fixture: str, kind: type[Exception]) -> None:
    error = map_error(response(status, load(fixture)))
    assert isinstance(error, kind)
    assert error.status == status


def test_a_server_error_stays_a_platform_error_with_its_status() -> None:
    error = map_error(response(502, text="<html>bad gateway</html>"))
    assert type(error) is sk.PlatformError
    assert error.status == 502


def test_a_403_with_a_reason_says_it() -> None:
    error = map_error(response(403, {"reason": "private", "message": "Forbidden", "error": 403}))
    assert isinstance(error, sk.PermissionDenied)
    assert error.message == "Forbidden"


def test_errors_in_a_4xx_body_use_the_code() -> None:
    error = map_error(response(400, load("submit_noexist")))
    assert isinstance(error, sk.NotFound)
    assert error.status == 400
