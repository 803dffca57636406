"""The brand monitor: queries across platforms, de-duplicated hits, volume series, alerts.

Each `Monitor.poll` asks every client each query that applies to its
platform (``search``, or ``mentions`` for a mentions query), keeps what is new,
scores its sentiment, buckets it into the query's volume series, and feeds the
query's `SpikeDetector` one observation: the poll's count of new hits and how
many were negative. Poll at a steady interval: the detector compares polls.
The first poll of a query only records what was already there (search returns
history), so it never counts as a burst.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import anyio
import attrs

from .._records import Record
from ..client import AsyncClient, Client
from ..errors import ConfigError, SocialkitError
from ..events.types import CommentEvent, Event, MentionEvent, PostEvent
from ..models import Account, Comment, Mention, Post
from . import _ops as ops
from .alerts import Alert, AlertHandler, adispatch, dispatch
from .dedup import Deduplicator, default_author_key
from .queries import Query
from .sentiment import LexiconScorer, Polarity, SentimentScorer, label
from .spikes import SpikeDetector

__all__ = ["Bucket", "Hit", "Monitor", "PollReport"]

Source = Literal["search", "mentions"]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen
class Hit(Record):
    """A post or mention a query found.

    Attributes:
        query: The query's name. ``platform``, ``id``: the record's.
        text, author, created_at, url: The record's.
        source: ``"search"`` or ``"mentions"``.
        score: Sentiment in ``[-1, 1]``; ``polarity``: its label.
        duplicates: Keys (``platform:id``) of cross-posts folded into this hit.
    """

    query: str
    platform: str
    id: str
    text: str
    author: Account | None
    created_at: datetime | None
    url: str | None
    source: Source
    score: float
    polarity: Polarity
    duplicates: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``platform:id``."""
        return f"{self.platform}:{self.id}"


@attrs.frozen
class Bucket(Record):
    """One step of a volume series: hits whose time falls in ``[start, start + size)``."""

    start: datetime
    volume: int
    negative: int


@attrs.frozen
class PollReport(Record):
    """What one poll found: new hits, cross-posts folded away, alerts raised, and what
    failed (``(platform or "platform: query", error)``; the rest still counted)."""

    at: datetime
    hits: list[Hit]
    duplicates: int
    alerts: list[Alert]
    errors: list[tuple[str, SocialkitError]] = attrs.field(factory=list)

    def by_query(self) -> dict[str, list[Hit]]:
        """The new hits per query name."""
        grouped: dict[str, list[Hit]] = defaultdict(list)
        for hit in self.hits:
            grouped[hit.query].append(hit)
        return dict(grouped)


Found = dict[str, list[tuple[Source, Post | Mention]]]


class Monitor:
    """Watch keywords, hashtags, handles and mentions across platforms.

    Args:
        clients: Clients (for `poll`) or AsyncClients (for `apoll`), as a list or by name.
        queries: `Query` objects or strings (``"#tag"``, ``"@handle"``, ``"keyword"``).
        scorer: The sentiment scorer (the lexicon scorer by default).
        detector: Makes each query's spike detector (``SpikeDetector()`` by default).
        bucket: The step of the volume series.
        per_poll: The most results read per query and client per poll.
        dedup_window: How far apart cross-posts may be to count once.
        author_key: Who an account is across platforms (see `dedup`).
        include_own: Count the monitored accounts' own posts too.
        crisis_share: A volume spike at least this negative is a crisis.
        clock: The current time (UTC), for tests.

    ```python
    monitor = Monitor([mastodon, bluesky], ["#SpringLaunch", "@brand", "refund*"])
    monitor.on_alert(lambda alert: print(alert.summary))
    report = monitor.poll()        # every few minutes
    monitor.series("#SpringLaunch")
    ```
    """

    def __init__(
        self,
        clients: Sequence[Client | AsyncClient] | Mapping[str, Client | AsyncClient],
        queries: Iterable[Query | str],
        *,
        scorer: SentimentScorer | None = None,
        detector: Callable[[], SpikeDetector] = SpikeDetector,
        bucket: timedelta = timedelta(minutes=5),
        per_poll: int = 40,
        dedup_window: timedelta = timedelta(minutes=10),
        author_key: Callable[[Account | None], str | None] = default_author_key,
        include_own: bool = False,
        crisis_share: float = 0.5,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.clients = list(clients.values() if isinstance(clients, Mapping) else clients)
        self.queries = [Query.parse(q) for q in queries]
        names = [q.name for q in self.queries]
        if len(set(names)) != len(names):
            raise ConfigError(f"query names must be unique: {names}", field="queries")
        self.scorer: SentimentScorer = scorer or LexiconScorer()
        self.bucket = bucket
        self.per_poll = per_poll
        self.include_own = include_own
        self.crisis_share = crisis_share
        self._clock = clock or (lambda: datetime.now(UTC))
        self._handlers: list[AlertHandler] = []
        self._detectors = {q.name: detector() for q in self.queries}
        self._dedup = {
            q.name: Deduplicator(window=dedup_window, author_key=author_key) for q in self.queries
        }
        self._series: dict[str, dict[datetime, list[int]]] = {q.name: {} for q in self.queries}
        self._polled: set[str] = set()
        self._since: dict[tuple[int, str], str] = {}
        self._me: dict[int, Account] = {}
        self._open: dict[str, tuple[datetime, list[Hit]]] = {}

    def __repr__(self) -> str:
        return f"Monitor(clients={len(self.clients)}, queries={[q.name for q in self.queries]})"

    # -- alerts ----------------------------------------------------------------------------

    def on_alert(self, handler: AlertHandler) -> AlertHandler:
        """Call ``handler(alert)`` for every alert (usable as a decorator)."""
        self._handlers.append(handler)
        return handler

    def detector(self, query: str) -> SpikeDetector:
        """The spike detector of the query named ``query``."""
        return self._detectors[query]

    # -- polling ---------------------------------------------------------------------------

    def poll(self, now: datetime | None = None) -> PollReport:
        """Run every query once with the synchronous clients; dispatch alerts.

        A client or query that fails is reported in ``errors``; the rest still count.
        """
        found: list[Found] = []
        errors: list[tuple[str, SocialkitError]] = []
        for index, client in enumerate(self.clients):
            if not isinstance(client, Client):
                raise TypeError("poll() needs Client objects; use apoll() with AsyncClient")
            try:
                found.append(ops.run_sync(client, self._job(index, client.name, errors)))
            except SocialkitError as exc:  # the account itself (me) failed
                errors.append((client.name, exc))
        report = self._ingest(found, now or self._clock(), errors)
        for alert in report.alerts:
            dispatch(alert, self._handlers)
        return report

    async def apoll(self, now: datetime | None = None) -> PollReport:
        """`poll` with asynchronous clients, all clients at once; coroutine handlers awaited."""
        found: list[Found] = [{} for _ in self.clients]
        errors: list[tuple[str, SocialkitError]] = []

        async def one(index: int, client: AsyncClient) -> None:
            try:
                found[index] = await ops.run_async(client, self._job(index, client.name, errors))
            except SocialkitError as exc:
                errors.append((client.name, exc))

        clients = [c for c in self.clients if isinstance(c, AsyncClient)]
        if len(clients) != len(self.clients):
            raise TypeError("apoll() needs AsyncClient objects; use poll() with Client")
        async with anyio.create_task_group() as group:
            for index, client in enumerate(clients):
                group.start_soon(one, index, client)
        report = self._ingest(found, now or self._clock(), errors)
        for alert in report.alerts:
            await adispatch(alert, self._handlers)
        return report

    def _job(
        self, index: int, platform: str, errors: list[tuple[str, SocialkitError]]
    ) -> ops.Job[Found]:
        found: Found = {}
        if index not in self._me and not self.include_own:
            self._me[index] = yield from ops.me()
        for query in self.queries:
            if not query.applies_to(platform):
                continue
            try:
                records = yield from self._fetch(index, query)
            except SocialkitError as exc:
                errors.append((f"{platform}: {query.name}", exc))
                continue
            me = self._me.get(index)
            found[query.name] = [
                (source, record)
                for source, record in records
                if me is None or record.author is None or record.author.id != me.id
            ]
        return found

    def _fetch(self, index: int, query: Query) -> ops.Job[list[tuple[Source, Post | Mention]]]:
        if query.kind == "mentions":
            since_id = self._since.get((index, query.name))
            mentions = yield from ops.mentions(since_id, None if since_id else self.per_poll)
            if mentions:
                self._since[(index, query.name)] = mentions[0].id
            return [("mentions", m) for m in mentions]
        posts = yield from ops.search(query.search_text, self.per_poll)
        return [("search", p) for p in posts if query.matches(p.text)]

    def _ingest(
        self, found: list[Found], now: datetime, errors: list[tuple[str, SocialkitError]]
    ) -> PollReport:
        hits: list[Hit] = []
        folded = 0
        alerts: list[Alert] = []
        for query in self.queries:
            new: list[Hit] = []
            for per_client in found:
                for source, record in per_client.get(query.name, ()):
                    hit = self._hit(query.name, source, record)
                    dedup = self._dedup[query.name]
                    if dedup.seen(hit.key):
                        continue
                    same = dedup.check(
                        hit.platform, hit.key, hit.author, hit.text, hit.created_at or now
                    )
                    if same is None:
                        new.append(hit)
                        continue
                    folded += 1
                    new = [
                        attrs.evolve(h, duplicates=(*h.duplicates, hit.key)) if h.key == same else h
                        for h in new
                    ]
            hits.extend(new)
            self._count(query.name, new, now)
            alert = self._detect(query.name, new, now)
            if alert is not None:
                alerts.append(alert)
        return PollReport(at=now, hits=hits, duplicates=folded, alerts=alerts, errors=errors)

    def _hit(self, query: str, source: Source, record: Post | Mention) -> Hit:
        score = self.scorer.score(record.text)
        post_id = record.post_id if isinstance(record, Mention) else None
        return Hit(
            query=query,
            platform=record.platform,
            id=post_id or record.id,
            text=record.text,
            author=record.author,
            created_at=record.created_at,
            url=record.url,
            source=source,
            score=score,
            polarity=label(score),
        )

    def _count(self, query: str, hits: list[Hit], now: datetime) -> None:
        series = self._series[query]
        step = self.bucket.total_seconds()
        for hit in hits:
            at = hit.created_at or now
            start = _EPOCH + timedelta(seconds=(at - _EPOCH).total_seconds() // step * step)
            counts = series.setdefault(start, [0, 0])
            counts[0] += 1
            counts[1] += hit.polarity == "negative"

    def _detect(self, query: str, hits: list[Hit], now: datetime) -> Alert | None:
        if query not in self._polled:  # the first poll reads history: a baseline, not a burst
            self._polled.add(query)
            return None
        negative = [h for h in hits if h.polarity == "negative"]
        spikes = self._detectors[query].update(len(hits), len(negative), now)
        if not spikes:
            return None
        spike = max(spikes, key=lambda s: s.kind == "negative_share")  # the share says more
        samples = tuple((h.url or h.key, h.text[:140]) for h in (negative or hits)[:5])
        return Alert.from_spike(query, spike, now, samples, crisis_share=self.crisis_share)

    # -- streamed events -------------------------------------------------------------------

    def ingest(self, event: Event, now: datetime | None = None) -> list[Alert]:
        """Count one event from `watch()` (or a webhook receiver) at once; dispatch and
        return the alerts it raises.

        A `MentionEvent` counts for the ``mentions`` queries of its platform and for the
        keyword queries its text matches; a created `PostEvent` or `CommentEvent` for the
        keyword queries. With events, each ``bucket`` of time is one observation of the
        query's detector: the bucket still filling is scored as every event arrives, so a
        burst alerts within the bucket (seconds after it starts), not when it closes.
        Use either `poll` or events for a query: both feed the same detector.
        """
        alerts = self._event(event, now or self._clock())
        for alert in alerts:
            dispatch(alert, self._handlers)
        return alerts

    async def awatch(
        self, client: AsyncClient, *, checkpoint: str | None = None, **options: Any
    ) -> None:
        """Ingest ``client.watch(...)``'s mentions until cancelled (``options`` go to
        `watch`, e.g. ``policy``); coroutine alert handlers are awaited."""
        async for event in client.watch(checkpoint=checkpoint, **options):
            for alert in self._event(event, self._clock()):
                await adispatch(alert, self._handlers)

    def _event(self, event: Event, at: datetime) -> list[Alert]:
        alerts = []
        for query in self.queries:
            record = _record(event, query)
            if record is None:
                continue
            self._roll(query.name, at)
            hit = self._hit(query.name, "mentions" if event.kind == "mention" else "search",
                            record)
            dedup = self._dedup[query.name]
            if dedup.seen(hit.key) or dedup.check(
                hit.platform, hit.key, hit.author, hit.text, hit.created_at or at
            ) is not None:
                continue
            self._count(query.name, [hit], at)
            hits = self._open[query.name][1]
            hits.append(hit)
            negative = [h for h in hits if h.polarity == "negative"]
            spikes = self._detectors[query.name].peek(len(hits), len(negative), at)
            if spikes:
                spike = max(spikes, key=lambda s: s.kind == "negative_share")
                samples = tuple((h.url or h.key, h.text[:140]) for h in (negative or hits)[:5])
                alerts.append(
                    Alert.from_spike(query.name, spike, at, samples,
                                     crisis_share=self.crisis_share)
                )
        return alerts

    def _roll(self, query: str, at: datetime) -> None:
        """Close the query's bucket(s) that ended before ``at`` into its detector."""
        step = self.bucket.total_seconds()
        start = _EPOCH + timedelta(seconds=(at - _EPOCH).total_seconds() // step * step)
        opened = self._open.get(query)
        if opened is None:
            self._open[query] = (start, [])
            return
        begun, hits = opened
        if begun >= start:
            return
        detector = self._detectors[query]
        detector.update(len(hits), sum(h.polarity == "negative" for h in hits), begun)
        idle = int((start - begun) / self.bucket) - 1  # whole buckets without an event
        for _ in range(min(idle, detector.window)):
            detector.update(0, 0)
        self._open[query] = (start, [])

    # -- series ----------------------------------------------------------------------------

    def series(self, query: str, *, fill: bool = True) -> list[Bucket]:
        """The query's volume per bucket, oldest first; with ``fill``, empty buckets are 0."""
        counts = self._series[query]
        if not counts:
            return []
        starts = sorted(counts)
        if fill:
            starts, current = [], min(counts)
            while current <= max(counts):
                starts.append(current)
                current += self.bucket
        return [Bucket(s, *counts.get(s, (0, 0))) for s in starts]

    def summary(self) -> dict[str, Any]:
        """Per query: total hits, negative hits and whether a spike is ongoing."""
        return {
            name: {
                "hits": sum(v for v, _ in counts.values()),
                "negative": sum(n for _, n in counts.values()),
                "alarming": sorted(self._detectors[name].alarming),
            }
            for name, counts in self._series.items()
        }


def _record(event: Event, query: Query) -> Post | Mention | None:
    """What ``event`` brings to ``query``, if anything."""
    if not query.applies_to(event.platform):
        return None
    if isinstance(event, MentionEvent):
        if query.kind == "mentions" or query.matches(event.mention.text):
            return event.mention
        return None
    if query.kind == "mentions":
        return None
    if isinstance(event, PostEvent) and event.status == "created" and event.post is not None:
        return event.post if query.matches(event.post.text) else None
    if isinstance(event, CommentEvent) and event.action == "created":
        return _as_post(event.comment) if query.matches(event.comment.text) else None
    return None


def _as_post(comment: Comment) -> Post:
    return Post(platform=comment.platform, id=comment.id, author=comment.author,
                text=comment.text, created_at=comment.created_at, url=comment.url)
