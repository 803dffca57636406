"""`Bot`: answer mentions and comments with handlers, on the inbox's pieces.

```python
bot = Bot(sk.connect("mastodon", ...), InboxStore("bot.db"))

@bot.on_mention(contains=["opening hours", "open today"])
def hours(item: InboxItem) -> str:
    return "We're open 10:00-18:00, Monday to Saturday."

@bot.on_keyword("refund*")
def refunds(item: InboxItem) -> None:
    return None                     # no answer: left triaged for a human

bot.run(poll=60)                    # or: await bot.arun(poll=60) with an AsyncClient
await bot.arun(stream=True)         # answers within a second, from client.watch()
```

A handler gets the `InboxItem` and returns the reply (text or a `Draft`) or
``None`` to pass; the first handler (in registration order) that answers
wins. Every answer goes through the inbox's ledger (draft → approved by
``"bot"`` → sent exactly once), so a bot never answers an item twice, also
across restarts and crashes; it never answers its own posts nor the replies it
sent. On a rate limit it backs off until the limit resets.

A new bot, like a new `Inbox`, starts from now: it does not answer what was
already there when it first ran, unless ``backfill=N`` (the latest N mentions and
the comments already under the recent posts).

``rules=`` takes the same `RuleSet` as `Inbox`: the rules triage each new item
first (labels, priority, assignee; escalate, ignore and auto-reply settle it), and
the handlers answer what the rules left open.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import re
import threading
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal

import anyio
import attrs

from .._db import off_loop
from .._records import Record
from ..client import AsyncClient, Client
from ..clock import Clock, SystemClock
from ..errors import RateLimited, SocialkitError
from ..events.types import MentionEvent
from ..events.watch import Backoff, WatchPolicy
from ..models import Draft
from ..monitoring.queries import keyword_pattern
from .inbox import Inbox, RefreshReport, SendReport
from .items import InboxItem, Stage, detect_language
from .rules import RuleSet
from .store import InboxStore

__all__ = ["Bot", "BotReport", "Handler"]

logger = logging.getLogger("socialkit.replies")

Handler = Callable[[InboxItem], "str | Draft | Awaitable[str | Draft | None] | None"]
"""A bot handler: takes an inbox item, returns the answer (text or draft) or None to stay
silent; under `Bot.arun` it may be an ``async def``."""
Stop = threading.Event | anyio.Event | Callable[[], bool] | None
_STARTED = "bot.started"


@attrs.frozen
class _Route:
    handler: Handler
    source: Literal["mention", "comment", "any"]
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, item: InboxItem) -> bool:
        if self.source != "any" and self.source not in item.sources:
            return False
        return not self.patterns or any(p.search(item.text) for p in self.patterns)


@attrs.frozen
class BotReport(Record):
    """One round: what arrived, what was answered, what waits for a rate limit."""

    new: list[InboxItem]
    answered: list[InboxItem]
    passed: list[InboxItem]
    sent: SendReport | None
    rate_limited_until: datetime | None = None


def _patterns(contains: str | Iterable[str] | None) -> tuple[re.Pattern[str], ...]:
    if contains is None:
        return ()
    words = [contains] if isinstance(contains, str) else list(contains)
    return tuple(keyword_pattern(word) for word in words)


class Bot:
    """Answers an account's mentions and comments with registered handlers.

    Args:
        client: A `Client` (for `run`/`run_once`) or an `AsyncClient` (for `arun`/`arun_once`).
        store: An `InboxStore` (or a path, or a ``postgresql://`` URL): the bot's ledger,
            kept across restarts.
        rules: A `RuleSet` (as for `Inbox`), applied to every new item before the handlers.
        backfill: What the first run reads: ``0`` (the default) starts from now; ``N``
            also answers the latest N mentions and the comments already there.
        backlog: Deprecated: ``backlog=True`` is ``backfill=100``.
        lease: How long a send is claimed (a crashed bot's claim expires after it).
        clock: The current time (UTC), for tests; by default the client's clock, which
            the run loops also sleep with (``socialkit.testing.FakeClock`` runs a week of
            a bot in a second).
    """

    def __init__(
        self,
        client: Client | AsyncClient,
        store: InboxStore | str | None = None,
        *,
        rules: RuleSet | None = None,
        backfill: int = 0,
        backlog: bool = False,
        lease: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.client = client
        self._clock = clock or client.clock.now
        if backlog:
            warnings.warn(
                "Bot(backlog=True) is deprecated: use backfill=100", DeprecationWarning, 2
            )
            backfill = backfill or 100
        self.backfill = backfill
        self.rules = rules
        self._routes: list[_Route] = []
        self.inbox = Inbox(
            [client],
            store,
            comments=False,
            mentions=False,
            backfill=backfill,
            lease=lease,
            clock=self._clock,
        )
        self.inbox.owner = self.inbox.owner.replace("inbox-", "bot-")
        self.resume_at: datetime | None = None

    @property
    def store(self) -> InboxStore:
        """The bot's ledger."""
        return self.inbox.store

    def __repr__(self) -> str:
        return f"Bot({self.client!r}, handlers={len(self._routes)})"

    # -- registration ----------------------------------------------------------------------

    def _register(
        self, source: Literal["mention", "comment", "any"], contains: str | Iterable[str] | None
    ) -> Callable[[Handler], Handler]:
        patterns = _patterns(contains)

        def decorate(handler: Handler) -> Handler:
            self._routes.append(_Route(handler, source, patterns))
            if source in ("mention", "any"):
                self.inbox.read_mentions = True
            if source in ("comment", "any"):
                self.inbox.read_comments = True
            return handler

        return decorate

    def on_mention(
        self, contains: str | Iterable[str] | None = None
    ) -> Callable[[Handler], Handler]:
        """Handle mentions (and replies, quotes, messages) containing any of ``contains``."""
        return self._register("mention", contains)

    def on_comment(
        self, contains: str | Iterable[str] | None = None
    ) -> Callable[[Handler], Handler]:
        """Handle comments under the account's recent posts containing any of ``contains``."""
        return self._register("comment", contains)

    def on_keyword(self, *keywords: str) -> Callable[[Handler], Handler]:
        """Handle any mention or comment containing one of ``keywords``."""
        if not keywords:
            raise ValueError("on_keyword needs at least one keyword")
        return self._register("any", keywords)

    # -- one round -------------------------------------------------------------------------

    def run_once(self) -> BotReport:
        """Refresh, answer what is new, send: one round with the synchronous client."""
        if self._waiting():
            return BotReport([], [], [], None, self.resume_at)
        try:
            if self._first_run():
                self.inbox.catch_up()
                self._started()
        except RateLimited as limited:
            return self._limited(limited)
        refreshed = self.inbox.refresh()
        if refreshed.rate_limited is not None:
            return self._limited(refreshed.rate_limited)
        self._log(refreshed.errors)
        answered, passed = self._handle()
        sent = self.inbox.send()
        return self._report(refreshed, answered, passed, sent)

    async def arun_once(self) -> BotReport:
        """`run_once` with the asynchronous client; the store's transactions run in worker
        threads (the handlers on the event loop)."""
        if self._waiting():
            return BotReport([], [], [], None, self.resume_at)
        try:
            if await off_loop(self._first_run):
                await self.inbox.acatch_up()
                await off_loop(self._started)
        except RateLimited as limited:
            return self._limited(limited)
        refreshed = await self.inbox.arefresh()
        if refreshed.rate_limited is not None:
            return self._limited(refreshed.rate_limited)
        self._log(refreshed.errors)
        answered, passed = await self._ahandle()
        sent = await self.inbox.asend()
        return self._report(refreshed, answered, passed, sent)

    def _report(
        self,
        refreshed: RefreshReport,
        answered: list[InboxItem],
        passed: list[InboxItem],
        sent: SendReport,
    ) -> BotReport:
        self._log(sent.errors)
        if sent.rate_limited is not None:
            return self._limited(sent.rate_limited, refreshed.new, answered, passed, sent)
        return BotReport(refreshed.new, answered, passed, sent)

    def _log(self, errors: Mapping[str, SocialkitError]) -> None:
        for account, error in errors.items():
            if not isinstance(error, RateLimited):
                logger.warning("bot: %s failed: %s", account, error)

    def _first_run(self) -> bool:
        if self.store.cursor(_STARTED, "at") is not None:
            return False
        if self.backfill > 0:
            self._started()  # the inbox's first refresh reads the backfill
            return False
        return True

    def _started(self) -> None:
        self.store.set_cursor(_STARTED, "at", self._clock().isoformat())

    def _waiting(self) -> bool:
        return self.resume_at is not None and self._clock() < self.resume_at

    def _limited(
        self,
        limited: RateLimited,
        new: list[InboxItem] | None = None,
        answered: list[InboxItem] | None = None,
        passed: list[InboxItem] | None = None,
        sent: SendReport | None = None,
    ) -> BotReport:
        now = self._clock()
        if limited.reset_at is not None:
            until = limited.reset_at
        else:
            until = now + timedelta(seconds=limited.retry_after or 60.0)
        self.resume_at = max(until, now + timedelta(seconds=1))
        logger.warning("bot: rate limited; backing off until %s", self.resume_at.isoformat())
        return BotReport(new or [], answered or [], passed or [], sent, self.resume_at)

    def _handle(self) -> tuple[list[InboxItem], list[InboxItem]]:
        """Run the rules, then the handlers, over every new item in the store (a crash may
        have left some)."""
        settled, open_ = self._triage(self.inbox.items(Stage.NEW))
        return self._settle([(item, self._answer(item)) for item in open_], *settled)

    async def _ahandle(self) -> tuple[list[InboxItem], list[InboxItem]]:
        """`_handle` where handlers may be ``async def`` (the store off the event loop)."""
        settled, open_ = await off_loop(lambda: self._triage(self.inbox.items(Stage.NEW)))
        answers = [(item, await self._aanswer(item)) for item in open_]
        return await off_loop(self._settle, answers, *settled)

    def _triage(
        self, items: list[InboxItem]
    ) -> tuple[tuple[list[InboxItem], list[InboxItem]], list[InboxItem]]:
        """Apply the rules: ``((auto-replied, escalated or ignored), left for the handlers)``."""
        if self.rules is None:
            return ([], []), items
        replied: list[InboxItem] = []
        closed: list[InboxItem] = []
        open_: list[InboxItem] = []
        for item in items:
            done = self.inbox.apply_rules(item, self.rules)
            if done.stage is Stage.APPROVED:
                replied.append(done)
            elif done.stage is Stage.TRIAGED:
                open_.append(done)
            else:
                closed.append(done)
        return (replied, closed), open_

    def _settle(
        self,
        answers: list[tuple[InboxItem, str | Draft | None]],
        replied: list[InboxItem] | None = None,
        closed: list[InboxItem] | None = None,
    ) -> tuple[list[InboxItem], list[InboxItem]]:
        """Draft (approved by the bot) what the handlers answered; triage the rest."""
        answered: list[InboxItem] = list(replied or [])
        passed: list[InboxItem] = list(closed or [])
        for item, reply in answers:
            if reply is None:
                if item.stage is Stage.NEW:
                    item = self.inbox.triage(item, by="bot", note="no handler answered")
                passed.append(item)
                continue
            try:
                answered.append(self.inbox.draft_reply(item, reply, by="bot", approve_as="bot"))
            except SocialkitError as exc:
                logger.warning("bot: reply to %s refused: %s", item.key, exc)
                passed.append(
                    self.inbox.triage(item, by="bot", note=f"reply refused: {exc.message}")
                )
        return answered, passed

    def _answer(self, item: InboxItem) -> str | Draft | None:
        for route in self._routes:
            if not route.matches(item):
                continue
            try:
                reply = route.handler(item)
                if inspect.isawaitable(reply):
                    _discard(reply)
                    raise TypeError("an async def handler needs arun() or arun_once()")
            except Exception:
                logger.exception("bot: handler %r failed on %s", route.handler, item.key)
                continue
            if _answers(reply):
                return reply
        return None

    async def _aanswer(self, item: InboxItem) -> str | Draft | None:
        for route in self._routes:
            if not route.matches(item):
                continue
            try:
                reply = route.handler(item)
                if inspect.isawaitable(reply):
                    reply = await reply
            except Exception:
                logger.exception("bot: handler %r failed on %s", route.handler, item.key)
                continue
            if _answers(reply):
                return reply
        return None

    # -- loops -----------------------------------------------------------------------------

    def _pause(self, poll: float) -> float:
        if self.resume_at is None:
            return poll
        return max(poll, (self.resume_at - self._clock()).total_seconds())

    def run(self, poll: float = 60.0, stop: Stop = None) -> None:
        """Run rounds every ``poll`` seconds until ``stop`` (an event, or a callable
        returning True) says so, or forever. A round that fails (the network, the
        platform) is logged and the next one tries again; a rate limit waits for its reset."""
        while not _stopped(stop):
            try:
                self.run_once()
            except SocialkitError as exc:  # a network blip must not end the bot
                logger.warning("bot: round failed (%s); trying again in %g s", exc, poll)
            clock = self.client.clock
            deadline = clock.monotonic() + self._pause(poll)
            while not _stopped(stop) and clock.monotonic() < deadline:
                clock.sleep(_step(clock, deadline))

    async def arun(
        self,
        poll: float = 60.0,
        stop: Stop = None,
        *,
        stream: bool = False,
        policy: WatchPolicy | None = None,
    ) -> None:
        """`run` with the asynchronous client.

        With ``stream=True`` the bot answers mentions as they happen, from
        [`AsyncClient.watch`][socialkit.client.AsyncClient.watch] (``policy`` tunes its
        reconnects): one polling round first (a crash's leftovers, the starting
        cursor), then every mention event is upserted into the ledger with its
        checkpoint in one transaction, answered and sent. After a restart or a
        reconnect the stream backfills from the stored checkpoint, and a mention seen
        twice is one ledger item, answered once. Comments are not streamed: use
        polling for `on_comment` handlers. ``poll`` is unused in this mode.
        """
        if stream:
            await self._arun_stream(stop, policy)
            return
        while not _stopped(stop):
            try:
                await self.arun_once()
            except SocialkitError as exc:
                logger.warning("bot: round failed (%s); trying again in %g s", exc, poll)
            clock = self.client.clock
            deadline = clock.monotonic() + self._pause(poll)
            while not _stopped(stop) and clock.monotonic() < deadline:
                await clock.asleep(_step(clock, deadline))


    async def _arun_stream(self, stop: Stop, policy: WatchPolicy | None) -> None:
        client = self.client
        if not isinstance(client, AsyncClient):
            raise TypeError("arun(stream=True) needs an AsyncClient")
        backoff = Backoff(1.0, 60.0)
        while True:  # the first round must pass: it finds the leftovers and the cursor
            try:
                await self.arun_once()
                break
            except SocialkitError as exc:
                delay = backoff.next()
                logger.warning("bot: first round failed (%s); again in %.1f s", exc, delay)
                await client.clock.asleep(delay)
            if _stopped(stop):
                return
        # Every mention's language is detected; lingua loads its models on the first
        # text (~3 s), which would hold the first streamed answer back: load them now,
        # off the event loop.
        await anyio.to_thread.run_sync(detect_language, "are you open today?")
        checkpoint = await off_loop(self.inbox.watch_checkpoint, client)
        events = client.watch({"mention"}, checkpoint, policy=policy)
        async with contextlib.aclosing(events), anyio.create_task_group() as group:
            if stop is not None:
                group.start_soon(self._watch_stop, stop, group.cancel_scope)
            async for event in events:
                if isinstance(event, MentionEvent):
                    await self._on_event(event)
                if _stopped(stop):
                    break
            group.cancel_scope.cancel()

    async def _on_event(self, event: MentionEvent) -> None:
        """Ledger, handlers, send: one mention from the stream."""
        if self._waiting() and self.resume_at is not None:
            await self.client.clock.asleep((self.resume_at - self._clock()).total_seconds())
        try:
            await self.inbox.aingest(event)
            await self._ahandle()
            sent = await self.inbox.asend()
        except SocialkitError as exc:  # the item is in the ledger: the next event retries
            logger.warning("bot: handling %s failed: %s", event.key, exc)
            return
        self._log(sent.errors)
        if sent.rate_limited is not None:
            self._limited(sent.rate_limited)

    async def _watch_stop(self, stop: Stop, scope: anyio.CancelScope) -> None:
        clock = self.client.clock
        while not _stopped(stop):
            await clock.asleep(0.05)
        scope.cancel()


def _step(clock: Clock, deadline: float) -> float:
    """How long to sleep before looking at ``stop`` again: 50 ms on the real clock, the
    whole wait on a test clock (whose sleeps take no time)."""
    left = max(0.0, deadline - clock.monotonic())
    return min(0.05, left) if isinstance(clock, SystemClock) else left


def _answers(reply: object) -> bool:
    """Whether a handler's result is an answer (not None, not blank text)."""
    return reply is not None and (not isinstance(reply, str) or bool(reply.strip()))


def _discard(awaitable: object) -> None:
    """Close a coroutine nobody will await (no "never awaited" warning)."""
    close = getattr(awaitable, "close", None)
    if callable(close):
        close()


def _stopped(stop: Stop) -> bool:
    if stop is None:
        return False
    if isinstance(stop, threading.Event | anyio.Event):
        return stop.is_set()
    return bool(stop())
