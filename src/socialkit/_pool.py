"""httpx's own async pool, gated so its queue never grows with the requests in flight.

httpcore's pool rescans its whole queue of waiting requests whenever a
connection frees up, so a fan-out of n calls over a pool of c connections
costs O(n) per request, O(n²) in all. A FIFO semaphore of c slots in front of
it keeps that queue at most c long: each request then costs the same however
many are waiting.
"""

from __future__ import annotations

from typing import Any

import anyio
import httpx

__all__ = ["GatedClient"]


class _Gated(httpx.AsyncBaseTransport):
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
