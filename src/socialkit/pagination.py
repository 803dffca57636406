"""Lazy listings: `Paginator` and `AsyncPaginator` walk a platform's pages one at a time.

A page is a flow (``Fetch(cursor, wanted)``); the paginator asks its client to run each
one, and stops at the end, at a cursor it has seen before, or after too many empty pages.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic, Protocol, TypeVar

from ._progress import Bar, bar
from .http import Limits
from .models import ResultPage
from .platform import Flow

__all__ = ["AsyncPaginator", "Paginator"]

T = TypeVar("T")

Fetch = Callable[[str | None, int | None], Flow["ResultPage[T]"]]
"""Makes the flow of one page: (cursor, how many items are still wanted)."""


class Runner(Protocol):
    """What a `Paginator` needs of its client (`socialkit.Client` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def limits(self) -> Limits: ...

    def run(self, flow: Flow[Any]) -> Any: ...


class AsyncRunner(Protocol):
    """What an `AsyncPaginator` needs of its client (`socialkit.AsyncClient` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def limits(self) -> Limits: ...

    async def run(self, flow: Flow[Any]) -> Any: ...


class _Walk:
    """When a listing stops: at the end, at a cursor seen before in this listing (a
    platform cycling between cursors), or after ``max_empty`` empty pages in a row."""

    def __init__(self, max_empty: int) -> None:
        self.max_empty = max_empty
        self.seen: set[str] = set()
        self.empty = 0
        self.stopped_early: str | None = None

    def goes_on(self, page: ResultPage[Any]) -> bool:
        """Whether to read the page after ``page``; `stopped_early` says why not, when the
        platform still offered a next page."""
        cursor = page.next_cursor
        if cursor is None:
            return False
        if cursor in self.seen:
            self.stopped_early = "the next cursor repeats an earlier one"
            return False
        self.seen.add(cursor)
        self.empty = 0 if page.items else self.empty + 1
        if self.empty >= self.max_empty:
            self.stopped_early = f"{self.empty} empty pages in a row"
            return False
        return True


def describe(listing: str, argument: str | None) -> str:
    """What a paginator lists, for its repr: ``comments('1')``, ``posts()``."""
    return f"{listing}({'' if argument is None else repr(argument)})"


def _paginator_repr(paginator: Paginator[Any] | AsyncPaginator[Any], platform: str) -> str:
    limit = f" limit={paginator.limit}" if paginator.limit is not None else ""
    pages = "page" if paginator.pages_read == 1 else "pages"
    return (
        f"<{type(paginator).__name__} {platform} {paginator.what}{limit}: "
        f"{paginator.pages_read} {pages}, {paginator.items_read} items read>"
    )


class _LongListing:
    """The progress bar of a listing, shown once it passes ``LONG_LISTING`` pages."""

    def __init__(self, listing: _Listing[Any]) -> None:
        self._listing = listing
        self._bar: Bar | None = None

    def read(self, page: ResultPage[Any]) -> None:
        listing = self._listing
        if self._bar is None and listing.pages_read > LONG_LISTING:
            self._bar = bar(listing.limit, listing.what, unit="item")
            self._bar.update(listing.items_read - len(page.items))
        if self._bar is not None:
            self._bar.update(len(page.items))

    def __enter__(self) -> _LongListing:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


LONG_LISTING = 3
"""Pages read before a listing shows a progress bar."""


class _Listing(Generic[T]):
    """What both paginators share: the page flows, the limit, and how far they got."""

    def __init__(self, fetch: Fetch[T], limit: int | None, what: str) -> None:
        self._fetch = fetch
        self._first: Flow[ResultPage[T]] | None = fetch(None, limit)  # unsupported raises here
        self.limit = limit
        self.what = what
        self.pages_read = 0
        self.items_read = 0
        self.stopped_early: str | None = None
        """Why the listing stopped although the platform offered more (a cycling cursor,
        a run of empty pages), else ``None``: what was read may not be all there is."""

    def _start(self) -> tuple[Flow[ResultPage[T]], int | None]:
        flow = self._first or self._fetch(None, self.limit)
        self._first = None
        return flow, self.limit

    def _read(self, page: ResultPage[T]) -> None:
        self.pages_read += 1
        self.items_read += len(page.items)

    def _after(
        self, page: ResultPage[T], walk: _Walk, wanted: int | None
    ) -> tuple[Flow[ResultPage[T]] | None, int | None]:
        """The flow of the next page (``None``: stop), and how many items are still wanted."""
        if wanted is not None:
            wanted -= len(page.items)
        if (wanted is not None and wanted <= 0) or not walk.goes_on(page):
            self.stopped_early = walk.stopped_early
            return None, wanted
        return self._fetch(page.next_cursor, wanted), wanted


class Paginator(_Listing[T]):
    """A lazy listing: iterate items, or walk ``pages()``; one page in memory at a time.

    ```python
    for comment in client.comments(post.id, limit=100): ...
    latest = client.posts().first(5)
    ```
    """

    def __init__(
        self, client: Runner, fetch: Fetch[T], limit: int | None = None, what: str = "items"
    ) -> None:
        self._client = client
        super().__init__(fetch, limit, what)

    def __repr__(self) -> str:
        return _paginator_repr(self, self._client.name)

    def pages(self) -> Iterator[ResultPage[T]]:
        """Each page in turn, until the platform has no next cursor.

        A long listing (past its third page) shows a progress bar of the items read,
        where bars show (a notebook, a terminal with tqdm; see ``SOCIALKIT_PROGRESS``).
        """
        walk = _Walk(self._client.limits.max_empty_pages)
        flow: Flow[ResultPage[T]] | None
        flow, wanted = self._start()
        with _LongListing(self) as shown:
            while flow is not None:
                page = self._client.run(flow)
                self._read(page)
                shown.read(page)
                yield page
                flow, wanted = self._after(page, walk, wanted)

    def __iter__(self) -> Iterator[T]:
        items = (item for page in self.pages() for item in page.items)
        return itertools.islice(items, self.limit)

    def first(self, n: int = 1) -> list[T]:
        """The first ``n`` items (fetching only the pages they need)."""
        wanted = n if self.limit is None else min(n, self.limit)
        return list(Paginator(self._client, self._fetch, wanted, self.what))


class AsyncPaginator(_Listing[T]):
    """The async counterpart of [`Paginator`][socialkit.Paginator]: ``async for`` items or pages."""

    def __init__(
        self, client: AsyncRunner, fetch: Fetch[T], limit: int | None = None, what: str = "items"
    ) -> None:
        self._client = client
        super().__init__(fetch, limit, what)

    def __repr__(self) -> str:
        return _paginator_repr(self, self._client.name)

    async def pages(self) -> AsyncIterator[ResultPage[T]]:
        """Each page in turn, until the platform has no next cursor (a long listing shows
        a progress bar, as `Paginator.pages` does)."""
        walk = _Walk(self._client.limits.max_empty_pages)
        flow: Flow[ResultPage[T]] | None
        flow, wanted = self._start()
        with _LongListing(self) as shown:
            while flow is not None:
                page = await self._client.run(flow)
                self._read(page)
                shown.read(page)
                yield page
                flow, wanted = self._after(page, walk, wanted)

    async def __aiter__(self) -> AsyncIterator[T]:
        if self.limit is not None and self.limit <= 0:
            return
        yielded = 0
        async for page in self.pages():
            for item in page.items:
                yield item
                yielded += 1
                if yielded == self.limit:
                    return

    async def first(self, n: int = 1) -> list[T]:
        """The first ``n`` items (fetching only the pages they need)."""
        wanted = n if self.limit is None else min(n, self.limit)
        return [
            item async for item in AsyncPaginator(self._client, self._fetch, wanted, self.what)
        ]
