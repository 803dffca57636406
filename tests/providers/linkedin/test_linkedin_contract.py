"""The shared provider contract, run against a stateful fake LinkedIn behind respx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.providers.linkedin import LinkedIn
from socialkit.testing import PlatformContract

from .linkedin_support import FAST, FakeLinkedIn, make_platform


class TestLinkedInContract(PlatformContract):
    missing_post_id = "urn:li:share:6999999999999999999"

    @pytest.fixture
    def platform(self) -> LinkedIn:
        return make_platform(access_token="contract-token")

    @pytest.fixture
    def client(self, platform: LinkedIn) -> Iterator[sk.Client]:
        backend = FakeLinkedIn()
        with respx.mock(assert_all_called=False) as mock:
            mock.route(host="api.linkedin.com").mock(side_effect=backend.handle)
            with sk.Client(platform, retry=FAST) as client:
                yield client
