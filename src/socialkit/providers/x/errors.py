"""X's errors and rate-limit headers, mapped to socialkit's exceptions and state.

X answers errors as RFC 7807 problems (``{"type", "title", "detail", "status"}``), a
legacy ``{"errors": [{"code", "message"}]}`` now and then, and partial failures as an
``errors`` array of problems next to (or instead of) ``data`` in a 200 response.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...clock import reset_from
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
from ...platform import RateLimitInfo
from .wire import bucket_for

if TYPE_CHECKING:
    from ...steps import Response

__all__ = [
    "FIELD_UNAUTHORIZED",
    "error_for_problem",
    "map_error",
    "problem_kind",
    "raise_for_problems",
    "rate_limit_info",
]

PLATFORM = "x"

FIELD_UNAUTHORIZED = frozenset({"not-authorized-for-field", "field-unauthorized"})
"""Problem kinds that mean "this token may not see that field" (private metrics)."""

_NOT_FOUND = frozenset({"resource-not-found", "resource-unavailable"})
_FORBIDDEN = frozenset({
    "not-authorized-for-resource",
    "client-forbidden",
    "disallowed-resource",
    "oauth1-permissions",
    "unsupported-authentication",
    *FIELD_UNAUTHORIZED,
})
_USAGE_CAPPED = frozenset({"usage-capped", "usagecapexceeded"})
_LEGACY_CODES: dict[int, type[SocialkitError]] = {
    32: AuthError, 89: AuthError, 88: RateLimited, 144: NotFound, 187: InvalidContent,
}
# (limit, remaining, reset) header triples: the 15-minute window, then the daily caps
# X puts on POST /2/tweets per user and per app.
_WINDOWS = (
    ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"),
    ("x-user-limit-24hour-limit", "x-user-limit-24hour-remaining", "x-user-limit-24hour-reset"),
    ("x-app-limit-24hour-limit", "x-app-limit-24hour-remaining", "x-app-limit-24hour-reset"),
)


def problem_kind(problem: Mapping[str, Any]) -> str:
    """The last segment of a problem's ``type`` (``resource-not-found``); for
    ``about:blank`` problems, the lower-cased title."""
    kind = problem.get("type")
    if isinstance(kind, str) and kind and kind != "about:blank":
        return kind.rstrip("/").rsplit("/", 1)[-1].lower()
    title = problem.get("title")
    return title.replace(" ", "").lower() if isinstance(title, str) else ""


def _describe(problem: Mapping[str, Any], fallback: str) -> str:
    for key in ("detail", "message", "title"):
        value = problem.get(key)
        if isinstance(value, str) and value:
            return value
    return fallback


def _is_duplicate(problem: Mapping[str, Any], message: str) -> bool:
    return problem.get("code") == 187 or "duplicate content" in message.lower()


def error_for_problem(
    problem: Mapping[str, Any],
    *,
    status: int | None = None,
    request_id: str | None = None,
    fallback: str = "X reported an error",
) -> SocialkitError:
    """The exception for one problem, whether from an error response or a 200's ``errors``."""
    kind = problem_kind(problem)
    message = _describe(problem, fallback)
    code: str | int | None = kind or None
    if isinstance(problem.get("code"), int):
        code = problem["code"]
    context: dict[str, Any] = {
        "platform": PLATFORM, "status": status, "code": code, "request_id": request_id,
    }
    if _is_duplicate(problem, message):
        return InvalidContent(message, rule="duplicate", **context)
    if kind in _USAGE_CAPPED:
        return RateLimited(message, **context)
    if kind in _NOT_FOUND:
        return NotFound(message, **context)
    if kind in _FORBIDDEN:
        return PermissionDenied(message, **context)
    legacy = _LEGACY_CODES.get(code) if isinstance(code, int) else None
    if legacy is not None:
        return legacy(message, **context)
    return PlatformError(message, **context)


def _body(response: Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


def _first_problem(body: Any) -> Mapping[str, Any]:
    """The problem an error body describes: the body itself, or its first ``errors`` entry
    (whose words are appended when the body has its own, more general, ones)."""
    if not isinstance(body, Mapping):
        return {}
    errors = body.get("errors")
    first = None
    if isinstance(errors, Sequence) and not isinstance(errors, str):
        first = next((e for e in errors if isinstance(e, Mapping)), None)
    if first is None:
        return body
    if not body.get("type") and not body.get("title"):
        return first
    general, specific = _describe(body, ""), _describe(first, "")
    if specific and specific != general:
        return {**body, "detail": f"{general}: {specific}" if general else specific}
    return body


def _oauth_error(response: Response, body: Any) -> SocialkitError:
    """A token endpoint's OAuth error. X answers ``invalid_request`` ("Value passed for the
    token was invalid") for a spent or revoked refresh token: that is RFC 6749's
    ``invalid_grant``, so it is reported as such and the credential asks for a new login."""
    code = body.get("error") if isinstance(body, Mapping) else None
    described = body.get("error_description") if isinstance(body, Mapping) else None
    message = described if isinstance(described, str) and described else str(code or "")
    if code == "invalid_request" and "token" in message.lower():
        code = "invalid_grant"
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "status": response.status_code,
        "code": code if isinstance(code, str) else None,
    }
    kind = AuthError if response.status_code == 401 else PlatformError
    return kind(message or response.reason_phrase or "token request refused", **context)


def map_error(response: Response, *, user_token_expires: bool) -> SocialkitError:
    """The exception for an X error response.

    ``user_token_expires`` says a 401 means an expired OAuth 2.0 user token (so a
    refreshable credential refreshes once and the call is replayed).
    """
    status = response.status_code
    body = _body(response)
    if response.request.url.path.endswith("/oauth2/token"):
        return _oauth_error(response, body)
    request_id = response.headers.get("x-transaction-id") or response.headers.get("x-request-id")
    problem = _first_problem(body)
    fallback = response.reason_phrase or f"HTTP {status}"
    error = error_for_problem(problem, status=status, request_id=request_id, fallback=fallback)
    context: dict[str, Any] = {
        "platform": PLATFORM, "status": status, "code": error.code, "request_id": request_id,
    }
    if error.code in _USAGE_CAPPED:
        return error  # it resets with the billing period, which X does not say
    if status == 429 or isinstance(error, RateLimited):
        reset_at = _exhausted_reset(response)
        retry_after = max(0.0, reset_at.timestamp() - time.time()) if reset_at else None
        return RateLimited(error.message, retry_after=retry_after, reset_at=reset_at, **context)
    if status == 401:
        kind = TokenExpired if user_token_expires else AuthError
        return kind(error.message, **context)
    if type(error) is not PlatformError:
        return error
    by_status: dict[int, type[SocialkitError]] = {
        403: PermissionDenied, 404: NotFound, 410: NotFound, 413: InvalidContent,
        402: PermissionDenied,  # pay-per-use credits depleted: only adding credit helps
    }
    return by_status.get(status, PlatformError)(error.message, **context)


def raise_for_problems(body: Any) -> None:
    """Raise the first problem of a 200 response that carries ``errors`` and no ``data``."""
    if not isinstance(body, Mapping) or body.get("data") is not None:
        return
    errors = body.get("errors")
    if isinstance(errors, Sequence) and errors:
        raise error_for_problem(_first_problem(body), status=200)


def _epoch(value: str | None) -> datetime | None:
    """``x-rate-limit-reset`` (epoch seconds), bounded; ``None`` when not a time."""
    return reset_from(value, "epoch")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _windows(response: Response) -> list[RateLimitInfo]:
    headers = response.headers
    bucket = bucket_for(response.request.method, response.request.url.path)
    found = []
    for limit, remaining, reset in _WINDOWS:
        info = RateLimitInfo(
            limit=_int(headers.get(limit)),
            remaining=_int(headers.get(remaining)),
            reset_at=_epoch(headers.get(reset)),
            bucket=bucket,
        )
        if info.remaining is not None or info.reset_at is not None:
            found.append(info)
    return found


def _exhausted_reset(response: Response) -> datetime | None:
    """When the exhausted window resets: the latest reset among empty windows, else the
    15-minute window's."""
    windows = _windows(response)
    empty = [w.reset_at for w in windows if w.remaining == 0 and w.reset_at is not None]
    if empty:
        return max(empty)
    return windows[0].reset_at if windows else None


def rate_limit_info(response: Response) -> RateLimitInfo | None:
    """The bucket state ``x-rate-limit-*`` (and, when exhausted, the daily caps) report."""
    windows = _windows(response)
    if not windows:
        return None
    exhausted = [w for w in windows if w.remaining == 0 and w.reset_at is not None]
    if exhausted:
        return max(exhausted, key=lambda w: w.reset_at or datetime.min.replace(tzinfo=UTC))
    return windows[0]
