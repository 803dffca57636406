"""Reddit's errors mapped to socialkit's exceptions, and its rate-limit headers read.

Three shapes reach us:

- ``api_type=json`` answers (``/api/submit``, ``/api/comment``, ``/api/editusertext``,
  ``/api/morechildren``) come with HTTP 200 and ``{"json": {"errors": [[CODE, message,
  field], ...], "data": {...}}}``: an answer with errors is never a success. The
  per-account action limit is one of them: ``RATELIMIT`` with "... try again in 9
  minutes." (and, on newer answers, ``json.ratelimit`` in seconds).
- HTTP errors: ``{"message": "Forbidden", "error": 403}`` (sometimes with ``reason``).
- The token endpoint: ``{"error": "invalid_grant"}``, with HTTP 200 for a refused password.

Rate limits: ``X-Ratelimit-Used``, ``X-Ratelimit-Remaining`` and ``X-Ratelimit-Reset``
(seconds until the end of the current window, ten minutes long).

References: https://www.reddit.com/dev/api (the ``api_type=json`` answers) and
https://github.com/reddit-archive/reddit/wiki/API and
https://support.reddithelp.com/hc/en-us/articles/16160319875092-Reddit-Data-API-Wiki
(rate limits and their headers); the error codes are r2's ``errors.py`` (reddit-archive/reddit).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
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
from ...platform import RateLimitInfo, error_for_status

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["WINDOW_SECONDS", "body_errors", "error_for", "error_in_body", "map_error",
           "rate_limit_info", "retry_after"]

PLATFORM = "reddit"

WINDOW_SECONDS = 600
"""Reddit counts requests in ten-minute windows; no header says more than that."""

_MAX_CALLS = 100_000  # a clamp for absurd header values

_NOT_FOUND = frozenset({
    "SUBREDDIT_NOEXIST", "DELETED_LINK", "DELETED_COMMENT", "NO_THING_ID", "NOT_FOUND",
    "USER_DOESNT_EXIST",
})
_FORBIDDEN = frozenset({
    "SUBREDDIT_NOTALLOWED", "SUBREDDIT_NO_ACCESS", "BANNED_FROM_SUBREDDIT", "THREAD_LOCKED",
    "TOO_OLD", "NOT_AUTHOR", "USER_BLOCKED", "INVALID_PERMISSIONS", "RESTRICTED_TO_MODS",
    "COMMENTS_DISABLED",
})
_AUTH = frozenset({"USER_REQUIRED", "INVALID_USER", "WRONG_PASSWORD", "HTTPS_REQUIRED"})
_INVALID = frozenset({
    "NO_SELFS", "NO_LINKS", "NO_VIDEOS", "NO_IMAGES", "NO_TEXT", "NO_URL", "BAD_URL",
    "TOO_LONG", "TOO_SHORT", "NO_TITLE", "ALREADY_SUB", "INVALID_OPTION", "SUBREDDIT_REQUIRED",
    "BAD_SR_NAME", "SUBMIT_VALIDATION_FLAIR_REQUIRED", "SUBMIT_VALIDATION_TITLE_REQUIREMENT",
    "SUBMIT_VALIDATION_BODY_REQUIREMENT", "SUBMIT_VALIDATION_BODY_NOT_ALLOWED",
    "SUBMIT_VALIDATION_LINK_DOMAIN", "INVALID_FLAIR_TEMPLATE_ID", "BAD_FLAIR_TARGET",
    "SPAM", "JSON_PARSE_ERROR", "NO_CHANGE", "NOT_WHITELISTED_BY_USER_MESSAGE",
    "TITLE_TOO_LONG", "BODY_TOO_LONG", "PLACEHOLDER_NOT_ALLOWED",
})
_WAIT = re.compile(r"(\d+(?:\.\d+)?)\s*(millisecond|second|minute|hour)s?", re.IGNORECASE)
_UNITS = {"millisecond": 0.001, "second": 1.0, "minute": 60.0, "hour": 3600.0}


def _body(response: Response) -> Any:
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def retry_after(message: str, seconds: object = None) -> float | None:
    """The wait a ``RATELIMIT`` error asks for: ``json.ratelimit`` seconds when given, else
    the "try again in N minutes" of the message (rounded up to a whole second)."""
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds >= 0:
        return float(math.ceil(min(float(seconds), 86_400.0)))
    found = _WAIT.search(message)
    if found is None:
        return None
    wait = float(found.group(1)) * _UNITS[found.group(2).lower()]
    return float(math.ceil(min(wait, 86_400.0)))


def error_for(
    code: str, message: str, *, field: str | None = None, status: int | None = 200,
    wait: object = None,
) -> SocialkitError:
    """The exception for one Reddit error ``code`` (an ``api_type=json`` error)."""
    text = f"{message} ({field})" if field else message
    text = text or code
    context: dict[str, Any] = {"platform": PLATFORM, "status": status, "code": code}
    if code == "RATELIMIT":
        return RateLimited(text, retry_after=retry_after(message, wait), **context)
    if code in _NOT_FOUND:
        return NotFound(text, **context)
    if code in _FORBIDDEN:
        return PermissionDenied(text, **context)
    if code in _AUTH:
        return AuthError(text, **context)
    if code in _INVALID or code.startswith("SUBMIT_VALIDATION"):
        return InvalidContent(text, rule=code.lower(), **context)
    return PlatformError(text, **context)


def body_errors(body: object) -> list[tuple[str, str, str | None]]:
    """The ``[code, message, field]`` triples of an ``api_type=json`` answer."""
    if not isinstance(body, Mapping) or not isinstance(body.get("json"), Mapping):
        return []
    errors = body["json"].get("errors")
    found: list[tuple[str, str, str | None]] = []
    for error in errors if isinstance(errors, Sequence) else ():
        if isinstance(error, Sequence) and not isinstance(error, str) and error:
            parts = [str(part) if part is not None else None for part in error]
            code = parts[0] or "UNKNOWN"
            text = parts[1] if len(parts) > 1 and parts[1] else code
            field = parts[2] if len(parts) > 2 else None
            found.append((code, text, field))
    return found


def _from_body(body: object, status: int) -> SocialkitError | None:
    errors = body_errors(body)
    if errors:
        code, message, field = errors[0]
        assert isinstance(body, Mapping)
        wait = body["json"].get("ratelimit")
        return error_for(code, message, field=field, status=status, wait=wait)
    if isinstance(body, Mapping) and isinstance(body.get("error"), str):  # the token endpoint
        code = str(body["error"])
        return AuthError(
            str(body.get("error_description") or code), platform=PLATFORM, status=status,
            code=code,
        )
    return None


def error_in_body(response: Response) -> SocialkitError | None:
    """The error a 2xx answer carries in its body (``json.errors``, an OAuth error)."""
    return _from_body(_body(response), response.status_code)


def map_error(response: Response) -> SocialkitError:
    """The exception for a Reddit error response; a 401 is `TokenExpired` (tokens last an
    hour), so a renewable token is renewed and the call replayed once."""
    body = _body(response)
    status = response.status_code
    found = _from_body(body, status)
    if found is not None:
        return found
    message = response.reason_phrase or f"HTTP {status}"
    if isinstance(body, Mapping):
        parts = [body.get(k) for k in ("explanation", "message", "reason")]
        message = next((p for p in parts if isinstance(p, str) and p), message)
    if status == 401:
        return TokenExpired(message, platform=PLATFORM, status=status)
    return error_for_status(PLATFORM, response, message)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def rate_limit_info(response: Response) -> RateLimitInfo | None:
    """``X-Ratelimit-Used``/``-Remaining``/``-Reset``, clamped to sane values: remaining
    and used to 0..100,000 calls, the reset to 0..600 seconds (one window)."""
    headers = response.headers
    remaining = _number(headers.get("x-ratelimit-remaining"))
    reset = _number(headers.get("x-ratelimit-reset"))
    if remaining is None or reset is None:
        return None
    left = int(min(max(remaining, 0.0), _MAX_CALLS))
    used = _number(headers.get("x-ratelimit-used"))
    limit = None
    if used is not None:
        limit = left + int(min(max(used, 0.0), _MAX_CALLS))
    seconds = min(max(reset, 0.0), float(WINDOW_SECONDS))
    return RateLimitInfo(
        limit=limit,
        remaining=left,
        reset_at=datetime.now(UTC) + timedelta(seconds=seconds),
    )
