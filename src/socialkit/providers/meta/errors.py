"""Graph API errors: ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``
mapped to socialkit's exceptions, and the errors of Meta's media containers.

Codes follow the Graph API "Handling Errors" reference
(https://developers.facebook.com/docs/graph-api/guides/error-handling): 190 (and 102) is the
token, with subcodes 463 (expired) and 467 (invalid) meaning a new token is needed; 4, 17, 32,
613 and 80001-80014 are rate limits; 10 and 200-299 are permissions; 803 and 100/33 are objects
that do not exist (or cannot be seen). Code 100 often comes without a subcode, so its message
decides: "Unsupported get request. Object with ID '…' does not exist, cannot be loaded due to
missing permissions, or does not support this operation" (or a bare "Unsupported get
request.") is an object this token cannot reach, `NotFound`; "(#100) Missing Permission" or
"requires the … permission" is `PermissionDenied`; other 100s are bad parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ...errors import (
    AuthError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    PlatformError,
    RateLimited,
    SocialkitError,
    TokenExpired,
)
from ...platform import error_for_status

if TYPE_CHECKING:
    from ...steps import Response

__all__ = [
    "PUBLISH_LIMIT_SUBCODE",
    "ContainerFailed",
    "ContainerTimeout",
    "GraphError",
    "graph_error",
    "parse_error",
]

TOKEN_CODES = frozenset({102, 190})
EXPIRED_SUBCODES = frozenset({463, 467})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
PUBLISH_LIMIT_SUBCODE = 2207042
"""Instagram's "maximum number of posts published through the API" subcode."""
PUBLISH_WINDOW = 86400.0
"""Seconds of the rolling window a publishing quota counts."""
UNKNOWN_OBJECT_SUBCODE = 33
_UNREACHABLE = re.compile(r"unsupported (get|post|delete) request|does not exist", re.IGNORECASE)
_NO_PERMISSION = re.compile(
    r"missing permission|requires? [^.]*\bpermission|permissions? (error|denied)", re.IGNORECASE
)


@attrs.frozen
class GraphError:
    """The ``error`` object of a Graph API error response."""

    message: str
    type: str | None = None
    code: int | None = None
    subcode: int | None = None
    trace_id: str | None = None
    user_message: str | None = None

    def describe(self) -> str:
        """The developer message, Meta's words for users when they add to it, and the subcode."""
        text = self.message
        if self.user_message and self.user_message not in text:
            text = f"{text}: {self.user_message}"
        return text if self.subcode is None else f"{text} [subcode {self.subcode}]"


def parse_error(response: Response) -> GraphError | None:
    """The response's Graph error object, or ``None`` when the body is not one."""
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return None
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        return None
    message = error.get("message") or response.reason_phrase or f"HTTP {response.status_code}"
    return GraphError(
        message=str(message),
        type=_text(error.get("type")),
        code=_integer(error.get("code")),
        subcode=_integer(error.get("error_subcode")),
        trace_id=_text(error.get("fbtrace_id")),
        user_message=_text(error.get("error_user_msg")),
    )


def graph_error(
    platform: str, response: Response, *, retry_after: float | None = None
) -> SocialkitError:
    """The exception for a Graph error response; ``retry_after`` goes to rate-limit errors."""
    error = parse_error(response)
    if error is None:
        fallback = response.reason_phrase or f"HTTP {response.status_code}"
        return _traced(error_for_status(platform, response, fallback), response, None)
    message = error.describe()
    kind = _kind(error, response.request.method)
    if kind is RateLimited:
        quota = error.subcode == PUBLISH_LIMIT_SUBCODE
        found: SocialkitError = RateLimited(
            message,
            retry_after=PUBLISH_WINDOW if quota else retry_after,
            platform=platform,
            status=response.status_code,
            code=error.code,
        )
    elif kind is None:
        found = error_for_status(platform, response, message, code=error.code)
    else:
        found = kind(message, platform=platform, status=response.status_code, code=error.code)
    return _traced(found, response, error.trace_id)


def _kind(error: GraphError, method: str) -> type[SocialkitError] | None:
    code, subcode = error.code, error.subcode
    if code in TOKEN_CODES:
        return TokenExpired if subcode in EXPIRED_SUBCODES else AuthError
    if code in RATE_LIMIT_CODES or subcode == PUBLISH_LIMIT_SUBCODE:
        return RateLimited
    if code in PERMISSION_CODES:
        return PermissionDenied
    if code == 803 or (code == 100 and subcode == UNKNOWN_OBJECT_SUBCODE):
        return NotFound
    if code == 100:
        return _kind_of_100(error.message, method)
    return None


def _kind_of_100(message: str, method: str) -> type[SocialkitError]:
    """Code 100 without a telling subcode: the message says what kind it is."""
    if _UNREACHABLE.search(message):
        return NotFound
    if _NO_PERMISSION.search(message):
        return PermissionDenied
    return InvalidContent if method.upper() == "POST" else PlatformError


def _traced(error: SocialkitError, response: Response, trace_id: str | None) -> SocialkitError:
    error.request_id = trace_id or response.headers.get("x-fb-trace-id") or error.request_id
    return error


def _integer(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


class ContainerFailed(PlatformError):
    """A media container ended in ``ERROR`` or ``EXPIRED``, so there is nothing to publish.

    Attributes:
        container_id: The container's id.
        state: The status Meta reported (``"ERROR"``, ``"EXPIRED"``).
    """

    def __init__(self, message: str, *, container_id: str, state: str, platform: str) -> None:
        super().__init__(message, platform=platform)
        self.container_id = container_id
        self.state = state


class ContainerTimeout(PlatformError):
    """A media container was still being processed when the wait ran out. Nothing was
    published; the container may still finish (and expires after 24 hours).

    Attributes:
        container_id: The container's id.
        waited: Seconds waited.
    """

    def __init__(self, message: str, *, container_id: str, waited: float, platform: str) -> None:
        super().__init__(message, platform=platform)
        self.container_id = container_id
        self.waited = waited
