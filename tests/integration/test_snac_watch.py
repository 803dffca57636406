"""`watch()` against snac2, a real Mastodon-client-API server without the streaming API.

snac answers 404 to ``/api/v1/streaming/user/notification``, so `watch()` must fall
back to polling ``/api/v1/notifications`` and still deliver a mention (snac delivers
between local users asynchronously, a few seconds later). It runs on the session's snac2
(`snac_server`, started by ``nox -s integration``) and is skipped otherwise.
"""

from __future__ import annotations

import uuid

import anyio
import pytest

from socialkit.client import AsyncClient
from socialkit.events import MentionEvent, WatchPolicy
from socialkit.providers.mastodon import Mastodon

from .servers import snac

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


async def test_watch_falls_back_to_polling_on_a_server_without_streaming(
    snac_server: snac.SnacServer,
) -> None:
    tokens = snac_server.tokens or {}
    url = snac_server.url
    alice = AsyncClient(Mastodon(instance=url, access_token=tokens["alice"]))
    bob = AsyncClient(Mastodon(instance=url, access_token=tokens["bob"]))
    marker = uuid.uuid4().hex[:8]
    events = alice.watch(policy=WatchPolicy(poll_interval=0.5))
    try:
        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                group.start_soon(bob.publish, f"@alice ping {marker}")
                async for event in events:
                    assert isinstance(event, MentionEvent)
                    if marker in event.mention.text:
                        break
    finally:
        await events.aclose()
        await alice.aclose()
        await bob.aclose()
    assert event.checkpoint == event.key
