"""Fixtures for snac2 (a real Mastodon-client-API server) on loopback.

snac2 is started for the session when the session asks for it (``SOCIALKIT_IT_START=1``,
as ``nox -s integration`` does): the package is fetched into ``~/.cache/socialkit-it/snac2``
on first use, and a failure to install or start it is an error. Otherwise (a plain
``pytest``) every snac2 test is skipped, saying how to run them: they take a minute.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .servers import snac

HOW = (
    "snac2 (a real Mastodon-API server) is started only when asked: run `nox -s integration` "
    "or set SOCIALKIT_IT_START=1 (it fetches Debian trixie's snac2 into "
    "~/.cache/socialkit-it/snac2 and starts it on loopback)"
)


@pytest.fixture(scope="session")
def snac_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[snac.SnacServer]:
    """A fresh snac2 with users alice, bob and carol, on a free loopback port."""
    if os.environ.get("SOCIALKIT_IT_START") != "1":
        pytest.skip(HOW)
    binary = snac.install()
    server = snac.SnacServer(binary, tmp_path_factory.mktemp("snac") / "data", snac.free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sync", "async"])
def snac_kind(request: pytest.FixtureRequest) -> str:
    """Which driver a test runs through."""
    return str(request.param)
