"""Calendar fixtures: a calendar file, a sandbox and its clients with fast retries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from calendar_support import FAST, FAST_POLICY

from socialkit.calendar import Calendar
from socialkit.client import AsyncClient, Client
from socialkit.testing import Sandbox


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


@pytest.fixture
def cal(tmp_path: Path) -> Iterator[Calendar]:
    with Calendar(tmp_path / "calendar.db", policy=FAST_POLICY) as calendar:
        yield calendar
