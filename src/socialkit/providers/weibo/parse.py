"""Weibo payloads as socialkit records: statuses, comments, users, times and ids.

Ids are kept as strings (``idstr``, else the exact JSON integer); a float id is refused,
since ids above 2**53 would lose digits. Sources: https://open.weibo.com/wiki/2/statuses/show,
https://open.weibo.com/wiki/2/comments/show, https://open.weibo.com/wiki/2/users/show.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from ...errors import ParseError
from ...models import Account, Comment, Media, Mention, Metric, Post

__all__ = [
    "account",
    "comment",
    "comment_mention",
    "count_metrics",
    "item_id",
    "mid_to_base62",
    "parse_time",
    "post",
    "status_mention",
    "status_url",
    "user_metrics",
]

PLATFORM = "weibo"
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def parse_time(value: str | None) -> datetime | None:
    """``Wed Oct 24 23:49:17 +0800 2012`` as aware UTC (locale-independent)."""
    if not value:
        return None
    try:
        _, month, day, clock, offset, year = value.split()
        hours, minutes, seconds = (int(part) for part in clock.split(":"))
        sign = -1 if offset[0] == "-" else 1
        zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
        local = datetime(int(year), _MONTHS[month], int(day), hours, minutes, seconds, tzinfo=zone)
    except (ValueError, KeyError, IndexError) as exc:
        raise ParseError(f"unreadable Weibo time {value!r}", platform=PLATFORM) from exc
    return local.astimezone(UTC)


def item_id(item: Mapping[str, Any], key: str = "id") -> str:
    """An object's id as an exact string: ``idstr`` when given, else the JSON integer."""
    text = item.get(f"{key}str")
    if isinstance(text, str) and text:
        return text
    value = item.get(key)
    if isinstance(value, str) and value.isdigit():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ParseError(
        f"no exact {key} in a Weibo object (got {type(value).__name__})", platform=PLATFORM
    )


def mid_to_base62(mid: str) -> str:
    """The short code weibo.com uses in a status URL: ``3501756485200075`` → ``z0JH2lOMb``.

    Raises:
        ValueError: ``mid`` is not ASCII digits (a ``-`` would never end the division).
    """
    if not (mid.isascii() and mid.isdigit()):
        raise ValueError(f"a Weibo mid is made of digits, not {mid[:20]!r}")
    groups = []
    end = len(mid)
    while end > 0:
        start = max(0, end - 7)
        number = int(mid[start:end])
        code = ""
        while number:
            number, digit = divmod(number, 62)
            code = _BASE62[digit] + code
        groups.append(code.rjust(4, "0") if start > 0 else code or "0")
        end = start
    return "".join(reversed(groups))


def status_url(user_id: str | None, mid: str) -> str:
    """The public permalink of a status."""
    if user_id:
        return f"https://weibo.com/{user_id}/{mid_to_base62(mid)}"
    return f"https://m.weibo.cn/status/{mid}"


def account(user: Mapping[str, Any]) -> Account:
    """A Weibo user."""
    user_id = item_id(user)
    domain = user.get("profile_url") or f"u/{user_id}"
    return Account(
        platform=PLATFORM,
        id=user_id,
        handle=str(user.get("screen_name") or user_id),
        display_name=user.get("name") or user.get("screen_name"),
        url=f"https://weibo.com/{domain}",
        avatar_url=user.get("avatar_large") or user.get("profile_image_url"),
        followers=_count(user.get("followers_count")),
        raw=user,
    )


def post(status: Mapping[str, Any]) -> Post:
    """A status, with its public counts (reposts → shares, attitudes → likes)."""
    status_id = item_id(status)
    user = status.get("user")
    author = account(user) if isinstance(user, Mapping) else None
    mid = str(status.get("mid") or status_id)
    pictures = [p.get("thumbnail_pic") for p in status.get("pic_urls") or [] if isinstance(p, dict)]
    media = tuple(
        Media(kind="image", url=_large(url), preview_url=url) for url in pictures if url
    ) or (
        (Media(kind="image", url=status["original_pic"], preview_url=status.get("thumbnail_pic")),)
        if status.get("original_pic")
        else ()
    )
    counts = {
        "shares": _count(status.get("reposts_count")),
        "comments": _count(status.get("comments_count")),
        "likes": _count(status.get("attitudes_count")),
    }
    return Post(
        platform=PLATFORM,
        id=status_id,
        author=author,
        text=str(status.get("text") or ""),
        created_at=parse_time(status.get("created_at")),
        url=status_url(author.id if author else None, mid),
        media=media,
        metrics={k: v for k, v in counts.items() if v is not None},
        visibility="public",
        raw=status,
    )


def comment(item: Mapping[str, Any], post_id: str | None = None) -> Comment:
    """A comment; its parent is the comment it answers (``reply_comment``) or the status."""
    status = item.get("status")
    root = item_id(status) if isinstance(status, Mapping) else post_id
    if root is None:
        raise ParseError("a Weibo comment without its status", platform=PLATFORM)
    answered = item.get("reply_comment")
    user = item.get("user")
    author = account(user) if isinstance(user, Mapping) else None
    return Comment(
        platform=PLATFORM,
        id=item_id(item),
        thread_root_id=root,
        reply_to_id=item_id(answered) if isinstance(answered, Mapping) else root,
        author=author,
        text=str(item.get("text") or ""),
        created_at=parse_time(item.get("created_at")),
        url=_comment_url(status),
        raw=item,
    )


def status_mention(status: Mapping[str, Any]) -> Mention:
    """A status that @-mentions the account (a repost of the account's status is a quote)."""
    found = post(status)
    return Mention(
        platform=PLATFORM,
        id=found.id,
        kind="quote" if isinstance(status.get("retweeted_status"), Mapping) else "mention",
        author=found.author,
        text=found.text,
        created_at=found.created_at,
        url=found.url,
        post_id=found.id,
        raw=status,
    )


def comment_mention(item: Mapping[str, Any]) -> Mention:
    """A comment that @-mentions the account: ``post_id`` is the comment, ``thread_root_id``
    the status it is under."""
    found = comment(item)
    return Mention(
        platform=PLATFORM,
        id=found.id,
        kind="mention",
        author=found.author,
        text=found.text,
        created_at=found.created_at,
        url=found.url,
        post_id=found.id,
        thread_root_id=found.thread_root_id,
        raw=item,
    )


def count_metrics(item: Mapping[str, Any]) -> list[Metric]:
    """``2/statuses/count.json`` counts: reposts → shares, comments, attitudes → likes."""
    subject = item_id(item)
    names = (("reposts", "shares"), ("comments", "comments"), ("attitudes", "likes"))
    return [
        Metric(
            platform=PLATFORM,
            subject="post",
            subject_id=subject,
            name=name,
            value=_count(item.get(native)),
            native_name=native,
        )
        for native, name in names
    ]


def user_metrics(user: Mapping[str, Any]) -> list[Metric]:
    """``2/users/show.json`` counts: followers, following (friends), posts (statuses)."""
    subject = item_id(user)
    names = (
        ("followers_count", "followers"),
        ("friends_count", "following"),
        ("statuses_count", "posts"),
    )
    return [
        Metric(
            platform=PLATFORM,
            subject="account",
            subject_id=subject,
            name=name,
            value=_count(user.get(native)),
            native_name=native,
        )
        for native, name in names
    ]


def _comment_url(status: Any) -> str | None:
    if not isinstance(status, Mapping):
        return None
    user = status.get("user")
    user_id = item_id(user) if isinstance(user, Mapping) else None
    return status_url(user_id, str(status.get("mid") or item_id(status)))


def _large(url: str) -> str:
    return url.replace("/thumbnail/", "/large/")


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
