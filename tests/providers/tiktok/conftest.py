"""Fixtures for the TikTok tests: a sync/async driver switch, respx routes, instant sleeps
and a stateful fake TikTok."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import respx

import socialkit as sk
from socialkit.providers.tiktok import TikTok

from .tiktok_support import FAST, Driver, FakeTikTok, load, make_platform


@pytest.fixture
def connect(kind: str, http_clients: dict[str, Any]) -> Callable[..., Driver]:
    """Make a driver of the parametrised kind around a platform (the default one if none)."""

    def make(platform: TikTok | None = None, **options: Any) -> Driver:
        platform = platform or make_platform()
        options.setdefault("retry", FAST)
        options.setdefault("http_client", http_clients[kind])
        if kind == "sync":
            return Driver.wrap(sk.Client(platform, **options))
        return Driver.wrap(sk.AsyncClient(platform, **options))

    return make


@pytest.fixture
def tt(connect: Callable[..., Driver]) -> Driver:
    """The default platform (a plain user token) behind the parametrised driver."""
    return connect()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """respx routes; requests nobody routed fail the test."""
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def fake(router: respx.MockRouter) -> FakeTikTok:
    """A stateful TikTok answering open.tiktokapis.com through a respx side effect."""
    backend = FakeTikTok()
    router.route(host="open.tiktokapis.com").mock(side_effect=backend.handle)
    return backend


@pytest.fixture(autouse=True)
def _instant_sleeps(sleeps: list[float]) -> None:
    """Every test runs with instant sleeps."""


@pytest.fixture
def body() -> Callable[[str], Any]:
    """Load a fixture body by name."""
    return load
