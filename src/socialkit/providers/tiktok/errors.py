"""TikTok's ``error`` objects mapped to socialkit's exceptions, from any HTTP status.

Every TikTok v2 answer carries ``{"data": …, "error": {"code", "message", "log_id"}}``;
``code`` is ``"ok"`` on success. An error can come with an error status or inside an
HTTP 200, so the same mapping serves `map_error` and `error_in_body`. The token endpoint
answers OAuth errors instead: ``{"error": "invalid_grant", "error_description", "log_id"}``.

References: https://developers.tiktok.com/doc/tiktok-api-v2-error-handling and the error
tables of each Content Posting API page; rate limits:
https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...errors import (
    AuthError,
    InvalidContent,
    PermissionDenied,
    PlatformError,
    RateLimited,
    SocialkitError,
    TokenExpired,
)
from ...platform import error_for_status, parse_retry_after

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["DAILY_CAP_SECONDS", "error_for", "error_in_body", "map_error"]

PLATFORM = "tiktok"

DAILY_CAP_SECONDS = 86_400.0
"""How long a daily posting cap is reported to last (TikTok counts a rolling day)."""

_WINDOW_SECONDS = 60.0  # TikTok's rate limits count a one-minute sliding window

_FORBIDDEN = frozenset({
    "scope_not_authorized",
    "scope_permission_missed",
    "unaudited_client_can_only_post_to_private_accounts",
    "url_ownership_unverified",
    "spam_risk_user_banned_from_posting",
    "reached_active_user_cap",
})
_DAILY_CAPS = frozenset({"spam_risk_too_many_posts", "spam_risk_too_many_pending_share"})
_INVALID = frozenset({
    "invalid_params",
    "invalid_file_upload",
    "privacy_level_option_mismatch",
    "spam_risk_text",
    "file_format_check_failed",
    "duration_check_failed",
    "frame_rate_check_failed",
    "picture_size_check_failed",
})


def _body(response: Response) -> Mapping[str, Any] | None:
    if not response.content:
        return None
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, Mapping) else None


def error_for(
    code: str, message: str, *, status: int | None, request_id: str | None,
    retry_after: float | None = None,
) -> SocialkitError:
    """The exception for one TikTok error ``code``."""
    context: dict[str, Any] = {
        "platform": PLATFORM, "status": status, "code": code, "request_id": request_id,
    }
    message = message or code
    if code == "access_token_invalid":
        return TokenExpired(message, **context)
    if code in _FORBIDDEN:
        return PermissionDenied(message, **context)
    if code == "rate_limit_exceeded":
        return RateLimited(message, retry_after=retry_after or _WINDOW_SECONDS, **context)
    if code in _DAILY_CAPS or code.startswith("spam_risk_too_many"):
        return RateLimited(message, retry_after=DAILY_CAP_SECONDS, **context)
    if code in _INVALID:
        return InvalidContent(message, rule=code, **context)
    return PlatformError(message, **context)


def _mapped(response: Response, body: Mapping[str, Any]) -> SocialkitError | None:
    error = body.get("error")
    status = response.status_code
    if isinstance(error, Mapping):
        code = str(error.get("code") or "")
        if not code or code == "ok":
            return None
        return error_for(
            code,
            str(error.get("message") or ""),
            status=status,
            request_id=str(error["log_id"]) if error.get("log_id") else None,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    if isinstance(error, str) and error:  # the OAuth token endpoint's shape
        described = body.get("error_description")
        return AuthError(
            str(described or error),
            platform=PLATFORM,
            status=status,
            code=error,
            request_id=str(body["log_id"]) if body.get("log_id") else None,
        )
    return None


def error_in_body(response: Response) -> SocialkitError | None:
    """The error a 2xx answer reports in its body, if any."""
    body = _body(response)
    return _mapped(response, body) if body is not None else None


def map_error(response: Response) -> SocialkitError:
    """The exception for a TikTok error response."""
    body = _body(response)
    found = _mapped(response, body) if body is not None else None
    if found is not None:
        return found
    message = response.reason_phrase or f"HTTP {response.status_code}"
    return error_for_status(PLATFORM, response, message)
