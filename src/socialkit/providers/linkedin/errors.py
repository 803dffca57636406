"""LinkedIn's error bodies mapped to socialkit's exceptions.

LinkedIn answers errors as ``{"status", "serviceErrorCode", "code", "message"}``. It sends
no rate-limit headers: its limits are daily, per application and per member, and reset at
midnight UTC, so a 429 without ``Retry-After`` waits until then (far beyond any client's
wait cap: the call raises `RateLimited` with ``reset_at`` set).

Reference: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling
and https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ...errors import (
    AuthError,
    ConfigError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    PlatformError,
    RateLimited,
    SocialkitError,
    TokenExpired,
)
from ...platform import parse_retry_after

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["map_error", "next_midnight"]

PLATFORM = "linkedin"

_EXPIRED = frozenset({"EXPIRED_ACCESS_TOKEN"})
_VERSION = frozenset({"NONEXISTENT_VERSION", "VERSION_MISSING", "INVALID_VERSION"})
_BY_STATUS: dict[int, type[SocialkitError]] = {
    400: InvalidContent,
    401: AuthError,
    403: PermissionDenied,
    404: NotFound,
    410: NotFound,
    413: InvalidContent,
    415: InvalidContent,
    422: InvalidContent,
}


def next_midnight(now: datetime | None = None) -> datetime:
    """The next midnight UTC, when LinkedIn's daily limits reset."""
    now = now or datetime.now(UTC)
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def _body(response: Response) -> Mapping[str, Any]:
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, Mapping) else {}


def _request_id(response: Response) -> str | None:
    for name in ("x-li-uuid", "x-li-request-id", "x-request-id"):
        value = response.headers.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def map_error(response: Response) -> SocialkitError:
    """The exception for a LinkedIn error response (an OAuth endpoint's too)."""
    status = response.status_code
    body = _body(response)
    code = body.get("code") or body.get("error") or body.get("serviceErrorCode")
    message = next(
        (
            text
            for text in (body.get("message"), body.get("error_description"))
            if isinstance(text, str) and text
        ),
        response.reason_phrase or f"HTTP {status}",
    )
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "status": status,
        "code": code if isinstance(code, str | int) else None,
        "request_id": _request_id(response),
    }
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        reset_at = next_midnight() if retry_after is None else None
        if reset_at is not None:
            retry_after = (reset_at - datetime.now(UTC)).total_seconds()
        return RateLimited(message, retry_after=retry_after, reset_at=reset_at, **context)
    if status == 401 and (code in _EXPIRED or "expired" in message.lower()):
        return TokenExpired(message, **context)
    if status == 426 or code in _VERSION:
        return ConfigError(
            f"{message} (set api_version to a LinkedIn-Version LinkedIn still serves)",
            field="api_version",
            **context,
        )
    if status in (400, 422) and "duplicate" in message.lower():
        return InvalidContent(message, rule="duplicate", **context)
    return _BY_STATUS.get(status, PlatformError)(message, **context)
