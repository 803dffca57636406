"""Monitoring fixtures: a sandbox and the brand's clients with fast retries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from socialkit.client import AsyncClient, Client
from socialkit.http import RetryPolicy
from socialkit.testing import Sandbox

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)
"""Retries without waiting."""


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    with sandbox.client(retry=FAST) as brand:
        yield brand


@pytest.fixture
def async_client(sandbox: Sandbox) -> AsyncClient:
    return sandbox.async_client(retry=FAST)
