"""Fixtures every provider's tests share: the sync/async switch, pooled clients, recorded sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import anyio
import httpx
import pytest
import respx

import socialkit as sk
from socialkit.testing.driver import NO_BACKOFF, Driver


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    """Each test that asks for it runs once per driver."""
    return str(request.param)


@pytest.fixture(scope="session")
def http_clients() -> Iterator[dict[str, Any]]:
    """One httpx client per kind for the session (building one costs ~0.1 s; respx patches
    their transports)."""
    clients: dict[str, Any] = {"sync": httpx.Client(), "async": httpx.AsyncClient()}
    yield clients
    clients["sync"].close()
    anyio.run(clients["async"].aclose)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds each driver was asked to sleep; nobody really sleeps."""
    asked: list[float] = []

    def record(self: Any, seconds: float) -> None:
        asked.append(seconds)

    async def arecord(self: Any, seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(sk.Client, "_sleep", record)
    monkeypatch.setattr(sk.AsyncClient, "_sleep", arecord)
    return asked


@pytest.fixture
def connect(
    kind: str, http_clients: dict[str, Any], default_platform: Callable[[], sk.Platform]
) -> Callable[..., Driver]:
    """Make a driver of the parametrised kind around a platform (``default_platform()`` if
    none), on the session's pooled client unless a transport is given."""

    def make(platform: sk.Platform | None = None, **options: Any) -> Driver:
        options.setdefault("retry", NO_BACKOFF)
        if "transport" not in options:
            options.setdefault("http_client", http_clients[kind])
        client = sk.Client if kind == "sync" else sk.AsyncClient
        return Driver.wrap(client(platform or default_platform(), **options))

    return make


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """respx routes; a request nobody routed fails the test (a provider may override it)."""
    with respx.mock(assert_all_called=False) as mock:
        yield mock
