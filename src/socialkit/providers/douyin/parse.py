"""Douyin payloads → socialkit records: videos, comments, metrics.

Video fields (``video_list`` and ``video_data``): ``item_id``, ``title``, ``create_time``,
``cover``, ``share_url``, ``is_top``, ``is_reviewed``, ``video_status``, ``media_type``,
``statistics`` (``digg_count``, ``comment_count``, ``share_count``, ``play_count``,
``forward_count``, ``download_count``). ``video_status``: 1 published, 2 not fit to be
public (不适宜公开), 4 under review (审核中), 5 public, 6 friends only, 7 private.

Reference: developer.open-douyin.com, docs/resource/zh-CN/dop/develop/openapi/
video-management/douyin/search-video/ (account-video-list, video-data) and
interaction-management/comment-management-user/comment-list; data-open-service
(/data/external/user/fans/). Field names checked against SKIT.FlurlHttpClient.ByteDance.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ...models import Account, Comment, Media, Metric, Post, PostState

__all__ = [
    "POST_METRICS",
    "REVIEW",
    "account",
    "account_metrics",
    "comment",
    "post",
    "post_metrics",
    "review_state",
]

PLATFORM = "douyin"
REVIEW = "under review (审核中)"
"""The reason of a pending Douyin post."""
REJECTED = "not fit to be public (不适宜公开)"
POST_METRICS = {
    "digg_count": "likes",
    "comment_count": "comments",
    "share_count": "shares",
    "play_count": "views",
    "forward_count": "forwards",
    "download_count": "downloads",
}
"""``statistics`` fields of a video → metric names."""
_VISIBILITY = {5: "public", 6: "friends", 7: "private"}
BEIJING = ZoneInfo("Asia/Shanghai")  # the days of Douyin's data are Beijing days


def _time(value: Any) -> datetime | None:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    return None


def review_state(video: Mapping[str, Any]) -> tuple[PostState, str | None]:
    """Whether a video is live, under review or refused, from ``video_status`` and
    ``is_reviewed``."""
    status = video.get("video_status")
    if status == 2:
        return "rejected", REJECTED
    if status == 4 or video.get("is_reviewed") is False:
        return "pending", REVIEW
    return "published", None


def post(video: Mapping[str, Any], open_id: str | None = None) -> Post:
    """One video (or image-text post) of the account."""
    statistics = video.get("statistics") or {}
    state, reason = review_state(video)
    item_id = str(video["item_id"])
    kind = "image" if video.get("media_type") == 2 else "video"
    return Post(
        platform=PLATFORM,
        id=item_id,
        author=Account(platform=PLATFORM, id=open_id, handle=open_id) if open_id else None,
        text=str(video.get("title") or ""),
        created_at=_time(video.get("create_time")),
        url=video.get("share_url") or None,
        media=(Media(kind=kind, preview_url=video.get("cover") or None),),
        metrics={
            name: int(statistics[native])
            for native, name in POST_METRICS.items()
            if isinstance(statistics.get(native), int)
        },
        visibility=_VISIBILITY.get(video.get("video_status") or 0),
        state=state,
        state_reason=reason,
        raw=video,
    )


def comment(data: Mapping[str, Any], item_id: str) -> Comment:
    """One comment under a video (``/item/comment/list/``)."""
    user = data.get("comment_user_id")
    return Comment(
        platform=PLATFORM,
        id=str(data["comment_id"]),
        thread_root_id=item_id,
        reply_to_id=item_id,
        author=Account(platform=PLATFORM, id=str(user), handle=str(user)) if user else None,
        text=str(data.get("content") or ""),
        created_at=_time(data.get("create_time")),
        raw=data,
    )


def post_metrics(video: Mapping[str, Any]) -> list[Metric]:
    """The lifetime counts of a video's ``statistics``."""
    statistics = video.get("statistics") or {}
    item_id = str(video["item_id"])
    return [
        Metric(
            platform=PLATFORM, subject="post", subject_id=item_id, name=name,
            value=statistics.get(native), native_name=native,
        )
        for native, name in POST_METRICS.items()
        if native in statistics
    ]


def account_metrics(open_id: str, days: list[Mapping[str, Any]]) -> list[Metric]:
    """Daily ``total_fans`` and ``new_fans`` (``/data/external/user/fans/``)."""
    found: list[Metric] = []
    for day in days:
        start = datetime.strptime(str(day["date"]), "%Y-%m-%d").replace(tzinfo=BEIJING)
        for native, name in (("total_fans", "followers"), ("new_fans", "new_followers")):
            if native in day:
                found.append(Metric(
                    platform=PLATFORM, subject="account", subject_id=open_id, name=name,
                    value=day[native], period="day", start=start,
                    end=start + timedelta(days=1), native_name=native,
                ))
    return found


def account(info: Mapping[str, Any], open_id: str) -> Account:
    """The user of ``/oauth/userinfo/`` (``open_id``, ``nickname``, ``avatar``,
    ``union_id``)."""
    found = str(info.get("open_id") or open_id)
    return Account(
        platform=PLATFORM, id=found, handle=found,
        display_name=str(info["nickname"]) if info.get("nickname") else None,
        avatar_url=str(info["avatar"]) if info.get("avatar") else None,
        raw=dict(info),
    )
