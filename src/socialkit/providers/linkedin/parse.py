"""LinkedIn payloads → socialkit records: posts, comments, mentions, metrics, pages.

Shapes follow https://learn.microsoft.com/en-us/linkedin/marketing/community-management/
shares/posts-api, .../shares/comments-api and .../organizations/
organization-social-action-notifications; paging: https://learn.microsoft.com/en-us/
linkedin/shared/api-guide/concepts/pagination
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

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
)
from .little import from_little
from .urns import post_url

__all__ = [
    "account",
    "comment",
    "elements",
    "epoch_ms",
    "mention",
    "metric",
    "page",
    "post",
]

T = TypeVar("T")
PLATFORM = "linkedin"

_MEDIA_KINDS: dict[str, MediaKind] = {"image": "image", "video": "video", "document": "document"}


def epoch_ms(value: Any) -> datetime | None:
    """A UTC datetime from LinkedIn's milliseconds since the epoch."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value / 1000, UTC)
    return None


def account(urn: str) -> Account:
    """An account known only by its URN (LinkedIn returns authors as URNs)."""
    return Account(platform=PLATFORM, id=urn, handle=urn)


def _media(content: Any) -> tuple[Media, ...]:
    if not isinstance(content, Mapping):
        return ()
    items: list[Mapping[str, Any]] = []
    if isinstance(content.get("media"), Mapping):
        items.append(content["media"])
    multi = content.get("multiImage")
    if isinstance(multi, Mapping) and isinstance(multi.get("images"), list):
        items.extend(i for i in multi["images"] if isinstance(i, Mapping))
    found = []
    for item in items:
        urn = str(item.get("id", ""))
        kind = _MEDIA_KINDS.get(urn.split(":")[2] if urn.count(":") >= 3 else "", "other")
        found.append(Media(kind=kind, id=urn or None, alt_text=item.get("altText")))
    return tuple(found)


def post(data: Mapping[str, Any]) -> Post:
    """A post of the Posts API."""
    urn = native_id(data["id"])
    author = data.get("author")
    visibility = data.get("visibility")
    return Post(
        platform=PLATFORM,
        id=urn,
        author=account(author) if isinstance(author, str) else None,
        text=from_little(str(data.get("commentary") or "")),
        created_at=epoch_ms(data.get("publishedAt")) or epoch_ms(data.get("createdAt")),
        url=post_url(urn),
        media=_media(data.get("content")),
        visibility=visibility.lower() if isinstance(visibility, str) else None,
        raw=data,
    )


def comment(data: Mapping[str, Any], post_id: str, parent_id: str) -> Comment:
    """A comment of the Comments API, under ``post_id``, answering ``parent_id``."""
    urn = native_id(data.get("commentUrn") or data.get("$URN") or data["id"])
    actor = data.get("actor")
    message = data.get("message")
    text = message.get("text") if isinstance(message, Mapping) else None
    created = data.get("created")
    return Comment(
        platform=PLATFORM,
        id=urn,
        thread_root_id=post_id,
        reply_to_id=parent_id,
        author=account(actor) if isinstance(actor, str) else None,
        text=str(text or ""),
        created_at=epoch_ms(created.get("time")) if isinstance(created, Mapping) else None,
        url=post_url(post_id),
        raw=data,
    )


def mention(data: Mapping[str, Any]) -> Mention:
    """A ``SHARE_MENTION`` organization notification. The notification has no ``actor``: the
    author is the owner of the mentioning post, ``decoratedSourcePost.owner``."""
    source = data.get("sourcePost")
    activity = data.get("generatedActivity")
    decorated = data.get("decoratedSourcePost")
    owner = decorated.get("owner") if isinstance(decorated, Mapping) else None
    ident = native_id(activity or source)
    return Mention(
        platform=PLATFORM,
        id=ident,
        kind="mention",
        author=account(owner) if isinstance(owner, str) else None,
        created_at=epoch_ms(data.get("lastModifiedAt")),
        url=post_url(native_id(source)) if source else None,
        post_id=native_id(source) if source else None,
        raw=data,
    )


def metric(
    subject: str,
    subject_id: str,
    name: str,
    value: Any,
    native_name: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    period: str = "lifetime",
) -> Metric:
    """One number; a missing or non-numeric value is ``None`` (null is not zero)."""
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    return Metric(
        platform=PLATFORM,
        subject="post" if subject == "post" else "account",
        subject_id=subject_id,
        name=name,
        value=number,
        period=period,
        start=start,
        end=end,
        native_name=native_name,
    )


def elements(body: Any) -> list[Mapping[str, Any]]:
    """The ``elements`` of a collection response."""
    items = body.get("elements") if isinstance(body, Mapping) else None
    return [e for e in items if isinstance(e, Mapping)] if isinstance(items, list) else []


def page(body: Any, items: Iterable[T], start: int, count: int) -> ResultPage[T]:
    """A page with the next ``start`` as cursor while LinkedIn says there is more."""
    listed = list(items)
    paging = body.get("paging") if isinstance(body, Mapping) else None
    paging = paging if isinstance(paging, Mapping) else {}
    returned = len(elements(body))
    total = paging.get("total")
    links = paging.get("links")
    if returned == 0:
        has_next = False
    elif isinstance(total, int):  # the total is the truth when LinkedIn gives one
        has_next = start + returned < total
    elif isinstance(links, list) and links:
        has_next = any(isinstance(link, Mapping) and link.get("rel") == "next" for link in links)
    else:
        has_next = returned >= count
    return ResultPage(items=listed, next_cursor=str(start + returned) if has_next else None)
