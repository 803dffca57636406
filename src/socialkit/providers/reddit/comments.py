"""A post's comment tree, flattened page by page with Reddit's "load more" expanded.

The first page is ``GET /comments/{article}``: the tree Reddit chooses to show, flattened
depth-first (each comment keeps its ``parent_id``). Where Reddit cut the tree it leaves
``more`` objects: with ``children`` (the ids of comments not shown), expanded by
``GET /api/morechildren`` (``link_id``, ``children``, ``api_type=json``; at most 100 ids a
call), or without (a "continue this thread" link under a deep comment), expanded by
``GET /comments/{article}?comment={id}``. What remains to expand is the page's cursor:
``id,id,~t1_parent,...``.

Reference: https://www.reddit.com/dev/api#GET_comments_{article} and
https://www.reddit.com/dev/api#GET_api_morechildren
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...errors import ParseError
from ...models import Comment
from . import parse

__all__ = ["MORE_BATCH", "Flattened", "cursor_of", "flatten", "next_batch"]

MORE_BATCH = 100
"""The most ids one ``/api/morechildren`` call expands (Reddit's limit)."""

_ID = re.compile(r"^[0-9a-z]{1,13}$")
_CONTINUE = re.compile(r"^~t1_[0-9a-z]{1,13}$")


class Flattened:
    """The comments found in a (part of a) tree, and what is left to expand."""

    def __init__(self) -> None:
        self.comments: list[Comment] = []
        self.pending: list[str] = []

    def walk(self, children: Iterable[object], skip: str | None = None) -> Flattened:
        """Flatten ``children`` (``{"kind", "data"}`` things) depth-first."""
        for child in children:
            if not isinstance(child, Mapping) or not isinstance(child.get("data"), Mapping):
                continue
            data = child["data"]
            if child.get("kind") == "more":
                self._more(data)
                continue
            if child.get("kind") != "t1":
                continue
            if data.get("name") != skip:
                self.comments.append(parse.comment(data))
            replies = data.get("replies")
            if isinstance(replies, Mapping):
                self.walk(_children(replies))
        return self

    def _more(self, data: Mapping[str, Any]) -> None:
        ids = [str(i) for i in data.get("children") or [] if _ID.match(str(i))]
        if ids:
            self.pending.extend(ids)
        elif isinstance(data.get("parent_id"), str) and data["parent_id"].startswith("t1_"):
            self.pending.append("~" + data["parent_id"])


def _children(listing: Mapping[str, Any]) -> Sequence[object]:
    data = listing.get("data")
    children = data.get("children") if isinstance(data, Mapping) else None
    return children if isinstance(children, Sequence) else []


def flatten(body: object, skip: str | None = None) -> Flattened:
    """The answer of ``/comments/{article}``: ``[post listing, comment listing]``."""
    if not isinstance(body, Sequence) or len(body) < 2 or not isinstance(body[1], Mapping):
        raise ParseError("Reddit answered /comments without a comment listing",
                         platform="reddit")
    return Flattened().walk(_children(body[1]), skip=skip)


def flatten_more(body: object) -> Flattened:
    """The answer of ``/api/morechildren``: ``{"json": {"data": {"things": [...]}}}``."""
    data = body.get("json", {}).get("data") if isinstance(body, Mapping) else None
    things = data.get("things") if isinstance(data, Mapping) else None
    if not isinstance(things, Sequence):
        raise ParseError("Reddit answered /api/morechildren without things", platform="reddit")
    return Flattened().walk(things)


def cursor_of(pending: Sequence[str]) -> str | None:
    """The cursor that carries what is left to expand (``None``: nothing)."""
    return ",".join(pending) or None


def next_batch(cursor: str, limit: int) -> tuple[list[str], list[str]]:
    """Split a cursor into the next expansion and the rest.

    The next expansion is either one ``~t1_…`` continuation or up to ``limit`` (at most
    100) comment ids. A cursor that is not one of ours is a `ValueError`.
    """
    tokens = [t for t in cursor.split(",") if t]
    if not tokens or not all(_ID.match(t) or _CONTINUE.match(t) for t in tokens):
        raise ValueError("not a Reddit comments cursor")
    if tokens[0].startswith("~"):
        return tokens[:1], tokens[1:]
    size = max(1, min(limit, MORE_BATCH))
    batch: list[str] = []
    for token in tokens:
        if token.startswith("~") or len(batch) == size:
            break
        batch.append(token)
    return batch, tokens[len(batch):]
