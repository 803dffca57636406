"""`watch()` as a flow: stream, reconnect, backfill, de-duplicate — with no I/O.

The drivers (`Client.watch`, `AsyncClient.watch`) run `watch_flow`; it yields
`Call` and `Sleep` like any flow, plus the stream steps of
`socialkit.events.stream`. On every (re)connect it opens the stream first, then
backfills by REST from the last checkpoint (so nothing falls between the two),
then reads the stream; every event goes through one bounded `Seen` set, so an
object seen by both is emitted once. No byte for ``heartbeat_timeout`` seconds, a
closed stream, a network error, a 5xx or a rate limit: it closes, waits a jittered,
growing delay (reset once a connection has stayed healthy for ``healthy_after``
seconds) and reconnects; from the third failure in a row each wait also polls the
backfill, so events keep coming while only the stream is down. A platform without
a stream (or whose server answers 404 to it) is polled: the backfill every
``poll_interval`` seconds.

Layer: this module sits with the drivers' core (it imports the platform interface,
errors and event records only), so the drivers can import it.
"""

from __future__ import annotations

import logging
import random
from collections import OrderedDict
from collections.abc import Collection, Generator
from typing import Any, TypeAlias

import attrs

from ..errors import (
    ConfigError,
    NotFound,
    ParseError,
    PlatformError,
    RateLimited,
    SocialkitError,
    TransportError,
    Unsupported,
)
from ..platform import Call, Platform, Sleep
from .stream import Close, Emit, Now, Open, Receive, StreamSpec
from .types import Event, PostEvent

__all__ = [
    "WATCH_KINDS",
    "Backoff",
    "Seen",
    "WatchFlow",
    "WatchPolicy",
    "WatchStep",
    "identity",
    "watch_flow",
]

logger = logging.getLogger("socialkit.events")

WATCH_KINDS = ("mention", "reaction", "post", "keyword")
"""What `watch(kinds=...)` selects: mentions (replies, quotes), reactions to the
account's posts, the account's timeline (posts created, edited, deleted), and posts
matching the platform's stream rules (``"keyword"``: X's filtered stream, on its own)."""

WatchStep: TypeAlias = Call | Sleep | Open | Receive | Close | Now | Emit
"""What the watch flow yields to its driver."""
WatchFlow: TypeAlias = Generator[WatchStep, Any, None]
"""The watch flow: runs until the consumer stops asking for events."""


@attrs.frozen
class WatchPolicy:
    """How `watch()` keeps a stream alive.

    Attributes:
        heartbeat_timeout: Seconds without a byte before reconnecting (``None``: three
            of the platform's heartbeat intervals).
        backoff_initial: The first reconnect delay (seconds), doubled per failure...
        backoff_max: ...up to this; each delay is jittered between half and all of it.
        healthy_after: A connection up this long resets the delay to ``backoff_initial``.
        poll_interval: Seconds between backfills where the platform has no stream.
        backfill_limit: The most events one backfill reads (older ones are skipped, logged).
        remember: How many event keys are kept for de-duplication (oldest forgotten first).
    """

    heartbeat_timeout: float | None = None
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    healthy_after: float = 30.0
    poll_interval: float = 60.0
    backfill_limit: int = 200
    remember: int = 10_000


class Backoff:
    """Reconnect delays: doubling from ``initial`` up to ``maximum``, each jittered
    uniformly between half and all of it, back to ``initial`` after `reset`."""

    def __init__(self, initial: float, maximum: float, rng: random.Random | None = None) -> None:
        self.initial = initial
        self.maximum = maximum
        self.failures = 0
        self._rng = rng or random.Random()

    def next(self) -> float:
        """The delay before the next attempt."""
        ceiling = min(self.maximum, self.initial * 2.0 ** min(self.failures, 30))
        self.failures += 1
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        """Start again from ``initial`` (after a healthy period)."""
        self.failures = 0


class Seen:
    """The keys of the last ``size`` events: memory stays bounded however long it runs."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._keys: OrderedDict[str, None] = OrderedDict()

    def add(self, key: str) -> bool:
        """Remember ``key``; ``False`` when it was already there (a duplicate)."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return False
        self._keys[key] = None
        if len(self._keys) > self.size:
            self._keys.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._keys)


_RETRIED = (TransportError, RateLimited, ParseError)
POLL_AFTER = 3
"""After this many failed connections in a row, each wait also polls the backfill."""


def _retried(error: SocialkitError) -> bool:
    if isinstance(error, _RETRIED):
        return True
    return isinstance(error, PlatformError) and (error.status is None or error.status >= 500)


class _Watch:
    def __init__(
        self,
        platform: Platform,
        kinds: Collection[str],
        checkpoint: str | None,
        policy: WatchPolicy,
        rng: random.Random | None,
    ) -> None:
        self.platform = platform
        self.kinds = frozenset(kinds)
        self.checkpoint = checkpoint
        self.policy = policy
        self.seen = Seen(policy.remember)
        self.backoff = Backoff(policy.backoff_initial, policy.backoff_max, rng)

    def run(self) -> WatchFlow:
        if self.checkpoint is None:
            yield from self._retrying(self._anchor)
        streaming = True
        while True:
            if streaming:
                try:
                    streaming = yield from self._session()
                except SocialkitError as error:
                    yield Close()
                    yield from self._wait(error)
                    if self.backoff.failures >= POLL_AFTER:
                        yield from self._meanwhile()
                continue
            try:
                yield from self._backfill()
            except SocialkitError as error:
                yield from self._wait(error)
                continue
            self.backoff.reset()
            yield Sleep(self.policy.poll_interval)

    def _retrying(self, flow: Any) -> Generator[WatchStep, Any, None]:
        while True:
            try:
                yield from flow()
                return
            except SocialkitError as error:
                yield from self._wait(error)

    def _wait(self, error: SocialkitError) -> Generator[WatchStep, Any, None]:
        if not _retried(error):
            raise error
        delay = self.backoff.next()
        if isinstance(error, RateLimited) and error.retry_after:
            delay = max(delay, error.retry_after)
        logger.warning("watch %s: %s; reconnecting in %.2f s", self.platform.name, error, delay)
        yield Sleep(delay)

    def _meanwhile(self) -> Generator[WatchStep, Any, None]:
        """While the stream keeps failing, the REST API may still answer: poll it."""
        try:
            yield from self._backfill()
        except SocialkitError as error:
            if not _retried(error):
                raise
            logger.info("watch %s: the backfill failed too (%s)", self.platform.name, error)

    def _anchor(self) -> Generator[WatchStep, Any, None]:
        """With no checkpoint, start from now: the newest event's checkpoint, not emitted."""
        page = yield from self.platform.backfill(self.kinds, None, None, 1)
        for event in page.items[:1]:
            self.checkpoint = event.checkpoint
            self.seen.add(identity(event))

    def _session(self) -> Generator[WatchStep, Any, bool]:
        """One connection: open, backfill, read until it fails. ``False``: no stream here."""
        spec: StreamSpec | None = yield from self.platform.stream(self.kinds)
        if spec is None:
            logger.info("watch %s: no stream; polling", self.platform.name)
            return False
        timeout = self.policy.heartbeat_timeout or 3 * spec.heartbeat
        try:
            yield Open(spec.call, timeout)
        except NotFound:
            logger.warning("watch %s: the server has no stream; polling", self.platform.name)
            return False
        opened: float = yield Now()
        yield from self._backfill()
        decoder = spec.decoder()
        while True:
            chunk: bytes = yield Receive()
            if not chunk:
                raise TransportError("the stream was closed", platform=self.platform.name)
            if self.backoff.failures and (yield Now()) - opened >= self.policy.healthy_after:
                self.backoff.reset()
            for event in decoder.feed(chunk):
                yield from self._emit(event)

    def _backfill(self) -> Generator[WatchStep, Any, None]:
        found: list[Event] = []
        cursor: str | None = None
        limit = self.policy.backfill_limit
        while True:
            page = yield from self.platform.backfill(
                self.kinds, self.checkpoint, cursor, limit - len(found)
            )
            found.extend(page.items)
            if page.next_cursor is None or page.next_cursor == cursor:
                break
            if len(found) >= limit:
                logger.warning(
                    "watch %s: more than %d events to backfill; the oldest are skipped",
                    self.platform.name,
                    limit,
                )
                break
            cursor = page.next_cursor
        for event in reversed(found[:limit]):  # pages are newest first
            yield from self._emit(event)

    def _emit(self, event: Event) -> Generator[WatchStep, Any, None]:
        if not self.seen.add(identity(event)):
            return
        if event.checkpoint is not None:
            self.checkpoint = event.checkpoint
        yield Emit(event.model_copy(update={"checkpoint": self.checkpoint}))


def identity(event: Event) -> str:
    """What makes two events the same hint: platform, kind and key, and for a post
    also what happened to it (and when an edit was made: each edit is news)."""
    found = f"{event.platform}:{event.kind}:{event.key}"
    if isinstance(event, PostEvent):
        edited = (event.raw or {}).get("edited_at") if event.status == "edited" else None
        found += f":{event.status}" + (f"@{edited}" if edited else "")
    return found


def watch_flow(
    platform: Platform,
    kinds: Collection[str] = ("mention",),
    checkpoint: str | None = None,
    policy: WatchPolicy | None = None,
    *,
    rng: random.Random | None = None,
) -> WatchFlow:
    """The flow behind `watch()`: events of ``kinds`` from ``checkpoint`` on, forever.

    ``checkpoint=None`` starts from now (nothing older is emitted).
    """
    chosen = {kinds} if isinstance(kinds, str) else set(kinds)
    unknown = sorted(chosen - set(WATCH_KINDS))
    if unknown or not chosen:
        raise ConfigError(
            f"unknown event kinds {unknown}; choose from {list(WATCH_KINDS)}",
            field="kinds",
            platform=platform.name,
        )
    if "keyword" in chosen and not platform.keyword_stream:
        raise Unsupported(
            f"{platform.name} has no stream of posts matching rules: watch(kinds={{'keyword'}}) "
            "is X's filtered stream; use the monitor's queries here",
            platform=platform.name,
        )
    return _Watch(platform, chosen, checkpoint, policy or WatchPolicy(), rng).run()
