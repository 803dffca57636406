"""Weibo's error JSON ``{"error", "error_code", "request"}`` as socialkit exceptions.

Codes from https://open.weibo.com/wiki/Error_code (系统级 1xxxx, 服务级 2xxxx).
"""

from __future__ import annotations

from collections.abc import Mapping
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
from ...platform import error_for_status

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["error_from_body", "map_weibo_error"]

PLATFORM = "weibo"

EXPIRED = frozenset({21315, 21327})  # Token expired, expired_token
AUTH = frozenset({21301, 21314, 21316, 21317, 21319, 21332, 21501, 10006, 10013})
RATE = frozenset({10022, 10023, 10024})  # IP / user / user-for-one-API requests out of limit
TOO_FAST = frozenset({20016})  # Update weibo too fast
DUPLICATE = frozenset({20017, 20019})  # similar / repeated content
POLICY = frozenset({20018, 20020, 20021})  # illegal website / advertising / illegal content
TOO_LONG = frozenset({20012, 20013})  # text too long
DENIED = frozenset({10004, 10005, 10014, 10015, 10019, 10030, 20112, 20206, 20207, 20208})
MISSING = frozenset({20003, 20101, 20201, 20202})  # user / weibo / comment does not exist


def _next_hour(now: datetime | None = None) -> datetime:
    now = now or datetime.now(UTC)
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def error_from_body(
    body: Mapping[str, Any], status: int | None = None, request_id: str | None = None
) -> SocialkitError | None:
    """The exception for a Weibo error object, or ``None`` when it carries no ``error_code``."""
    raw = body.get("error_code")
    try:
        code = int(raw) if raw is not None else None
    except (TypeError, ValueError):
        code = None
    if code is None:
        return None
    message = str(body.get("error") or f"Weibo error {code}")
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "status": status,
        "code": code,
        "request_id": request_id,
    }
    if code in EXPIRED:
        return TokenExpired(f"{message}: log in again", **context)
    if code in AUTH:
        return AuthError(message, **context)
    if code in RATE:
        reset = _next_hour()
        wait = (reset - datetime.now(UTC)).total_seconds()
        return RateLimited(
            f"{message} (Weibo's limits are hourly)", retry_after=wait, reset_at=reset, **context
        )
    if code in TOO_FAST:
        return RateLimited(f"{message}: posting too fast, wait before sharing again", **context)
    if code in DUPLICATE:
        return InvalidContent(
            f"{message}: Weibo refuses repeated content", rule="duplicate", **context
        )
    if code in POLICY:
        return InvalidContent(message, rule="content_policy", **context)
    if code in TOO_LONG:
        return InvalidContent(message, rule="max_length", **context)
    if code in DENIED:
        return PermissionDenied(message, **context)
    if code in MISSING:
        return NotFound(message, **context)
    return PlatformError(message, **context)


def map_weibo_error(response: Response) -> SocialkitError:
    """The exception for an error response: Weibo's code when it gave one, else the status."""
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    if isinstance(body, Mapping):
        error = error_from_body(body, response.status_code, response.headers.get("x-request-id"))
        if error is not None:
            return error
    return error_for_status(PLATFORM, response, response.reason_phrase or "Weibo error")
