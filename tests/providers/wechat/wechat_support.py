"""Helpers of the WeChat tests: fixtures on disk, a platform factory, a sync/async driver."""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any

import httpx

from socialkit.http import RetryPolicy
from socialkit.providers.wechat import WeChat
from socialkit.testing.driver import Driver as SharedDriver

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


class Driver(SharedDriver):
    """Runs client operations alike through the sync or the async client; sleeps are recorded."""

    def __init__(self, kind: Any, platform: WeChat | None = None, **options: Any) -> None:
        options.setdefault("retry", FAST)
        super().__init__(kind, platform or make_platform(), **options)


