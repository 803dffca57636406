"""Fixtures for the LinkedIn tests: a sync/async driver switch, respx routes, instant sleeps
and a stateful fake LinkedIn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import respx

import socialkit as sk

from .linkedin_support import Driver, FakeLinkedIn, load, make_platform


@pytest.fixture
def default_platform() -> Callable[[], sk.Platform]:
    """The platform `connect` uses when a test names none."""
    return make_platform


@pytest.fixture
def li(connect: Callable[..., Driver]) -> Driver:
    """The organization author behind the parametrised driver."""
    return connect()


@pytest.fixture
def member(connect: Callable[..., Driver]) -> Driver:
    """A member (person) author behind the parametrised driver."""
    return connect(make_platform(author="urn:li:person:782bbtaQ"))


@pytest.fixture
def fake(router: respx.MockRouter) -> FakeLinkedIn:
    """A stateful LinkedIn answering api.linkedin.com through a respx side effect."""
    backend = FakeLinkedIn()
    router.route(host="api.linkedin.com").mock(side_effect=backend.handle)
    return backend


@pytest.fixture(autouse=True)
def _instant_sleeps(sleeps: list[float]) -> None:
    """Every test runs with instant sleeps."""


@pytest.fixture
def body() -> Callable[[str], Any]:
    """Load a fixture body by name."""
    return load
