"""X API v2 payloads → socialkit records.

A response carries its posts in ``data`` and the objects they point to (authors,
media) in ``includes``; `Includes` indexes those once per response. Both payload
dialects are read: "Tweet" (``referenced_tweets``, ``retweet_count``, ``tweet_count``)
and "Post" (``referenced_posts``, ``repost_count``, ``post_count``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import attrs

from ...models import (
    Account,
    Comment,
    Media,
    MediaKind,
    Mention,
    Metric,
    Post,
    ResultPage,
    native_id,
    optional_id,
)
from .wire import account_url, post_url

__all__ = [
    "Includes",
    "account",
    "account_metrics",
    "comment",
    "items",
    "mention",
    "page",
    "post",
    "post_metrics",
]

PLATFORM = "x"

# native public_metrics name → normalised name
_POST_METRICS = {
    "like_count": "likes",
    "retweet_count": "shares",
    "repost_count": "shares",
    "reply_count": "comments",
    "quote_count": "quotes",
    "bookmark_count": "saves",
    "impression_count": "impressions",
}
_PRIVATE_METRICS = {
    "impression_count": "impressions",
    "url_link_clicks": "clicks",
    "user_profile_clicks": "profile_clicks",
    "engagements": "engagements",
    "like_count": "likes",
    "retweet_count": "shares",
    "repost_count": "shares",
    "reply_count": "comments",
}
_ACCOUNT_METRICS = {
    "followers_count": "followers",
    "following_count": "following",
    "tweet_count": "posts",
    "post_count": "posts",
    "listed_count": "listed",
    "like_count": "likes_given",
    "media_count": "media",
}
_MEDIA_KINDS: dict[str, MediaKind] = {"photo": "image", "video": "video", "animated_gif": "gif"}


def _str(value: Any) -> str | None:
    return str(value) if value is not None and value != "" else None


def _items(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def parse_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from ISO 8601 (``2021-01-06T18:40:40.000Z``) or X's legacy
    ``Wed Jan 06 18:40:40 +0000 2021``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@attrs.frozen
class Includes:
    """The expanded objects of one response, by id."""

    users: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    media: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> Includes:
        """Index ``body["includes"]``."""
        includes = body.get("includes")
        if not isinstance(includes, Mapping):
            return cls()
        return cls(
            users={str(u["id"]): u for u in _items(includes.get("users")) if "id" in u},
            media={str(m["media_key"]): m for m in _items(includes.get("media"))
                   if "media_key" in m},
        )

    def author(self, data: Mapping[str, Any]) -> Account | None:
        """The post's author, when it was expanded."""
        user = self.users.get(str(data.get("author_id")))
        return account(user) if user is not None else None

    def attachments(self, data: Mapping[str, Any]) -> tuple[Media, ...]:
        """The post's media, in attachment order, when they were expanded."""
        attachments = data.get("attachments")
        keys = attachments.get("media_keys", ()) if isinstance(attachments, Mapping) else ()
        found = (self.media.get(str(key)) for key in keys)
        return tuple(_media(m) for m in found if m is not None)


def account(data: Mapping[str, Any]) -> Account:
    """A user object → Account."""
    username = str(data["username"])
    metrics = data.get("public_metrics")
    followers = metrics.get("followers_count") if isinstance(metrics, Mapping) else None
    return Account(
        platform=PLATFORM,
        id=native_id(data["id"]),
        handle=username,
        display_name=_str(data.get("name")),
        url=account_url(username),
        avatar_url=_str(data.get("profile_image_url")),
        followers=followers if isinstance(followers, int) else None,
        raw=data,
    )


def _media(data: Mapping[str, Any]) -> Media:
    return Media(
        kind=_MEDIA_KINDS.get(str(data.get("type")), "other"),
        id=_str(data.get("media_key")),
        url=_str(data.get("url")),
        preview_url=_str(data.get("preview_image_url")),
        alt_text=_str(data.get("alt_text")),
    )


def _referenced(data: Mapping[str, Any], kind: str) -> str | None:
    refs = _items(data.get("referenced_tweets") or data.get("referenced_posts"))
    return next((native_id(r["id"]) for r in refs if r.get("type") == kind and "id" in r), None)


def _text(data: Mapping[str, Any]) -> str:
    """The full text: a long post's ``note_tweet`` (or ``note_post``) text, else ``text``."""
    for key in ("note_tweet", "note_post"):
        note = data.get(key)
        if isinstance(note, Mapping) and isinstance(note.get("text"), str):
            return str(note["text"])
    return str(data.get("text") or "")


def _counts(data: Mapping[str, Any]) -> dict[str, int]:
    metrics = data.get("public_metrics")
    if not isinstance(metrics, Mapping):
        return {}
    return {
        name: value
        for native, name in _POST_METRICS.items()
        if isinstance(value := metrics.get(native), int)
    }


def post(data: Mapping[str, Any], includes: Includes | None = None) -> Post:
    """A post object → Post."""
    includes = includes or Includes()
    post_id = native_id(data["id"])
    author = includes.author(data)
    return Post(
        platform=PLATFORM,
        id=post_id,
        author=author,
        text=_text(data),
        created_at=parse_datetime(data.get("created_at")),
        url=post_url(post_id, author.handle if author else None),
        reply_to_id=_referenced(data, "replied_to"),
        thread_root_id=optional_id(data.get("conversation_id")),
        media=includes.attachments(data),
        metrics=_counts(data),
        raw=data,
    )


def comment(data: Mapping[str, Any], post_id: str, includes: Includes | None = None) -> Comment:
    """A reply in a conversation → Comment under ``post_id``."""
    includes = includes or Includes()
    comment_id = native_id(data["id"])
    author = includes.author(data)
    return Comment(
        platform=PLATFORM,
        id=comment_id,
        thread_root_id=post_id,
        reply_to_id=_referenced(data, "replied_to") or optional_id(data.get("conversation_id")),
        author=author,
        text=_text(data),
        created_at=parse_datetime(data.get("created_at")),
        url=post_url(comment_id, author.handle if author else None),
        raw=data,
    )


def mention(
    data: Mapping[str, Any], me_id: str | None, includes: Includes | None = None
) -> Mention:
    """A post from the mentions timeline → Mention: a reply to us, a quote, or a mention."""
    includes = includes or Includes()
    mention_id = native_id(data["id"])
    author = includes.author(data)
    replying_to_us = me_id is not None and str(data.get("in_reply_to_user_id")) == me_id
    if replying_to_us and _referenced(data, "replied_to"):
        kind = "reply"
    elif _referenced(data, "quoted"):
        kind = "quote"
    else:
        kind = "mention"
    return Mention(
        platform=PLATFORM,
        id=mention_id,
        kind=kind,
        author=author,
        text=_text(data),
        created_at=parse_datetime(data.get("created_at")),
        url=post_url(mention_id, author.handle if author else None),
        post_id=mention_id,
        raw=data,
    )


def items(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The objects of a list response's ``data`` (absent when there are none)."""
    return _items(body.get("data"))


def page(body: Mapping[str, Any], items: Iterable[Any]) -> ResultPage[Any]:
    """A page of ``items`` with the response's ``meta.next_token`` as the next cursor."""
    meta = body.get("meta")
    token = meta.get("next_token") if isinstance(meta, Mapping) else None
    return ResultPage(items=list(items), next_cursor=_str(token))


def _metrics(
    section: Any,
    names: Mapping[str, str],
    *,
    subject: Literal["post", "account"],
    subject_id: str,
    native_prefix: str,
    now: datetime,
    prefix: str = "",
    skip: Iterable[str] = (),
) -> list[Metric]:
    if not isinstance(section, Mapping):
        return []
    skipped = set(skip)
    return [
        Metric(
            platform=PLATFORM,
            subject=subject,
            subject_id=subject_id,
            name=prefix + names[native],
            value=value,
            collected_at=now,
            native_name=f"{native_prefix}.{native}",
        )
        for native, value in section.items()
        if native in names and native not in skipped and isinstance(value, int | float)
    ]


def post_metrics(data: Mapping[str, Any], now: datetime | None = None) -> list[Metric]:
    """A post's ``public_metrics``, plus ``non_public_metrics`` (clicks, profile clicks,
    engagements) and ``organic_metrics`` (as ``organic_*``) when present."""
    now = now or datetime.now(UTC)
    post_id = native_id(data["id"])
    public = data.get("public_metrics")
    shown = set(public) if isinstance(public, Mapping) else set()
    return [
        *_metrics(
            public, _POST_METRICS,
            subject="post", subject_id=post_id, native_prefix="public_metrics", now=now,
        ),
        *_metrics(
            data.get("non_public_metrics"), _PRIVATE_METRICS,
            subject="post", subject_id=post_id, native_prefix="non_public_metrics", now=now,
            skip=shown,
        ),
        *_metrics(
            data.get("organic_metrics"), _PRIVATE_METRICS,
            subject="post", subject_id=post_id, native_prefix="organic_metrics", now=now,
            prefix="organic_",
        ),
    ]


def account_metrics(data: Mapping[str, Any], now: datetime | None = None) -> list[Metric]:
    """A user's ``public_metrics`` as a snapshot: followers, following, posts, listed, ..."""
    return _metrics(
        data.get("public_metrics"), _ACCOUNT_METRICS,
        subject="account", subject_id=native_id(data["id"]), native_prefix="public_metrics",
        now=now or datetime.now(UTC),
    )
