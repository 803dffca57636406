"""Helpers of the Weibo tests: fixtures on disk, a platform factory, a sync/async driver."""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from socialkit.http import RetryPolicy
from socialkit.providers.weibo import Weibo
from socialkit.testing.driver import Driver as SharedDriver

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


class Driver(SharedDriver):
    """Runs client operations alike through the sync or the async client; sleeps are recorded."""

    def __init__(self, kind: Any, platform: Weibo | None = None, **options: Any) -> None:
        options.setdefault("retry", FAST)
        super().__init__(kind, platform or make_platform(), **options)


