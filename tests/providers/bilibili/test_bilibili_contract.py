"""The shared behavioural contract, run against a small stateful Bilibili."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.platform import Platform
from socialkit.testing.contract import PlatformContract

from .bilibili_support import FakeBilibili, make_platform


class TestBilibiliContract(PlatformContract):
    missing_post_id = "BV1000000000"

    @pytest.fixture
    def platform(self) -> Platform:
        return make_platform(refresh_token="single-use-refresh")

    @pytest.fixture
    def client(self, platform: Platform) -> Iterator[sk.Client]:
        fake = FakeBilibili()
        with respx.mock(assert_all_called=False) as router:
            router.route(host="member.bilibili.com").mock(side_effect=fake.handle)
            router.route(host="openupos.bilivideo.com").mock(side_effect=fake.handle)
            yield sk.Client(platform)

    @pytest.fixture
    def contract_draft(self) -> sk.Draft:
        video = sk.MediaUpload(data=b"\0\0\0\x18ftypmp42 contract", filename="c.mp4")
        cover = sk.MediaUpload(data=b"\xff\xd8jpeg", filename="c.jpg")
        return sk.Draft(text="Contract test\nthe state", media=(video, cover),
                        options={"tags": ["contract"]})
