"""The sandbox's streaming API: Mastodon's server-sent events, as things happen.

``GET /api/v1/streaming/user/notification`` streams the viewer's ``notification``
events; ``/api/v1/streaming/user`` adds ``update``, ``status.update`` and ``delete``
for the viewer's own statuses and those mentioning it. A ``:thump`` comment goes
out every ``heartbeat`` seconds, as on Mastodon. Each open stream is a
`Subscription` fed by the `Hub` (which the store tells of every change); the
response body (`EventStream`) reads it from a sync or an async httpx client, or
from the loopback server, which writes it as chunks.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime

import anyio
import httpx

from ._sandbox_render import Renderer
from ._sandbox_store import Account, Notification, Status, Store

__all__ = ["STREAMS", "Closing", "Drip", "EventStream", "Hub", "Subscription"]

STREAMS = (
    "/api/v1/streaming/user",
    "/api/v1/streaming/user/notification",
    "/api/v1/streaming/hashtag",
)
"""The streams the sandbox serves."""
_POLL = 0.01  # how often a waiting stream looks for news or for being closed


class Subscription:
    """One open stream: what the viewer may see, queued as encoded SSE messages."""

    def __init__(
        self, account_id: str, path: str, origin: str, heartbeat: float, tag: str | None = None
    ) -> None:
        self.account_id = account_id
        self.timeline = path == "/api/v1/streaming/user"
        self.tag = tag.lstrip("#").lower() if path == "/api/v1/streaming/hashtag" and tag else None
        self.origin = origin
        self.heartbeat = heartbeat
        self.closed = threading.Event()
        self.stalled = False
        self._queue: queue.SimpleQueue[bytes] = queue.SimpleQueue()

    def push(self, frame: bytes) -> None:
        """Queue a message (dropped while stalled: the connection lost it)."""
        if not self.stalled:
            self._queue.put(frame)

    def next_chunk(self, since: float) -> bytes | None:
        """A queued message, a heartbeat when one is due, else ``None``."""
        if self.stalled:
            return None
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            pass
        if time.monotonic() - since >= self.heartbeat:
            return b":thump\n"
        return None


class EventStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The body of a streaming response: it ends when closed (the client hung up or
    the server stopped)."""

    def __init__(
        self, subscription: Subscription, on_close: Callable[[Subscription], None]
    ) -> None:
        self.subscription = subscription
        self._on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        sub = self.subscription
        yield b":)\n"
        sent = time.monotonic()
        while not sub.closed.is_set():
            chunk = sub.next_chunk(sent)
            if chunk is None:
                sub.closed.wait(_POLL)
                continue
            sent = time.monotonic()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sub = self.subscription
        yield b":)\n"
        sent = time.monotonic()
        while not sub.closed.is_set():
            chunk = sub.next_chunk(sent)
            if chunk is None:
                await anyio.sleep(_POLL)
                continue
            sent = time.monotonic()
            yield chunk

    def close(self) -> None:
        """Stop streaming."""
        self.subscription.closed.set()
        self._on_close(self.subscription)

    async def aclose(self) -> None:
        """Stop streaming."""
        self.close()


class Hub:
    """The open streams, and the rendering of each store change for each of them."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self._clock = clock
        self._lock = threading.Lock()
        self.subscriptions: list[Subscription] = []

    def open(
        self, account_id: str, path: str, origin: str, heartbeat: float, tag: str | None = None
    ) -> EventStream:
        """Subscribe ``account_id`` to ``path`` (the hashtag stream to ``tag``); the body."""
        sub = Subscription(account_id, path, origin, heartbeat, tag)
        with self._lock:
            self.subscriptions.append(sub)
        return EventStream(sub, self._drop)

    def _drop(self, sub: Subscription) -> None:
        with self._lock:
            if sub in self.subscriptions:
                self.subscriptions.remove(sub)

    def close_all(self) -> None:
        """End every open stream."""
        with self._lock:
            subs, self.subscriptions = self.subscriptions, []
        for sub in subs:
            sub.closed.set()

    def stall(self) -> None:
        """Make every open stream go silent (no events, no heartbeats) but stay open."""
        with self._lock:
            for sub in self.subscriptions:
                sub.stalled = True

    def publish(self, kind: str, subject: Status | Notification) -> None:
        """Send a store change to every stream that may see it (called under the
        sandbox lock, so the rendering sees the state of the change)."""
        with self._lock:
            subs = list(self.subscriptions)
        for sub in subs:
            frame = self._frame(sub, kind, subject)
            if frame is not None:
                sub.push(frame)

    def _frame(self, sub: Subscription, kind: str, subject: Status | Notification) -> bytes | None:
        store = self.store
        viewer = store.accounts.get(sub.account_id)
        if viewer is None:
            return None
        if sub.tag is not None:
            return self._tagged(sub, kind, subject, viewer)
        if isinstance(subject, Notification):
            if subject.account_id != sub.account_id:
                return None
            render = Renderer(store, sub.origin, viewer, self._clock())
            return _sse("notification", json.dumps(render.notification(subject)))
        if not sub.timeline or subject.reblog_of_id:
            return None
        if subject.account_id != sub.account_id and sub.account_id not in subject.mention_ids:
            return None
        if kind == "delete":
            return _sse("delete", subject.id)
        if not store.visible(subject, viewer):
            return None
        render = Renderer(store, sub.origin, viewer, self._clock())
        return _sse(kind, json.dumps(render.status(subject)))


    def _tagged(
        self, sub: Subscription, kind: str, subject: Status | Notification, viewer: Account
    ) -> bytes | None:
        """The hashtag stream: public statuses with the tag (no notifications)."""
        if isinstance(subject, Notification) or subject.reblog_of_id:
            return None
        if sub.tag not in subject.tags or subject.visibility != "public":
            return None
        if kind == "delete":
            return _sse("delete", subject.id)
        render = Renderer(self.store, sub.origin, viewer, self._clock())
        return _sse(kind, json.dumps(render.status(subject)))


def _sse(event: str, data: str) -> bytes:
    return f"event: {event}\ndata: {data}\n\n".encode()


class Drip(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that arrives one byte every ``interval`` seconds (sync and async)."""

    def __init__(self, body: bytes, interval: float) -> None:
        self.body, self.interval = body, interval

    @classmethod
    def respond(cls, response: httpx.Response, interval: float) -> httpx.Response:
        """``response`` with its body dripping; ``Content-Length`` still says it all."""
        body = response.content
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        return httpx.Response(response.status_code, headers=headers, stream=cls(body, interval))

    def __iter__(self) -> Iterator[bytes]:
        for index in range(len(self.body)):
            if index:
                time.sleep(self.interval)
            yield self.body[index : index + 1]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index in range(len(self.body)):
            if index:
                await anyio.sleep(self.interval)
            yield self.body[index : index + 1]


class Closing:
    """A server's stop signal: set when it stops, so open bodies end by cutting their
    connection; the event streams it writes are closed then."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.streams: set[EventStream] = set()
        self.lock = threading.Lock()

    def cut_streams(self) -> None:
        """Set the signal and end every stream being written."""
        self.event.set()
        with self.lock:
            streams, self.streams = self.streams, set()
        for stream in streams:
            stream.close()
