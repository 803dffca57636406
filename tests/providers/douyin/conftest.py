"""Fixtures for the Douyin tests: the sync/async switch, respx routes, a stateful Douyin."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import respx

import socialkit as sk
from socialkit.testing.driver import Driver

from .douyin_support import FakeDouyin, make_platform


@pytest.fixture
def default_platform() -> Callable[[], sk.Platform]:
    return make_platform


@pytest.fixture
def dy(connect: Callable[..., Driver]) -> Driver:
    return connect()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """respx routes; a request nobody routed fails the test."""
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def fake(router: respx.MockRouter) -> FakeDouyin:
    backend = FakeDouyin()
    router.route(host="open.douyin.com").mock(side_effect=backend.handle)
    return backend


@pytest.fixture(autouse=True)
def _instant_sleeps(sleeps: list[float]) -> None:
    """Every test runs with instant sleeps."""
