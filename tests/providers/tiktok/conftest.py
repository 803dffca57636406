"""Fixtures for the TikTok tests: a sync/async driver switch, respx routes, instant sleeps
and a stateful fake TikTok."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import respx

import socialkit as sk

from .tiktok_support import Driver, FakeTikTok, load, make_platform


@pytest.fixture
def default_platform() -> Callable[[], sk.Platform]:
    """The platform `connect` uses when a test names none."""
    return make_platform


@pytest.fixture
def tt(connect: Callable[..., Driver]) -> Driver:
    """The default platform (a plain user token) behind the parametrised driver."""
    return connect()


@pytest.fixture
def fake(router: respx.MockRouter) -> FakeTikTok:
    """A stateful TikTok answering open.tiktokapis.com through a respx side effect."""
    backend = FakeTikTok()
    router.route(host="open.tiktokapis.com").mock(side_effect=backend.handle)
    return backend


@pytest.fixture(autouse=True)
def _instant_sleeps(sleeps: list[float]) -> None:
    """Every test runs with instant sleeps."""


@pytest.fixture
def body() -> Callable[[str], Any]:
    """Load a fixture body by name."""
    return load
