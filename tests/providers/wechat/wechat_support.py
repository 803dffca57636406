"""Helpers of the WeChat tests: fixtures on disk, a platform factory, a sync/async driver."""

from __future__ import annotations

import asyncio
import json
import ssl
from pathlib import Path
from typing import Any

import httpx

from socialkit.client import AsyncClient, Client
from socialkit.http import RetryPolicy
from socialkit.providers.wechat import WeChat

BASE = "https://api.weixin.qq.com"
APP_ID = "wx1234567890abcdef"
SECRET = "app-secret-0123456789abcdef0123"
TOKEN = "ACCESS_TOKEN_1"
ARTICLE = "b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4"
FIXTURES = Path(__file__).parent / "fixtures"
FAST = RetryPolicy(backoff=0.0, max_backoff=0.0)
_TLS = ssl.create_default_context()


def load(name: str) -> Any:
    """A JSON fixture, shaped like the official examples (see fixtures/README.md)."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def make_platform(**settings: Any) -> WeChat:
    settings.setdefault("app_id", APP_ID)
    settings.setdefault("app_secret", SECRET)
    settings.setdefault("cover_media_id", "COVER_MEDIA_ID")
    return WeChat(**settings)


def body(request: httpx.Request) -> Any:
    """A request's JSON body."""
    return json.loads(request.content)


class Driver:
    """Runs client operations alike through the sync or the async client; sleeps are recorded."""

    def __init__(self, kind: str, platform: WeChat | None = None, **options: Any) -> None:
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
