"""Shared fixtures: fast retries, a clean rate-limit state, and a sync/async driver switch."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from socialkit.http import RATE_LIMITS

# CI runs every property test on the same examples (no flaky red runs); locally they vary.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


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
