"""Graph API paging: ``paging.next`` says whether there is a next page, the cursor says where.

A listing answers ``{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}``
(cursor paging) or a ``next`` URL with ``until``/``since`` (time paging) or ``offset``. A
page without ``next`` is the last. The ``next`` URL itself carries the access token, so it
is never kept: the cursor is only its paging parameters, which the next request sends again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from ...models import ResultPage

__all__ = ["PAGING_PARAMS", "cursor_params", "next_cursor", "until_seen"]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)

PAGING_PARAMS = frozenset({"after", "until", "since", "offset", "__paging_token"})
"""The query parameters of a ``next`` URL that select the page (everything else is repeated
from the first request, or is a secret)."""


def next_cursor(payload: Mapping[str, Any]) -> str | None:
    """The cursor of the page after this one, or ``None`` on the last page."""
    paging = payload.get("paging")
    if not isinstance(paging, Mapping) or not paging.get("next"):
        return None
    query = parse_qsl(urlsplit(str(paging["next"])).query)
    kept = {key: value for key, value in query if key in PAGING_PARAMS}
    if not kept:
        cursors = paging.get("cursors")
        after = cursors.get("after") if isinstance(cursors, Mapping) else None
        if not after:
            return None
        kept = {"after": str(after)}
    return urlencode(sorted(kept.items()))


def cursor_params(cursor: str | None) -> dict[str, str]:
    """The query parameters a cursor stands for (only paging ones are ever accepted)."""
    if not cursor:
        return {}
    return {key: value for key, value in parse_qsl(cursor) if key in PAGING_PARAMS}


def until_seen(page: ResultPage[R], since_id: str | None) -> ResultPage[R]:
    """The items of a newest-first page that came after the item ``since_id``; the listing
    ends where that item is found."""
    ids = [item.id for item in page.items]
    if since_id is None or since_id not in ids:
        return page
    return ResultPage(items=list(page.items)[: ids.index(since_id)], next_cursor=None)
