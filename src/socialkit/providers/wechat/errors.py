"""WeChat's ``{"errcode": N, "errmsg": ...}`` answers (sent with HTTP 200) as exceptions.

Codes from the global return codes page (全局返回码,
https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html)
and the pages of each API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from ...errors import (
    AuthError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    PlatformError,
    PublishUncertain,
    RateLimited,
    SocialkitError,
    TokenExpired,
)

__all__ = [
    "BEIJING",
    "PublishFailed",
    "PublishPending",
    "error_from_body",
    "next_beijing_midnight",
    "raise_for_errcode",
]

PLATFORM = "wechat"
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

EXPIRED = frozenset({40001, 40014, 42001})  # invalid / illegal / expired access_token
AUTH = frozenset({40002, 40013, 40125, 40243, 41001, 41002, 41004})
QUOTA = frozenset({45009})  # daily API quota, reset at midnight Beijing time
MINUTE = frozenset({45011})  # API minute quota
DENIED = frozenset({43004, 45015, 45047, 48001, 48004, 50001, 50002, 88000})
IP_DENIED = frozenset({40164, 61004})
INVALID = frozenset(
    {40004, 40005, 40006, 40008, 40009, 40033, 44002, 44003, 44004, 45001, 45002, 45003,
     45004, 45007, 45008, 45010, 47001, 53503, 61500, 61501}
)  # fmt: skip
MISSING = frozenset({40003, 40007, 46001, 53600})  # openid / media_id / article_id not found

_RID = re.compile(r"rid:\s*([\w-]+)")
_HINTS = {
    40164: "add this server's outbound IP to the IP whitelist (IP白名单) under "
    "设置与开发 → 基本配置",
    61004: "add this server's outbound IP to the IP whitelist (IP白名单) under "
    "设置与开发 → 基本配置",
    48001: "the account has not been granted this API (认证 or 权限); see 设置与开发 → 接口权限",
    88000: "the account has no comment (留言) privilege",
    45015: "the follower has not written within the last 48 hours (客服消息 window)",
    47001: "WeChat could not read the request body (data format error)",
}


def next_beijing_midnight(now: datetime | None = None) -> datetime:
    """The next 00:00 in Beijing (UTC+8), as UTC: when WeChat's daily quotas reset."""
    local = (now or datetime.now(UTC)).astimezone(BEIJING)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight.astimezone(UTC)


def error_from_body(body: Any, status: int | None = 200) -> SocialkitError | None:
    """The exception for a body with a non-zero ``errcode``; ``None`` for a success."""
    if not isinstance(body, Mapping):
        return None
    raw = body.get("errcode")
    if raw is None or isinstance(raw, bool):
        return None
    try:
        code = int(raw)
    except (TypeError, ValueError):
        return None
    if code == 0:
        return None
    said = str(body.get("errmsg") or f"WeChat error {code}")
    match = _RID.search(said)
    hint = _HINTS.get(code)
    message = f"{said} ({hint})" if hint else said
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "status": status,
        "code": code,
        "request_id": match.group(1) if match else None,
    }
    if code in EXPIRED:
        return TokenExpired(message, **context)
    if code in AUTH:
        return AuthError(message, **context)
    if code in QUOTA:
        reset = next_beijing_midnight()
        wait = (reset - datetime.now(UTC)).total_seconds()
        return RateLimited(
            f"{message}: the daily quota resets at midnight Beijing time",
            retry_after=wait,
            reset_at=reset,
            **context,
        )
    if code in MINUTE:
        return RateLimited(message, retry_after=60.0, **context)
    if code in IP_DENIED or code in DENIED:
        return PermissionDenied(message, **context)
    if code in INVALID:
        return InvalidContent(message, rule=f"errcode_{code}", **context)
    if code in MISSING:
        return NotFound(message, **context)
    return PlatformError(message, **context)


def raise_for_errcode(body: Any, status: int | None = 200) -> Any:
    """``body`` itself, or the mapped exception when it carries a non-zero ``errcode``."""
    error = error_from_body(body, status)
    if error is not None:
        raise error
    return body


_STATUS_REASONS = {
    2: "the originality check (原创声明) failed",
    3: "publishing failed (常规失败)",
    4: "the platform review (平台审核) refused it",
    5: "every article was deleted by the account after publishing",
    6: "every article was blocked by the platform after publishing",
}


class PublishFailed(PlatformError):
    """WeChat accepted a publish task but did not publish it.

    Attributes:
        publish_id: The publish task.
        publish_status: WeChat's status (2 originality check failed, 3 failed,
            4 review refused, 5 deleted, 6 blocked).
        fail_idx: The failed articles (first is 1), when WeChat names them.
        media_id: The draft, still in the draft box (草稿箱) to fix and publish again.
    """

    def __init__(
        self,
        *,
        publish_id: str,
        publish_status: int,
        fail_idx: Sequence[int] = (),
        media_id: str | None = None,
    ) -> None:
        reason = _STATUS_REASONS.get(publish_status, f"publish status {publish_status}")
        articles = f" (articles {', '.join(map(str, fail_idx))})" if fail_idx else ""
        draft = f"; the draft {media_id} stays in the draft box" if media_id else ""
        super().__init__(
            f"WeChat did not publish task {publish_id}: {reason}{articles}{draft}",
            platform=PLATFORM,
            code=publish_status,
        )
        self.publish_id = publish_id
        self.publish_status = publish_status
        self.fail_idx = tuple(fail_idx)
        self.media_id = media_id
        self.reason = reason


class PublishPending(PublishUncertain):
    """WeChat was still publishing when the wait ran out; check ``publish_id`` later.

    Attributes:
        publish_id: Pass it to ``WeChat.publish_status`` to learn the outcome.
    """

    def __init__(self, message: str, *, publish_id: str, idempotency_key: str | None) -> None:
        super().__init__(message, platform=PLATFORM, idempotency_key=idempotency_key)
        self.publish_id = publish_id
