"""Douyin's errors, which arrive with HTTP 200 in the body, mapped to socialkit's exceptions.

Every OpenAPI answer carries ``{"data": {"error_code", "description", ...}, "extra":
{"error_code", "description", "sub_error_code", "sub_description", "logid", "now"}}``;
``error_code`` 0 is success. The ``logid`` (``log_id`` in some answers) is kept as the
error's ``request_id`` for Douyin's support. A "system busy" answer is reported with
``status`` 503, as the HTTP status it stands for, so the driver retries it like one.

Reference: developer.open-douyin.com, docs/resource/zh-CN/dop/develop/openapi/status-code
(状态码排查工具: the general codes, new and old) and the 状态码 table of each API.
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
from ...platform import error_for_status

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["error_for", "error_in_body", "map_error"]

PLATFORM = "douyin"

# Official status codes: developer.open-douyin.com/docs/resource/zh-CN/dop/develop/openapi/
# status-code (通用状态码, the new 28… codes and the old 21… ones) and the access-token pages.
_EXPIRED = frozenset({
    28001008,  # access_token 过期, 请刷新或重新授权: refresh and replay
    2190008,  # the same, old code
    2190002,  # access_token 无效 (old; a refreshed one replaces it)
})
_REAUTH = frozenset({
    10010,  # refresh_token 过期: the user must authorize again (refresh-access-token page)
})
_QUOTA = frozenset({28003017, 2190001})  # quota 已用完 (the app's quota of the API)
_RATE = frozenset({
    28003018,  # 请求频率过高
    28001052,  # 获取平台能力存在异常风险, 控制访问频率
})
_BUSY = frozenset({28001005, 28001006, 2100004})  # 系统繁忙 / 网络调用错误: retried
_FORBIDDEN = frozenset({
    28001012,  # 用户未授权该 OpenAPI (the scope was not granted)
    28001014,  # 应用未授权任何能力
    28001015,  # access_token 和 open_id 不匹配
    28001016,  # 当前应用已被封禁或下线
    28001018,  # 应用未获得该能力
    28001019,  # 当前能力已被封禁或下线
    28001045,  # 用户已注销
    28001046,  # 用户已被封禁
    28001047,  # 用户为私密用户
    2100007,  # 无权限操作 (old)
    2100009,  # 用户被禁封使用该操作 (old)
    2190004,  # 应用未获得该能力 (old)
})
_INVALID = frozenset({
    28001007,  # 参数不合法
    2100005,  # 参数不合法 (old; the upload-video page's error example)
    10002,  # 参数错误 in the OAuth answers (client_token page)
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
    if code in _QUOTA:
        return RateLimited(text, retry_after=_DAILY, **context)
    if code in _RATE:
        return RateLimited(text, retry_after=_MINUTE, **context)
    if code in _FORBIDDEN:
        return PermissionDenied(text, **context)
    if code in _INVALID:
        return InvalidContent(text, rule=str(code), **context)
    if code in _BUSY:
        return PlatformError(text, **{**context, "status": 503})  # transient: retried
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
