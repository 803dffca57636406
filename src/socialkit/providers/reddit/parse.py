"""Reddit's things (``t1`` comments, ``t2`` accounts, ``t3`` links, ``t5`` subreddits, inbox
messages) and listings turned into socialkit's models.

Ids are fullnames (``t3_abc123``, ``t1_def456``): a comment's ``parent_id`` is then the
post's or comment's id as Reddit gives it. A post's ``text`` is its title, then a blank
line and the body for self posts.

Reference: https://www.reddit.com/dev/api (listings, ``/api/info``, ``/comments/{article}``)
and https://github.com/reddit-archive/reddit/wiki/JSON (the fields of each kind)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ...errors import ParseError
from ...models import (
    Account,
    Comment,
    Media,
    Mention,
    MentionKind,
    Metric,
    Post,
    ResultPage,
    native_id,
    optional_id,
)

__all__ = [
    "ARTICLE",
    "SITE",
    "account",
    "account_metrics",
    "comment",
    "fullname",
    "listing",
    "mention",
    "page_of_posts",
    "post",
    "post_metrics",
    "post_text",
    "things",
]

PLATFORM = "reddit"
SITE = "https://www.reddit.com"
_FULLNAME = re.compile(r"^t[1-6]_[0-9a-z]{1,13}$")
_BASE36 = re.compile(r"^[0-9a-z]{1,13}$")
ARTICLE = re.compile(r"/comments/([0-9a-z]{1,13})(?:/|$)")


def fullname(thing_id: str, kind: str) -> str:
    """``thing_id`` as a fullname of ``kind`` (``t3_``…); a bare base-36 id gets the prefix.

    Anything else is refused with `ValueError`, so an id never reaches another endpoint.
    """
    value = thing_id.strip().lower()
    if _FULLNAME.match(value):
        return value
    if _BASE36.match(value):
        return f"{kind}_{value}"
    raise ValueError(f"{thing_id!r} is not a Reddit id")


def _when(value: object) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    return None


def _permalink(data: Mapping[str, Any]) -> str | None:
    link = data.get("permalink")
    return f"{SITE}{link}" if isinstance(link, str) and link.startswith("/") else None


def _author(data: Mapping[str, Any]) -> Account | None:
    name = data.get("author")
    if not isinstance(name, str) or not name or name == "[deleted]":
        return None
    return Account(
        platform=PLATFORM,
        id=str(data.get("author_fullname") or name),
        handle=name,
        url=f"{SITE}/user/{name}/",
    )


def things(body: object, what: str = "listing") -> list[Mapping[str, Any]]:
    """The ``data`` of each child of a Listing (``{"kind": "Listing", "data": {...}}``),
    with its ``kind`` added as ``_kind``."""
    if not isinstance(body, Mapping) or not isinstance(body.get("data"), Mapping):
        raise ParseError(f"Reddit answered without a {what}", platform=PLATFORM)
    children = body["data"].get("children") or []
    found: list[Mapping[str, Any]] = []
    for child in children if isinstance(children, Sequence) else ():
        if isinstance(child, Mapping) and isinstance(child.get("data"), Mapping):
            found.append({**child["data"], "_kind": child.get("kind")})
    return found


def listing(body: object) -> tuple[list[Mapping[str, Any]], str | None]:
    """A Listing's things and its ``after`` cursor (a fullname, ``None`` at the end)."""
    items = things(body)
    assert isinstance(body, Mapping)
    after = body["data"].get("after")
    return items, after if isinstance(after, str) and after else None


def post_text(data: Mapping[str, Any]) -> str:
    """A post's title, then a blank line and the self text when there is one."""
    title = str(data.get("title") or "")
    body = data.get("selftext")
    return f"{title}\n\n{body}" if isinstance(body, str) and body else title


def _media(data: Mapping[str, Any]) -> tuple[Media, ...]:
    video = (data.get("secure_media") or data.get("media") or {})
    reddit_video = video.get("reddit_video") if isinstance(video, Mapping) else None
    if data.get("is_video") and isinstance(reddit_video, Mapping):
        return (Media(kind="video", url=reddit_video.get("fallback_url"),
                      preview_url=data.get("thumbnail") or None),)
    if data.get("post_hint") == "image" and isinstance(data.get("url"), str):
        return (Media(kind="image", url=data["url"]),)
    return ()


def _count(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def post(data: Mapping[str, Any]) -> Post:
    """A ``t3`` link (a post of any kind)."""
    try:
        name = native_id(data.get("name") or fullname(native_id(data["id"]), "t3"))
    except (KeyError, ValueError) as exc:
        raise ParseError("a Reddit post without an id", platform=PLATFORM) from exc
    counts = {
        "score": _count(data, "score"),
        "comments": _count(data, "num_comments"),
        "shares": _count(data, "num_crossposts"),
    }
    return Post(
        platform=PLATFORM,
        id=name,
        author=_author(data),
        text=post_text(data),
        created_at=_when(data.get("created_utc")),
        url=_permalink(data),
        media=_media(data),
        metrics={k: v for k, v in counts.items() if v is not None},
        visibility="private" if data.get("removed_by_category") else None,
        raw=data,
    )


def comment(data: Mapping[str, Any]) -> Comment:
    """A ``t1`` comment, its ``post_id`` the post's fullname and ``parent_id`` its parent's."""
    try:
        name = native_id(data.get("name") or fullname(native_id(data["id"]), "t1"))
        link = str(data["link_id"])
    except (KeyError, ValueError) as exc:
        raise ParseError("a Reddit comment without an id or post", platform=PLATFORM) from exc
    return Comment(
        platform=PLATFORM,
        id=name,
        thread_root_id=link,
        reply_to_id=optional_id(data.get("parent_id") or None),
        author=_author(data),
        text=str(data.get("body") or ""),
        created_at=_when(data.get("created_utc")),
        url=_permalink(data),
        hidden=data.get("removed") is True or data.get("banned_by") not in (None, False, ""),
        raw=data,
    )


_KINDS: dict[str, MentionKind] = {
    "username_mention": "mention",
    "username mention": "mention",
    "comment_reply": "reply",
    "comment reply": "reply",
    "post_reply": "reply",
    "post reply": "reply",
}


def mention(data: Mapping[str, Any]) -> Mention:
    """An inbox item: a username mention, a reply to the account, or a private message.

    A comment's ``post_id`` is the comment itself, its ``thread_root_id`` the submission."""
    kind = _KINDS.get(str(data.get("type") or "")) or _KINDS.get(str(data.get("subject") or ""))
    if kind is None:
        kind = "reply" if data.get("was_comment") else "message"
    context = data.get("context")
    article = ARTICLE.search(context) if isinstance(context, str) else None
    try:
        name = native_id(data.get("name") or fullname(native_id(data["id"]), "t4"))
    except (KeyError, ValueError) as exc:
        raise ParseError("a Reddit inbox item without an id", platform=PLATFORM) from exc
    return Mention(
        platform=PLATFORM,
        id=name,
        kind=kind,
        author=_author(data),
        text=str(data.get("body") or ""),
        created_at=_when(data.get("created_utc")),
        url=f"{SITE}{context}" if isinstance(context, str) and context.startswith("/") else None,
        post_id=name if name.startswith("t1_") else None,
        thread_root_id=f"t3_{article.group(1)}" if article else None,
        raw=data,
    )


def account(data: Mapping[str, Any]) -> Account:
    """``/api/v1/me``: the account, its followers those of its profile (``u_name``)."""
    try:
        name = str(data["name"])
    except KeyError as exc:
        raise ParseError("Reddit answered /api/v1/me without a name", platform=PLATFORM) from exc
    profile = data.get("subreddit")
    profile = profile if isinstance(profile, Mapping) else {}
    icon = data.get("icon_img") or data.get("snoovatar_img")
    return Account(
        platform=PLATFORM,
        id=f"t2_{data['id']}" if data.get("id") else name,
        handle=name,
        display_name=str(profile.get("title") or name),
        url=f"{SITE}/user/{name}/",
        avatar_url=str(icon) if icon else None,
        followers=_count(profile, "subscribers"),
        raw=data,
    )


def post_metrics(data: Mapping[str, Any]) -> list[Metric]:
    """Score, upvote ratio, comments and crossposts of a post (lifetime, now)."""
    subject = post(data).id
    values = (
        ("score", "score", _count(data, "score")),
        ("upvote_ratio", "upvote_ratio", data.get("upvote_ratio")),
        ("comments", "num_comments", _count(data, "num_comments")),
        ("shares", "num_crossposts", _count(data, "num_crossposts")),
    )
    return [
        Metric(platform=PLATFORM, subject="post", subject_id=subject, name=name,
               value=value, native_name=native)
        for name, native, value in values
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]


def account_metrics(me: Mapping[str, Any], moderated: Sequence[Mapping[str, Any]]) -> list[Metric]:
    """Karma (link, comment, total), the profile's followers, and the subscribers of each
    subreddit the account moderates (``subject_id`` ``r/<name>``, name ``followers``)."""
    user = account(me)
    metrics = [
        Metric(platform=PLATFORM, subject="account", subject_id=user.id, name=native,
               value=value, native_name=native)
        for native in ("link_karma", "comment_karma", "total_karma")
        if (value := _count(me, native)) is not None
    ]
    if user.followers is not None:
        metrics.append(Metric(platform=PLATFORM, subject="account", subject_id=user.id,
                              name="followers", value=user.followers, native_name="subscribers"))
    for sub in moderated:
        count = _count(sub, "subscribers")
        name = sub.get("display_name")
        if count is None or not isinstance(name, str) or name.startswith("u_"):
            continue  # the profile's own u_ subreddit is counted above
        metrics.append(Metric(platform=PLATFORM, subject="account", subject_id=f"r/{name}",
                              name="followers", value=count, native_name="subscribers"))
    return metrics


def page_of_posts(body: object) -> ResultPage[Post]:
    """A Listing of links as a page of posts."""
    items, after = listing(body)
    return ResultPage(items=[post(t) for t in items if t.get("_kind") == "t3"], next_cursor=after)
