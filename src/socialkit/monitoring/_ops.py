"""Client operations as data, so a helper's logic is written once for both drivers.

A *job* is a generator that yields operations (`Me`, `Listing`, `Reply`) and
receives their results, like a provider's flow one level up. `run_sync` drives
it with a `Client`, `run_async` with an `AsyncClient`; errors raised by the
client are thrown into the job, so it can catch them where it means to. A job that
calls a store between its operations runs with ``run_async(..., threaded=True)``: its
code between two operations then runs in a worker thread, off the event loop.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Literal, TypeAlias, TypeVar

import attrs

from .._db import off_loop
from ..client import AsyncClient, Client
from ..errors import ParseError, SocialkitError
from ..models import Account, Comment, Draft, Mention, Post
from ..platform import ReplyTarget

__all__ = [
    "AnyClient",
    "Job",
    "Listing",
    "Me",
    "Op",
    "Reply",
    "comments",
    "me",
    "mentions",
    "posts",
    "reply",
    "run_async",
    "run_sync",
    "search",
]

T = TypeVar("T")
AnyClient: TypeAlias = Client | AsyncClient
ListingName = Literal["posts", "comments", "mentions", "search"]


@attrs.frozen
class Me:
    """The authenticated account."""


@attrs.frozen
class Listing:
    """A paginated read, gathered into a list (at most ``limit`` items)."""

    name: ListingName
    arg: str | None
    limit: int | None


@attrs.frozen
class Reply:
    """Answer ``target`` with ``draft``."""

    target: ReplyTarget
    draft: Draft


Op: TypeAlias = Me | Listing | Reply
Job: TypeAlias = Generator[Op, Any, T]


def me() -> Job[Account]:
    """The authenticated account."""
    account: Account = yield Me()
    return account


def posts(limit: int | None) -> Job[list[Post]]:
    """The account's latest posts."""
    items: list[Post] = yield Listing("posts", None, limit)
    return items


def comments(post_id: str) -> Job[list[Comment]]:
    """Every comment under a post."""
    items: list[Comment] = yield Listing("comments", post_id, None)
    return items


def mentions(since_id: str | None, limit: int | None) -> Job[list[Mention]]:
    """Mentions newer than ``since_id``, newest first."""
    items: list[Mention] = yield Listing("mentions", since_id, limit)
    return items


def search(query: str, limit: int | None) -> Job[list[Post]]:
    """Posts matching ``query``."""
    items: list[Post] = yield Listing("search", query, limit)
    return items


def reply(target: ReplyTarget, draft: Draft) -> Job[Comment]:
    """Answer ``target``."""
    comment: Comment = yield Reply(target, draft)
    return comment


def _paginator(client: AnyClient, op: Listing) -> Any:
    if op.name == "posts":
        return client.posts(op.arg, limit=op.limit)
    if op.name == "comments":
        return client.comments(op.arg or "", limit=op.limit)
    if op.name == "mentions":
        return client.mentions(op.arg, limit=op.limit)
    return client.search(op.arg or "", limit=op.limit)


def _whole(op: Listing, stopped_early: str | None, platform: str) -> None:
    """A thread's comments are read to find a reply that may have been sent: a listing
    that broke off early cannot say it was not, so it is an error, never "not found"."""
    if op.name == "comments" and stopped_early:
        raise ParseError(
            f"the comments of {op.arg} could not be read to the end ({stopped_early})",
            platform=platform,
        )


def _advance(job: Job[T], value: Any, error: SocialkitError | None) -> Op:
    """The job's next operation; its result leaves as ``StopIteration``."""
    return job.throw(error) if error is not None else job.send(value)


def run_sync(client: Client, job: Job[T]) -> T:
    """Run ``job`` to its result with a synchronous client."""
    value: Any = None
    error: SocialkitError | None = None
    while True:
        try:
            op = _advance(job, value, error)
        except StopIteration as stop:
            result: T = stop.value
            return result
        value, error = None, None
        try:
            if isinstance(op, Me):
                value = client.me()
            elif isinstance(op, Reply):
                value = client.reply(op.target, op.draft)
            else:
                listing = _paginator(client, op)
                value = list(listing)
                _whole(op, listing.stopped_early, client.name)
        except SocialkitError as exc:
            error = exc


def _step(job: Job[T], value: Any, error: SocialkitError | None) -> tuple[bool, Any]:
    """`_advance` as ``(finished, the next operation or the result)``: a ``StopIteration``
    cannot cross from a worker thread into a coroutine."""
    try:
        return False, _advance(job, value, error)
    except StopIteration as stop:
        return True, stop.value


async def run_async(client: AsyncClient, job: Job[T], *, threaded: bool = False) -> T:
    """Run ``job`` to its result with an asynchronous client.

    With ``threaded`` the job's own code (what it does between two operations: store
    transactions) runs in a worker thread, so a slow store never blocks the event loop;
    the operations themselves run on the loop.
    """
    value: Any = None
    error: SocialkitError | None = None
    while True:
        if threaded:
            finished, step = await off_loop(_step, job, value, error)
        else:
            finished, step = _step(job, value, error)
        if finished:
            result: T = step
            return result
        op: Op = step
        value, error = None, None
        try:
            if isinstance(op, Me):
                value = await client.me()
            elif isinstance(op, Reply):
                value = await client.reply(op.target, op.draft)
            else:
                listing = _paginator(client, op)
                value = [item async for item in listing]
                _whole(op, listing.stopped_early, client.name)
        except SocialkitError as exc:
            error = exc
