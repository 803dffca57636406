"""Instagram media, comments and users as socialkit records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...models import Account, Comment, MediaKind, Mention, Post, native_id
from ..meta.parse import as_mention, author, count, media_items, parse_time, profile, text

__all__ = [
    "account",
    "caption_mention",
    "comment_mention",
    "comment_thread",
    "mention",
    "post",
]

PLATFORM = "instagram"
_KINDS: dict[str, MediaKind] = {"IMAGE": "image", "VIDEO": "video"}


def account(data: Mapping[str, Any]) -> Account:
    """A profile (``GET /{user-id}``)."""
    return profile(
        data, PLATFORM, link="https://www.instagram.com/{}/", avatar="profile_picture_url"
    )


def post(data: Mapping[str, Any]) -> Post:
    """An IG media object; ``metrics`` has ``likes`` and ``comments`` when Instagram shows them."""
    counts = {"likes": count(data.get("like_count")), "comments": count(data.get("comments_count"))}
    return Post(
        platform=PLATFORM,
        id=native_id(data["id"]),
        author=author(data, PLATFORM),
        text=text(data.get("caption")),
        created_at=parse_time(data.get("timestamp")),
        url=data.get("permalink"),
        media=media_items(data, _KINDS),
        metrics={name: value for name, value in counts.items() if value is not None},
        raw=data,
    )


def comment(data: Mapping[str, Any], post_id: str, parent_id: str) -> Comment:
    """An IG comment answering ``parent_id`` (the media, or the comment it replies to)."""
    return Comment(
        platform=PLATFORM,
        id=native_id(data["id"]),
        thread_root_id=post_id,
        reply_to_id=parent_id,
        author=author(data, PLATFORM, nested="from"),
        text=text(data.get("text")),
        created_at=parse_time(data.get("timestamp")),
        hidden=bool(data.get("hidden")),
        raw=data,
    )


def comment_thread(data: Mapping[str, Any], post_id: str) -> list[Comment]:
    """A top-level comment followed by the replies that came with it."""
    top = comment(data, post_id, post_id)
    replies = data.get("replies")
    items = replies.get("data") if isinstance(replies, Mapping) else None
    nested = [comment(r, post_id, top.id) for r in items or [] if isinstance(r, Mapping)]
    return [top, *nested]


def mention(data: Mapping[str, Any]) -> Mention:
    """Media the account is tagged in (``/{ig-user-id}/tags``)."""
    return as_mention(post(data), "tag")


def caption_mention(data: Mapping[str, Any]) -> Mention:
    """Media whose caption @mentions the account (``mentioned_media``): ``id`` and
    ``post_id`` are the media's."""
    return as_mention(post(data), "mention")


def comment_mention(data: Mapping[str, Any], media_id: str) -> Mention:
    """A comment that @mentions the account (``mentioned_comment``) on media ``media_id``:
    ``id`` and ``post_id`` are the comment's, ``thread_root_id`` the media's."""
    media = data.get("media")
    on = media.get("id") if isinstance(media, Mapping) else None
    return Mention(
        platform=PLATFORM,
        id=str(data["id"]),
        kind="mention",
        text=text(data.get("text")),
        created_at=parse_time(data.get("timestamp")),
        post_id=str(data["id"]),
        thread_root_id=str(on or media_id),
        raw=data,
    )
