"""The shared provider contract against the stateful fake YouTube. Publish, get and delete
of text is skipped: YouTube publishes videos only (community posts have no API)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import socialkit as sk
from socialkit.providers.youtube import QUOTAS, YouTube
from socialkit.testing import PlatformContract

from .youtube_support import FakeYouTube, make_platform


class TestYouTubeContract(PlatformContract):
    missing_post_id = "zzzzzzzzzzz"

    @pytest.fixture
    def platform(self) -> YouTube:
        return make_platform(refresh_token="1//refresh-secret", client_id="123.apps",
                             client_secret="GOCSPX-secret")

    @pytest.fixture
    def client(self, platform: YouTube) -> Iterator[sk.Client]:
        QUOTAS.clear()
        backend = FakeYouTube()
        with respx.mock(assert_all_called=False) as mock:
            mock.route(host="www.googleapis.com").mock(side_effect=backend.handle)
            with sk.Client(platform, retry=sk.RetryPolicy(backoff=0.0, max_backoff=0.0)) as c:
                yield c
