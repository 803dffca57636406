"""Graph API payloads of Pages, posts and comments as socialkit records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...models import Account, Comment, Media, Mention, Post, native_id
from ..meta.parse import as_mention, count, nested_id, parse_time, text

__all__ = ["account", "comment", "mention", "post"]

PLATFORM = "facebook"


def account(data: Mapping[str, Any]) -> Account:
    """A Page or user (``from``, ``GET /{page-id}``)."""
    picture = data.get("picture")
    image = picture.get("data") if isinstance(picture, Mapping) else None
    name = data.get("name")
    return Account(
        platform=PLATFORM,
        id=native_id(data["id"]),
        handle=str(data.get("username") or name or native_id(data["id"])),
        display_name=name,
        url=data.get("link"),
        avatar_url=image.get("url") if isinstance(image, Mapping) else None,
        followers=count(data.get("followers_count")),
    )


def _author(data: Mapping[str, Any]) -> Account | None:
    author = data.get("from")
    return account(author) if isinstance(author, Mapping) and author.get("id") else None


def post(data: Mapping[str, Any]) -> Post:
    """A Page post; ``metrics`` has every reaction as ``likes``, ``comments`` and ``shares``."""
    counts = {
        "likes": count(data.get("reactions")),
        "comments": count(data.get("comments")),
        "shares": count(data.get("shares")),
    }
    picture = data.get("full_picture")
    return Post(
        platform=PLATFORM,
        id=native_id(data["id"]),
        author=_author(data),
        text=text(data.get("message")),
        created_at=parse_time(data.get("created_time")),
        url=data.get("permalink_url"),
        media=(Media(kind="image", url=picture),) if picture else (),
        metrics={name: value for name, value in counts.items() if value is not None},
        raw=data,
    )


def comment(data: Mapping[str, Any], post_id: str) -> Comment:
    """A comment; a reply's ``parent_id`` is the comment it answers, else the post."""
    return Comment(
        platform=PLATFORM,
        id=native_id(data["id"]),
        thread_root_id=post_id,
        reply_to_id=nested_id(data.get("parent")) or post_id,
        author=_author(data),
        text=text(data.get("message")),
        created_at=parse_time(data.get("created_time")),
        url=data.get("permalink_url"),
        hidden=bool(data.get("is_hidden")),
        raw=data,
    )


def mention(data: Mapping[str, Any]) -> Mention:
    """A post the Page is tagged in (``/{page-id}/tagged``)."""
    return as_mention(post(data), "mention")
