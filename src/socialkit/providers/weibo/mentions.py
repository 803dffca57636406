"""Mentions on Weibo come from two timelines, merged into one, newest first.

``2/statuses/mentions.json`` (statuses that @ the account) and
``2/comments/mentions.json`` (comments that @ it) are paged with ``max_id``. A page
of the merged stream holds every item newer than the older of the two pages' last
items; what is older waits for the next page, so the order holds across pages. The
cursor keeps one inclusive ``max_id`` per timeline (``-`` once it is exhausted).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import attrs

from ...models import Mention

__all__ = ["MentionCursor", "merge"]

_EPOCH = datetime.min.replace(tzinfo=UTC)


@attrs.frozen
class MentionCursor:
    """Where each timeline resumes: an inclusive ``max_id``, ``None`` from the start, or done."""

    statuses: str | None = None
    comments: str | None = None
    statuses_done: bool = False
    comments_done: bool = False

    def encode(self) -> str | None:
        """``s=<max_id>;c=<max_id>`` (``-`` when done), or ``None`` when both are done."""
        if self.statuses_done and self.comments_done:
            return None
        s = "-" if self.statuses_done else self.statuses or ""
        c = "-" if self.comments_done else self.comments or ""
        return f"s={s};c={c}"

    @classmethod
    def decode(cls, cursor: str | None) -> MentionCursor:
        """The cursor of ``encode``; ``None`` starts both timelines from the newest."""
        if not cursor:
            return cls()
        parts = dict(part.split("=", 1) for part in cursor.split(";") if "=" in part)
        s, c = parts.get("s", ""), parts.get("c", "")
        for value in (s, c):
            if value not in ("", "-") and not value.isdigit():
                raise ValueError(f"not a Weibo mentions cursor: {cursor!r}")
        return cls(
            statuses=s if s.isdigit() else None,
            comments=c if c.isdigit() else None,
            statuses_done=s == "-",
            comments_done=c == "-",
        )


def _key(mention: Mention) -> tuple[datetime, int]:
    return (mention.created_at or _EPOCH, int(mention.id) if mention.id.isdigit() else 0)


def _resume(page: Sequence[Mention], taken: int) -> str | None:
    """The inclusive max_id after taking the first ``taken`` items of a page."""
    if taken < len(page):
        return page[taken].id
    last = page[-1].id
    return str(int(last) - 1) if last.isdigit() and int(last) > 0 else None


def merge(
    statuses: Sequence[Mention] | None,
    comments: Sequence[Mention] | None,
    statuses_more: bool,
    comments_more: bool,
) -> tuple[list[Mention], MentionCursor]:
    """One merged page and where each timeline resumes.

    ``statuses``/``comments`` are the pages fetched (``None`` for an exhausted timeline),
    newest first; ``*_more`` say whether a timeline may hold older items.
    """
    pages = [list(statuses or []), list(comments or [])]
    more = [statuses_more and bool(pages[0]), comments_more and bool(pages[1])]
    open_tails = [_key(page[-1]) for page, has_more in zip(pages, more, strict=True) if has_more]
    watermark = max(open_tails) if open_tails else None
    taken = [
        sum(1 for m in page if watermark is None or _key(m) >= watermark) if has_more else len(page)
        for page, has_more in zip(pages, more, strict=True)
    ]
    chosen: dict[str, Mention] = {}
    for page, count in zip(pages, taken, strict=True):
        for mention in page[:count]:
            chosen.setdefault(mention.id, mention)
    items = sorted(chosen.values(), key=_key, reverse=True)
    resume = [
        _resume(page, count) if has_more and page else None
        for page, count, has_more in zip(pages, taken, more, strict=True)
    ]
    cursor = MentionCursor(
        statuses=resume[0],
        comments=resume[1],
        statuses_done=not more[0] or resume[0] is None,
        comments_done=not more[1] or resume[1] is None,
    )
    return items, cursor
