"""Fixtures for the Reddit tests: a sync/async driver switch, respx routes, instant sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import socialkit as sk
from socialkit.http import RATE_LIMITS

from .reddit_support import Driver, load, make_platform


@pytest.fixture
def default_platform() -> Callable[[], sk.Platform]:
    """The platform `connect` uses when a test names none."""
    return make_platform


@pytest.fixture
def rd(connect: Callable[..., Driver]) -> Driver:
    """The default platform (a plain token, r/brand) behind the parametrised driver."""
    return connect()


@pytest.fixture(autouse=True)
def _instant_sleeps(sleeps: list[float]) -> None:
    """Every test runs with instant sleeps."""


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit state is process-wide: each test starts from none."""
    RATE_LIMITS.clear()
    yield
    RATE_LIMITS.clear()


@pytest.fixture
def body() -> Callable[[str], Any]:
    """Load a fixture body by name."""
    return load
