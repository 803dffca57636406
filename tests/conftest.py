"""Shared fixtures: fast retries, a clean rate-limit state, and a sync/async driver switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socialkit.http import RATE_LIMITS


@pytest.fixture(autouse=True)
def _httpx_transport_for_respx(monkeypatch: pytest.MonkeyPatch) -> None:
    """respx mocks httpx's own transport: async clients use it unless a test picks aiohttp."""
    monkeypatch.setenv("SOCIALKIT_HTTP", "httpx")


@pytest.fixture(autouse=True)
def _clean_rate_limits() -> Iterator[None]:
    RATE_LIMITS.clear()
    yield
    RATE_LIMITS.clear()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
