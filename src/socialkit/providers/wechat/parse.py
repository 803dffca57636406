"""WeChat payloads as socialkit records: published articles and their comments.

Sources: freepublish/getarticle and freepublish/batchget
(https://developers.weixin.qq.com/doc/offiaccount/Publish/Get_article_from_id.html,
.../Publish/Get_publication_records.html) and comment/list
(https://developers.weixin.qq.com/doc/service/api/leaving/api_listcomment).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...errors import NotFound, ParseError
from ...models import Account, Comment, Post, native_id
from .content import html_to_text
from .ids import ArticleRef, CommentRef

__all__ = ["article", "comments", "news_items", "timestamp"]

PLATFORM = "wechat"


def timestamp(value: Any) -> datetime | None:
    """A Unix time as aware UTC."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError):
        return None


def article(
    item: Mapping[str, Any], ref: ArticleRef, created: Any = None, author: Account | None = None
) -> Post:
    """One ``news_item`` as a post; its text is the content's readable text."""
    if item.get("is_deleted"):
        raise NotFound(f"article {ref} was deleted", platform=PLATFORM)
    raw = dict(item)
    return Post(
        platform=PLATFORM,
        id=str(ref),
        author=author,
        text=html_to_text(str(item.get("content") or "")),
        created_at=timestamp(created),
        url=item.get("url") or None,
        visibility="public",
        raw=raw,
    )


def news_items(entry: Mapping[str, Any]) -> list[Post]:
    """A ``freepublish/batchget`` entry: one post per article of the publish."""
    article_id = entry.get("article_id")
    content = entry.get("content")
    if not isinstance(article_id, str) or not isinstance(content, Mapping):
        raise ParseError("a batchget item without article_id or content", platform=PLATFORM)
    created = content.get("create_time") or entry.get("update_time")
    items = content.get("news_item") or []
    return [
        article(item, ArticleRef(article_id, idx), created)
        for idx, item in enumerate(items, 1)
        if isinstance(item, Mapping) and not item.get("is_deleted")
    ]


def comments(body: Mapping[str, Any], ref: ArticleRef) -> list[Comment]:
    """``comment/list``: each comment, then the account's answer to it when there is one.

    ``hidden`` stays False: WeChat does not say whether a comment is shown; featured
    (精选) comments carry ``comment_type == 1`` in ``raw``.
    """
    msg_data_id = ref.require_message()
    post_id = str(ref)
    found: list[Comment] = []
    for item in body.get("comment") or []:
        if not isinstance(item, Mapping):
            continue
        cref = CommentRef(msg_data_id, ref.idx, native_id(item["user_comment_id"]))
        openid = item.get("openid")
        found.append(
            Comment(
                platform=PLATFORM,
                id=str(cref),
                thread_root_id=post_id,
                reply_to_id=post_id,
                author=Account(platform=PLATFORM, id=openid, handle=openid) if openid else None,
                text=str(item.get("content") or ""),
                created_at=timestamp(item.get("create_time")),
                raw=item,
            )
        )
        answer = item.get("reply")
        if isinstance(answer, Mapping) and answer.get("content"):
            found.append(
                Comment(
                    platform=PLATFORM,
                    id=str(attr_reply(cref)),
                    thread_root_id=post_id,
                    reply_to_id=str(cref),
                    text=str(answer["content"]),
                    created_at=timestamp(answer.get("create_time")),
                    raw=answer,
                )
            )
    return found


def attr_reply(cref: CommentRef) -> CommentRef:
    """The id of the account's answer to a comment."""
    return CommentRef(cref.msg_data_id, cref.idx, cref.user_comment_id, reply=True)
