"""`Driver`: run the same test through the sync `Client` and the `AsyncClient`.

```python
@pytest.fixture(params=["sync", "async"])
def driver(request):
    return Driver(request.param, MyPlatform(access_token="t"))

def test_publish(driver, api):
    post = driver("publish", "Hello")            # awaited when the client is async
    assert [p.id for p in driver.items("posts")] == [post.id]
```
"""

from __future__ import annotations

import functools
import inspect
import ssl
from collections.abc import Awaitable
from typing import Any, Literal

import anyio
import httpx

from ..client import AsyncClient, AsyncPaginator, Client, Paginator
from ..http import RetryPolicy
from ..platform import Platform

__all__ = ["Driver"]

Listing = str | Paginator[Any] | AsyncPaginator[Any]
NO_BACKOFF = RetryPolicy(backoff=0.0, max_backoff=0.0)


@functools.cache
def _tls() -> ssl.SSLContext:
    # One TLS context for every test client: building one per client costs ~0.1 s.
    return ssl.create_default_context()


async def _wait(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class Driver:
    """A `Client` or `AsyncClient` whose operations are called the same way in tests.

    Retries do not back off, and the sleeps a client would make (backoff,
    ``Retry-After``, polling) are recorded in `sleeps` instead of slept.
    """

    def __init__(self, kind: Literal["sync", "async"], platform: Platform, **options: Any):
        self.kind = kind
        self.sleeps: list[float] = []
        options.setdefault("retry", NO_BACKOFF)
        self.client: Client | AsyncClient
        if kind == "sync":
            options.setdefault("transport", httpx.HTTPTransport(verify=_tls()))
            sync_client = Client(platform, **options)
            sync_client._sleep = self.sleeps.append  # type: ignore[method-assign,assignment]
            self.client = sync_client
        else:
            options.setdefault("transport", httpx.AsyncHTTPTransport(verify=_tls()))
            async_client = AsyncClient(platform, **options)

            async def record(seconds: float) -> None:
                self.sleeps.append(seconds)

            async_client._sleep = record  # type: ignore[method-assign]
            self.client = async_client

    @classmethod
    def wrap(cls, client: Client | AsyncClient) -> Driver:
        """A driver around a client you built yourself (its sleeps are not recorded)."""
        driver = cls.__new__(cls)
        driver.kind = "sync" if isinstance(client, Client) else "async"
        driver.sleeps = []
        driver.client = client
        return driver

    @property
    def platform(self) -> Platform:
        """The platform behind the client."""
        return self.client.platform

    def __call__(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        """``client.<operation>(...)``, awaited when the client is async."""
        return self.wait(getattr(self.client, operation)(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        """``driver.publish(...)`` reads as ``driver("publish", ...)``."""
        if name.startswith("_"):
            raise AttributeError(name)
        return functools.partial(self, name)

    def wait(self, result: Any) -> Any:
        """``result``, awaited first when it is awaitable."""
        return anyio.run(_wait, result) if inspect.isawaitable(result) else result

    def run(self, flow: Any) -> Any:
        """Run a platform flow through the client."""
        return self.wait(self.client.run(flow))

    def items(self, listing: Listing, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item of a listing: an operation name (with its arguments) or a paginator."""
        paginator = self._paginator(listing, args, kwargs)
        if isinstance(paginator, AsyncPaginator):

            async def gather() -> list[Any]:
                return [item async for item in paginator]

            return list(anyio.run(gather))
        return list(paginator)

    def pages(self, listing: Listing, *args: Any, **kwargs: Any) -> list[Any]:
        """Every page of a listing: an operation name (with its arguments) or a paginator."""
        paginator = self._paginator(listing, args, kwargs)
        if isinstance(paginator, AsyncPaginator):

            async def gather() -> list[Any]:
                return [page async for page in paginator.pages()]

            return list(anyio.run(gather))
        return list(paginator.pages())

    def _paginator(
        self, listing: Listing, args: Any, kwargs: Any
    ) -> Paginator[Any] | AsyncPaginator[Any]:
        if isinstance(listing, str):
            found: Paginator[Any] | AsyncPaginator[Any] = getattr(self.client, listing)(
                *args, **kwargs
            )
            return found
        return listing
