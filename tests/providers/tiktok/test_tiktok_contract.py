"""The shared provider contract, run against a stateful fake TikTok behind respx. Publish,
get and delete is skipped: TikTok has no text posts and no public delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.providers.tiktok import TikTok
from socialkit.testing import PlatformContract

from .tiktok_support import FAST, TOKEN, FakeTikTok, make_platform


class TestTikTokContract(PlatformContract):
    missing_post_id = "7999999999999999999"

    @pytest.fixture
    def platform(self) -> TikTok:
        return make_platform(access_token=TOKEN)

    @pytest.fixture
    def client(self, platform: TikTok) -> Iterator[sk.Client]:
        backend = FakeTikTok()
        with respx.mock(assert_all_called=False) as mock:
            mock.route(host="open.tiktokapis.com").mock(side_effect=backend.handle)
            with sk.Client(platform, retry=FAST) as client:
                yield client
