"""Mastodon payloads → socialkit models.

Every function takes the decoded JSON of one entity (Status, Account,
MediaAttachment, Notification, Instance) as documented in the Mastodon client
API and tolerates the optional fields being absent or null. A missing
required field (a status without ``id``) raises ``KeyError``, which the
drivers report as [`ParseError`][socialkit.errors.ParseError].

Boosts: a status whose ``reblog`` is set is a boost wrapper. It is read as the
boosted status (its id, author, text and counts), with ``raw`` keeping the
wrapper, so ``post.raw["reblog"]`` tells a boost apart and ``post.raw["id"]``
is the boost's own id. That is what a timeline shows, and it keeps metrics and
replies attached to the status that actually carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeGuard

from ...models import (
    Account,
    Comment,
    Media,
    MediaKind,
    Mention,
    MentionKind,
    Metric,
    Post,
    native_id,
    optional_id,
)
from .content import html_to_text

__all__ = [
    "account",
    "account_metrics",
    "comment",
    "instance_limits",
    "media",
    "mention",
    "parse_datetime",
    "post",
    "post_metrics",
    "status_text",
]

PLATFORM = "mastodon"

_MEDIA_KINDS: dict[str, MediaKind] = {
    "image": "image",
    "gifv": "gif",
    "video": "video",
    "audio": "audio",
}
# Mastodon's count fields → socialkit's normalised metric names.
_POST_COUNTS = (
    ("favourites_count", "likes"),
    ("reblogs_count", "shares"),
    ("replies_count", "comments"),
    ("quotes_count", "quotes"),
)
_ACCOUNT_COUNTS = (
    ("followers_count", "followers"),
    ("following_count", "following"),
    ("statuses_count", "posts"),
)


def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 timestamp (``2022-08-24T22:29:46.493Z``) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def account(data: Mapping[str, Any]) -> Account:
    """An Account entity."""
    handle = data.get("acct") or data.get("username") or native_id(data["id"])
    return Account(
        platform=PLATFORM,
        id=native_id(data["id"]),
        handle=str(handle),
        display_name=data.get("display_name") or None,
        url=_str(data.get("url")),
        avatar_url=_str(data.get("avatar")),
        followers=_count(data.get("followers_count")),
        raw=data,
    )


def media(data: Mapping[str, Any]) -> Media:
    """A MediaAttachment entity (``gifv`` is a gif; an unknown type is ``other``)."""
    return Media(
        kind=_MEDIA_KINDS.get(str(data.get("type")), "other"),
        url=_str(data.get("url") or data.get("remote_url")),
        id=optional_id(data.get("id")),
        preview_url=_str(data.get("preview_url")),
        alt_text=data.get("description") or None,
    )


def status_text(data: Mapping[str, Any]) -> str:
    """The plain text of a status: its HTML ``content``, or the ``text`` source when
    that is all there is (a deleted status, an edit's source)."""
    content = data.get("content")
    if isinstance(content, str) and content:
        return html_to_text(content)
    source = data.get("text")
    return source if isinstance(source, str) else ""


def _metrics(data: Mapping[str, Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for native, name in _POST_COUNTS:
        value = data.get(native)
        count = value if type(value) is int else _count(value)  # a plain int at once
        if count is not None:
            found[name] = count
    return found


def _mapping(value: Any) -> TypeGuard[Mapping[str, Any]]:
    """``isinstance(value, Mapping)``, a decoded JSON object (a dict) told at once."""
    return type(value) is dict or (value is not None and isinstance(value, Mapping))


def _inner(data: Mapping[str, Any]) -> Mapping[str, Any]:
    inner = data.get("reblog")
    return inner if _mapping(inner) else data


def post(data: Mapping[str, Any]) -> Post:
    """A Status entity (a boost is read as the boosted status; ``raw`` keeps the wrapper)."""
    status = _inner(data)
    author = status.get("account")
    attachments = status.get("media_attachments")
    return Post(
        platform=PLATFORM,
        id=native_id(status["id"]),
        author=account(author) if _mapping(author) else None,
        text=status_text(status),
        created_at=parse_datetime(status.get("created_at")),
        url=_str(status.get("url") or status.get("uri")),
        reply_to_id=optional_id(status.get("in_reply_to_id")),
        thread_root_id=None,
        media=tuple(media(m) for m in attachments) if attachments else (),
        metrics=_metrics(status),
        visibility=_str(status.get("visibility")),
        content_warning=_str(status.get("spoiler_text")) or None,
        raw=data,
    )


def comment(data: Mapping[str, Any], post_id: str) -> Comment:
    """A Status entity read as a comment under ``post_id`` (the conversation's root)."""
    author = data.get("account")
    return Comment(
        platform=PLATFORM,
        id=native_id(data["id"]),
        thread_root_id=post_id,
        reply_to_id=optional_id(data.get("in_reply_to_id")),
        author=account(author) if isinstance(author, Mapping) else None,
        text=status_text(data),
        created_at=parse_datetime(data.get("created_at")),
        url=_str(data.get("url") or data.get("uri")),
        content_warning=_str(data.get("spoiler_text")) or None,
        raw=data,
    )


def mention(data: Mapping[str, Any], me_id: str | None) -> Mention | None:
    """A Notification entity as a Mention, or ``None`` for a type that is not one.

    ``quote`` notifications are quotes; a ``mention`` whose status answers one of
    the account's own statuses (``in_reply_to_account_id`` is ``me_id``) is a
    reply; any other ``mention`` is a mention. The id is the notification's, so
    ``since_id`` works; ``post_id`` is the status's.
    """
    kind_of = str(data.get("type"))
    if kind_of not in ("mention", "quote"):
        return None
    status = data.get("status")
    status = status if isinstance(status, Mapping) else {}
    kind: MentionKind = "quote" if kind_of == "quote" else "mention"
    replied_to = optional_id(status.get("in_reply_to_account_id"))
    if kind == "mention" and me_id is not None and replied_to == me_id:
        kind = "reply"
    author = data.get("account") or status.get("account")
    return Mention(
        platform=PLATFORM,
        id=native_id(data["id"]),
        kind=kind,
        author=account(author) if isinstance(author, Mapping) else None,
        text=status_text(status),
        created_at=parse_datetime(status.get("created_at") or data.get("created_at")),
        url=_str(status.get("url") or status.get("uri")),
        post_id=optional_id(status.get("id")),
        raw=data,
    )


def post_metrics(data: Mapping[str, Any], collected_at: datetime | None = None) -> list[Metric]:
    """The public counts of a Status as metrics (lifetime totals).

    ``quotes`` is present only where the server reports ``quotes_count`` (Mastodon 4.5+).
    """
    status = _inner(data)
    now = collected_at or datetime.now(UTC)
    return [
        Metric(
            platform=PLATFORM,
            subject="post",
            subject_id=native_id(status["id"]),
            name=name,
            value=_count(status.get(native)),
            period="lifetime",
            collected_at=now,
            native_name=native,
        )
        for native, name in _POST_COUNTS
        if native in status and (native != "quotes_count" or status[native] is not None)
    ]


def account_metrics(data: Mapping[str, Any], collected_at: datetime | None = None) -> list[Metric]:
    """An Account's counts as a snapshot (Mastodon keeps no history of them)."""
    now = collected_at or datetime.now(UTC)
    return [
        Metric(
            platform=PLATFORM,
            subject="account",
            subject_id=native_id(data["id"]),
            name=name,
            value=_count(data.get(native)),
            period="snapshot",
            start=now,
            end=now,
            collected_at=now,
            native_name=native,
        )
        for native, name in _ACCOUNT_COUNTS
        if native in data
    ]


def instance_limits(data: Mapping[str, Any]) -> tuple[int | None, int | None, int | None]:
    """(max characters, characters reserved per URL, max media attachments) of an
    Instance (v2) or V1::Instance entity; ``None`` where the server does not say.

    Also reads ``max_toot_chars`` (Pleroma/Akkoma) so compatible servers work.
    """
    configuration = data.get("configuration")
    statuses = configuration.get("statuses") if isinstance(configuration, Mapping) else None
    statuses = statuses if isinstance(statuses, Mapping) else {}
    max_chars = _count(statuses.get("max_characters")) or _count(data.get("max_toot_chars"))
    per_url = _count(statuses.get("characters_reserved_per_url"))
    max_media = _count(statuses.get("max_media_attachments"))
    return max_chars, per_url, max_media
