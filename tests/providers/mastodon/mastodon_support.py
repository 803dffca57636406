"""Helpers of the Mastodon tests: fixtures on disk, a platform factory, a sync/async driver."""

from __future__ import annotations

import asyncio
import json
import ssl
from pathlib import Path
from typing import Any

import httpx

from socialkit.client import AsyncClient, Client
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import Mastodon

BASE = "https://mastodon.example"
TOKEN = "tok-brand-0123456789"
FIXTURES = Path(__file__).parent / "fixtures"
# <repo>/../shared/specs: present in the monorepo checkout, absent elsewhere.
SPECS = Path(__file__).resolve().parents[3] / ".." / "shared" / "specs"
FAST = RetryPolicy(backoff=0.0, max_backoff=0.0)
# One TLS context for every test client: building one per client costs ~0.1 s. respx
# intercepts below the transport, so no connection is ever made.
_TLS = ssl.create_default_context()


def load(name: str) -> Any:
    """A JSON fixture, shaped like the Mastodon API reference's examples."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> Mastodon:
    settings.setdefault("instance", BASE)
    settings.setdefault("access_token", TOKEN)
    return Mastodon(**settings)


def respond(
    method: str, path: str, status: int = 200, *, json_body: Any = None, **kw: Any
) -> httpx.Response:
    """A response as the driver would hand it to a flow (with its request attached)."""
    request = httpx.Request(method, BASE + path)
    if json_body is not None:
        kw["json"] = json_body
    return httpx.Response(status, request=request, **kw)


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


class Driver:
    """Runs client operations the same way whichever driver ("sync"/"async") it wraps.

    Sleeps (retry backoff, Retry-After, media polling) are recorded instead of slept.
    """

    def __init__(self, kind: str, platform: Mastodon | None = None, **options: Any) -> None:
        self.kind = kind
        self.platform = platform or make_platform()
        self.sleeps: list[float] = []
        options.setdefault("retry", FAST)
        if kind == "sync":
            options.setdefault("transport", httpx.HTTPTransport(verify=_TLS))
            self.client: Any = Client(self.platform, **options)
            self.client._sleep = self.sleeps.append
        else:
            options.setdefault("transport", httpx.AsyncHTTPTransport(verify=_TLS))
            self.client = AsyncClient(self.platform, **options)

            async def record(seconds: float) -> None:
                self.sleeps.append(seconds)

            self.client._sleep = record

    def __call__(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        """``client.<operation>(...)``, awaited when the client is async."""
        result = getattr(self.client, operation)(*args, **kwargs)
        return asyncio.run(result) if self.kind == "async" else result

    def items(self, operation: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item of a paginated operation."""
        paginator = getattr(self.client, operation)(*args, **kwargs)
        if self.kind == "sync":
            return list(paginator)

        async def collect() -> list[Any]:
            return [item async for item in paginator]

        return asyncio.run(collect())

    def pages(self, operation: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Every page of a paginated operation."""
        paginator = getattr(self.client, operation)(*args, **kwargs)
        if self.kind == "sync":
            return list(paginator.pages())

        async def collect() -> list[Any]:
            return [page async for page in paginator.pages()]

        return asyncio.run(collect())
