"""Fixtures of the Mastodon tests: a fresh limits cache, a respx router, a sync/async driver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from socialkit.providers.mastodon import Mastodon

from .mastodon_support import BASE, Driver, load


@pytest.fixture(autouse=True)
def _fresh_instance_limits() -> Iterator[None]:
    Mastodon._limits_cache.clear()
    Mastodon._software_cache.clear()
    yield
    Mastodon._limits_cache.clear()
    Mastodon._software_cache.clear()


@pytest.fixture
def driver(kind: str) -> Driver:
    return Driver(kind)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=True) as router:
        yield router


@pytest.fixture
def instance(api: respx.MockRouter) -> respx.Route:
    """``GET /api/v2/instance`` answering Mastodon's stock limits."""
    return api.get("/api/v2/instance").respond(200, json=load("instance"))

