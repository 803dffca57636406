"""The shared behavioural contract, run against socialkit's in-process Mastodon sandbox."""

from __future__ import annotations

import pytest

import socialkit as sk
from socialkit.platform import Platform
from socialkit.providers.mastodon import Mastodon

from .mastodon_support import FAST

try:
    from socialkit.testing.contract import PlatformContract
    from socialkit.testing.sandbox import Sandbox
except ImportError:  # pragma: no cover - both ship with socialkit.testing
    pytest.skip("socialkit.testing is not available", allow_module_level=True)


class TestMastodonContract(PlatformContract):
    missing_post_id = "999999999999"

    @pytest.fixture
    def sandbox(self) -> Sandbox:
        return Sandbox()

    @pytest.fixture
    def platform(self, sandbox: Sandbox) -> Platform:
        return Mastodon(instance=sandbox.base_url, access_token="contract-token")

    @pytest.fixture
    def client(self, platform: Platform, sandbox: Sandbox) -> sk.Client:
        return sk.Client(platform, transport=sandbox.transport(), retry=FAST)

    def test_a_reply_mentions_the_author_it_answers(self, sandbox: Sandbox) -> None:
        brand = sandbox.client(retry=FAST)
        fan = Mastodon(instance=sandbox.base_url, access_token="fan-token")
        post = brand.publish("Contract test: who answers?")
        reply = sk.Client(fan, transport=sandbox.transport(), retry=FAST).reply(post, "me!")
        assert post.author is not None
        assert reply.text == f"@{post.author.handle} me!"
