"""Bilibili's ``{"code", "message", "request_id"}`` answers mapped to socialkit's exceptions.

``code`` 0 is success; errors may come with HTTP 200. Reference: openhome.bilibili.com/doc
其他 → 状态码 (the general, video and OAuth2 codes).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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

__all__ = ["error_for", "error_in_body", "map_error"]

PLATFORM = "bilibili"
_EXPIRED = frozenset({127001})  # access_token 验证错误: refresh and replay
_AUTH = frozenset({127000, 127004, 127012, 122000, 122001, 122002, 122007, 127022})
_FORBIDDEN = frozenset({127005, 127006, 127007, 127011, 127207})
_RATE = frozenset({127009})  # api 请求次数达到上限
_INVALID = frozenset({127100, 127102})
_NOT_FOUND = frozenset({127107, 127124})
_BUSY = frozenset({127200, 127201})
_DAY = 86_400.0


def _body(response: Response) -> Mapping[str, Any] | None:
    if not response.content:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, Mapping) else None


def error_for(code: int, message: str, *, status: int | None,
              request_id: str | None) -> SocialkitError:
    """The exception for one Bilibili ``code``."""
    context: dict[str, Any] = {
        "platform": PLATFORM, "status": status, "code": str(code), "request_id": request_id,
    }
    text = message or f"Bilibili error {code}"
    if code in _EXPIRED:
        return TokenExpired(text, **context)
    if code in _AUTH:
        return AuthError(text, **context)
    if code in _FORBIDDEN:
        return PermissionDenied(text, **context)
    if code in _RATE:
        return RateLimited(text, retry_after=_DAY, **context)
    if code in _INVALID:
        return InvalidContent(text, rule=str(code), **context)
    if code in _NOT_FOUND:
        return NotFound(text, **context)
    if code in _BUSY:
        return PlatformError(text, **{**context, "status": 503})  # transient: retried
    return PlatformError(text, **context)


def _mapped(response: Response, body: Mapping[str, Any]) -> SocialkitError | None:
    code = body.get("code")
    if not isinstance(code, int) or code == 0:
        return None
    request_id = body.get("request_id")
    return error_for(code, str(body.get("message") or ""), status=response.status_code,
                     request_id=str(request_id) if request_id else None)


def error_in_body(response: Response) -> SocialkitError | None:
    """A non-zero ``code`` in an HTTP 200, if any."""
    body = _body(response)
    return _mapped(response, body) if body is not None else None


def map_error(response: Response) -> SocialkitError:
    """The exception for an HTTP error status (Bilibili's code when the body has one)."""
    body = _body(response)
    found = _mapped(response, body) if body is not None else None
    return found or error_for_status(PLATFORM, response, response.reason_phrase or "HTTP error")
