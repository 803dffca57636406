"""Graph API error objects become socialkit's exceptions, with Meta's trace id."""

from __future__ import annotations

import httpx
import pytest

from socialkit.errors import (
    AuthError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    PlatformError,
    RateLimited,
    SocialkitError,
    TokenExpired,
)
from socialkit.providers.meta import graph_error as to_exception
from socialkit.providers.meta import parse_error

from .meta_support import graph_error


def answer(response: httpx.Response, method: str = "GET") -> httpx.Response:
    response.request = httpx.Request(method, "https://graph.facebook.com/v25.0/1")
    return response


def mapped(response: httpx.Response, method: str = "GET", **kw: float) -> SocialkitError:
    return to_exception("facebook", answer(response, method), **kw)


@pytest.mark.parametrize("subcode", [463, 467])
def test_expired_token_subcodes_are_token_expired(subcode: int) -> None:
    error = mapped(graph_error(190, "Error validating access token", subcode=subcode))
    assert isinstance(error, TokenExpired)


def test_other_token_errors_are_auth_errors() -> None:
    error = mapped(graph_error(190, "Invalid OAuth access token", subcode=460))
    assert type(error) is AuthError


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001, 80002, 80014])
def test_rate_limit_codes_are_rate_limited_with_the_wait(code: int) -> None:
    error = mapped(graph_error(code, "(#4) Application request limit reached"), retry_after=600.0)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 600.0


def test_instagram_publishing_limit_waits_a_day() -> None:
    error = mapped(graph_error(9, "Application request limit reached", subcode=2207042), "POST")
    assert isinstance(error, RateLimited)
    assert error.retry_after == 86400.0


@pytest.mark.parametrize("code", [10, 200, 230, 299])
def test_permission_codes_are_permission_denied(code: int) -> None:
    assert isinstance(mapped(graph_error(code, "(#200) Permissions error")), PermissionDenied)


def test_unknown_object_is_not_found() -> None:
    error = mapped(
        graph_error(100, "Unsupported get request. Object with ID '0' does not exist", subcode=33)
    )
    assert isinstance(error, NotFound)


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("GET", "Unsupported get request. Please read the Graph API documentation at "
         "https://developers.facebook.com/docs/graph-api"),
        ("GET", "Unsupported get request. Object with ID '17841400000000001' does not exist, "
         "cannot be loaded due to missing permissions, or does not support this operation."),
        ("POST", "Unsupported post request. Object with ID '1790000000000001' does not exist, "
         "cannot be loaded due to missing permissions, or does not support this operation."),
        ("DELETE", "Unsupported delete request. Object with ID '1' does not exist, cannot be "
         "loaded due to missing permissions, or does not support this operation."),
    ],
)
def test_code_100_without_subcode_for_an_unreachable_object_is_not_found(
    method: str, message: str
) -> None:
    error = mapped(graph_error(100, message, kind="GraphMethodException"), method)
    assert isinstance(error, NotFound)
    assert (error.code, error.request_id, error.message) == (100, "AbCtrace1", message)


@pytest.mark.parametrize(
    "message",
    [
        "(#100) Missing Permission",
        "(#100) Requires pages_read_engagement permission to manage the object",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_code_100_naming_a_missing_permission_is_permission_denied(
    message: str, method: str
) -> None:
    error = mapped(graph_error(100, message), method)
    assert isinstance(error, PermissionDenied)
    assert (error.code, error.request_id) == (100, "AbCtrace1")


def test_code_100_naming_a_field_called_permissions_is_a_bad_parameter() -> None:
    error = mapped(graph_error(100, "(#100) Tried accessing nonexisting field (permissions)"))
    assert type(error) is PlatformError


def test_alias_error_803_is_not_found() -> None:
    error = mapped(graph_error(803, "(#803) Some of the aliases you requested do not exist: 0"))
    assert isinstance(error, NotFound)


def test_invalid_parameter_on_a_post_is_invalid_content_with_the_message() -> None:
    error = mapped(graph_error(100, "(#100) Param message must be a string"), "POST")
    assert isinstance(error, InvalidContent)
    assert error.message == "(#100) Param message must be a string"
    assert error.code == 100


def test_invalid_parameter_on_a_read_is_a_platform_error() -> None:
    error = mapped(graph_error(100, "(#100) The value must be a valid insights metric"))
    assert type(error) is PlatformError


def test_trace_id_becomes_the_request_id() -> None:
    assert mapped(graph_error(2, "Service temporarily unavailable", status=500)).request_id == (
        "AbCtrace1"
    )


def test_unknown_codes_fall_back_to_the_http_status() -> None:
    error = mapped(graph_error(1, "An unknown error occurred", status=500))
    assert type(error) is PlatformError
    assert error.status == 500


def test_subcode_and_user_message_are_in_the_message() -> None:
    response = httpx.Response(
        400,
        json={
            "error": {
                "message": "Invalid parameter",
                "code": 100,
                "error_subcode": 2207026,
                "error_user_msg": "The video format is not supported.",
            }
        },
    )
    error = mapped(response, "POST")
    assert error.message == (
        "Invalid parameter: The video format is not supported. [subcode 2207026]"
    )


def test_a_body_without_an_error_object_maps_by_status() -> None:
    error = mapped(httpx.Response(404, text="<html>not found</html>"))
    assert isinstance(error, NotFound)


def test_parse_error_reads_every_field() -> None:
    parsed = parse_error(answer(graph_error(190, "expired", subcode=463, kind="OAuthException")))
    assert parsed is not None
    assert (parsed.code, parsed.subcode, parsed.type, parsed.trace_id) == (
        190,
        463,
        "OAuthException",
        "AbCtrace1",
    )
