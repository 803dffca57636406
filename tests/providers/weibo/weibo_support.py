"""Helpers of the Weibo tests: fixtures on disk, a platform factory, a sync/async driver."""

from __future__ import annotations

import asyncio
import json
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from socialkit.client import AsyncClient, Client
from socialkit.http import RetryPolicy
from socialkit.providers.weibo import Weibo

BASE = "https://api.weibo.com"
TOKEN = "2.00weibo-token-0123456789"
USER_IP = "211.156.0.1"
DOMAIN = "brand.example.com"
FIXTURES = Path(__file__).parent / "fixtures"
FAST = RetryPolicy(backoff=0.0, max_backoff=0.0)
_TLS = ssl.create_default_context()


def load(name: str) -> Any:
    """A JSON fixture, shaped like the Weibo wiki's examples (see fixtures/README.md)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> Weibo:
    settings.setdefault("access_token", TOKEN)
    settings.setdefault("client_ip", USER_IP)
    settings.setdefault("share_domain", DOMAIN)
    return Weibo(**settings)


def query(request: httpx.Request) -> dict[str, str]:
    """The request's query parameters (one value each)."""
    return dict(request.url.params)


def form(request: httpx.Request) -> dict[str, str]:
    """The request's urlencoded form."""
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def respond(path: str, status: int = 200, *, json_body: Any = None) -> httpx.Response:
    """A response as the driver would hand it to a flow (with its request attached)."""
    return httpx.Response(status, json=json_body, request=httpx.Request("GET", BASE + path))


class Driver:
    """Runs client operations alike through the sync or the async client; sleeps are recorded."""

    def __init__(self, kind: str, platform: Weibo | None = None, **options: Any) -> None:
        self.kind = kind
        self.platform = platform or make_platform()
        self.sleeps: list[float] = []
        options.setdefault("retry", FAST)
        self.client: Any
        if kind == "sync":
            options.setdefault("transport", httpx.HTTPTransport(verify=_TLS))
            self.client = Client(self.platform, **options)
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

    def run(self, flow: Any) -> Any:
        """``client.run(flow)``."""
        return self("run", flow)

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
