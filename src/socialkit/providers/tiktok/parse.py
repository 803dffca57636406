"""TikTok Display API payloads → socialkit records: videos, the user, metrics.

Video fields: https://developers.tiktok.com/doc/tiktok-api-v2-video-object; user fields:
https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...models import Account, Media, Metric, Post, native_id

__all__ = [
    "ACCOUNT_METRICS",
    "POST_METRICS",
    "USER_FIELDS",
    "VIDEO_FIELDS",
    "account",
    "account_metrics",
    "post",
    "post_metrics",
    "video_url",
]

PLATFORM = "tiktok"

VIDEO_FIELDS = (
    "id", "create_time", "cover_image_url", "share_url", "video_description", "duration",
    "title", "embed_link", "like_count", "comment_count", "share_count", "view_count",
)
USER_FIELDS = (
    "open_id", "union_id", "avatar_url", "display_name", "username", "profile_deep_link",
    "follower_count",
)
POST_METRICS = {
    "like_count": "likes",
    "comment_count": "comments",
    "share_count": "shares",
    "view_count": "views",
}
ACCOUNT_METRICS = {
    "follower_count": "followers",
    "following_count": "following",
    "likes_count": "likes_received",
    "video_count": "posts",
}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def video_url(video_id: str, username: str | None) -> str | None:
    """The public page of a video (TikTok needs the author's username in it)."""
    return f"https://www.tiktok.com/@{username}/video/{video_id}" if username else None


def post(data: Mapping[str, Any], author: Account | None = None) -> Post:
    """A video object."""
    created = _int(data.get("create_time"))
    cover = data.get("cover_image_url")
    video_id = native_id(data["id"])
    return Post(
        platform=PLATFORM,
        id=video_id,
        author=author,
        text=str(data.get("video_description") or data.get("title") or ""),
        created_at=datetime.fromtimestamp(created, UTC) if created else None,
        url=data.get("share_url") or video_url(video_id, author.handle if author else None),
        media=(
            Media(kind="video", url=data.get("embed_link"), id=video_id, preview_url=cover),
        ),
        metrics={
            name: count for native, name in POST_METRICS.items()
            if (count := _int(data.get(native))) is not None
        },
        raw=data,
    )


def account(user: Mapping[str, Any]) -> Account:
    """The user object of ``/v2/user/info/``."""
    handle = user.get("username") or user.get("display_name") or user["open_id"]
    return Account(
        platform=PLATFORM,
        id=native_id(user["open_id"]),
        handle=str(handle),
        display_name=user.get("display_name"),
        url=user.get("profile_deep_link"),
        avatar_url=user.get("avatar_url"),
        followers=_int(user.get("follower_count")),
        raw=user,
    )


def _metrics(
    data: Mapping[str, Any], names: Mapping[str, str], subject: str, subject_id: str
) -> list[Metric]:
    now = datetime.now(UTC)
    return [
        Metric(
            platform=PLATFORM,
            subject="post" if subject == "post" else "account",
            subject_id=subject_id,
            name=name,
            value=_int(data.get(native)),
            collected_at=now,
            native_name=native,
        )
        for native, name in names.items()
    ]


def post_metrics(video: Mapping[str, Any]) -> list[Metric]:
    """Lifetime likes, comments, shares and views of a video."""
    return _metrics(video, POST_METRICS, "post", native_id(video["id"]))


def account_metrics(user: Mapping[str, Any]) -> list[Metric]:
    """A snapshot of the user's followers, following, likes received and videos."""
    return _metrics(user, ACCOUNT_METRICS, "account", native_id(user.get("open_id")))
