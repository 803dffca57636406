"""From Lexicon views (``postView``, ``threadViewPost``, ``notification``, profiles) to models."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from ...models import Account, Comment, Media, Mention, MentionKind, Metric, Post, native_id
from .ids import parse_at_uri, permalink, profile_url

__all__ = [
    "account",
    "account_metrics",
    "comments",
    "hidden_replies",
    "mention",
    "parse_datetime",
    "post",
    "post_metrics",
    "post_url",
]

PLATFORM = "bluesky"

_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})"
)
_POST_METRICS = (
    ("likeCount", "likes"),
    ("repostCount", "shares"),
    ("replyCount", "comments"),
    ("quoteCount", "quotes"),
    ("bookmarkCount", "saves"),
)
_ACCOUNT_METRICS = (
    ("followersCount", "followers"),
    ("followsCount", "following"),
    ("postsCount", "posts"),
)
_MENTION_KINDS: Mapping[str, MentionKind] = {
    "mention": "mention",
    "reply": "reply",
    "quote": "quote",
}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_datetime(value: object) -> datetime | None:
    """A Lexicon ``datetime`` (any fraction length, ``Z`` or an offset) in UTC, else ``None``."""
    if not isinstance(value, str):
        return None
    match = _DATETIME.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    micros = int((match.group(7) or "0")[:6].ljust(6, "0"))
    zone = match.group(8)
    if zone == "Z":
        tz = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        return datetime(year, month, day, hour, minute, second, micros, tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def account(data: Mapping[str, Any]) -> Account:
    """An account from a ``profileView``, ``profileViewBasic`` or ``profileViewDetailed``."""
    handle = native_id(data["handle"])
    followers = data.get("followersCount")
    return Account(
        platform=PLATFORM,
        id=native_id(data["did"]),
        handle=handle,
        display_name=_str(data.get("displayName")),
        url=profile_url(handle),
        avatar_url=_str(data.get("avatar")),
        followers=followers if isinstance(followers, int) else None,
        raw=data,
    )


def post_url(uri: str, author: Mapping[str, Any] | None = None) -> str | None:
    """The ``bsky.app`` permalink of a post URI (by handle when the author is known)."""
    parsed = parse_at_uri(uri)
    if parsed is None or parsed.rkey is None:
        return None
    handle = _str(_map(author).get("handle"))
    return permalink(handle if handle and handle != "handle.invalid" else parsed.authority,
                     parsed.rkey)


def _media(embed: Mapping[str, Any]) -> Iterator[Media]:
    kind = str(embed.get("$type", ""))
    if kind == "app.bsky.embed.images#view":
        for image in embed.get("images") or []:
            yield Media(
                kind="image",
                url=_str(image.get("fullsize")),
                preview_url=_str(image.get("thumb")),
                alt_text=_str(image.get("alt")),
            )
    elif kind == "app.bsky.embed.video#view":
        yield Media(
            kind="video",
            id=_str(embed.get("cid")),
            url=_str(embed.get("playlist")),
            preview_url=_str(embed.get("thumbnail")),
            alt_text=_str(embed.get("alt")),
        )
    elif kind == "app.bsky.embed.recordWithMedia#view":
        yield from _media(_map(embed.get("media")))


def _counts(view: Mapping[str, Any]) -> dict[str, int]:
    return {name: view[key] for key, name in _POST_METRICS if isinstance(view.get(key), int)}


def post(view: Mapping[str, Any]) -> Post:
    """A post from a ``postView``; its id is the ``at://`` URI."""
    record = _map(view.get("record"))
    reply = _map(record.get("reply"))
    author = _map(view.get("author"))
    uri = native_id(view["uri"])
    return Post(
        platform=PLATFORM,
        id=uri,
        author=account(author) if author else None,
        text=str(record.get("text") or ""),
        created_at=parse_datetime(record.get("createdAt")) or parse_datetime(view.get("indexedAt")),
        url=post_url(uri, author),
        reply_to_id=_str(_map(reply.get("parent")).get("uri")),
        thread_root_id=_str(_map(reply.get("root")).get("uri")),
        media=tuple(_media(_map(view.get("embed")))),
        metrics=_counts(view),
        visibility="public",
        raw=view,
    )


def _is_post(node: Mapping[str, Any]) -> bool:
    return str(node.get("$type", "")).endswith("#threadViewPost") or (
        "post" in node and "notFound" not in node and "blocked" not in node
    )


def comments(
    thread: Mapping[str, Any], hidden: frozenset[str] = frozenset()
) -> Iterator[Comment]:
    """The replies under a ``threadViewPost``, depth-first, each with its ``parent_id``.

    Replies that are not found or blocked are skipped with everything under them.
    """
    stack = [(reply, thread) for reply in reversed(thread.get("replies") or [])]
    while stack:
        node, parent = stack.pop()
        if not isinstance(node, Mapping) or not _is_post(node):
            continue
        yield _comment(node, parent, hidden)
        stack.extend((reply, node) for reply in reversed(node.get("replies") or []))


def _comment(
    node: Mapping[str, Any], parent: Mapping[str, Any], hidden: frozenset[str]
) -> Comment:
    view = _map(node.get("post"))
    record = _map(view.get("record"))
    reply = _map(record.get("reply"))
    author = _map(view.get("author"))
    uri = native_id(view["uri"])
    parent_uri = str(_map(parent.get("post")).get("uri") or "") or None
    root_uri = _str(_map(reply.get("root")).get("uri")) or parent_uri
    return Comment(
        platform=PLATFORM,
        id=uri,
        thread_root_id=root_uri or uri,
        reply_to_id=_str(_map(reply.get("parent")).get("uri")) or parent_uri,
        author=account(author) if author else None,
        text=str(record.get("text") or ""),
        created_at=parse_datetime(record.get("createdAt")) or parse_datetime(view.get("indexedAt")),
        url=post_url(uri, author),
        hidden=uri in hidden,
        raw=node,
    )


def hidden_replies(output: Mapping[str, Any]) -> frozenset[str]:
    """The reply URIs a ``getPostThread`` answer's threadgate hides."""
    record = _map(_map(output.get("threadgate")).get("record"))
    return frozenset(u for u in record.get("hiddenReplies") or [] if isinstance(u, str))


def mention(data: Mapping[str, Any]) -> Mention | None:
    """A mention, reply or quote from a ``notification`` (other reasons give ``None``)."""
    kind = _MENTION_KINDS.get(str(data.get("reason")))
    if kind is None:
        return None
    record = _map(data.get("record"))
    author = _map(data.get("author"))
    uri = native_id(data["uri"])
    return Mention(
        platform=PLATFORM,
        id=uri,
        kind=kind,
        author=account(author) if author else None,
        text=str(record.get("text") or ""),
        created_at=parse_datetime(record.get("createdAt")) or parse_datetime(data.get("indexedAt")),
        url=post_url(uri, author),
        post_id=uri,
        raw=data,
    )


def post_metrics(view: Mapping[str, Any], collected_at: datetime | None = None) -> list[Metric]:
    """The public counts of a ``postView`` (``None`` when the view leaves one out)."""
    collected = collected_at or datetime.now(UTC)
    return [
        Metric(
            platform=PLATFORM, subject="post", subject_id=native_id(view["uri"]), name=name,
            value=view[key] if isinstance(view.get(key), int) else None,
            collected_at=collected, native_name=key,
        )
        for key, name in _POST_METRICS
        if key != "bookmarkCount" or key in view
    ]


def account_metrics(
    profile: Mapping[str, Any], collected_at: datetime | None = None
) -> list[Metric]:
    """A ``profileViewDetailed``'s followers, following and posts: a snapshot, not a history."""
    collected = collected_at or datetime.now(UTC)
    return [
        Metric(
            platform=PLATFORM, subject="account", subject_id=native_id(profile["did"]), name=name,
            value=profile[key] if isinstance(profile.get(key), int) else None,
            collected_at=collected, native_name=key,
        )
        for key, name in _ACCOUNT_METRICS
    ]
