"""The two drivers: `Client` runs flows with httpx.Client, `AsyncClient` with httpx.AsyncClient.

Both expose the same operations with the same signatures; every provider is
written once, as flows, and is usable from scripts, notebooks, bots and servers.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import threading
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Collection,
    Generator,
    Iterator,
    Sequence,
)
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

import anyio
import httpx
from pydantic import ValidationError

from ._pool import DEADLINE, Direct, GatedClient, verified_tls
from ._pool import send as send_direct
from .clock import SYSTEM_CLOCK, Clock, require_aware
from .credentials.core import Refreshable
from .errors import (
    ConfigError,
    ParseError,
    PublishUncertain,
    SocialkitError,
    TokenExpired,
    TransportError,
    Unsupported,
)
from .http import USER_AGENT, Exchange, Limits, RateLimitMode, RetryPolicy, changes_state
from .models import Account, Comment, Draft, DraftLike, Mention, Metric, Post
from .pagination import AsyncPaginator, Paginator, describe
from .platform import Call, Capability, Flow, Platform, ReplyTarget, Sleep

if TYPE_CHECKING:
    from ._websocket import AsyncSocket, SyncSocket
    from .events.stream import Open
    from .events.types import Event
    from .events.watch import WatchFlow, WatchPolicy

__all__ = ["AsyncClient", "AsyncPaginator", "Client", "Paginator"]

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_POOL = httpx.Limits(max_connections=100, max_keepalive_connections=20)
"""Pool limits: 100 connections at once, 20 kept idle (httpx's own pool slows down with many
idle connections; an async pool on httpx is gated to ``max_connections`` calls in flight)."""
HttpBackend = Literal["auto", "aiohttp", "httpx"]
# What a bug in a provider's parsing of a payload raises; reported as ParseError.
# RecursionError: JSON nested 100k deep; OverflowError: a number no datetime can hold.
_PAYLOAD_ERRORS = (
    KeyError,
    TypeError,
    ValueError,
    IndexError,
    AttributeError,
    RecursionError,
    OverflowError,
    ValidationError,
)



def _resume(
    flow: Flow[Any] | WatchFlow,
    platform: str,
    send: Any = None,
    throw: SocialkitError | None = None,
) -> tuple[Any, bool]:
    """Advance a flow by one step; return (next step or final result, finished)."""
    try:
        return (flow.throw(throw) if throw is not None else flow.send(send)), False
    except StopIteration as stop:
        return stop.value, True
    except Unsupported as error:  # name what the user called: the flow's own name
        error.name_operation(getattr(flow, "__name__", "") or "this")
        raise
    except SocialkitError:
        raise
    except _PAYLOAD_ERRORS as exc:
        raise ParseError(f"unexpected payload: {_describe(exc)}", platform=platform) from exc


def _uncertain(error: ParseError, published: Call) -> PublishUncertain:
    """A payload that cannot be read after a publish succeeded: the outcome is unknown."""
    return PublishUncertain(
        f"{published.method} {published.url} succeeded but its answer could not be read "
        f"({error.message}); reconcile before publishing again",
        platform=error.platform,
        status=error.status,
        idempotency_key=published.idempotency_key,
    )


def _describe(exc: Exception) -> str:
    """What went wrong in a payload, without quoting its values (they may be secrets)."""
    if isinstance(exc, ValidationError):
        fields = {".".join(str(p) for p in e["loc"]) for e in exc.errors(include_input=False)}
        return f"invalid {', '.join(sorted(fields))}"
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return type(exc).__name__


class _Base:
    """What the two drivers share: the platform, settings and the exchange logic."""

    def __init__(
        self,
        platform: Platform,
        *,
        rate_limit: RateLimitMode = "wait",
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._platform = platform
        self._clock = clock or SYSTEM_CLOCK
        self._exchange = Exchange(
            platform,
            retry=retry or RetryPolicy(),
            rate_limit=rate_limit,
            bounds=limits,
            clock=self._clock,
        )
        self._backend = "httpx"

    @property
    def http(self) -> str:
        """What carries the requests: ``"aiohttp"``, ``"httpx"``, or a given transport's class."""
        return self._backend

    @property
    def clock(self) -> Clock:
        """The clock this client reads and sleeps with (the real one by default)."""
        return self._clock

    @property
    def limits(self) -> Limits:
        """The bounds on each call: deadline, body size, empty pages in a row."""
        return self._exchange.bounds

    def _advance(
        self,
        flow: Flow[Any] | WatchFlow,
        published: Call | None,
        send: Any = None,
        throw: SocialkitError | None = None,
    ) -> tuple[Any, bool]:
        """`_resume`, with the errors that leave the flow scrubbed of secrets, and a
        `ParseError` after a successful publish turned into `PublishUncertain`."""
        try:
            return _resume(flow, self.name, send, throw)
        except ParseError as error:
            if published is not None:
                raise self._exchange.scrub(_uncertain(error, published)) from error
            self._exchange.scrub(error)
            raise
        except SocialkitError as error:
            self._exchange.scrub(error)
            raise

    @property
    def platform(self) -> Platform:
        """The provider this client drives (its flows are the escape hatch to native features)."""
        return self._platform

    @property
    def name(self) -> str:
        """The platform name (``"mastodon"``)."""
        return self._platform.name

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this platform can do for the connected account: its capabilities less
        those whose scopes the account did not grant (when the token says)."""
        return self._platform.granted_capabilities

    def validate(self, draft: DraftLike) -> Draft:
        """Check a draft against the platform's rules without sending anything."""
        return self._platform.validate(draft)

    def _watch_flow(
        self,
        kinds: Collection[str],
        checkpoint: str | None,
        policy: WatchPolicy | None,
    ) -> WatchFlow:
        from .events.watch import watch_flow

        return watch_flow(self._platform, kinds, checkpoint, policy)

    def _stream_request(self, step: Open, default: httpx.Timeout) -> httpx.Request:
        """The stream's request: authenticated, no total deadline, and a read timeout
        of the heartbeat allowance (no byte for that long fails the read)."""
        request = self._exchange.build(step.call)
        timeout = httpx.Timeout(default.connect or 10.0, read=step.read_timeout)
        request.extensions = {**request.extensions, "timeout": timeout.as_dict()}
        return request

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._platform!r}, http={self._backend!r})"


class Client(_Base):
    """The synchronous client. Create it with [`socialkit.connect`][socialkit.connect].

    ```python
    client = sk.connect("mastodon", instance="https://mastodon.social", access_token="...")
    post = client.publish("Hello from socialkit")
    ```
    """

    def __init__(
        self,
        platform: Platform,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float | httpx.Timeout | None = None,
        rate_limit: RateLimitMode = "wait",
        retry: RetryPolicy | None = None,
        http_client: httpx.Client | None = None,
        limits: Limits | None = None,
        clock: Clock | None = None,
        pool: httpx.Limits | None = None,
    ) -> None:
        super().__init__(platform, rate_limit=rate_limit, retry=retry, limits=limits, clock=clock)
        self._owns_http = http_client is None
        self._made: httpx.Client | None = http_client
        self._making = threading.Lock()
        self._make = functools.partial(_sync_http, transport, timeout, pool)
        self._backend = _backend_of(http_client, transport)
        self._direct = http_client is None and transport is None  # httpx's own transports

    @property
    def _http(self) -> httpx.Client:
        """The connection pool, made on the first request (so `connect` imports no
        httpcore, reads no CA bundle and finds no proxy settings until it is used)."""
        made = self._made
        if made is None:
            with self._making:  # two threads' first requests make one pool
                made = self._made
                if made is None:
                    made = self._made = self._make()
        return made

    # -- driving ---------------------------------------------------------------------------

    def run(self, flow: Flow[T]) -> T:
        """Run a flow to its result: the escape hatch for platform-specific features."""
        published: Call | None = None  # the last call that changed something
        step, done = self._advance(flow, published)
        while not done:
            if isinstance(step, Sleep):
                self._sleep(step.seconds)
                step, done = self._advance(flow, published)
                continue
            try:
                response = self._send(step)
            except SocialkitError as error:
                step, done = self._advance(flow, published, throw=error)
            else:
                published = step if changes_state(step) else published
                step, done = self._advance(flow, published, send=response)
        result: T = step
        return result

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """A raw call with authentication, retries and rate limits; ``url`` may be a path."""
        return self._send(Call(method, url, **kwargs))

    def _send(self, call: Call) -> httpx.Response:
        credential = self._exchange.refreshable(call)
        if credential is None:
            return self._attempts(call)
        if credential.expires_soon():
            self._refresh(credential, credential.generation)
        generation = credential.generation
        try:
            return self._attempts(call)
        except TokenExpired:
            self._refresh(credential, generation)
            return self._attempts(call)

    def _refresh(self, credential: Refreshable, seen: int) -> None:
        """Refresh once, however many threads ask: later askers find it done."""
        with credential.lock:
            if credential.generation == seen:
                self.run(credential.refresh())

    def _attempts(self, call: Call) -> httpx.Response:
        """The call, retried by tenacity. The first attempt runs before tenacity is set up
        (most calls need no other); its failure, when retryable, is replayed as tenacity's
        first attempt, so attempts, waits and the log are those of one tenacity loop."""
        exchange = self._exchange
        started = self._clock.monotonic()
        deadline_at = exchange.deadline_at()
        try:
            return self._attempt(call, deadline_at)
        except SocialkitError as error:
            if not exchange.retryable(error):
                raise
            first: SocialkitError | None = error
        import tenacity  # loaded for the first retry, not by connect()

        for attempt in tenacity.Retrying(**exchange.retrying(self._sleep, deadline_at, started)):
            with attempt:
                if first is not None:
                    failed, first = first, None
                    raise failed
                return self._attempt(call, deadline_at)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    def _attempt(self, call: Call, deadline_at: float | None) -> httpx.Response:
        exchange = self._exchange
        wait = exchange.wait_before(call, exchange.remaining(deadline_at))
        if wait:
            self._sleep(wait)
        request = exchange.build(call)
        exchange.bound(request, deadline_at, self._http.timeout)
        started = time.perf_counter()
        try:
            response = self._exchange_once(call, request, deadline_at)
        except httpx.HTTPError as exc:
            raise exchange.failed(call, exc) from None
        return exchange.finish(call, response, started)

    def _exchange_once(
        self, call: Call, request: httpx.Request, deadline_at: float | None
    ) -> httpx.Response:
        """Send and read the body as it streams, within ``max_body`` and the deadline."""
        exchange = self._exchange
        # the pool httpx made for us is sent to directly (see socialkit._pool)
        transport = self._http._transport_for_url(request.url) if self._direct else None
        sent = time.perf_counter()
        if transport is not None:
            response = send_direct(transport, request)
        else:
            response = self._http.send(request, stream=True)
        try:
            exchange.check_size(call, response)
            body = bytearray()
            # a body sent as is needs no decoder: read it raw, skipping httpx's chunking
            raw = transport is not None and "content-encoding" not in response.headers
            chunks = response.stream if raw else response.iter_bytes()
            for chunk in chunks:  # type: ignore[union-attr]
                exchange.take(call, response, body, chunk, deadline_at)
            exchange.keep(response, body)
        finally:
            response.close()
        if transport is not None:  # what httpx.Client.send sets on closing the response
            response.elapsed = timedelta(seconds=time.perf_counter() - sent)
        return response

    def _sleep(self, seconds: float) -> None:
        self._clock.sleep(seconds)

    def watch(
        self,
        kinds: Collection[str] = ("mention",),
        checkpoint: str | None = None,
        *,
        policy: WatchPolicy | None = None,
    ) -> Generator[Event, None, None]:
        """Events of ``kinds`` as they happen, from ``checkpoint`` on (``None``: from now).

        The iterator never ends by itself: it reconnects, backfills and de-duplicates
        (see [`AsyncClient.watch`][socialkit.client.AsyncClient.watch]). Commit each event's
        ``checkpoint`` after handling it.
        """
        from .events.stream import Close, Emit, Now, Open, Receive

        flow = self._watch_flow(kinds, checkpoint, policy)
        response: httpx.Response | SyncSocket | None = None
        chunks: Iterator[bytes] = iter(())
        step, done = self._advance(flow, None)
        try:
            while not done:
                send: Any = None
                try:
                    if isinstance(step, Emit):
                        yield step.event
                    elif isinstance(step, Sleep):
                        self._sleep(step.seconds)
                    elif isinstance(step, Call):
                        send = self._send(step)
                    elif isinstance(step, Now):
                        send = self._clock.monotonic()
                    elif isinstance(step, Open | Close) and response is not None:
                        response.close()
                        response, chunks = None, iter(())
                    if isinstance(step, Open) and _is_socket(step.call):
                        response = self._open_socket(step)
                        chunks = response.iter_bytes()
                    elif isinstance(step, Open):
                        response = self._open(step)
                        chunks = response.iter_bytes()
                    elif isinstance(step, Receive):
                        send = self._receive(chunks)
                except SocialkitError as error:
                    step, done = self._advance(flow, None, throw=error)
                else:
                    step, done = self._advance(flow, None, send=send)
        finally:
            if response is not None:
                response.close()
            flow.close()

    def _open(self, step: Open) -> httpx.Response:
        wait = self._exchange.wait_before(step.call)
        if wait:
            self._sleep(wait)
        request = self._stream_request(step, self._http.timeout)
        started = time.perf_counter()
        try:
            response = self._http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self._exchange.failed(step.call, exc) from None
        if response.status_code >= 400:
            try:
                self._exchange.keep(response, bytearray(response.read()[:65536]))
            except httpx.HTTPError as exc:
                raise self._exchange.failed(step.call, exc) from None
            finally:
                response.close()
        try:
            return self._exchange.finish(step.call, response, started)
        except SocialkitError:
            response.close()
            raise

    def _open_socket(self, step: Open) -> SyncSocket:
        from ._websocket import open_sync

        request = self._exchange.build(step.call)
        connect = self._http.timeout.connect or 10.0
        return open_sync(str(request.url), request.headers, connect, step.read_timeout,
                         self.name)

    def _receive(self, chunks: Iterator[bytes]) -> bytes:
        try:
            return next(chunks, b"")
        except httpx.HTTPError as exc:
            raise TransportError(
                f"the stream failed ({type(exc).__name__})", platform=self.name
            ) from None

    # -- the unified operations ------------------------------------------------------------

    def me(self) -> Account:
        """The authenticated account."""
        return self.run(self._platform.me())

    def publish(self, draft: DraftLike) -> Post:
        """Publish text or a [`Draft`][socialkit.Draft]; checked against the rules first."""
        return self.run(self._platform.publish(self._platform.validate(draft)))

    def publish_thread(self, drafts: Sequence[DraftLike]) -> list[Post]:
        """Publish drafts as a chain of replies; every part is checked before the first is sent."""
        return self.run(self._platform.publish_thread([Draft.of(d) for d in drafts]))

    def get_post(self, post_id: str) -> Post:
        """One post by id."""
        return self.run(self._platform.get_post(post_id))

    def edit_post(self, post_id: str, draft: DraftLike) -> Post:
        """Replace a post's text (and media where the platform allows)."""
        return self.run(self._platform.edit_post(post_id, self._platform.validate(draft)))

    def delete_post(self, post_id: str) -> None:
        """Delete a post."""
        self.run(self._platform.delete_post(post_id))

    def posts(self, account: str | None = None, *, limit: int | None = None) -> Paginator[Post]:
        """An account's posts, newest first (the authenticated account by default)."""
        return Paginator(
            self,
            lambda c, n: self._platform.posts(account, c, n),
            limit,
            describe("posts", account),
        )

    def comments(self, post_id: str, *, limit: int | None = None) -> Paginator[Comment]:
        """The comments under a post, each with its ``parent_id``."""
        return Paginator(
            self,
            lambda c, n: self._platform.comments(post_id, c, n),
            limit,
            describe("comments", post_id),
        )

    def reply(self, target: ReplyTarget, draft: DraftLike) -> Comment:
        """Answer a post, comment or mention (or an id)."""
        return self.run(self._platform.reply(target, self._platform.validate(draft)))

    def hide_comment(self, comment_id: str, hidden: bool = True) -> None:
        """Hide (or with ``hidden=False`` unhide) a comment."""
        self.run(self._platform.hide_comment(comment_id, hidden))

    def delete_comment(self, comment_id: str) -> None:
        """Delete a comment."""
        self.run(self._platform.delete_comment(comment_id))

    def mentions(
        self, since_id: str | None = None, *, limit: int | None = None
    ) -> Paginator[Mention]:
        """Mentions, replies and quotes of the account, newest first, after ``since_id``."""
        return Paginator(
            self,
            lambda c, n: self._platform.mentions(since_id, c, n),
            limit,
            describe("mentions", since_id),
        )

    def search(self, query: str, *, limit: int | None = None) -> Paginator[Post]:
        """Posts matching ``query``."""
        return Paginator(
            self,
            lambda c, n: self._platform.search(query, c, n),
            limit,
            describe("search", query),
        )

    def post_metrics(self, post_id: str) -> list[Metric]:
        """The metrics of one post."""
        return self.run(self._platform.post_metrics(post_id))

    def account_metrics(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[Metric]:
        """The account's metrics for a period, or a snapshot where the platform keeps no history.

        ``since``/``until`` must be timezone-aware (`ValueError` for a naive datetime).
        """
        require_aware(since, "since")
        require_aware(until, "until")
        return self.run(self._platform.account_metrics(since, until))

    def react(self, post_id: str, kind: str = "like") -> None:
        """React to a post (``"like"``)."""
        self.run(self._platform.react(post_id, kind))

    def repost(self, post_id: str) -> None:
        """Repost (boost, retweet, share) a post."""
        self.run(self._platform.repost(post_id))

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (when the client created it)."""
        if self._owns_http and self._made is not None:
            self._made.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(_Base):
    """The asynchronous client. Create it with [`socialkit.aconnect`][socialkit.aconnect].

    ```python
    async with sk.aconnect("sandbox://") as client:
        async for mention in client.mentions(limit=100):
            ...
    ```
    """

    def __init__(
        self,
        platform: Platform,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout | None = None,
        rate_limit: RateLimitMode = "wait",
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
        limits: Limits | None = None,
        clock: Clock | None = None,
        pool: httpx.Limits | None = None,
        http: HttpBackend = "auto",
    ) -> None:
        super().__init__(platform, rate_limit=rate_limit, retry=retry, limits=limits, clock=clock)
        self._owns_http = http_client is None
        self._made: httpx.AsyncClient | None = http_client
        if http_client is None:
            self._backend = _async_backend(http, transport)
        else:
            self._backend = _backend_of(http_client, transport)
        self._make = functools.partial(_async_http, self._backend, transport, timeout, pool)

    @property
    def _http(self) -> httpx.AsyncClient:
        """The connection pool, made on the first request (see `Client`)."""
        made = self._made
        if made is None:
            made = self._made = self._make()
        return made

    # -- driving ---------------------------------------------------------------------------

    async def run(self, flow: Flow[T]) -> T:
        """Run a flow to its result: the escape hatch for platform-specific features."""
        published: Call | None = None  # the last call that changed something
        step, done = self._advance(flow, published)
        while not done:
            if isinstance(step, Sleep):
                await self._sleep(step.seconds)
                step, done = self._advance(flow, published)
                continue
            try:
                if self._exchange.refreshable(step) is None:  # most calls: one coroutine fewer
                    response = await self._attempts(step)
                else:
                    response = await self._send(step)
            except SocialkitError as error:
                step, done = self._advance(flow, published, throw=error)
            else:
                published = step if changes_state(step) else published
                step, done = self._advance(flow, published, send=response)
        result: T = step
        return result

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """A raw call with authentication, retries and rate limits; ``url`` may be a path."""
        return await self._send(Call(method, url, **kwargs))

    async def _send(self, call: Call) -> httpx.Response:
        credential = self._exchange.refreshable(call)
        if credential is None:
            return await self._attempts(call)
        if credential.expires_soon():
            await self._refresh(credential, credential.generation)
        generation = credential.generation
        try:
            return await self._attempts(call)
        except TokenExpired:
            await self._refresh(credential, generation)
            return await self._attempts(call)

    async def _refresh(self, credential: Refreshable, seen: int) -> None:
        """Refresh once, however many tasks, clients or threads ask: later askers find it done.

        The credential's own lock is shared with sync clients; it is taken without
        blocking the event loop.
        """
        while not credential.lock.acquire(blocking=False):
            await anyio.sleep(0.005)
        try:
            if credential.generation == seen:
                await self.run(credential.refresh())
        finally:
            credential.lock.release()

    async def _attempts(self, call: Call) -> httpx.Response:
        """The call, retried by tenacity, its first attempt made before tenacity is set up
        (as in [`Client`][socialkit.client.Client]`._attempts`)."""
        exchange = self._exchange
        started = self._clock.monotonic()
        deadline_at = exchange.deadline_at()
        try:
            return await self._attempt(call, deadline_at)
        except SocialkitError as error:
            if not exchange.retryable(error):
                raise
            first: SocialkitError | None = error
        import tenacity  # loaded for the first retry, not by connect()

        retrying = tenacity.AsyncRetrying(**exchange.retrying(self._sleep, deadline_at, started))
        async for attempt in retrying:
            with attempt:
                if first is not None:
                    failed, first = first, None
                    raise failed
                return await self._attempt(call, deadline_at)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover

    async def _attempt(self, call: Call, deadline_at: float | None) -> httpx.Response:
        exchange = self._exchange
        wait = exchange.wait_before(call, exchange.remaining(deadline_at))
        if wait:
            await self._sleep(wait)
        request = exchange.build(call)
        http = self._http
        exchange.bound(request, deadline_at, http.timeout)
        started = time.perf_counter()
        left = exchange.remaining(deadline_at)
        # a pool of our own is sent to directly (see socialkit._pool.Direct)
        transport = http._transport_for_url(request.url) if self._owns_http else None
        if not isinstance(transport, Direct):
            transport = None
        if left and transport is not None and transport.keeps_deadline:
            # the transport's own timer ends the exchange at the deadline (raising
            # TimeoutError, as the scope does): one timer per request, not two
            request.extensions[DEADLINE] = left
            scope = _NO_SCOPE
        else:
            scope = _deadline(left)
        try:
            async with scope:
                # sent, then the body read as it streams, within max_body and the deadline
                if transport is not None:
                    response = await transport.send(request)
                else:
                    response = await http.send(request, stream=True)
                try:
                    exchange.check_size(call, response)
                    body = bytearray()
                    # a body sent as is needs no decoder: read it raw, skipping httpx's chunking
                    raw = transport is not None and "content-encoding" not in response.headers
                    chunks = response.stream if raw else response.aiter_bytes()
                    if type(chunks) is httpx.ByteStream:  # read whole already: nothing to await
                        for chunk in chunks:
                            exchange.take(call, response, body, chunk, deadline_at)
                    else:
                        async for chunk in chunks:  # type: ignore[union-attr]
                            exchange.take(call, response, body, chunk, deadline_at)
                    exchange.keep(response, body)
                finally:
                    if type(response.stream) is httpx.ByteStream:
                        response.is_closed = True  # what aclose() does for a body held whole
                    else:
                        await response.aclose()
        except httpx.HTTPError as exc:
            raise exchange.failed(call, exc) from None
        except TimeoutError:
            raise exchange.overdue(call) from None
        if transport is not None:  # what httpx.AsyncClient.send sets on closing the response
            response.elapsed = timedelta(seconds=time.perf_counter() - started)
        return exchange.finish(call, response, started)

    async def _sleep(self, seconds: float) -> None:
        await self._clock.asleep(seconds)

    async def watch(
        self,
        kinds: Collection[str] = ("mention",),
        checkpoint: str | None = None,
        *,
        policy: WatchPolicy | None = None,
    ) -> AsyncGenerator[Event, None]:
        """Events of ``kinds`` (``"mention"``, ``"reaction"``, ``"post"``) as they happen.

        ```python
        async for event in client.watch(kinds={"mention"}, checkpoint=saved):
            await handle(event)           # idempotently, by event.key
            saved = event.checkpoint      # commit it with the handler's own writes
        ```

        Where the platform streams (Mastodon: server-sent events), every (re)connect
        opens the stream, backfills by REST from the last checkpoint, then reads the
        stream; an object seen by both is yielded once. No byte for the heartbeat
        allowance, a dropped connection, a 5xx or a rate limit: it reconnects after a
        jittered, growing delay. Elsewhere (or when the server answers 404 to the
        stream) it polls the backfill every ``policy.poll_interval`` seconds.
        ``checkpoint=None`` starts from now. The iterator never ends by itself;
        an error that retrying cannot fix (`AuthError`, `PermissionDenied`) ends it.
        """
        from .events.stream import Close, Emit, Now, Open, Receive

        flow = self._watch_flow(kinds, checkpoint, policy)
        response: httpx.Response | AsyncSocket | None = None
        chunks: AsyncIterator[bytes] | None = None
        timeout = 0.0
        step, done = self._advance(flow, None)
        try:
            while not done:
                send: Any = None
                try:
                    if isinstance(step, Emit):
                        yield step.event
                    elif isinstance(step, Sleep):
                        await self._sleep(step.seconds)
                    elif isinstance(step, Call):
                        send = await self._send(step)
                    elif isinstance(step, Now):
                        send = self._clock.monotonic()
                    elif isinstance(step, Open | Close) and response is not None:
                        await response.aclose()
                        response, chunks = None, None
                    if isinstance(step, Open) and _is_socket(step.call):
                        response = await self._open_socket(step)
                        chunks, timeout = response.aiter_bytes(), step.read_timeout
                    elif isinstance(step, Open):
                        response = await self._open(step)
                        chunks, timeout = response.aiter_bytes(), step.read_timeout
                    elif isinstance(step, Receive):
                        send = await self._receive(chunks, timeout)
                except SocialkitError as error:
                    step, done = self._advance(flow, None, throw=error)
                else:
                    step, done = self._advance(flow, None, send=send)
        finally:
            if response is not None:
                await response.aclose()
            flow.close()

    async def _open(self, step: Open) -> httpx.Response:
        wait = self._exchange.wait_before(step.call)
        if wait:
            await self._sleep(wait)
        request = self._stream_request(step, self._http.timeout)
        started = time.perf_counter()
        try:
            with anyio.fail_after(self._http.timeout.connect or 30.0):
                response = await self._http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self._exchange.failed(step.call, exc) from None
        except TimeoutError:
            raise TransportError("the stream did not open in time", platform=self.name) from None
        if response.status_code >= 400:
            try:
                self._exchange.keep(response, bytearray((await response.aread())[:65536]))
            except httpx.HTTPError as exc:
                raise self._exchange.failed(step.call, exc) from None
            finally:
                await response.aclose()
        try:
            return self._exchange.finish(step.call, response, started)
        except SocialkitError:
            await response.aclose()
            raise

    async def _open_socket(self, step: Open) -> AsyncSocket:
        from ._websocket import open_async

        request = self._exchange.build(step.call)
        return await open_async(str(request.url), request.headers,
                                self._http.timeout.connect or 10.0, self.name)

    async def _receive(self, chunks: AsyncIterator[bytes] | None, timeout: float) -> bytes:
        if chunks is None:
            return b""
        try:
            with anyio.fail_after(timeout):
                return await anext(chunks, b"")
        except TimeoutError:
            raise TransportError(
                f"no data on the stream for {timeout:g} s", platform=self.name
            ) from None
        except httpx.HTTPError as exc:
            raise TransportError(
                f"the stream failed ({type(exc).__name__})", platform=self.name
            ) from None

    # -- the unified operations ------------------------------------------------------------

    async def me(self) -> Account:
        """The authenticated account."""
        return await self.run(self._platform.me())

    async def publish(self, draft: DraftLike) -> Post:
        """Publish text or a [`Draft`][socialkit.Draft]; checked against the rules first."""
        return await self.run(self._platform.publish(self._platform.validate(draft)))

    async def publish_thread(self, drafts: Sequence[DraftLike]) -> list[Post]:
        """Publish drafts as a chain of replies; every part is checked before the first is sent."""
        return await self.run(self._platform.publish_thread([Draft.of(d) for d in drafts]))

    async def get_post(self, post_id: str) -> Post:
        """One post by id."""
        return await self.run(self._platform.get_post(post_id))

    async def edit_post(self, post_id: str, draft: DraftLike) -> Post:
        """Replace a post's text (and media where the platform allows)."""
        return await self.run(self._platform.edit_post(post_id, self._platform.validate(draft)))

    async def delete_post(self, post_id: str) -> None:
        """Delete a post."""
        await self.run(self._platform.delete_post(post_id))

    def posts(
        self, account: str | None = None, *, limit: int | None = None
    ) -> AsyncPaginator[Post]:
        """An account's posts, newest first (the authenticated account by default)."""
        return AsyncPaginator(
            self,
            lambda c, n: self._platform.posts(account, c, n),
            limit,
            describe("posts", account),
        )

    def comments(self, post_id: str, *, limit: int | None = None) -> AsyncPaginator[Comment]:
        """The comments under a post, each with its ``parent_id``."""
        return AsyncPaginator(
            self,
            lambda c, n: self._platform.comments(post_id, c, n),
            limit,
            describe("comments", post_id),
        )

    async def reply(self, target: ReplyTarget, draft: DraftLike) -> Comment:
        """Answer a post, comment or mention (or an id)."""
        return await self.run(self._platform.reply(target, self._platform.validate(draft)))

    async def hide_comment(self, comment_id: str, hidden: bool = True) -> None:
        """Hide (or with ``hidden=False`` unhide) a comment."""
        await self.run(self._platform.hide_comment(comment_id, hidden))

    async def delete_comment(self, comment_id: str) -> None:
        """Delete a comment."""
        await self.run(self._platform.delete_comment(comment_id))

    def mentions(
        self, since_id: str | None = None, *, limit: int | None = None
    ) -> AsyncPaginator[Mention]:
        """Mentions, replies and quotes of the account, newest first, after ``since_id``."""
        return AsyncPaginator(
            self,
            lambda c, n: self._platform.mentions(since_id, c, n),
            limit,
            describe("mentions", since_id),
        )

    def search(self, query: str, *, limit: int | None = None) -> AsyncPaginator[Post]:
        """Posts matching ``query``."""
        return AsyncPaginator(
            self,
            lambda c, n: self._platform.search(query, c, n),
            limit,
            describe("search", query),
        )

    async def post_metrics(self, post_id: str) -> list[Metric]:
        """The metrics of one post."""
        return await self.run(self._platform.post_metrics(post_id))

    async def account_metrics(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[Metric]:
        """The account's metrics for a period, or a snapshot where the platform keeps no history.

        ``since``/``until`` must be timezone-aware (`ValueError` for a naive datetime).
        """
        require_aware(since, "since")
        require_aware(until, "until")
        return await self.run(self._platform.account_metrics(since, until))

    async def react(self, post_id: str, kind: str = "like") -> None:
        """React to a post (``"like"``)."""
        await self.run(self._platform.react(post_id, kind))

    async def repost(self, post_id: str) -> None:
        """Repost (boost, retweet, share) a post."""
        await self.run(self._platform.repost(post_id))

    # -- lifecycle -------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool (when the client created it)."""
        if self._owns_http and self._made is not None:
            await self._made.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _is_socket(call: Call) -> bool:
    """Whether a stream is a WebSocket (``ws://``/``wss://``) rather than HTTP."""
    return call.url.startswith(("ws://", "wss://"))


_NO_SCOPE: AbstractAsyncContextManager[object] = nullcontext()
"""The scope of an exchange whose transport keeps its deadline itself (reusable)."""


def _deadline(seconds: float | None) -> AbstractAsyncContextManager[object]:
    """A scope that raises `TimeoutError` after ``seconds`` (``None``: never): asyncio's own
    under asyncio (a third of what ``anyio.fail_after`` costs per call), anyio's elsewhere."""
    asyncio = sys.modules.get("asyncio")  # not imported: no asyncio loop can be running
    if asyncio is not None and asyncio._get_running_loop() is not None:
        return asyncio.timeout(seconds)  # type: ignore[no-any-return]
    return _fail_after(seconds)


@asynccontextmanager
async def _fail_after(seconds: float | None) -> AsyncIterator[None]:
    with anyio.fail_after(seconds):
        yield


def _sync_http(
    transport: httpx.BaseTransport | None,
    timeout: float | httpx.Timeout | None,
    pool: httpx.Limits | None,
) -> httpx.Client:
    """The pool a `Client` makes for itself."""
    return httpx.Client(
        transport=transport,
        timeout=timeout or DEFAULT_TIMEOUT,
        limits=pool or DEFAULT_POOL,
        headers={"User-Agent": USER_AGENT},
        verify=verified_tls(),
    )


def _async_backend(http: HttpBackend, transport: httpx.AsyncBaseTransport | None) -> str:
    """What an `AsyncClient` will send with: aiohttp when asked, or by default when installed.

    ``"auto"`` follows the ``SOCIALKIT_HTTP`` environment variable when it is set
    (``SOCIALKIT_HTTP=httpx`` keeps respx-mocked test suites on httpx's transport).
    """
    wanted = os.environ.get("SOCIALKIT_HTTP", "auto") if http == "auto" else http
    if wanted not in ("auto", "aiohttp", "httpx"):
        raise ConfigError(
            f"http must be 'auto', 'aiohttp' or 'httpx', not {wanted!r}", field="http"
        )
    if transport is not None:
        return _backend_of(None, transport)
    if wanted == "httpx":
        return "httpx"
    if not all(importlib.util.find_spec(name) for name in ("aiohttp", "httpx_aiohttp")):
        if wanted == "aiohttp":
            raise ConfigError(
                "http='aiohttp' needs the aiohttp extra: pip install 'socialkit[aiohttp]'",
                field="http",
            )
        return "httpx"
    return "aiohttp"


def _async_http(
    backend: str,
    transport: httpx.AsyncBaseTransport | None,
    timeout: float | httpx.Timeout | None,
    pool: httpx.Limits | None,
) -> httpx.AsyncClient:
    """The pool an `AsyncClient` makes for itself, on ``backend`` (`_async_backend`)."""
    options: dict[str, Any] = {
        "transport": transport,
        "timeout": timeout or DEFAULT_TIMEOUT,
        "limits": pool or DEFAULT_POOL,
        "headers": {"User-Agent": USER_AGENT},
        "verify": verified_tls(),
    }
    if transport is not None:
        return httpx.AsyncClient(**options)
    if backend == "httpx":
        return GatedClient(**options)
    from ._aiohttp import AiohttpClient

    return AiohttpClient(**options)


def _backend_of(http_client: object, transport: object) -> str:
    """What a client given ``http_client`` or ``transport`` sends with, for its repr."""
    if transport is not None:
        return type(transport).__name__
    if http_client is not None:
        return "aiohttp" if type(http_client).__name__ == "AiohttpClient" else "httpx"
    return "httpx"

