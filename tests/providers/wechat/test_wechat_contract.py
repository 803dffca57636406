"""The shared behavioural contract, run against a small stateful WeChat."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.platform import Platform
from socialkit.testing.contract import PlatformContract

from .wechat_fake import FakeWeChat
from .wechat_support import FAST, make_platform


class TestWeChatContract(PlatformContract):
    missing_post_id = "0"

    @pytest.fixture
    def platform(self) -> Platform:
        return make_platform()

    @pytest.fixture
    def client(self, platform: Platform) -> Iterator[sk.Client]:
        with respx.mock(assert_all_called=False) as router:
            FakeWeChat().mount(router)
            client = sk.Client(platform, retry=FAST)
            client._sleep = lambda seconds: None  # type: ignore[method-assign]
            yield client

    def test_reply_shows_in_comments(self, client: sk.Client) -> None:
        pytest.skip(
            "an Official Account answers its readers' comments but cannot comment on its own "
            "article, which this contract test does first (reply(post))"
        )
