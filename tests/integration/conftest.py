"""Integration tests against real servers on loopback (``nox -s integration``).

Each server's fixtures live in their own module and are imported here. A plain ``pytest``
skips these tests, with the reason, when a server cannot be started.
"""

from __future__ import annotations

import pytest

from .conftest_bluesky import (  # noqa: F401 (fixtures)
    atproto_stack,
    brand,
    bsky_brand,
    bsky_fan,
    bsky_kind,
    fan,
)
from .conftest_postgres import (  # noqa: F401 (fixtures)
    calendar_at,
    pg_conninfo,
    postgres_server,
    procrastinate_db,
    store_kind,
)
from .conftest_redis import redis_server  # noqa: F401 (fixtures)
from .conftest_snac import snac_kind, snac_server  # noqa: F401 (fixtures)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "integration: needs real servers on loopback")
