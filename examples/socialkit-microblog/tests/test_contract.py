"""socialkit's shared provider contract, run against the fake Microblog server."""

from __future__ import annotations

import pytest
import socialkit as sk
from socialkit.testing import PlatformContract

from fake_server import FakeMicroblog
from socialkit_microblog import Microblog, MicroblogSettings


class TestMicroblogContract(PlatformContract):
    missing_post_id = "999999"

    @pytest.fixture
    def platform(self) -> Microblog:
        settings = MicroblogSettings(access_token="brand", webhook_secret="whsec-contract")
        return Microblog(settings)

    @pytest.fixture
    def client(self, platform: Microblog) -> sk.Client:
        return sk.Client(platform, transport=FakeMicroblog().transport())
