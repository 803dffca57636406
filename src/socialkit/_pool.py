"""The pools' transports: sent to directly, and httpx's own async pool gated so its queue
never grows with the requests in flight.

httpcore's pool rescans its whole queue of waiting requests whenever a
connection frees up, so a fan-out of n calls over a pool of c connections
costs O(n) per request, O(n²) in all. A FIFO semaphore of c slots in front of
it keeps that queue at most c long: each request then costs the same however
many are waiting.

The drivers hand a request straight to the transport of a pool they made
themselves (`send`, `Direct.send`), skipping ``httpx.Client.send``: its
per-request work (auth and redirect machinery, the cookie jar, event hooks)
does nothing for a request the driver built whole, and costs as much as
aiohttp's own work per request.
"""

from __future__ import annotations

import functools
import logging
import os
import ssl
from typing import Any

import anyio
import httpx

__all__ = ["DEADLINE", "Direct", "GatedClient", "send", "sent", "verified_tls"]

DEADLINE = "socialkit.deadline"
"""The request extension a `Direct` transport that `keeps_deadline` reads: the seconds left
until the call's deadline, after which it raises `TimeoutError` (not an httpx error)."""

_httpx_log = logging.getLogger("httpx")


def verified_tls() -> ssl.SSLContext:
    """The TLS context the pools this package makes verify servers with, as httpx builds it
    (certifi's CA bundle, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``), made once per CA source:
    reading the bundle costs ~10 ms, more than a hundred calls' worth of client work."""
    return _tls(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _tls(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context(verify=True, trust_env=True)  # reads the same variables


def send(transport: httpx.BaseTransport, request: httpx.Request) -> httpx.Response:
    """What ``httpx.Client.send(request, stream=True)`` returns for a request with no auth,
    no cookies and redirects not followed: the streamed response, the request set on it
    and on a transport error, httpx's ``HTTP Request:`` log line."""
    try:
        response = transport.handle_request(request)
    except httpx.RequestError as exc:
        exc.request = request
        raise
    return sent(request, response)


class Direct(httpx.AsyncBaseTransport):
    """A transport the async driver may call directly (`send`), without `httpx.AsyncClient`.

    One whose ``keeps_deadline`` is true ends the exchange itself at the request's
    `DEADLINE` extension (sending, waiting for the pool and reading the body included),
    raising `TimeoutError`; the driver then sets no timer of its own.
    """

    keeps_deadline = False

    async def send(self, request: httpx.Request) -> httpx.Response:
        """What ``httpx.AsyncClient.send(request, stream=True)`` returns (see `send`)."""
        try:
            response = await self.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request
            raise
        return sent(request, response)


def sent(request: httpx.Request, response: httpx.Response) -> httpx.Response:
    """``response`` as httpx's ``send`` returns it: its request set, the request logged."""
    response.request = request
    if _httpx_log.isEnabledFor(logging.INFO):
        _httpx_log.info(
            'HTTP Request: %s %s "%s %d %s"',
            request.method,
            request.url,
            response.http_version,
            response.status_code,
            response.reason_phrase,
        )
    return response


class _Gated(Direct):
    """A transport that lets at most ``slots`` requests into ``inner`` at once."""

    def __init__(self, inner: httpx.AsyncBaseTransport, slots: int | None) -> None:
        self._inner = inner
        self._slots = anyio.Semaphore(slots) if slots else None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a slot (in arrival order), then send through the pool."""
        if self._slots is None:
            return await self._inner.handle_async_request(request)
        async with self._slots:
            return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the pool."""
        await self._inner.aclose()


class GatedClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` whose default and proxy transports are gated by its limits.

    Proxies from the environment still apply; a ``transport=`` given by the
    caller is used as given.
    """

    def _init_transport(self, *args: Any, **options: Any) -> httpx.AsyncBaseTransport:
        given: httpx.AsyncBaseTransport | None = options.pop("transport", None)
        if given is not None:
            return given
        return _Gated(httpx.AsyncHTTPTransport(**options), _slots(options))

    def _init_proxy_transport(self, *args: Any, **options: Any) -> httpx.AsyncBaseTransport:
        proxy = args[0] if args else options.pop("proxy")
        return _Gated(httpx.AsyncHTTPTransport(proxy=proxy, **options), _slots(options))


def _slots(options: dict[str, Any]) -> int | None:
    limits: httpx.Limits | None = options.get("limits")
    return limits.max_connections if limits is not None else None
