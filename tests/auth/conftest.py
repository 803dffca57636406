"""Fixtures for the auth tests: a real OAuth 2 server on loopback, stores, a browser stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from socialkit.auth import MemoryTokenStore
from tests.auth._authserver import CLIENT_ID, AuthServer, Browser


@pytest.fixture
def auth_server() -> Iterator[AuthServer]:
    server = AuthServer().start()
    server.add_client(CLIENT_ID)  # a public client: PKCE is required
    yield server
    server.stop()


@pytest.fixture
def store() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def transport() -> httpx.HTTPTransport:
    """A plain transport: no proxy from the environment between us and loopback."""
    return httpx.HTTPTransport()


@pytest.fixture(autouse=True)
def _no_real_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALKIT_NO_BROWSER", "1")


@pytest.fixture
def browser() -> Browser:
    return Browser()
