"""Small readers for Graph API values: times, counts, nested ids, listings."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from ...errors import ParseError
from ...models import Account, Media, MediaKind, Mention, MentionKind, Post, native_id

__all__ = [
    "as_mention",
    "author",
    "count",
    "data",
    "media_items",
    "nested_id",
    "parse_time",
    "profile",
    "text",
]

T = TypeVar("T")


def parse_time(value: Any) -> datetime | None:
    """A Graph time (``2024-09-12T23:17:39+0000``) or Unix timestamp as aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    parsed = datetime.fromisoformat(str(value))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def count(value: Any) -> int | None:
    """A count: a number, or ``{"count": n}`` / ``{"summary": {"total_count": n}}``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        summary = value.get("summary")
        if isinstance(summary, Mapping):
            return count(summary.get("total_count"))
        return count(value.get("count"))
    return None


def nested_id(value: Any) -> str | None:
    """The ``id`` of a nested object (``{"id": ...}``), as a string."""
    if isinstance(value, Mapping) and value.get("id") is not None:
        return native_id(value["id"])
    return None


def text(value: Any) -> str:
    """A text field that may be missing or null."""
    return value if isinstance(value, str) else ""


def data(payload: Any, convert: Callable[[Mapping[str, Any]], T], platform: str) -> list[T]:
    """The items of a listing (``{"data": [...]}``), converted."""
    items = payload.get("data") if isinstance(payload, Mapping) else None
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise ParseError("expected a listing with a 'data' array", platform=platform)
    return [convert(item) for item in items if isinstance(item, Mapping)]


def author(data: Mapping[str, Any], platform: str, nested: str = "owner") -> Account | None:
    """The author of Instagram or Threads content: the ``nested`` object's id (``owner``,
    ``from``) with the ``username``; the username stands for the id when there is none."""
    inner = data.get(nested)
    username = data.get("username")
    if not username and isinstance(inner, Mapping):
        username = inner.get("username")
    author_id = nested_id(inner) or username
    if not author_id:
        return None
    return Account(platform=platform, id=native_id(author_id), handle=str(username or author_id))


def media_items(data: Mapping[str, Any], kinds: Mapping[str, MediaKind]) -> tuple[Media, ...]:
    """The media of an object, or of each child of a carousel (``children{...}``), whose
    ``media_type`` is one of ``kinds``."""
    children = data.get("children")
    items = children.get("data") if isinstance(children, Mapping) else None
    found = []
    for item in items if isinstance(items, list) else [data]:
        kind = kinds.get(str(item.get("media_type")))
        if kind is not None:
            found.append(
                Media(
                    kind=kind,
                    id=native_id(item["id"]) if item.get("id") else None,
                    url=item.get("media_url"),
                    preview_url=item.get("thumbnail_url"),
                    alt_text=item.get("alt_text"),
                )
            )
    return tuple(found)


def profile(data: Mapping[str, Any], platform: str, *, link: str, avatar: str) -> Account:
    """An Instagram or Threads profile: ``link`` is the profile URL with ``{}`` for the
    username, ``avatar`` the field holding the picture."""
    username = data.get("username")
    return Account(
        platform=platform,
        id=native_id(data["id"]),
        handle=str(username or data["id"]),
        display_name=data.get("name"),
        url=link.format(username) if username else None,
        avatar_url=data.get(avatar),
        followers=count(data.get("followers_count")),
    )


def as_mention(post: Post, kind: MentionKind) -> Mention:
    """A post that reached the account (a tag, a mention, a quote) as a `Mention`."""
    return Mention(
        platform=post.platform,
        id=post.id,
        kind=kind,
        author=post.author,
        text=post.text,
        created_at=post.created_at,
        url=post.url,
        post_id=post.id,
        raw=post.raw,
    )
