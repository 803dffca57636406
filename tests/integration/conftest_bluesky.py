"""Fixtures for the Bluesky reference stack (@atproto/dev-env on loopback).

The stack is used when its PDS answers on 127.0.0.1:2583. Otherwise, when the session asks
for it (``SOCIALKIT_IT_START=1``, as ``nox -s integration`` does), it is installed (cached in
``~/.cache/socialkit-it/atproto``) and started here, and stopped at the end; else every
Bluesky integration test is skipped, saying how to run them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .bluesky_support import (
    Account,
    Driver,
    create_account,
    driver,
    pds_up,
    run_script,
    wants_start,
)

HOW = ("Bluesky's reference stack is not running on 127.0.0.1:2583: run `nox -s integration`, "
       "or tests/integration/servers/atproto/install.sh then up.sh")


@pytest.fixture(scope="session")
def atproto_stack() -> Iterator[str]:
    """The dev network's PDS URL, started for the session when asked and not running."""
    if pds_up():
        yield "http://127.0.0.1:2583"
        return
    if not wants_start():
        pytest.skip(HOW)
    run_script("install.sh", timeout=1800)
    try:
        run_script("up.sh", timeout=300)
        yield "http://127.0.0.1:2583"
    finally:
        run_script("down.sh", timeout=120)


@pytest.fixture(scope="session")
def bsky_brand(atproto_stack: str) -> Account:
    """The brand's account (made fresh for the session)."""
    return create_account("brand")


@pytest.fixture(scope="session")
def bsky_fan(atproto_stack: str) -> Account:
    """A second account, the brand's audience."""
    return create_account("fan")


@pytest.fixture(params=["sync", "async"])
def bsky_kind(request: pytest.FixtureRequest) -> str:
    """Which driver a test runs with."""
    return str(request.param)


@pytest.fixture
def brand(bsky_kind: str, bsky_brand: Account) -> Iterator[Driver]:
    """A client of the brand's account, logged in with its app password."""
    with driver(bsky_kind, bsky_brand) as client:
        yield client


@pytest.fixture
def fan(bsky_kind: str, bsky_fan: Account) -> Iterator[Driver]:
    """A client of the second account."""
    with driver(bsky_kind, bsky_fan) as client:
        yield client
