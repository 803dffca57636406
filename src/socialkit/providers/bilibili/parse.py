"""Bilibili archives (稿件) → socialkit records, with their review state.

The archive's ``state`` (in ``addit_info``, or at the top): 0 is open (开放浏览); -2 sent
back by the review (打回, ``reject_reason`` says why), -3/-4 locked, -16 failed transcoding,
-100 deleted by the user; -40 waits for its scheduled time; other negative states are stages
of the review or processing (待审, 转码中, ...). These values are Bilibili's public archive
states, confirmed only from secondary sources (bilibili-API-collect); the open platform's
``archive/view`` page names the fields.

Reference: openhome.bilibili.com/doc 视频稿件查询 (archive/view, archive/viewlist) and
数据开放服务 (data/arc/stat, data/user/stat).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...models import Account, Media, Metric, Post, PostState

__all__ = ["ACCOUNT_METRICS", "POST_METRICS", "REVIEW", "account", "account_metrics", "post",
           "post_metrics", "review_state", "video_url"]

PLATFORM = "bilibili"
REVIEW = "under review (审核中)"
POST_METRICS = {"view": "views", "like": "likes", "reply": "comments", "share": "shares",
                "favorite": "saves", "coin": "coins", "danmaku": "danmaku"}
"""``data/arc/stat`` fields → metric names."""
ACCOUNT_METRICS = {"follower": "followers", "following": "following",
                   "arc_passed_total": "posts"}
"""``data/user/stat`` fields → metric names."""
_REJECTED = {-2: "sent back by the review (打回)", -3: "locked (网警锁定)",
             -4: "locked (锁定)", -16: "transcoding failed (转码失败)",
             -100: "deleted (用户删除)"}


def video_url(resource_id: str) -> str:
    """The public page of a video (BV id)."""
    return f"https://www.bilibili.com/video/{resource_id}"


def review_state(archive: Mapping[str, Any]) -> tuple[PostState, str | None]:
    """Whether an archive is open, under review (or processing), or refused."""
    addit = archive.get("addit_info") or {}
    state = addit.get("state", archive.get("state"))
    if not isinstance(state, int) or state >= 0:
        return "published", None
    if state in _REJECTED:
        reason = addit.get("reject_reason") or archive.get("reject_reason")
        return "rejected", str(reason or _REJECTED[state])
    described = addit.get("state_desc") or archive.get("state_desc")
    return "pending", str(described or REVIEW)


def post(archive: Mapping[str, Any]) -> Post:
    """One archive (``archive/view`` data or an item of ``archive/viewlist``)."""
    resource_id = str(archive["resource_id"])
    title = str(archive.get("title") or "")
    desc = str(archive.get("desc") or "")
    state, reason = review_state(archive)
    created = archive.get("ctime")
    return Post(
        platform=PLATFORM,
        id=resource_id,
        text=f"{title}\n{desc}" if desc else title,
        created_at=datetime.fromtimestamp(created, UTC)
        if isinstance(created, int) and created > 0 else None,
        url=video_url(resource_id),
        media=(Media(kind="video", id=resource_id, preview_url=archive.get("cover") or None),),
        visibility="public",
        state=state,
        state_reason=reason,
        raw=archive,
    )


def account(info: Mapping[str, Any]) -> Account:
    """``user/account/info``: the user's open id, name and avatar."""
    open_id = str(info["openid"])
    return Account(platform=PLATFORM, id=open_id, handle=str(info.get("name") or open_id),
                   display_name=info.get("name"), avatar_url=info.get("face"))


def _metrics(subject: str, subject_id: str, data: Mapping[str, Any],
             names: Mapping[str, str]) -> list[Metric]:
    return [
        Metric(platform=PLATFORM, subject=subject, subject_id=subject_id,
               name=name, value=data[native], native_name=native)
        for native, name in names.items()
        if isinstance(data.get(native), int | float)
    ]


def post_metrics(resource_id: str, data: Mapping[str, Any]) -> list[Metric]:
    """A video's lifetime counts."""
    return _metrics("post", resource_id, data, POST_METRICS)


def account_metrics(open_id: str, data: Mapping[str, Any]) -> list[Metric]:
    """The account's followers, followings and open videos, now."""
    return _metrics("account", open_id, data, ACCOUNT_METRICS)
