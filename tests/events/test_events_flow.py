"""The watch flow, fed by hand: no network, no clock, no driver."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from socialkit.errors import AuthError, ConfigError, NotFound, TransportError
from socialkit.events.stream import Close, Emit, Now, Open, Receive, StreamSpec
from socialkit.events.types import Event, MentionEvent
from socialkit.events.watch import Backoff, Seen, WatchPolicy, watch_flow
from socialkit.models import Mention, ResultPage
from socialkit.platform import Call, Flow, PageFlow, Platform, Sleep

TIMEOUT = object()  # a Receive that outlasts the heartbeat allowance


def mention(n: int) -> MentionEvent:
    note = str(n)
    record = Mention(platform="fake", id=note, kind="mention", post_id=f"s{n}")
    return MentionEvent(platform="fake", key=note, checkpoint=note, mention=record)


class LineDecoder:
    """One event per ``"<n>\\n"`` line; anything else is a heartbeat."""

    def feed(self, chunk: bytes) -> Iterable[Event]:
        return [mention(int(x)) for x in chunk.decode().split() if x.isdigit()]


class Fake(Platform):
    name = "fake"

    def __init__(self, history: list[int], streams: bool = True) -> None:
        super().__init__()
        self.history = history  # what the REST backfill knows
        self.streams = streams
        self.backfills: list[str | None] = []

    def stream(self, kinds: frozenset[str]) -> Flow[StreamSpec | None]:
        if not self.streams:
            return None
        return StreamSpec(Call("GET", "https://fake.test/stream"), LineDecoder, heartbeat=1.0)
        yield

    def backfill(
        self,
        kinds: frozenset[str],
        checkpoint: str | None,
        cursor: str | None,
        limit: int | None = None,
    ) -> PageFlow[Event]:
        self.backfills.append(checkpoint)
        since = int(checkpoint) if checkpoint else 0
        newer = sorted((n for n in self.history if n > since), reverse=True)
        return ResultPage(items=[mention(n) for n in newer[:limit]], next_cursor=None)
        yield


class Net:
    """Answers the flow's steps from a script of stream chunks (or failures)."""

    def __init__(self, chunks: list[Any], opens: list[Exception | None] | None = None) -> None:
        self.chunks = chunks
        self.opens = opens or []
        self.now = 0.0
        self.log: list[Any] = []
        self.events: list[Event] = []

    def run(self, flow: Any, until: Callable[[Net], bool], steps: int = 500) -> None:
        send: Any = None
        error: Exception | None = None
        for _ in range(steps):
            step = flow.throw(error) if error else flow.send(send)
            send, error = None, None
            self.log.append(step)
            if isinstance(step, Emit):
                self.events.append(step.event)
                if until(self):
                    flow.close()
                    return
            elif isinstance(step, Sleep):
                self.now += step.seconds
            elif isinstance(step, Now):
                send = self.now
            elif isinstance(step, Open):
                error = self.opens.pop(0) if self.opens else None
            elif isinstance(step, Receive):
                chunk = self.chunks.pop(0) if self.chunks else TIMEOUT
                if isinstance(chunk, float):
                    self.now += chunk
                    chunk = b":thump\n"
                if chunk is TIMEOUT:
                    error = TransportError("no data for 3 s", platform="fake")
                else:
                    send = chunk
            if until(self):
                flow.close()
                return
        raise AssertionError("the flow did not get there")

    def keys(self) -> list[str]:
        return [e.key for e in self.events]

    def of(self, kind: type) -> list[Any]:
        return [s for s in self.log if isinstance(s, kind)]


def test_backfills_from_the_checkpoint_then_streams_in_order() -> None:
    fake = Fake(history=[1, 2, 3, 4])
    net = Net([b"5\n", b"6\n"])
    net.run(watch_flow(fake, checkpoint="2"), until=lambda n: len(n.events) == 4)
    assert net.keys() == ["3", "4", "5", "6"]
    assert [e.checkpoint for e in net.events] == ["3", "4", "5", "6"]
    assert len(net.of(Receive)) == 2  # 3 and 4 came before the stream was read
    assert fake.backfills == ["2"]


def test_an_object_seen_by_the_stream_and_the_backfill_is_emitted_once() -> None:
    fake = Fake(history=[1, 2, 3])
    net = Net([b"3\n2\n4\n", b"4\n"])  # the stream repeats what the backfill gave, and itself
    net.run(watch_flow(fake, checkpoint="1"), until=lambda n: len(n.of(Receive)) == 3)
    assert net.keys() == ["2", "3", "4"]


def test_a_heartbeat_timeout_reconnects_and_backfills_from_the_last_checkpoint() -> None:
    fake = Fake(history=[1])
    net = Net([b"2\n", TIMEOUT])
    fake_history_after_drop = [1, 2, 3]

    def until(n: Net) -> bool:
        if len(n.of(Open)) == 1 and n.of(Close):
            fake.history = fake_history_after_drop  # 3 arrived while the stream was dead
        return len(n.events) == 2

    net.run(watch_flow(fake, checkpoint="1"), until)
    assert net.keys() == ["2", "3"]
    assert len(net.of(Open)) == 2
    assert net.of(Open)[0].read_timeout == 3.0  # three heartbeats by default
    assert fake.backfills == ["1", "2"]


def test_reconnect_delays_grow_jittered_and_reset_after_a_healthy_period() -> None:
    policy = WatchPolicy(backoff_initial=1.0, backoff_max=8.0, healthy_after=30.0)
    fake = Fake(history=[])
    failures: list[Exception | None] = [TransportError("refused", platform="fake")] * 5
    # five failed opens, then a connection up 31 s (heartbeats), which drops
    net = Net([*[10.0] * 4, TIMEOUT], opens=[*failures, None])
    flow = watch_flow(fake, checkpoint="0", policy=policy, rng=random.Random(7))
    net.run(flow, until=lambda n: len(n.of(Open)) == 7)
    sleeps = [s.seconds for s in net.of(Sleep)]
    ceilings = [1.0, 2.0, 4.0, 8.0, 8.0]
    assert all(c / 2 <= s <= c for s, c in zip(sleeps[:5], ceilings, strict=True))
    assert len(set(sleeps[:5])) == 5  # jittered
    assert 0.5 <= sleeps[5] <= 1.0  # healthy for 31 s: back to the first delay


def test_while_the_stream_keeps_failing_the_backfill_is_polled() -> None:
    fake = Fake(history=[1, 2])
    refused = [TransportError("ConnectError", platform="fake")] * 10
    net = Net([], opens=refused)
    net.run(watch_flow(fake, checkpoint="1"), until=lambda n: len(n.events) == 1)
    assert net.keys() == ["2"]
    assert len(net.of(Open)) == 3  # found on the third failure's wait, not later
    assert fake.backfills == ["1"]


def test_a_platform_without_a_stream_is_polled() -> None:
    fake = Fake(history=[1], streams=False)
    policy = WatchPolicy(poll_interval=60.0)

    def until(n: Net) -> bool:
        if len(n.of(Sleep)) == 1:
            fake.history = [1, 2]
        return len(n.events) == 1

    net = Net([])
    net.run(watch_flow(fake, checkpoint="1", policy=policy), until)
    assert net.keys() == ["2"]
    assert [s.seconds for s in net.of(Sleep)] == [60.0]
    assert not net.of(Open)


def test_a_server_answering_404_to_the_stream_is_polled_instead() -> None:
    fake = Fake(history=[1, 2])
    net = Net([], opens=[NotFound("no streaming here", platform="fake")])
    net.run(watch_flow(fake, checkpoint="1"), until=lambda n: len(n.events) == 1)
    assert net.keys() == ["2"]
    assert len(net.of(Open)) == 1  # tried once, then polled


def test_without_a_checkpoint_it_starts_from_now() -> None:
    fake = Fake(history=[1, 2, 3])
    net = Net([b"3\n4\n"])
    net.run(watch_flow(fake), until=lambda n: len(n.events) == 1)
    assert net.keys() == ["4"]  # 3 was there before: the start, not emitted
    assert fake.backfills == [None, "3"]


def test_an_error_retrying_cannot_fix_ends_the_watch() -> None:
    fake = Fake(history=[])
    net = Net([], opens=[AuthError("The access token is invalid", platform="fake")])
    with pytest.raises(AuthError):
        net.run(watch_flow(fake, checkpoint="0"), until=lambda n: False)


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown event kinds"):
        watch_flow(Fake(history=[]), kinds={"mentions"})


def test_seen_keeps_a_bounded_number_of_keys() -> None:
    seen = Seen(3)
    assert [seen.add(k) for k in "abca"] == [True, True, True, False]
    seen.add("d")
    seen.add("e")
    assert len(seen) == 3
    assert seen.add("b") is True  # forgotten: the oldest go first


def test_backoff_never_exceeds_its_maximum() -> None:
    backoff = Backoff(0.5, 4.0, random.Random(1))
    delays = [backoff.next() for _ in range(50)]
    assert max(delays) <= 4.0
    backoff.reset()
    assert backoff.next() <= 0.5


class Paged(Fake):
    """A backfill of one event per page, ``next_cursor`` pointing further back."""

    def backfill(
        self,
        kinds: frozenset[str],
        checkpoint: str | None,
        cursor: str | None,
        limit: int | None = None,
    ) -> PageFlow[Event]:
        self.backfills.append(cursor)
        since = int(checkpoint) if checkpoint else 0
        newer = sorted((n for n in self.history if n > since), reverse=True)
        at = int(cursor) if cursor else 0
        more = at + 1 < len(newer)
        return ResultPage(items=[mention(newer[at])], next_cursor=str(at + 1) if more else None)
        yield


def test_a_backfill_walks_pages_up_to_its_limit_and_emits_oldest_first() -> None:
    fake = Paged(history=[1, 2, 3, 4, 5])
    net = Net([])
    policy = WatchPolicy(backfill_limit=3)
    net.run(watch_flow(fake, checkpoint="0", policy=policy), until=lambda n: len(n.events) == 3)
    assert net.keys() == ["3", "4", "5"]  # the newest three: beyond the limit, older are skipped
    assert fake.backfills == [None, "1", "2"]
