"""Helpers of the Mastodon tests: fixtures on disk, a platform factory, a sync/async driver."""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any

import httpx

from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.testing.driver import Driver as SharedDriver

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


def make_platform(*, software: str | None = "4.5.0", **settings: Any) -> Mastodon:
    """A platform on `BASE`; its server already known as ``software`` (a Mastodon version
    by default, as if an earlier flow had read it), or unknown with ``software=None``."""
    settings.setdefault("instance", BASE)
    settings.setdefault("access_token", TOKEN)
    if software is not None:
        Mastodon._software_cache[settings.get("base_url") or settings["instance"]] = software
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


class Driver(SharedDriver):
    """Runs client operations alike through the sync or the async client; sleeps are recorded."""

    def __init__(self, kind: Any, platform: Mastodon | None = None, **options: Any) -> None:
        options.setdefault("retry", FAST)
        super().__init__(kind, platform or make_platform(), **options)


