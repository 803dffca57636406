"""The shared behavioural contract, run against a small in-memory PDS."""

from __future__ import annotations

import pytest

import socialkit as sk
from socialkit.platform import Platform

from .bsky_fake import FakeBluesky
from .bsky_support import DID, FAST, platform

try:
    from socialkit.testing import PlatformContract  # type: ignore[attr-defined]
except ImportError:
    try:
        from socialkit.testing.contract import PlatformContract
    except ImportError:  # pragma: no cover - the contract ships with socialkit.testing
        pytest.skip("socialkit.testing.PlatformContract is not available", allow_module_level=True)


class TestBlueskyContract(PlatformContract):
    missing_post_id = f"at://{DID}/app.bsky.feed.post/3kaaaaaaaaaa2"

    @pytest.fixture
    def platform(self) -> Platform:
        return platform()

    @pytest.fixture
    def client(self, platform: Platform) -> sk.Client:
        return sk.Client(platform, transport=FakeBluesky().transport, retry=FAST)

    def test_pagination_walks_every_post(self, client: sk.Client) -> None:
        created = {client.publish(f"post {n}").id for n in range(5)}
        assert {post.id for post in client.posts()} == created
