"""Bots and inboxes on `watch()`: real time over a real socket, restarts, one item per object."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from replies_support import FAST

from socialkit.client import AsyncClient
from socialkit.events.watch import WatchPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.replies import Bot, Inbox, InboxItem, InboxStore
from socialkit.testing import FakeClock, Sandbox

QUICK = WatchPolicy(backoff_initial=0.05, backoff_max=0.2, heartbeat_timeout=2.0)

pytestmark = pytest.mark.anyio


def answered(sandbox: Sandbox) -> Counter[str]:
    return Counter(
        s["in_reply_to_id"] for s in sandbox.statuses(account="brand") if s["in_reply_to_id"]
    )


async def until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await anyio.sleep(0.005)
    return condition()


def streaming_bot(url: str, db: Path) -> Bot:
    client = AsyncClient(Mastodon(instance=url, access_token="brand"), retry=FAST)
    bot = Bot(client, InboxStore(db))

    @bot.on_mention()
    def thanks(item: InboxItem) -> str:
        return "Thanks!"

    return bot


async def test_a_bot_on_watch_answers_a_mention_within_a_second_over_a_socket(
    tmp_path: Path,
) -> None:
    sandbox = Sandbox(seed=False)
    with sandbox.serve() as url:
        bot = streaming_bot(url, tmp_path / "bot.db")
        async with anyio.create_task_group() as group:
            group.start_soon(lambda: bot.arun(stream=True, policy=QUICK))
            assert await until(lambda: sandbox.open_streams == 1, timeout=5)
            figures = []
            for n in range(3):
                posted = time.perf_counter()
                status = sandbox.simulate_mention(f"are you open today? ({n})")
                assert await until(lambda s=status: answered(sandbox)[s["id"]] == 1, timeout=5)
                figures.append(time.perf_counter() - posted)
            group.cancel_scope.cancel()
        await bot.client.aclose()  # type: ignore[union-attr]
    print(f"mention -> answer over a socket: {[f'{f * 1000:.0f} ms' for f in figures]}")
    assert max(figures) < 1.0
    assert sandbox.open_streams == 0


async def test_mentions_posted_while_the_server_is_down_are_answered_once_after_restart(
    tmp_path: Path,
) -> None:
    sandbox = Sandbox(seed=False)
    served = sandbox.serve()
    url = served.__enter__()
    port = int(url.rsplit(":", 1)[1])
    bot = streaming_bot(url, tmp_path / "bot.db")
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(lambda: bot.arun(stream=True, policy=QUICK))
            assert await until(lambda: sandbox.open_streams == 1, timeout=5)
            first = sandbox.simulate_mention("first")
            assert await until(lambda: answered(sandbox)[first["id"]] == 1, timeout=5)

            served.__exit__(None, None, None)  # the server dies mid-stream...
            down = [sandbox.simulate_mention(f"while down {n}")["id"] for n in range(3)]
            await anyio.sleep(0.5)  # ...the bot retries against a closed port...
            assert not set(down) & set(answered(sandbox))
            served = sandbox.serve(port=port)  # ...and it comes back, state intact
            served.__enter__()

            assert await until(lambda: set(down) <= set(answered(sandbox)), timeout=5)
            live = sandbox.simulate_mention("after the restart")
            assert await until(lambda: answered(sandbox)[live["id"]] == 1, timeout=5)
            await anyio.sleep(0.3)  # room for a duplicate answer to show up
            group.cancel_scope.cancel()
    finally:
        served.__exit__(None, None, None)
        await bot.client.aclose()  # type: ignore[union-attr]
    counts = answered(sandbox)
    assert {k: counts[k] for k in [first["id"], *down, live["id"]]} == dict.fromkeys(
        [first["id"], *down, live["id"]], 1
    )
    assert sum(counts.values()) == 5
    streams = [r for r in sandbox.requests if r.path.startswith("/api/v1/streaming")]
    assert len(streams) >= 2  # it reconnected


async def test_a_streamed_mention_and_a_later_poll_make_one_inbox_item(tmp_path: Path) -> None:
    sandbox = Sandbox(seed=False)
    client = sandbox.async_client(retry=FAST)
    inbox = Inbox([client], InboxStore(tmp_path / "inbox.db"), comments=False, backfill=100)
    await inbox.arefresh()
    status = sandbox.simulate_mention("hello from the stream")
    events = client.watch(checkpoint="0", policy=QUICK)
    event = await anext(events)
    await events.aclose()
    new = await inbox.aingest(event)
    assert [item.key for item in new] == [f"mastodon:{status['id']}"]
    assert inbox.watch_checkpoint(client) == event.checkpoint

    synced = await inbox.arefresh()  # the poll sees the same mention again
    assert synced.new == []
    assert synced.duplicates == 1
    assert len(inbox.items()) == 1
    assert await inbox.aingest(event) == []  # and so does a replayed event
    assert len(inbox.items()) == 1


async def test_a_streaming_bot_outlasts_a_failing_first_round() -> None:
    sandbox = Sandbox(seed=False)
    sandbox.fail_next(503, times=3, path="/api/v1/accounts/verify_credentials")
    clock = FakeClock()
    bot = Bot(sandbox.async_client(retry=FAST, clock=clock))

    @bot.on_mention()
    def thanks(item: InboxItem) -> str:
        return "Thanks!"

    async with anyio.create_task_group() as group:
        group.start_soon(lambda: bot.arun(stream=True, policy=QUICK))
        assert await until(lambda: sandbox.open_streams == 1, timeout=5)
        status = sandbox.simulate_mention("still there?")
        assert await until(lambda: answered(sandbox)[status["id"]] == 1, timeout=5)
        group.cancel_scope.cancel()
    assert clock.monotonic() >= 0.5  # it waited (on its clock) before the second round
