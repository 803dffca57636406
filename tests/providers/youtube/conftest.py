"""Fixtures for the YouTube tests: the sync/async driver switch, a stateful fake YouTube
behind respx, instant sleeps, and fresh quota tallies."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import respx

import socialkit as sk
from socialkit.providers.youtube import QUOTAS
from socialkit.testing.driver import Driver

from .youtube_support import FakeYouTube, make_platform


@pytest.fixture
def default_platform() -> Callable[[], sk.Platform]:
    """The platform `connect` uses when a test names none."""
    return make_platform


@pytest.fixture
def yt(connect: Callable[..., Driver]) -> Driver:
    """The default platform behind the parametrised driver."""
    return connect()


@pytest.fixture
def fake(router: respx.MockRouter) -> FakeYouTube:
    """A stateful YouTube answering the Data, upload and Analytics hosts."""
    backend = FakeYouTube()
    router.route(host="www.googleapis.com").mock(side_effect=backend.handle)
    router.route(host="youtubeanalytics.googleapis.com").mock(side_effect=backend.handle)
    return backend


@pytest.fixture(autouse=True)
def _fresh_quota(sleeps: list[float]) -> Iterator[None]:
    """Every test starts with unspent quota and instant sleeps."""
    QUOTAS.clear()
    yield
    QUOTAS.clear()
