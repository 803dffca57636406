"""Fixtures for the Bilibili tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import respx

import socialkit as sk
from socialkit.testing.driver import Driver

from .bilibili_support import FakeBilibili, make_platform


@pytest.fixture
def default_platform() -> Callable[[], sk.Platform]:
    return make_platform


@pytest.fixture
def bl(connect: Callable[..., Driver]) -> Driver:
    return connect()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def fake(router: respx.MockRouter) -> FakeBilibili:
    backend = FakeBilibili()
    router.route(host="member.bilibili.com").mock(side_effect=backend.handle)
    router.route(host="openupos.bilivideo.com").mock(side_effect=backend.handle)
    return backend


@pytest.fixture(autouse=True)
def _instant_sleeps(sleeps: list[float]) -> None:
    """Every test runs with instant sleeps."""
