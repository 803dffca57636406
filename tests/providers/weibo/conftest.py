"""Fixtures of the Weibo tests: fresh budgets, a respx router, a sync/async driver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from socialkit.providers.weibo import Weibo

from .weibo_support import BASE, Driver, load


@pytest.fixture(autouse=True)
def _fresh_budgets() -> Iterator[None]:
    Weibo.budgets.clear()
    yield
    Weibo.budgets.clear()


@pytest.fixture
def driver(kind: str) -> Driver:
    return Driver(kind)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    """Weibo's API; ``rate_limit_status`` answers a fresh budget (asked once per hour of use)."""
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/2/account/rate_limit_status.json", name="budget").respond(
            200, json=load("rate_limit_status")
        )
        yield router
