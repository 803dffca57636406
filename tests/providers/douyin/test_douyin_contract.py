"""The shared behavioural contract, run against a small stateful Douyin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.platform import Platform
from socialkit.testing.contract import PlatformContract

from .douyin_support import FakeDouyin, make_platform


class TestDouyinContract(PlatformContract):
    missing_post_id = "@missing"

    @pytest.fixture
    def platform(self) -> Platform:
        return make_platform(refresh_token="rft.secret-refresh", client_key="tt-key",
                             client_secret="app-secret")

    @pytest.fixture
    def client(self, platform: Platform) -> Iterator[sk.Client]:
        with respx.mock(assert_all_called=False) as router:
            router.route(host="open.douyin.com").mock(side_effect=FakeDouyin().handle)
            yield sk.Client(platform)

    @pytest.fixture
    def contract_draft(self) -> sk.Draft:
        video = sk.MediaUpload(data=b"\0\0\0\x18ftypmp42 contract video", filename="c.mp4")
        return sk.Draft(text="Contract test #socialkit", media=(video,))
