"""Fixtures every provider's tests share: the sync/async switch, pooled clients, recorded sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

import socialkit as sk


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
