"""Douyin's errors, which arrive with HTTP 200 in the body, mapped to socialkit's exceptions.

Every OpenAPI answer carries ``{"data": {"error_code", "description", ...}, "extra":
{"error_code", "description", "sub_error_code", "sub_description", "logid", "now"}}``;
``error_code`` 0 is success. The ``logid`` (``log_id`` in some answers) is kept as the
error's ``request_id`` for Douyin's support.

Reference: developer.open-douyin.com, docs/resource/zh-CN/dop/develop/openapi/
(the 状态码 tables of each API, and the 状态码排查工具). Codes marked (secondary) below
were confirmed only from maintained open-source clients and community answers.
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
    from ...http import Response

__all__ = ["error_for", "error_in_body", "map_error"]

PLATFORM = "douyin"

_EXPIRED = frozenset({
    2190008,  # access_token 过期 (expired): refresh and replay
    2190002,  # access_token 无效 (invalid; a refreshed one replaces it) (secondary)
    10008,  # the older OAuth answers' "access_token 过期" (secondary)
})
_REAUTH = frozenset({
    10010,  # refresh_token 过期: the user must authorize again (refresh-access-token docs)
    2190003,  # the user cancelled the authorization (secondary)
})
_RATE = frozenset({
    2190001,  # quota 已用完 (the app's quota of this API is spent) (secondary)
    2100013,  # 请求过于频繁 / frequency limit (secondary)
    10018,  # 请求频率过高 in the older OAuth answers (secondary)
})
_FORBIDDEN = frozenset({
    2190004,  # 应用未获得该能力 (the app lacks the capability) (secondary)
    2100007,  # 无权限操作 (no permission) (secondary)
    2100009,  # 用户被禁封使用该操作 (the user is banned from this) (secondary)
    2190015,  # the token's scope does not cover this API (secondary)
    2190016,  # the app is banned (secondary)
})
_INVALID = frozenset({
    2100005,  # 参数不合法 (invalid parameter): the upload-video docs' error example
    10002,  # 参数错误 in the OAuth answers (client_token docs)
    28001007,  # 参数不合法 in the access_token docs
})
_NOT_FOUND = frozenset({
    2100012,  # the item does not exist (secondary)
})
_DAILY = 86_400.0
_MINUTE = 60.0


def _body(response: Response) -> Mapping[str, Any] | None:
    if not response.content:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, Mapping) else None


def _code(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1


def error_for(
    code: int, message: str, *, status: int | None, request_id: str | None,
    sub_code: int | None = None,
) -> SocialkitError:
    """The exception for one Douyin ``error_code``."""
    context: dict[str, Any] = {
        "platform": PLATFORM, "status": status, "code": str(code), "request_id": request_id,
    }
    text = message or f"Douyin error {code}"
    if sub_code:
        text += f" (sub_error_code {sub_code})"
    if code in _EXPIRED:
        return TokenExpired(text, **context)
    if code in _REAUTH:
        return AuthError(text + "; log in again", **context)
    if code == 2190001:
        return RateLimited(text, retry_after=_DAILY, **context)
    if code in _RATE:
        return RateLimited(text, retry_after=_MINUTE, **context)
    if code in _FORBIDDEN:
        return PermissionDenied(text, **context)
    if code in _INVALID:
        return InvalidContent(text, rule=str(code), **context)
    if code in _NOT_FOUND:
        return NotFound(text, **context)
    return PlatformError(text, **context)


def _mapped(response: Response, body: Mapping[str, Any]) -> SocialkitError | None:
    data = body.get("data")
    extra = body.get("extra") if isinstance(body.get("extra"), Mapping) else {}
    assert isinstance(extra, Mapping)
    code = _code(data.get("error_code")) if isinstance(data, Mapping) else 0
    code = code or _code(extra.get("error_code"))
    if not code:
        return None
    described = data.get("description") if isinstance(data, Mapping) else None
    message = str(described or extra.get("description") or extra.get("sub_description") or "")
    logid = extra.get("logid") or extra.get("log_id")
    if not logid and isinstance(data, Mapping):
        logid = data.get("log_id")
    return error_for(
        code,
        message,
        status=response.status_code,
        request_id=str(logid) if logid else None,
        sub_code=_code(extra.get("sub_error_code")) or None,
    )


def error_in_body(response: Response) -> SocialkitError | None:
    """The error an HTTP 200 reports in ``data.error_code`` / ``extra.error_code``, if any."""
    body = _body(response)
    return _mapped(response, body) if body is not None else None


def map_error(response: Response) -> SocialkitError:
    """The exception for an HTTP error status (Douyin's body code when it has one)."""
    body = _body(response)
    found = _mapped(response, body) if body is not None else None
    if found is not None:
        return found
    return error_for_status(PLATFORM, response, response.reason_phrase or "HTTP error")
