"""Calendar fixtures: a calendar file, a sandbox and its clients with fast retries."""

from __future__ import annotations

import itertools
import os
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


_schemas = itertools.count(1)


@pytest.fixture
def cal(tmp_path: Path) -> Iterator[Calendar]:
    """A calendar file; a fresh PostgreSQL schema instead when ``SOCIALKIT_CALENDAR_PG`` holds
    a conninfo (``nox -s integration`` runs these tests that way too)."""
    conninfo = os.environ.get("SOCIALKIT_CALENDAR_PG")
    if conninfo:
        from socialkit.calendar.postgres import PostgresStore

        store = PostgresStore(conninfo, schema=f"cal_{os.getpid()}_{next(_schemas)}")
        with Calendar(store, policy=FAST_POLICY) as calendar:
            yield calendar
        return
    with Calendar(tmp_path / "calendar.db", policy=FAST_POLICY) as calendar:
        yield calendar
