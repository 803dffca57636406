"""YouTube resources → socialkit records: videos, comments, channels, metrics.

Resource shapes: https://developers.google.com/youtube/v3/docs/videos,
/docs/comments, /docs/commentThreads, /docs/channels; Analytics result tables:
https://developers.google.com/youtube/analytics/reference/reports/query
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from ...errors import ParseError
from ...models import Account, Comment, Media, Metric, Post, PostState, native_id
from .quota import PACIFIC

__all__ = [
    "ACCOUNT_METRICS",
    "POST_METRICS",
    "account",
    "account_metrics",
    "comment",
    "items",
    "post",
    "post_metrics",
    "post_state",
    "split_text",
    "thread_comments",
    "video_url",
]

PLATFORM = "youtube"
TITLE_LENGTH = 100

POST_METRICS = {"viewCount": "views", "likeCount": "likes", "commentCount": "comments"}
"""``statistics`` fields of a video → metric names."""
ACCOUNT_METRICS = {
    "views": "views",
    "estimatedMinutesWatched": "minutes_watched",
    "likes": "likes",
    "subscribersGained": "new_followers",
}
"""YouTube Analytics metrics (per day) → metric names."""
_HIDDEN = frozenset({"heldForReview", "likelySpam", "rejected"})


def split_text(text: str) -> tuple[str, str]:
    """A draft's text as (title, description): the first line is the title, the other
    lines the description."""
    first, _, rest = text.strip().partition("\n")
    return first.strip(), rest.strip()


def video_url(video_id: str) -> str:
    """The watch page of a video."""
    return f"https://www.youtube.com/watch?v={video_id}"


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _count(value: Any) -> int | None:
    """A count (the Data API sends counts as decimal strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _thumbnail(thumbnails: Any) -> str | None:
    if not isinstance(thumbnails, Mapping):
        return None
    for size in ("high", "medium", "default"):
        found = thumbnails.get(size)
        if isinstance(found, Mapping) and isinstance(found.get("url"), str):
            return str(found["url"])
    return None


def items(body: Any) -> list[Mapping[str, Any]]:
    """The ``items`` of a list answer."""
    found = body.get("items") if isinstance(body, Mapping) else None
    if found is None:
        return []
    if not isinstance(found, list):
        raise ParseError("YouTube answered with items that are not a list", platform=PLATFORM)
    return [item for item in found if isinstance(item, Mapping)]


def post_state(video: Mapping[str, Any]) -> tuple[PostState, str | None]:
    """Whether a video is live, still processing, or refused, and YouTube's reason.

    ``processingDetails.processingStatus`` ``processing`` (or, without a succeeded
    processing, ``status.uploadStatus`` ``uploaded``) is pending; ``rejected`` and
    ``failed`` (or a ``failed`` or ``terminated`` processing) are rejected, with
    ``rejectionReason`` / ``failureReason``. Anything else, or no status part, is
    published.
    """
    status = video.get("status") or {}
    upload = status.get("uploadStatus")
    processing = (video.get("processingDetails") or {}).get("processingStatus")
    if upload == "rejected":
        return "rejected", str(status.get("rejectionReason") or "rejected")
    if upload == "failed" or processing in ("failed", "terminated"):
        why = status.get("failureReason") or f"processing {processing or 'failed'}"
        return "rejected", str(why)
    if processing == "processing" or (upload == "uploaded" and processing != "succeeded"):
        return "pending", "processing"
    return "published", None


def post(video: Mapping[str, Any]) -> Post:
    """A ``videos`` resource (any of the parts ``snippet``, ``status``, ``statistics``)."""
    video_id = native_id(video["id"])
    snippet = video.get("snippet") or {}
    title = str(snippet.get("title") or "")
    description = str(snippet.get("description") or "")
    channel = snippet.get("channelId")
    statistics = video.get("statistics") or {}
    state, reason = post_state(video)
    return Post(
        platform=PLATFORM,
        id=video_id,
        author=Account(
            platform=PLATFORM,
            id=str(channel),
            handle=str(snippet.get("channelTitle") or channel),
            display_name=snippet.get("channelTitle"),
            url=f"https://www.youtube.com/channel/{channel}",
        ) if channel else None,
        text=f"{title}\n{description}" if description else title,
        created_at=_time(snippet.get("publishedAt")),
        url=video_url(video_id),
        media=(Media(kind="video", id=video_id, url=video_url(video_id),
                     preview_url=_thumbnail(snippet.get("thumbnails"))),),
        metrics={
            name: count for native, name in POST_METRICS.items()
            if (count := _count(statistics.get(native))) is not None
        },
        visibility=(video.get("status") or {}).get("privacyStatus"),
        state=state,
        state_reason=reason,
        raw=video,
    )


def comment(data: Mapping[str, Any], *, top_level: bool, video_id: str | None = None) -> Comment:
    """A ``comments`` resource. A top-level comment's parent is its video; a reply's is
    the top-level comment (``snippet.parentId``). ``video_id`` is the video when the
    caller knows it (a reply listed by ``comments.list`` may not name it)."""
    snippet = data.get("snippet") or {}
    video_id = native_id(snippet.get("videoId") or video_id)
    author_id = snippet.get("authorChannelId")
    author_id = author_id.get("value") if isinstance(author_id, Mapping) else author_id
    name = snippet.get("authorDisplayName")
    comment_id = native_id(data["id"])
    return Comment(
        platform=PLATFORM,
        id=comment_id,
        thread_root_id=video_id,
        reply_to_id=video_id if top_level else snippet.get("parentId"),
        author=Account(
            platform=PLATFORM,
            id=str(author_id or name or ""),
            handle=str(name or author_id or ""),
            display_name=name,
            url=snippet.get("authorChannelUrl"),
            avatar_url=snippet.get("authorProfileImageUrl"),
        ) if (author_id or name) else None,
        text=str(snippet.get("textOriginal") or snippet.get("textDisplay") or ""),
        created_at=_time(snippet.get("publishedAt")),
        url=f"{video_url(video_id)}&lc={comment_id}" if video_id else None,
        hidden=snippet.get("moderationStatus") in _HIDDEN,
        raw=data,
    )


def thread_comments(thread: Mapping[str, Any]) -> tuple[list[Comment], bool]:
    """The top-level comment of a ``commentThreads`` resource and the replies it carries;
    True when YouTube holds more replies than it included (``comments.list`` has them)."""
    snippet = thread.get("snippet") or {}
    top = snippet.get("topLevelComment")
    if not isinstance(top, Mapping):
        raise ParseError("a comment thread without its top-level comment", platform=PLATFORM)
    video_id = snippet.get("videoId")
    if video_id and not (top.get("snippet") or {}).get("videoId"):
        top = {**top, "snippet": {**(top.get("snippet") or {}), "videoId": video_id}}
    found = [comment(top, top_level=True)]
    replies = (thread.get("replies") or {}).get("comments") or []
    found += [comment(r, top_level=False) for r in replies if isinstance(r, Mapping)]
    total = _count(snippet.get("totalReplyCount")) or 0
    return found, total > len(replies)


def account(channel: Mapping[str, Any]) -> Account:
    """A ``channels`` resource."""
    snippet = channel.get("snippet") or {}
    statistics = channel.get("statistics") or {}
    channel_id = native_id(channel["id"])
    hidden = statistics.get("hiddenSubscriberCount") is True
    return Account(
        platform=PLATFORM,
        id=channel_id,
        handle=str(snippet.get("customUrl") or snippet.get("title") or channel_id),
        display_name=snippet.get("title"),
        url=f"https://www.youtube.com/channel/{channel_id}",
        avatar_url=_thumbnail(snippet.get("thumbnails")),
        followers=None if hidden else _count(statistics.get("subscriberCount")),
        raw=channel,
    )


def post_metrics(video: Mapping[str, Any]) -> list[Metric]:
    """Lifetime views, likes and comments from a video's ``statistics``."""
    statistics = video.get("statistics") or {}
    now = datetime.now(UTC)
    return [
        Metric(platform=PLATFORM, subject="post", subject_id=native_id(video["id"]), name=name,
               value=_count(statistics.get(native)), collected_at=now, native_name=native)
        for native, name in POST_METRICS.items()
    ]


def account_metrics(channel_id: str, table: Mapping[str, Any]) -> list[Metric]:
    """One metric per day and column of an Analytics result table with ``dimensions=day``
    (YouTube Analytics days run midnight to midnight Pacific Time)."""
    headers: Sequence[Any] = table.get("columnHeaders") or []
    names = [str(h.get("name")) for h in headers if isinstance(h, Mapping)]
    if "day" not in names:
        raise ParseError("the Analytics report has no day column", platform=PLATFORM)
    now = datetime.now(UTC)
    found = []
    for row in table.get("rows") or []:
        values = dict(zip(names, row, strict=True))
        day = datetime.fromisoformat(str(values["day"])).date()
        start = datetime.combine(day, time(0), tzinfo=PACIFIC).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PACIFIC).astimezone(UTC)
        for native, value in values.items():
            if native == "day":
                continue
            number = value if isinstance(value, int | float) and not isinstance(value, bool) \
                else None
            found.append(Metric(
                platform=PLATFORM, subject="account", subject_id=channel_id,
                name=ACCOUNT_METRICS.get(native, native), value=number, period="day",
                start=start, end=end, collected_at=now, native_name=native,
            ))
    return found
