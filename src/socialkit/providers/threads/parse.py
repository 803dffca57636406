"""Threads media objects, replies and profiles as socialkit records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...models import Account, Comment, MediaKind, Mention, Post, native_id
from ..meta.parse import as_mention, author, media_items, nested_id, parse_time, profile, text

__all__ = ["account", "comment", "mention", "post"]

PLATFORM = "threads"
_KINDS: dict[str, MediaKind] = {"IMAGE": "image", "VIDEO": "video", "AUDIO": "audio"}


def account(data: Mapping[str, Any]) -> Account:
    """A profile (``GET /{user-id}``)."""
    return profile(
        data, PLATFORM, link="https://www.threads.com/@{}", avatar="threads_profile_picture_url"
    )


def post(data: Mapping[str, Any]) -> Post:
    """A Threads post (or reply)."""
    return Post(
        platform=PLATFORM,
        id=native_id(data["id"]),
        author=author(data, PLATFORM),
        text=text(data.get("text")),
        created_at=parse_time(data.get("timestamp")),
        url=data.get("permalink"),
        reply_to_id=nested_id(data.get("replied_to")),
        thread_root_id=nested_id(data.get("root_post")),
        media=media_items(data, _KINDS),
        raw=data,
    )


def comment(data: Mapping[str, Any], post_id: str) -> Comment:
    """A reply in a conversation; its parent is the post or reply it answers."""
    return Comment(
        platform=PLATFORM,
        id=native_id(data["id"]),
        thread_root_id=post_id,
        reply_to_id=nested_id(data.get("replied_to")) or post_id,
        author=author(data, PLATFORM),
        text=text(data.get("text")),
        created_at=parse_time(data.get("timestamp")),
        url=data.get("permalink"),
        hidden=data.get("hide_status") == "HIDDEN",
        raw=data,
    )


def mention(data: Mapping[str, Any]) -> Mention:
    """A post that mentions the profile (``/{user-id}/mentions``); a quote when it is one."""
    return as_mention(post(data), "quote" if data.get("is_quote_post") else "mention")
