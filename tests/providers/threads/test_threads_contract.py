"""Threads passes the provider contract against an in-memory profile."""

from __future__ import annotations

import pytest

from socialkit.client import Client
from socialkit.platform import Capability, Platform
from socialkit.providers.threads import Threads
from socialkit.testing import PlatformContract

from ..meta.meta_support import FAST
from .threads_fake import FakeThreads
from .threads_support import make


class TestThreadsContract(PlatformContract):
    @pytest.fixture
    def platform(self) -> Platform:
        return make(app_secret="app-secret-0123456789")

    @pytest.fixture
    def client(self, platform: Platform) -> Client:
        return Client(platform, transport=FakeThreads().transport(), retry=FAST)


def test_a_thread_reads_back_as_a_conversation() -> None:
    client = Client(make(), transport=FakeThreads().transport(), retry=FAST)
    first, second, third = client.publish_thread(["1/ a", "2/ b", "3/ c"])
    found = [(c.id, c.reply_to_id) for c in client.comments(first.id)]
    assert found == [(second.id, first.id), (third.id, second.id)]


def test_capabilities_leave_out_editing_and_likes() -> None:
    assert set(Capability) - Threads.capabilities == {Capability.EDIT, Capability.REACT}
