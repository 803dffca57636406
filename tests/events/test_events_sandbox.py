"""`watch()` against the sandbox's streaming API, in process and over a loopback socket."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import anyio
import pytest

from socialkit.client import AsyncClient, Client
from socialkit.events import MentionEvent, PostEvent, WatchPolicy
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

FAST = RetryPolicy(attempts=2, backoff=0.001, max_backoff=0.002)


def stream_opens(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.path.startswith("/api/v1/streaming/"))


async def until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await anyio.sleep(0.005)
    return condition()


def served_client(url: str) -> AsyncClient:
    return AsyncClient(Mastodon(instance=url, access_token="brand"), retry=FAST)


@pytest.mark.anyio
async def test_a_silent_stream_is_dropped_after_the_heartbeat_timeout_and_reconnected() -> None:
    sandbox = Sandbox(seed=False, stream_heartbeat=0.05)
    policy = WatchPolicy(heartbeat_timeout=0.4, backoff_initial=0.01, backoff_max=0.02)
    got: list[MentionEvent] = []
    with sandbox.serve() as url:
        async with served_client(url) as client, anyio.create_task_group() as group:

            async def consume() -> None:
                async for event in client.watch(policy=policy):
                    assert isinstance(event, MentionEvent)
                    got.append(event)

            group.start_soon(consume)
            assert await until(lambda: sandbox.open_streams == 1, timeout=5)
            await anyio.sleep(0.8)  # heartbeats every 50 ms keep the connection
            assert stream_opens(sandbox) == 1
            sandbox.stall_streams()  # a dead proxy: not a byte more, not even heartbeats
            stalled = time.monotonic()
            status = sandbox.simulate_mention("lost on the dead connection")
            assert await until(lambda: len(got) == 1, timeout=5)
            waited = time.monotonic() - stalled
            group.cancel_scope.cancel()
    assert got[0].mention.post_id == status["id"]  # found by the backfill after reconnecting
    assert stream_opens(sandbox) == 2
    assert 0.35 <= waited < 2.0


def test_the_sync_iterator_streams_in_process() -> None:
    sandbox = Sandbox(seed=False)
    client = sandbox.client(retry=FAST)

    def post_when_listening() -> None:
        deadline = time.monotonic() + 5
        while sandbox.open_streams == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        sandbox.simulate_mention("hello, sync world", author="bob")

    poster = threading.Thread(target=post_when_listening)
    poster.start()
    events = client.watch()
    event = next(events)
    events.close()
    poster.join()
    assert isinstance(event, MentionEvent)
    assert event.mention.author is not None
    assert event.mention.author.handle == "bob"
    assert sandbox.open_streams == 0  # closing the iterator closed the stream


@pytest.mark.anyio
async def test_post_events_follow_the_timeline_in_process() -> None:
    sandbox = Sandbox(seed=False)
    client = sandbox.async_client(retry=FAST)
    author = sandbox.async_client("brand", retry=FAST)
    seen: list[PostEvent] = []
    async with anyio.create_task_group() as group:

        async def consume() -> None:
            async for event in client.watch(kinds={"post"}):
                assert isinstance(event, PostEvent)
                seen.append(event)

        group.start_soon(consume)
        assert await until(lambda: sandbox.open_streams == 1, timeout=5)
        post = await author.publish("Opening hours: 10-18")
        await author.edit_post(post.id, "Opening hours: 9-18")
        await author.delete_post(post.id)
        assert await until(lambda: len(seen) == 3, timeout=5)
        group.cancel_scope.cancel()
    assert [(e.status, e.post_id) for e in seen] == [
        ("created", post.id),
        ("edited", post.id),
        ("deleted", post.id),
    ]
    assert seen[1].post is not None
    assert seen[1].post.text == "Opening hours: 9-18"


@pytest.mark.anyio
async def test_a_server_that_fails_the_stream_is_retried() -> None:
    sandbox = Sandbox(seed=False)
    sandbox.fail_next(503, times=2, path="/api/v1/streaming/*")
    client = sandbox.async_client(retry=FAST)
    policy = WatchPolicy(backoff_initial=0.01, backoff_max=0.02)
    async with anyio.create_task_group() as group:

        async def post() -> None:
            await until(lambda: sandbox.open_streams == 1, timeout=5)
            sandbox.simulate_mention("third time lucky")

        group.start_soon(post)
        events = client.watch(policy=policy)
        event = await anext(events)
        await events.aclose()
    assert isinstance(event, MentionEvent)
    assert stream_opens(sandbox) == 3


@pytest.mark.anyio
async def test_a_mention_both_streamed_and_backfilled_is_yielded_once() -> None:
    sandbox = Sandbox(seed=False, latency=0.2)  # a window between the stream and the backfill
    client = sandbox.async_client(retry=FAST)
    keys: list[str] = []
    async with anyio.create_task_group() as group:

        async def consume() -> None:
            async for event in client.watch(checkpoint="0"):
                keys.append(event.key)

        group.start_soon(consume)
        assert await until(lambda: sandbox.open_streams == 1, timeout=5)
        sandbox.simulate_mention("in both")  # queued on the stream, and in the backfill
        assert await until(lambda: len(keys) == 1, timeout=5)
        sandbox.simulate_mention("stream only")
        assert await until(lambda: len(keys) == 2, timeout=5)
        await anyio.sleep(0.3)
        group.cancel_scope.cancel()
    assert len(keys) == len(set(keys)) == 2
    backfills = [r for r in sandbox.requests if r.path == "/api/v1/notifications"]
    assert len(backfills) == 1


def test_the_sync_iterator_reconnects_a_silent_stream_over_a_socket() -> None:
    sandbox = Sandbox(seed=False, stream_heartbeat=0.05)
    policy = WatchPolicy(heartbeat_timeout=0.3, backoff_initial=0.01, backoff_max=0.02)
    with sandbox.serve() as url:
        client = Client(Mastodon(instance=url, access_token="brand"), retry=FAST)

        def stall_then_post() -> None:
            deadline = time.monotonic() + 5
            while sandbox.open_streams == 0 and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(0.2)  # past the backfill: the stream is being read
            sandbox.stall_streams()
            sandbox.simulate_mention("posted while the stream was silent")

        helper = threading.Thread(target=stall_then_post)
        helper.start()
        events = client.watch(policy=policy)
        event = next(events)  # the httpx read timeout fired; the reconnect's backfill has it
        events.close()
        helper.join()
        client.close()
    assert isinstance(event, MentionEvent)
    assert stream_opens(sandbox) == 2
