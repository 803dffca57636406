"""The shared behavioural contract, run against a small stateful Weibo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.platform import Capability, Platform
from socialkit.testing.contract import PlatformContract

from .weibo_fake import FakeWeibo
from .weibo_support import FAST, make_platform


class TestWeiboContract(PlatformContract):
    missing_post_id = "0"

    @pytest.fixture
    def platform(self) -> Platform:
        return make_platform()

    @pytest.fixture
    def client(self, platform: Platform) -> Iterator[sk.Client]:
        with respx.mock(assert_all_called=False) as router:
            FakeWeibo().mount(router)
            yield sk.Client(platform, retry=FAST)

    @pytest.fixture
    def contract_draft(self) -> sk.Draft:
        """The secure-domain link every Weibo share needs."""
        return sk.Draft(text="Contract test: the state https://brand.example.com/s")

    def test_reply_shows_in_comments(self, client: sk.Client) -> None:
        """The contract's test, with the secure-domain link every Weibo share needs."""
        self._need(client, Capability.PUBLISH_TEXT, Capability.REPLY, Capability.READ_COMMENTS)
        post = client.publish("Contract test: a post to answer https://brand.example.com/c")
        reply = client.reply(post, "Contract test: the answer")
        comments = list(client.comments(post.id))
        assert reply.id in [c.id for c in comments]
        assert next(c for c in comments if c.id == reply.id).reply_to_id == post.id
