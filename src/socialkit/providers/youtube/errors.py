"""Google API errors mapped to socialkit's exceptions by their ``reason``.

The Data and Analytics APIs answer errors as
``{"error": {"code": 403, "message": "...", "errors": [{"message", "domain", "reason"}]}}``;
the token endpoint answers OAuth errors (``{"error": "invalid_grant",
"error_description": ...}``). The first ``errors[].reason`` decides the exception; a body
without one falls back to the HTTP status.

References: https://developers.google.com/youtube/v3/docs/errors and
https://developers.google.com/youtube/v3/guides/uploading_a_video (upload errors)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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
from ...platform import error_for_status, parse_retry_after
from .quota import next_reset

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["DAILY_LIMITS", "SHORT_LIMITS", "SHORT_WAIT", "error_for", "map_error", "reason_of"]

PLATFORM = "youtube"

DAILY_LIMITS = frozenset({"quotaExceeded", "dailyLimitExceeded", "uploadLimitExceeded"})
"""Reasons that last until the daily reset at midnight Pacific Time."""
SHORT_LIMITS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
"""Reasons that pass after a short wait (requests sent too fast)."""
SHORT_WAIT = 2.0
"""Seconds to wait after a short limit when no ``Retry-After`` says (Google sends none)."""
_FORBIDDEN = frozenset({
    "forbidden",
    "insufficientPermissions",
    "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    "channelClosed",
    "channelSuspended",
    "videoRatingDisabled",
    "ineligibleAccount",
})
_NOT_FOUND = frozenset({
    "videoNotFound",
    "commentNotFound",
    "commentThreadNotFound",
    "channelNotFound",
    "playlistNotFound",
    "playlistItemNotFound",
    "notFound",
})
_WHY = {
    "commentsDisabled": "comments are turned off for this video",
    "uploadLimitExceeded": "the channel reached its daily upload limit",
    "quotaExceeded": "the project's daily YouTube quota is spent; it resets at midnight "
    "Pacific Time",
}


def _body(response: Response) -> Mapping[str, Any] | None:
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, Mapping) else None


def reason_of(response: Response) -> str | None:
    """The first ``errors[].reason`` of an error answer, if any."""
    body = _body(response)
    error = body.get("error") if body is not None else None
    if not isinstance(error, Mapping):
        return None
    for item in error.get("errors") or ():
        if isinstance(item, Mapping) and isinstance(item.get("reason"), str):
            return str(item["reason"])
    return None


def error_for(
    status: int | None,
    reason: str,
    message: str,
    *,
    retry_after: float | None = None,
    now: datetime | None = None,
) -> SocialkitError:
    """The exception for one Google error ``reason`` (with its HTTP ``status``)."""
    context: dict[str, Any] = {"platform": PLATFORM, "status": status, "code": reason}
    message = message or _WHY.get(reason, reason)
    if reason in DAILY_LIMITS:
        reset = next_reset(now)
        wait = (reset - (now or datetime.now(UTC))).total_seconds()
        return RateLimited(message, retry_after=wait, reset_at=reset, **context)
    if reason in SHORT_LIMITS:
        return RateLimited(message, retry_after=retry_after or SHORT_WAIT, **context)
    if reason in _FORBIDDEN:
        return PermissionDenied(message, **context)
    if reason == "commentsDisabled":
        return PermissionDenied(f"{message} ({_WHY[reason]})", **context)
    if reason in _NOT_FOUND:
        return NotFound(message, **context)
    if reason in ("authError", "unauthorized") or status == 401:
        return TokenExpired(message, **context) if status == 401 else AuthError(message, **context)
    if status == 400 and (reason.startswith("invalid") or reason.endswith("Required")):
        return InvalidContent(message, rule=reason, **context)
    if status is not None and status >= 500:
        return PlatformError(message, **context)
    kinds: dict[int, type[SocialkitError]] = {
        403: PermissionDenied, 404: NotFound, 429: RateLimited,
    }
    return kinds.get(status or 0, PlatformError)(message, **context)


def map_error(response: Response) -> SocialkitError:
    """The exception for an error answer of a Google API."""
    status = response.status_code
    body = _body(response)
    error = body.get("error") if body is not None else None
    if isinstance(error, str):  # the OAuth token endpoint
        described = body.get("error_description") if body is not None else None
        return AuthError(str(described or error), platform=PLATFORM, status=status, code=error)
    reason = reason_of(response)
    message = ""
    if isinstance(error, Mapping) and isinstance(error.get("message"), str):
        message = str(error["message"])
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if reason is not None:
        return error_for(status, reason, message, retry_after=retry_after)
    if status == 401:
        return TokenExpired(message or "the access token was refused", platform=PLATFORM,
                            status=status)
    return error_for_status(PLATFORM, response, message or response.reason_phrase or
                            f"HTTP {status}")
