"""Fixtures for the LinkedIn tests: a sync/async driver switch, respx routes, instant sleeps
and a stateful fake LinkedIn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import respx

import socialkit as sk
from socialkit.providers.linkedin import LinkedIn

from .linkedin_support import FAST, Driver, FakeLinkedIn, load, make_platform


@pytest.fixture
def connect(kind: str, http_clients: dict[str, Any]) -> Callable[..., Driver]:
    """Make a driver of the parametrised kind around a platform (the organization's default)."""

    def make(platform: LinkedIn | None = None, **options: Any) -> Driver:
        platform = platform or make_platform()
        options.setdefault("retry", FAST)
        options.setdefault("http_client", http_clients[kind])
        if kind == "sync":
            return Driver.wrap(sk.Client(platform, **options))
        return Driver.wrap(sk.AsyncClient(platform, **options))

    return make


@pytest.fixture
def li(connect: Callable[..., Driver]) -> Driver:
    """The organization author behind the parametrised driver."""
    return connect()


@pytest.fixture
def member(connect: Callable[..., Driver]) -> Driver:
    """A member (person) author behind the parametrised driver."""
    return connect(make_platform(author="urn:li:person:782bbtaQ"))


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """respx routes; requests nobody routed fail the test."""
    with respx.mock(assert_all_called=False) as mock:
        yield mock


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
