"""Replies fixtures: a sandbox, the brand's clients (fast retries), an inbox on a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from replies_support import FAST

from socialkit.client import AsyncClient, Client
from socialkit.replies import Inbox, InboxStore
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
def db(tmp_path: Path) -> Path:
    return tmp_path / "inbox.db"


@pytest.fixture
def store(db: Path) -> Iterator[InboxStore]:
    with InboxStore(db) as opened:
        yield opened


@pytest.fixture
def inbox(client: Client, store: InboxStore) -> Inbox:
    return Inbox([client], store, backfill=100)
