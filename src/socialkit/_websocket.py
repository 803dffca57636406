"""A WebSocket read as a stream of bytes, for `watch()` on a ``ws(s)://`` stream.

Each text (or binary) message is handed on followed by a newline, so a stream decoder
reads it as one line. Needs ``websockets`` (the ``streaming`` extra). Opening errors
map to `NotFound` (404: `watch()` polls instead), `PlatformError` (another status) or
`TransportError`; a connection that drops mid-stream is a `TransportError`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from ._optional import require
from .errors import NotFound, PlatformError, TransportError

__all__ = ["AsyncSocket", "SyncSocket", "open_async", "open_sync"]

MAX_MESSAGE = 1 << 20


def _line(message: str | bytes) -> bytes:
    return (message.encode() if isinstance(message, str) else message) + b"\n"


def _refused(exc: Exception, platform: str) -> Exception:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status == 404:
        return NotFound("the stream is not served here", platform=platform, status=404)
    if isinstance(status, int):
        return PlatformError(f"the stream was refused ({status})", platform=platform,
                             status=status)
    return TransportError(f"the stream did not open ({type(exc).__name__})", platform=platform)


class AsyncSocket:
    """An open WebSocket (asyncio)."""

    def __init__(self, connection: Any, platform: str) -> None:
        self._connection = connection
        self._platform = platform

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """Each message and a newline; ends when the server closes normally."""
        closed = require("websockets.exceptions", "streaming", "WebSocket streams")
        try:
            async for message in self._connection:
                yield _line(message)
        except closed.ConnectionClosedError:
            raise TransportError("the stream's connection dropped",
                                 platform=self._platform) from None

    async def aclose(self) -> None:
        """Close the connection."""
        await self._connection.close()


class SyncSocket:
    """An open WebSocket (threads); ``read_timeout`` bounds each wait for a message."""

    def __init__(
        self, connection: Any, stack: contextlib.ExitStack, platform: str, read_timeout: float
    ) -> None:
        self._connection = connection
        self._stack = stack
        self._platform = platform
        self._timeout = read_timeout

    def iter_bytes(self) -> Iterator[bytes]:
        """Each message and a newline; ends when the server closes normally."""
        closed = require("websockets.exceptions", "streaming", "WebSocket streams")
        while True:
            try:
                message = self._connection.recv(timeout=self._timeout)
            except closed.ConnectionClosedOK:
                return
            except closed.ConnectionClosedError:
                raise TransportError("the stream's connection dropped",
                                     platform=self._platform) from None
            except TimeoutError:
                raise TransportError(f"no data on the stream for {self._timeout:g} s",
                                     platform=self._platform) from None
            yield _line(message)

    def close(self) -> None:
        """Close the connection."""
        self._stack.close()


async def open_async(
    url: str, headers: Mapping[str, str], timeout: float, platform: str
) -> AsyncSocket:
    """Connect to ``url`` (asyncio)."""
    client = require("websockets.asyncio.client", "streaming", "WebSocket streams")
    try:
        connection = await client.connect(url, additional_headers=dict(headers),
                                          open_timeout=timeout, max_size=MAX_MESSAGE)
    except Exception as exc:  # InvalidStatus, InvalidHandshake, OSError, TimeoutError
        raise _refused(exc, platform) from None
    return AsyncSocket(connection, platform)


def open_sync(
    url: str, headers: Mapping[str, str], timeout: float, read_timeout: float, platform: str
) -> SyncSocket:
    """Connect to ``url`` (threads)."""
    client = require("websockets.sync.client", "streaming", "WebSocket streams")
    stack = contextlib.ExitStack()  # connect() is a context manager in every version
    try:
        connection = stack.enter_context(
            client.connect(url, additional_headers=dict(headers), open_timeout=timeout,
                           max_size=MAX_MESSAGE)
        )
    except Exception as exc:
        raise _refused(exc, platform) from None
    return SyncSocket(connection, stack, platform, read_timeout)
