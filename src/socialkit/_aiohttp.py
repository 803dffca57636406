"""httpx on aiohttp: the fan-out transport of `AsyncClient` (the ``aiohttp`` extra).

httpx's own async transport costs milliseconds per request once hundreds are
in flight; aiohttp does the socket work far cheaper. httpx stays the API (auth,
redirect policy, proxies from the environment, ``Request``/``Response``); only
the bytes on the wire go through aiohttp, via the `httpx-aiohttp` package.

Failures are mapped the way httpx's own transport reports them, because the
driver decides on the class whether a request may have reached the server: a
connection that could not be made is a `httpx.ConnectError` (safe to retry
any call), one that dropped after the request was written is a
`httpx.RemoteProtocolError` or `httpx.ReadError` (a non-idempotent call
becomes `PublishUncertain`, never a second post).
"""

from __future__ import annotations

import functools
import math
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from ._pool import DEADLINE, Direct, sent

__all__ = ["AiohttpClient", "Transport"]


def _mapped(exc: BaseException) -> type[httpx.TransportError]:
    """The httpx exception class httpx's own transport raises for the same failure."""
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return httpx.ProxyError
    if isinstance(exc, aiohttp.ClientConnectorError):  # DNS, refused, TLS handshake
        return httpx.ConnectError
    if isinstance(exc, aiohttp.ConnectionTimeoutError):  # connecting or waiting for the pool
        return httpx.ConnectTimeout
    if isinstance(exc, aiohttp.SocketTimeoutError | TimeoutError):
        return httpx.ReadTimeout
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol
    return httpx.ReadError  # reset mid-exchange, a truncated body: the request was sent


@functools.lru_cache(maxsize=64)
def _timeout(
    connect: float | None = None,
    read: float | None = None,
    write: float | None = None,
    pool: float | None = None,
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for httpx's (aiohttp has no write timeout; its ``connect`` covers
    waiting for a pooled connection too). Calls share a handful: each is made once."""
    return aiohttp.ClientTimeout(connect=pool, sock_connect=connect, sock_read=read)


def _within(
    deadline: float,
    connect: float | None = None,
    read: float | None = None,
    write: float | None = None,
    pool: float | None = None,
) -> aiohttp.ClientTimeout:
    """`_timeout` with the call's deadline (seconds left) as aiohttp's total timeout.

    aiohttp's total timer is the one raw aiohttp sets per request too. A timeout that
    cannot end before the deadline (one at least as long: it starts later) is left out,
    a timer fewer; none is rounded up to a whole second (aiohttp's ``ceil_threshold``),
    so each ends when asked, as the driver's own deadline scope did.
    """
    return aiohttp.ClientTimeout(
        total=deadline,
        connect=pool if pool is not None and pool < deadline else None,
        sock_connect=connect if connect is not None and connect < deadline else None,
        sock_read=read if read is not None and read < deadline else None,
        ceil_threshold=math.inf,
    )


def _failure(exc: BaseException, request: httpx.Request) -> BaseException:
    """What the driver sees for an aiohttp failure: a `TimeoutError` when the request's
    deadline (aiohttp's total timer, which raises a bare one) ended it, else the httpx
    exception httpx's own transport raises."""
    if type(exc) is TimeoutError and DEADLINE in request.extensions:
        return TimeoutError()
    return _mapped(exc)(type(exc).__name__, request=request)


_SMALL = 64 * 1024
"""The largest declared body read at once, before the driver sees the response."""


class _Body(httpx.AsyncByteStream):
    """A response body read from aiohttp, its failures mapped like the request's."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(64 * 1024):
                yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _failure(exc, self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


class Transport(AiohttpTransport, Direct):
    """`httpx_aiohttp.AiohttpTransport` with httpx's failure classes and timeouts.

    Takes httpx's transport arguments (``verify``, ``cert``, ``limits``, ``proxy``,
    ``trust_env``) and, for tests, ``client``: an ``aiohttp.ClientSession`` or a
    callable making one (it is called inside the event loop, on first use).
    """

    keeps_deadline = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through aiohttp; the body is streamed back to httpx."""
        return await self.send(request, direct=False)

    async def send(self, request: httpx.Request, *, direct: bool = True) -> httpx.Response:
        """`Direct.send` (or, not ``direct``, httpx's ``handle_async_request``) in one
        coroutine: it stays alive while the request waits for the pool and the answer."""
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
            if hasattr(self.client, "_retry_connection"):
                # aiohttp re-sends an idempotent request once when a reused connection drops;
                # the driver's retry policy does that, counted against its attempt bound.
                self.client._retry_connection = False
        headers: Any = request.headers
        timeouts = request.extensions.get("timeout", {})
        deadline: float | None = request.extensions.get(DEADLINE)
        timeout = _timeout(**timeouts) if deadline is None else _within(deadline, **timeouts)
        if "transfer-encoding" in headers:  # a streamed body: sent read, with its length
            headers = [(k, v) for k, v in headers.multi_items() if k != "transfer-encoding"]
        try:
            body = await request.aread()  # a multipart upload is a stream until read
            response = await self.client.request(
                request.method,
                str(request.url),
                headers=headers,
                data=body or None,
                allow_redirects=False,
                auto_decompress=False,  # httpx decodes, as with its own transport
                compress=False,
                timeout=timeout,
                **self._proxy_options,
            )
            stream: httpx.AsyncByteStream
            if 0 <= (response.content_length or -1) <= _SMALL:
                # a small body of known length is read now, in one piece: no stream to
                # drive chunk by chunk (a larger one streams, for the driver's size cap)
                stream = httpx.ByteStream(await response.read())
            else:
                stream = _Body(response, request)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _failure(exc, request) from exc
        answer = httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=stream,
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )
        return sent(request, answer) if direct else answer

    @functools.cached_property
    def _proxy_options(self) -> dict[str, Any]:
        """aiohttp's proxy arguments for this transport's proxy (the same for every request)."""
        proxy = self.proxy
        if proxy is None:
            return {}
        return {
            "proxy": str(proxy.url),
            "proxy_auth": aiohttp.BasicAuth(*proxy.auth) if proxy.auth else None,
            "proxy_headers": proxy.headers,
        }


class AiohttpClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` whose default and proxy transports are `Transport`.

    Proxies from the environment (``HTTPS_PROXY``, ``NO_PROXY``...) are resolved
    by httpx as usual; each proxy gets its own aiohttp-backed transport. A
    ``transport=`` given by the caller (a mock in tests) is used as given.
    """

    def _init_transport(self, *args: Any, **options: Any) -> httpx.AsyncBaseTransport:
        transport: httpx.AsyncBaseTransport | None = options.get("transport")
        return transport if transport is not None else Transport(**_options(options))

    def _init_proxy_transport(self, *args: Any, **options: Any) -> httpx.AsyncBaseTransport:
        return Transport(proxy=args[0] if args else options["proxy"], **_options(options))


def _options(options: dict[str, Any]) -> dict[str, Any]:
    """httpx's transport options that the aiohttp transport takes."""
    return {k: v for k, v in options.items() if k in {"verify", "cert", "trust_env", "limits"}}
