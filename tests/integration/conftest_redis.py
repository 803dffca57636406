"""A Redis of our own (Debian's ``redis-server``) on a Unix socket, for the engine tests.

Started once per session when the binary is installed (well under a second); a plain
``pytest`` without it skips the tests that need it, saying why.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import redis


@pytest.fixture(scope="session")
def redis_server() -> Iterator[redis.RedisServer]:
    """A fresh Redis, no TCP port, nothing saved to disk."""
    executable = redis.binary()
    if executable is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = redis.RedisServer(executable, Path(tempfile.mkdtemp(prefix="socialkit-redis-")))
    try:
        server.start()
    except redis.RedisUnavailable as exc:
        pytest.skip(f"Redis could not be started here: {exc}")
    try:
        yield server
    finally:
        server.stop()
