"""The monitor consumes events: a burst alerts while it happens, not at the next poll."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import anyio
import pytest

from socialkit.events import MentionEvent, PostEvent
from socialkit.events.watch import WatchPolicy
from socialkit.models import Account, Mention, Post
from socialkit.monitoring import Alert, Monitor, Query, SpikeDetector
from socialkit.testing import Sandbox

START = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def small_detector() -> SpikeDetector:
    return SpikeDetector(window=12, warmup=6)


def mention(n: int, text: str = "where is my order?") -> MentionEvent:
    author = Account(platform="mastodon", id=f"a{n}", handle=f"fan{n}")
    record = Mention(platform="mastodon", id=str(n), kind="mention", author=author,
                     text=text, post_id=str(n))
    return MentionEvent(platform="mastodon", key=str(n), mention=record)


def calm(monitor: Monitor, minutes: int = 8) -> int:
    """One mention a minute for ``minutes`` one-minute buckets; the next serial."""
    for n in range(minutes):
        assert monitor.ingest(mention(n, f"hello number {n}"), now=START + n * MINUTE) == []
    return minutes


def test_a_burst_of_mention_events_alerts_at_the_event_that_makes_it() -> None:
    monitor = Monitor([], [Query.mentions()], detector=small_detector, bucket=MINUTE)
    serial = calm(monitor)
    burst_at = START + serial * MINUTE
    raised: list[tuple[int, Alert]] = []
    for n in range(30):
        at = burst_at + timedelta(seconds=n)
        for alert in monitor.ingest(mention(serial + n, "refund now, this is a scam"), now=at):
            raised.append((n, alert))
    assert len(raised) == 1  # once per episode, however long the burst goes on
    index, alert = raised[0]
    assert index < 15  # seconds into the burst: the minute was still filling
    assert alert.query == "mentions"
    # the bucket closing does not alert again: the episode is already open
    assert monitor.ingest(mention(999, "still angry"), now=burst_at + MINUTE) == []


def test_the_same_event_twice_counts_once() -> None:
    monitor = Monitor([], [Query.mentions()], bucket=MINUTE)
    monitor.ingest(mention(1), now=START)
    monitor.ingest(mention(1), now=START)
    assert monitor.summary()["mentions"]["hits"] == 1


def test_posts_count_for_the_keyword_queries_their_text_matches() -> None:
    monitor = Monitor([], ["refund", Query.mentions()], bucket=MINUTE)
    post = Post(platform="mastodon", id="p1", text="I want a refund", created_at=START)
    monitor.ingest(PostEvent(platform="mastodon", key="p1", status="created", post=post),
                   now=START)
    monitor.ingest(mention(2, "nothing to see"), now=START)
    summary = monitor.summary()
    assert (summary["refund"]["hits"], summary["mentions"]["hits"]) == (1, 1)


def test_quiet_buckets_count_as_zero_observations() -> None:
    monitor = Monitor([], [Query.mentions()], detector=small_detector, bucket=MINUTE)
    monitor.ingest(mention(1), now=START)
    monitor.ingest(mention(2), now=START + 10 * MINUTE)
    # the bucket of the first event and nine empty ones reached the detector
    assert monitor.detector("mentions").peek(0) == []
    assert len(monitor.detector("mentions")._volumes) == 10


@pytest.mark.anyio
async def test_awatch_alerts_within_seconds_of_a_burst_on_the_sandbox() -> None:
    sandbox = Sandbox(seed=False)
    clock = {"now": START}
    monitor = Monitor([], [Query.mentions()], detector=small_detector, bucket=MINUTE,
                      clock=lambda: clock["now"])
    serial = calm(monitor)  # a calm history
    clock["now"] = START + serial * MINUTE
    alerts: list[Alert] = []
    policy = WatchPolicy(backoff_initial=0.05, backoff_max=0.2, heartbeat_timeout=2.0)
    async with sandbox.async_client() as client, anyio.create_task_group() as group:
        group.start_soon(lambda: monitor.awatch(client, policy=policy))
        deadline = time.monotonic() + 5
        while sandbox.open_streams == 0 and time.monotonic() < deadline:
            await anyio.sleep(0.01)
        started = time.monotonic()
        for n in range(20):
            sandbox.simulate_mention(f"this is a scam, refund me ({n})", author=f"angry{n}")

        async def alerted() -> None:
            monitor.on_alert(alerts.append)
            while not alerts:
                await anyio.sleep(0.01)

        with anyio.fail_after(5):
            await alerted()
        elapsed = time.monotonic() - started
        group.cancel_scope.cancel()
    assert elapsed < 2.0
    assert alerts[0].query == "mentions"
