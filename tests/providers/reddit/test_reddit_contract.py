"""The shared provider contract, run against a small stateful Reddit behind respx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.providers.reddit import Reddit
from socialkit.testing import PlatformContract

from .reddit_support import FAST, FakeReddit, make_platform


class TestRedditContract(PlatformContract):
    missing_post_id = "t3_zzzzzz"

    @pytest.fixture
    def platform(self) -> Reddit:
        return make_platform(client_id="app-id", client_secret="app-secret",
                             refresh_token="refresh-secret")

    @pytest.fixture
    def client(self, platform: Reddit) -> Iterator[sk.Client]:
        backend = FakeReddit()
        with respx.mock(assert_all_called=False) as mock:
            mock.route(host="oauth.reddit.com").mock(side_effect=backend.handle)
            with sk.Client(platform, retry=FAST) as client:
                yield client
