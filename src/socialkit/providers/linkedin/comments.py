"""Comments through LinkedIn's socialActions: list (with replies), create, delete.

- ``GET /rest/socialActions/{post or comment URN}/comments?start=…&count=…``
- ``POST /rest/socialActions/{post or comment URN}/comments`` with ``actor``, ``object``,
  ``message`` and, for a reply to a comment, ``parentComment``
- ``DELETE /rest/socialActions/{target}/comments/{comment id}?actor=…``

A comment's id here is its URN, ``urn:li:comment:(<activity or post URN>,<id>)``, which
names everything needed to answer or delete it.

Reference: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...errors import ParseError
from ...models import Comment, Draft, Mention, Post, ResultPage
from ...platform import Flow, PageFlow, Platform, ReplyTarget
from . import parse
from .little import comment_message
from .urns import comment_parts, encode, is_comment, require_target, with_query

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["answering", "create", "delete", "listing"]

_DELETE = {"X-RestLi-Method": "DELETE"}


def _has_replies(element: Mapping[str, Any]) -> bool:
    summary = element.get("commentsSummary")
    if not isinstance(summary, Mapping):
        return False
    total = summary.get("aggregatedTotalComments", summary.get("totalFirstLevelComments"))
    return isinstance(total, int) and total > 0


def _url(target: str, start: int, count: int) -> str:
    return with_query(
        f"/rest/socialActions/{encode(target)}/comments", ("start", start), ("count", count)
    )


def listing(platform: Platform, post_id: str, cursor: str | None, count: int) -> PageFlow[Comment]:
    """A page of the comments under ``post_id``; each comment that has replies is followed
    by them (LinkedIn nests one level)."""
    start = int(cursor or 0)
    response = yield platform.call("GET", _url(require_target(post_id), start, count))
    body = platform.json(response)
    found: list[Comment] = []
    for element in parse.elements(body):
        top = parse.comment(element, post_id, post_id)
        found.append(top)
        if _has_replies(element) and top.id != post_id:
            found.extend((yield from _replies(platform, top.id, post_id, count)))
    return parse.page(body, found, start, count)


def _replies(platform: Platform, comment_urn: str, post_id: str, count: int) -> Flow[list[Comment]]:
    replies: list[Comment] = []
    start = 0
    while True:
        response = yield platform.call("GET", _url(comment_urn, start, count))
        body = platform.json(response)
        for element in parse.elements(body):
            parent = element.get("parentComment")
            parent_id = parent if isinstance(parent, str) else comment_urn
            replies.append(parse.comment(element, post_id, parent_id))
        page: ResultPage[Comment] = parse.page(body, (), start, count)
        if page.next_cursor is None:
            return replies
        start = int(page.next_cursor)


def answering(target: ReplyTarget) -> tuple[str, str, str]:
    """(the post of the thread, the post or comment answered, the comment's ``object``)."""
    if isinstance(target, Comment) and is_comment(target.id):
        return target.thread_root_id, target.id, comment_parts(target.id)[0]
    if isinstance(target, Post | Comment):
        ident = target.id
    elif isinstance(target, Mention):
        ident = target.id if is_comment(target.id) else (target.post_id or target.id)
    else:
        ident = target
    require_target(ident)
    if is_comment(ident):
        inner = comment_parts(ident)[0]
        return inner, ident, inner
    return ident, ident, ident


def _json_or_empty(response: Response | None) -> Mapping[str, Any]:
    if response is None or not response.content:
        return {}
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, Mapping) else {}


def create(platform: Platform, author: str, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
    """Comment as ``author`` on a post, or reply to a comment (``parentComment``)."""
    post_id, parent_id, obj = answering(target)
    body: dict[str, Any] = {"actor": author, "object": obj, "message": comment_message(draft)}
    if is_comment(parent_id):
        body["parentComment"] = parent_id
    response = yield platform.call(
        "POST", f"/rest/socialActions/{encode(parent_id)}/comments", json=body
    )
    data = _json_or_empty(response)
    if not (data.get("commentUrn") or data.get("id")):
        created = response.headers.get("x-restli-id", "") if response is not None else ""
        if not created:
            raise ParseError("LinkedIn created the comment but named no id", platform="linkedin")
        urn = created if created.startswith("urn:") else f"urn:li:comment:({obj},{created})"
        data = {**body, "commentUrn": urn}
    return parse.comment(data, post_id, parent_id)


def delete(platform: Platform, author: str, comment_id: str) -> Flow[None]:
    """Delete a comment as ``author``."""
    target, ident = comment_parts(comment_id)
    url = with_query(
        f"/rest/socialActions/{encode(target)}/comments/{ident}", ("actor", encode(author))
    )
    yield platform.call("DELETE", url, headers=_DELETE)
