"""Facebook passes the provider contract against an in-memory Page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from socialkit.client import Client
from socialkit.errors import Unsupported
from socialkit.platform import Capability, Platform
from socialkit.providers.facebook import Facebook
from socialkit.testing import PlatformContract
from socialkit.testing.contract import NoNetwork

from ..meta.meta_support import FAST
from .facebook_fake import FakePage
from .facebook_support import make


class TestFacebookContract(PlatformContract):
    @pytest.fixture
    def platform(self) -> Platform:
        return make(app_secret="app-secret-0123456789")

    @pytest.fixture
    def client(self, platform: Platform) -> Client:
        return Client(platform, transport=FakePage().transport(), retry=FAST)


def test_capabilities_leave_out_what_the_pages_api_cannot_do() -> None:
    missing = set(Capability) - Facebook.capabilities
    assert missing == {
        Capability.PUBLISH_THREAD,
        Capability.SEARCH,
        Capability.REACT,
        Capability.REPOST,
    }


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        (lambda c: c.react("1"), "no supported way to react"),
        (lambda c: c.repost("1"), "cannot share"),
        (lambda c: c.search("coffee"), "no search"),
        (lambda c: c.publish_thread(["a", "b"]), "cannot answer another"),
    ],
)
def test_unsupported_operations_say_why(operation: Callable[[Client], Any], reason: str) -> None:
    with pytest.raises(Unsupported, match=reason):
        operation(Client(make(), transport=NoNetwork()))
