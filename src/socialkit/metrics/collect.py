"""Collecting post and account metrics from clients into a `MetricTable`.

`collect` works with `Client`s (one call after another) and `AsyncClient`s (it
runs `acollect`); `acollect` fetches concurrently in an anyio task group, up to
``concurrency`` calls at a time (calls of a sync client run in worker threads).
An error on one post or account (`NotFound`, `Unsupported`, `RateLimited`, ...)
is recorded in the result and the rest goes on.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import itertools
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Protocol, TypeAlias, TypeVar, runtime_checkable

import anyio
import anyio.to_thread
import attrs

from .._progress import bar, progress
from .._records import Record
from ..clock import require_aware
from ..errors import SocialkitError
from ..models import Metric, Post
from .store import MetricStore
from .table import MetricTable

__all__ = [
    "DEFAULT_POSTS",
    "AsyncMetricsClient",
    "CollectFailure",
    "Collection",
    "MetricsClient",
    "PostsToCollect",
    "acollect",
    "collect",
]

T = TypeVar("T")
Operation = Literal["post_metrics", "account_metrics", "posts"]


@runtime_checkable
class MetricsClient(Protocol):
    """What `collect` needs of a client (`socialkit.Client` has it)."""

    @property
    def name(self) -> str: ...

    def post_metrics(self, post_id: str) -> list[Metric]: ...

    def account_metrics(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[Metric]: ...

    def posts(self, account: str | None = None, *, limit: int | None = None) -> Iterable[Post]: ...


@runtime_checkable
class AsyncMetricsClient(Protocol):
    """What `acollect` needs of an async client (`socialkit.AsyncClient` has it)."""

    @property
    def name(self) -> str: ...

    async def post_metrics(self, post_id: str) -> list[Metric]: ...

    async def account_metrics(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[Metric]: ...

    def posts(
        self, account: str | None = None, *, limit: int | None = None
    ) -> AsyncIterable[Post]: ...


AnyClient = MetricsClient | AsyncMetricsClient
PostsToCollect = int | Iterable[Post | str] | Mapping[Any, int | Iterable[Post | str]] | None
"""Which posts: ``None`` (each client's latest `DEFAULT_POSTS`), ``n`` (each
client's latest ``n``; ``0`` for none), posts or ids (routed to the client of
their platform), or ``{client: posts or n}``."""
Clients = AnyClient | Sequence[AnyClient] | Mapping[Any, int | Iterable[Post | str]]
DEFAULT_POSTS = 20
"""How many of each client's latest posts `collect` reads when not told."""
Store: TypeAlias = "MetricTable | MetricStore | None"


@attrs.frozen
class CollectFailure(Record):
    """One call that failed: which platform, which operation, which post, and the error."""

    platform: str
    operation: Operation
    subject_id: str | None
    error: SocialkitError

    def __str__(self) -> str:
        what = f"{self.operation}({self.subject_id})" if self.subject_id else self.operation
        return f"{what} on {self.platform}: {self.error}"


@attrs.frozen(eq=False)
class Collection(Record):
    """What a collection run did: the table (with the new rows), and what failed."""

    table: MetricTable
    errors: tuple[CollectFailure, ...]
    added: int
    posts: int
    accounts: int

    @property
    def ok(self) -> bool:
        """Whether every call succeeded."""
        return not self.errors

    def __repr__(self) -> str:
        return (
            f"<Collection added={self.added} posts={self.posts} accounts={self.accounts} "
            f"errors={len(self.errors)}>"
        )


@attrs.define
class _Plan:
    client: AnyClient
    posts: list[Post | str] | int


@attrs.define
class _Gathered:
    metrics: list[Metric] = attrs.field(factory=list)
    posts: list[Post] = attrs.field(factory=list)
    errors: list[CollectFailure] = attrs.field(factory=list)
    post_count: int = 0
    account_count: int = 0

    def fail(self, client: AnyClient, op: Operation, subject: str | None, error: Exception) -> None:
        assert isinstance(error, SocialkitError)
        self.errors.append(CollectFailure(client.name, op, subject, error))

    def finish(self, store: Store, collected_at: datetime | None) -> Collection:
        if isinstance(store, MetricTable):
            table = store
        else:
            table = MetricTable() if store is None else MetricTable.open(store)
        added = table.add(self.metrics, collected_at=collected_at)
        table.add_posts(self.posts)
        if table.location is not None:
            table.save()
        return Collection(table, tuple(self.errors), added, self.post_count, self.account_count)


def _require_aware(
    since: datetime | None, until: datetime | None, collected_at: datetime | None
) -> None:
    require_aware(since, "since")
    require_aware(until, "until")
    require_aware(collected_at, "collected_at")


def collect(
    client_or_clients: Clients,
    posts: PostsToCollect = None,
    *,
    accounts: bool = True,
    store: Store = None,
    since: datetime | None = None,
    until: datetime | None = None,
    collected_at: datetime | None = None,
    concurrency: int = 8,
) -> Collection:
    """Fetch post metrics (and account metrics when ``accounts``) into a table.

    ```python
    collect([mastodon, bluesky])                  # each one's latest 20 posts, and the accounts
    collect([mastodon, bluesky], 50)              # each one's latest 50
    collect({mastodon: [post], bluesky: 10})      # chosen posts per client
    ```

    ``store`` is a `MetricTable` to append to, or where one is stored (a SQLite path,
    a ``postgresql://`` URL or a psycopg connection: opened, appended and saved); by
    default a new in-memory table. ``since``/``until`` are passed to ``account_metrics``;
    ``collected_at`` stamps every new row (one snapshot time for the run). Times must be
    timezone-aware. With any `AsyncClient` this runs
    `acollect` (call ``await acollect(...)`` instead when an event loop is already running).
    """
    _require_aware(since, until, collected_at)
    clients, posts = _clients(client_or_clients, posts)
    options: dict[str, Any] = {
        "accounts": accounts,
        "store": store,
        "since": since,
        "until": until,
        "collected_at": collected_at,
    }
    if any(_is_async(c) for c in clients):
        _refuse_running_loop()
        run = functools.partial(acollect, clients, posts, concurrency=concurrency, **options)
        return anyio.run(run)
    plans = _plan(clients, posts)
    gathered = _Gathered()
    for plan in plans:
        client = plan.client
        assert isinstance(client, MetricsClient)
        items = plan.posts
        if isinstance(items, int):
            try:
                items = list(itertools.islice(client.posts(limit=items), items)) if items else []
            except SocialkitError as error:
                gathered.fail(client, "posts", None, error)
                items = []
        for item in progress(items, total=len(items), desc=f"{client.name} metrics", unit="post"):
            post_id = item.id if isinstance(item, Post) else item
            try:
                metrics = client.post_metrics(post_id)
            except SocialkitError as error:
                gathered.fail(client, "post_metrics", post_id, error)
            else:
                _got_post(gathered, item, metrics)
        if accounts:
            try:
                gathered.metrics.extend(client.account_metrics(since, until))
                gathered.account_count += 1
            except SocialkitError as error:
                gathered.fail(client, "account_metrics", None, error)
    return gathered.finish(store, collected_at)


async def acollect(
    client_or_clients: Clients,
    posts: PostsToCollect = None,
    *,
    accounts: bool = True,
    store: Store = None,
    since: datetime | None = None,
    until: datetime | None = None,
    collected_at: datetime | None = None,
    concurrency: int = 8,
) -> Collection:
    """The async `collect`: every call runs concurrently, at most ``concurrency`` at a time."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    _require_aware(since, until, collected_at)
    clients, posts = _clients(client_or_clients, posts)
    plans = _plan(clients, posts)
    limiter = anyio.CapacityLimiter(concurrency)
    gathered = _Gathered()

    async def call(
        client: AnyClient, op: Operation, subject: str | None, work: Callable[[], Awaitable[T]]
    ) -> T | None:
        try:
            async with limiter:
                return await work()
        except SocialkitError as error:
            gathered.fail(client, op, subject, error)
            return None

    def job(client: AnyClient, method: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        if _is_async(client):
            return lambda: method(*args)
        return lambda: anyio.to_thread.run_sync(functools.partial(method, *args))

    shown = bar(len(plans) * (2 if accounts else 1), "metrics", unit="call")

    async def one_post(client: AnyClient, item: Post | str) -> None:
        post_id = item.id if isinstance(item, Post) else item
        work = job(client, client.post_metrics, post_id)
        metrics = await call(client, "post_metrics", post_id, work)
        shown.update()
        if metrics is not None:
            _got_post(gathered, item, metrics)

    async def one_account(client: AnyClient) -> None:
        work = job(client, client.account_metrics, since, until)
        metrics = await call(client, "account_metrics", None, work)
        shown.update()
        if metrics is not None:
            gathered.metrics.extend(metrics)
            gathered.account_count += 1

    async def one_client(plan: _Plan, group: anyio.abc.TaskGroup) -> None:
        items: list[Post | str] | None
        if isinstance(plan.posts, int):
            count = plan.posts
            items = await call(plan.client, "posts", None, lambda: _latest(plan.client, count))
        else:
            items = plan.posts
        shown.update()  # the listing (or the given posts)
        shown.grow(len(items or []))
        for item in items or []:
            group.start_soon(one_post, plan.client, item)

    with shown:
        async with anyio.create_task_group() as group:
            for plan in plans:
                group.start_soon(one_client, plan, group)
                if accounts:
                    group.start_soon(one_account, plan.client)
    return gathered.finish(store, collected_at)


# -- helpers ------------------------------------------------------------------------------------


def _got_post(gathered: _Gathered, item: Post | str, metrics: list[Metric]) -> None:
    gathered.metrics.extend(metrics)
    gathered.post_count += 1
    if isinstance(item, Post):
        gathered.posts.append(item)


def _clients(value: Clients, posts: PostsToCollect) -> tuple[list[AnyClient], PostsToCollect]:
    """The clients, and the posts (``{client: posts}`` given in place of the clients moves)."""
    if isinstance(value, Mapping):
        if posts is not None:
            raise ValueError("give the posts in the {client: posts} mapping or as posts=, not both")
        posts = value
    clients = [value] if isinstance(value, MetricsClient | AsyncMetricsClient) else list(value)
    if not clients:
        raise ValueError("give at least one client")
    for client in clients:
        if not isinstance(client, MetricsClient | AsyncMetricsClient):
            raise TypeError(
                "collect() takes a client, a list of clients or {client: posts}, "
                f"not {type(client).__name__}"
            )
    return clients, posts


def _is_async(client: AnyClient) -> bool:
    return inspect.iscoroutinefunction(client.post_metrics)


def _refuse_running_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError("an event loop is running here: use `await acollect(...)` instead")


def _plan(clients: list[AnyClient], posts: PostsToCollect) -> list[_Plan]:
    """Which posts each client collects; raises ValueError for a post no client can take."""
    if isinstance(posts, str):
        posts = [posts]
    if posts is None or isinstance(posts, int):
        return [_Plan(c, DEFAULT_POSTS if posts is None else posts) for c in clients]
    if isinstance(posts, Mapping):
        unknown = [c for c in posts if not any(c is k for k in clients)]
        if unknown:
            raise ValueError(f"posts given for clients not being collected: {unknown}")
        return [_Plan(c, _items(posts[c]) if c in posts else []) for c in clients]
    plans = [_Plan(c, []) for c in clients]
    for item in posts:
        if isinstance(item, Post):
            matching = [p for p in plans if p.client.name == item.platform]
            what = f"post {item.id} on {item.platform}"
        else:
            matching, what = plans, f"post id {item!r}"
        if len(matching) != 1:
            problem = "no client" if not matching else "several clients"
            raise ValueError(f"{problem} for {what}: pass posts as {{client: posts}}")
        target = matching[0].posts
        assert isinstance(target, list)
        target.append(item)
    return plans


def _items(value: int | Iterable[Post | str]) -> list[Post | str] | int:
    return value if isinstance(value, int) else list(value)


async def _latest(client: AnyClient, n: int) -> list[Post | str]:
    """The client's latest ``n`` posts."""
    if n <= 0:
        return []
    listing: Any = client.posts(limit=n)
    if _is_async(client):
        return [post async for post in listing][:n]
    found: list[Post | str] = await anyio.to_thread.run_sync(
        lambda: list(itertools.islice(listing, n))
    )
    return found
