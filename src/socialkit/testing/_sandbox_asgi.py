"""The sandbox as an ASGI app (Starlette), and its loopback server (uvicorn).

Every HTTP request goes to `Sandbox.handle` (faults, rate limits, recording), so the app
answers exactly what the in-process transport answers. The app adds what only a real
server has: a streaming body written as it comes (server-sent events), a dripping body,
a connection cut unanswered (a ``timeout_next`` fault, or a server stopping mid-stream)
and the Mastodon multiplexed WebSocket (`_sandbox_ws`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Protocol

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute

from ._sandbox_stream import Closing, Drip, EventStream
from ._sandbox_ws import streaming_socket

if TYPE_CHECKING:
    import uvicorn

__all__ = ["HangUp", "LoopbackServer", "Served", "sandbox_app"]

_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
_HOP = frozenset({"transfer-encoding", "connection", "content-length"})


class HangUp(httpx.ReadTimeout):
    """Raised by the app to drop the connection without finishing the answer; the
    server's log filter keeps it out of the error log. Called in process (httpx's
    ``ASGITransport`` re-raises what the app raises), the client sees a read timeout,
    as through `SandboxTransport`."""

    def __init__(self) -> None:
        super().__init__("sandbox: the answer was lost")


class Served(Protocol):
    """What the app needs of a `Sandbox`."""

    latency: float

    def handle(self, request: httpx.Request) -> httpx.Response: ...

    def stream_viewer(self, token: str) -> str | None: ...

    def open_stream(
        self, token: str, path: str, origin: str, tag: str | None = None
    ) -> EventStream | None: ...


def sandbox_app(sandbox: Served, closing: Closing | None = None) -> Starlette:
    """An ASGI app serving ``sandbox``; ``closing`` is the server's stop signal."""

    state = closing or Closing()

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        headers = [(k, v) for k, v in request.headers.raw if k.decode().lower() not in _HOP]
        outgoing = httpx.Request(request.method, str(request.url), headers=headers, content=body)
        if sandbox.latency > 0:
            await anyio.sleep(sandbox.latency)
        try:
            response = sandbox.handle(outgoing)
        except httpx.TimeoutException:
            return _Unanswered()
        head = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _HOP]
        if isinstance(response.stream, EventStream):
            return _StreamBody(_events(response.stream, state), response.status_code, head)
        if isinstance(response.stream, Drip):
            head.append(("content-length", str(len(response.stream.body))))
            return _StreamBody(_drip(response.stream, state), response.status_code, head)
        return _Plain(response.content, response.status_code, head)

    async def socket(websocket: Any) -> None:
        await streaming_socket(sandbox, websocket, state)

    return Starlette(
        routes=[
            WebSocketRoute("/api/v1/streaming", socket),
            Route("/{path:path}", endpoint, methods=_METHODS),
        ]
    )


class _Plain(Response):
    """A finished answer with the sandbox's own headers, in order."""

    def __init__(self, content: bytes, status: int, headers: list[tuple[str, str]]) -> None:
        super().__init__(content, status)
        self.raw_headers = [
            *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers),
            (b"content-length", str(len(content)).encode()),
        ]


class _StreamBody(Response):
    """A body written chunk by chunk as the iterator yields it; the iterator is closed
    (its ``finally`` runs) as soon as the client disconnects."""

    def __init__(
        self, chunks: AsyncIterator[bytes], status: int, headers: list[tuple[str, str]]
    ) -> None:
        super().__init__(None, status)
        self.chunks = chunks
        self.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})
        cut = False
        async with anyio.create_task_group() as group:

            async def watch() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                group.cancel_scope.cancel()

            group.start_soon(watch)
            try:
                async with contextlib.aclosing(self.chunks) as chunks:  # type: ignore[type-var]
                    async for chunk in chunks:
                        message = {"type": "http.response.body", "body": chunk, "more_body": True}
                        await send(message)
            except HangUp:
                cut = True
            else:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            group.cancel_scope.cancel()
        if cut:
            raise HangUp()


class _Unanswered(Response):
    """A lost answer: the head goes out and the connection is cut before the body, so
    the client sees the connection drop mid-response."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"1")]})
        raise HangUp()


async def _events(stream: EventStream, closing: Closing) -> AsyncIterator[bytes]:
    with closing.lock:  # the stop signal is set before this lock is taken to cut streams
        closing.streams.add(stream)
        if closing.event.is_set():  # opened while the server stops: end it at once
            stream.close()
    try:
        async for chunk in stream:
            yield chunk
    finally:
        stream.close()
        with closing.lock:
            closing.streams.discard(stream)
    if closing.event.is_set():
        raise HangUp()  # the server stopped: the connection is cut, the stream unfinished


async def _drip(drip: Drip, closing: Closing) -> AsyncIterator[bytes]:
    for index in range(len(drip.body)):
        if index:
            await anyio.sleep(drip.interval)
        if closing.event.is_set():
            raise HangUp()
        yield drip.body[index : index + 1]


class _QuietHangUps(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HangUp):
            return False
        return "without completing response" not in record.getMessage()


def _config(app: Starlette, host: str, port: int, **options: Any) -> uvicorn.Config:
    import uvicorn

    log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietHangUps) for f in log.filters):
        log.addFilter(_QuietHangUps())
    return uvicorn.Config(
        app, host=host, port=port, lifespan="off", access_log=False, log_level="warning",
        timeout_graceful_shutdown=1, ws_ping_interval=None, **options
    )


class LoopbackServer:
    """uvicorn serving a sandbox in a background thread (its own event loop)."""

    def __init__(self, sandbox: Served, host: str, port: int) -> None:
        import uvicorn

        self.closing = Closing()
        self.server = uvicorn.Server(_config(sandbox_app(sandbox, self.closing), host, port))
        self.host = host
        self._thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def port(self) -> int:
        """The bound port."""
        sockets = self.server.servers[0].sockets
        return int(sockets[0].getsockname()[1])

    def start(self) -> str:
        """Start serving; the base URL."""
        self._thread.start()
        while not self.server.started:
            if not self._thread.is_alive():
                raise OSError(f"the sandbox server could not start on {self.host}")
            time.sleep(0.005)
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        """Cut the open streams and dripping bodies, then stop."""
        self.closing.cut_streams()
        self.server.should_exit = True
        self._thread.join()
