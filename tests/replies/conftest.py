"""Replies fixtures: a sandbox, the brand's clients (fast retries), an inbox on a file."""

from __future__ import annotations

import itertools
import os
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


_schemas = itertools.count(1)

# What only a SQLite store does, skipped when the suite runs on PostgreSQL.
_SQLITE_ONLY = {
    "test_a_send_interrupted_after_posting_is_reconciled_by_the_next_sender": (
        "expires a lease with a fake clock; PostgreSQL measures leases on its own "
        "(tests/integration/test_inbox_stores.py)"
    ),
    "test_secure_delete_is_on": "a SQLite pragma",
    "test_status_is_taken_at_the_time_asked_for": "PostgreSQL takes it on its own clock",
    "test_erase_subject_removes_what_the_person_wrote": "reads the SQLite file itself",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not os.environ.get("SOCIALKIT_INBOX_PG"):
        return
    here = Path(__file__).parent
    for item in items:
        reason = _SQLITE_ONLY.get(getattr(item, "originalname", item.name))
        if reason and here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture
def store(db: Path) -> Iterator[InboxStore]:
    """An inbox file; a fresh PostgreSQL schema instead when ``SOCIALKIT_INBOX_PG`` holds a
    conninfo (``nox -s integration`` runs these tests that way too)."""
    conninfo = os.environ.get("SOCIALKIT_INBOX_PG")
    where = db if not conninfo else "postgresql:///postgres?" + "&".join(conninfo.split())
    schema = f"inbox_{os.getpid()}_{next(_schemas)}"
    with InboxStore(where, schema=schema) as opened:
        yield opened


@pytest.fixture
def inbox(client: Client, store: InboxStore) -> Inbox:
    return Inbox([client], store, backfill=100)
