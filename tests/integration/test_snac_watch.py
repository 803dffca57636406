"""`watch()` against snac2, a real Mastodon-client-API server without the streaming API.

snac answers 404 to ``/api/v1/streaming/user/notification``, so `watch()` must fall
back to polling ``/api/v1/notifications`` and still deliver a mention (snac delivers
between local users asynchronously, a few seconds later). Runs when
``SOCIALKIT_SNAC_URL``, ``SOCIALKIT_SNAC_TOKEN_ALICE`` and ``SOCIALKIT_SNAC_TOKEN_BOB``
name a running snac with two users (see ../shared/servers/snac_up.sh); skipped otherwise.
"""

from __future__ import annotations

import os
import uuid

import anyio
import pytest

from socialkit.client import AsyncClient
from socialkit.events import MentionEvent, WatchPolicy
from socialkit.providers.mastodon import Mastodon

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

URL = os.environ.get("SOCIALKIT_SNAC_URL")
ALICE = os.environ.get("SOCIALKIT_SNAC_TOKEN_ALICE")
BOB = os.environ.get("SOCIALKIT_SNAC_TOKEN_BOB")


@pytest.mark.skipif(
    not (URL and ALICE and BOB),
    reason="no snac2 server: set SOCIALKIT_SNAC_URL, SOCIALKIT_SNAC_TOKEN_ALICE/_BOB",
)
async def test_watch_falls_back_to_polling_on_a_server_without_streaming() -> None:
    alice = AsyncClient(Mastodon(instance=URL, access_token=ALICE))
    bob = AsyncClient(Mastodon(instance=URL, access_token=BOB))
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
