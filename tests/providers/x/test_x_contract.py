"""The shared provider contract, run against an in-memory X API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import socialkit as sk
from socialkit.providers.x import X
from socialkit.testing import PlatformContract


class TestXContract(PlatformContract):
    missing_post_id = "1346889436626259969"

    @pytest.fixture
    def platform(self, platform_factory: Callable[..., X]) -> X:
        return platform_factory(access_token="contract-token")

    @pytest.fixture
    def client(self, platform: X, fake_x: Any) -> sk.Client:
        return sk.Client(platform, transport=fake_x.transport(),
                         retry=sk.RetryPolicy(backoff=0.0, max_backoff=0.0))
