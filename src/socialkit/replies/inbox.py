"""The unified inbox: refresh comments and mentions of every account, triage, draft, approve, send.

```python
inbox = Inbox([mastodon, bluesky], InboxStore("inbox.db"), rules=RuleSet.load("triage.toml"))
inbox.refresh()                                    # new comments and mentions, triaged by the rules
for item in inbox.items("triaged"):
    inbox.draft_reply(item, "Sorry to hear that! We're on it.", by="sam")
    inbox.approve(item, by="lee")
inbox.send()                                    # each approved reply exactly once
inbox.sla(target=timedelta(hours=1)).overall.percentiles
```

**Incremental refresh.** Mentions are read after the newest mention seen (a
cursor per account in the store). Comments are read only for the account's
recent posts whose comment count changed since the last refresh (or that carry
no count); so a refresh with nothing new costs one listing of recent posts and
one mentions call per account. A reply to a reply under someone else's comment
does not change the post's count; it arrives as a mention when it mentions
the account (on Mastodon, replies do).

**De-duplication.** An item is keyed by the platform and the id of the post
carrying the message (`InboxItem.post_id`), so a reply to the brand's post, which arrives both as a
comment and as a mention notification, is one item with both sources.
The account's own posts and the replies it sent are never items.

**Events.** `ingest` / `aingest` upsert the mention of a `watch()` event by the
same key, so a mention seen on the stream and again by a later poll (or backfill) is
one item; the event's checkpoint is stored (cursor ``watch``) in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from os import PathLike
from typing import Any

import attrs

from .._db import off_loop
from .._records import Record
from ..client import AsyncClient, Client
from ..errors import ConfigError, InvalidContent, RateLimited, SocialkitError
from ..events.types import Event as WatchEvent
from ..events.types import MentionEvent
from ..models import Account, Comment, Draft, Mention
from ..monitoring import _ops as ops
from ..monitoring.sentiment import LexiconScorer, SentimentScorer
from ..platform import Capability
from .approval import Sender, SendOutcome
from .items import InboxItem, Priority, Source, Stage, detect_language, item_key
from .rules import Decision, RuleSet
from .sla import SlaReport, sla_report
from .status import InboxStatus
from .store import Event, InboxStore
from .templates import Template

__all__ = ["Inbox", "RefreshReport", "SendReport"]

AnyClient = Client | AsyncClient
ItemRef = InboxItem | str
Refreshed = tuple[list[InboxItem], dict[tuple[str, str], str]]


@attrs.frozen
class RefreshReport(Record):
    """What a refresh brought: the new items (after triage), how many were seen twice, and
    the accounts that failed (by name; the others were synced all the same)."""

    new: list[InboxItem]
    duplicates: int
    errors: dict[str, SocialkitError] = attrs.field(factory=dict)

    def __len__(self) -> int:
        return len(self.new)

    @property
    def rate_limited(self) -> RateLimited | None:
        """The first rate limit an account hit, if any."""
        return _first_limit(self.errors)


def _first_limit(errors: Mapping[str, SocialkitError]) -> RateLimited | None:
    return next((e for e in errors.values() if isinstance(e, RateLimited)), None)


@attrs.frozen
class SendReport(Record):
    """What a send did, item by item, and the accounts that stopped early (a rate limit,
    a failure before any item), by name."""

    outcomes: list[SendOutcome]
    errors: dict[str, SocialkitError] = attrs.field(factory=dict)

    @property
    def rate_limited(self) -> RateLimited | None:
        """The first rate limit an account hit, if any."""
        return _first_limit(self.errors)

    def _with(self, result: str) -> list[InboxItem]:
        return [o.item for o in self.outcomes if o.result == result]

    @property
    def sent(self) -> list[InboxItem]:
        """Items answered now."""
        return self._with("sent")

    @property
    def reconciled(self) -> list[InboxItem]:
        """Items whose earlier, unconfirmed reply was found in the thread."""
        return self._with("reconciled")

    @property
    def failed(self) -> list[InboxItem]:
        """Items the platform refused to answer (see each item's ``error``)."""
        return self._with("failed")

    @property
    def uncertain(self) -> list[InboxItem]:
        """Items whose outcome is unknown (checked again at the next send)."""
        return self._with("uncertain")


def _language_hint(record: Comment | Mention) -> str | None:
    raw = record.raw or {}
    status = raw.get("status") if isinstance(raw.get("status"), Mapping) else raw
    value = status.get("language") if isinstance(status, Mapping) else None
    return value if isinstance(value, str) else None


class Inbox:
    """One inbox over many accounts, kept in an `InboxStore`.

    Args:
        clients: Clients (for `refresh` and `send`) or AsyncClients (for `arefresh` and
            `asend`), as a list or by name. An account is called by
            its name here, else ``platform:account-id``.
        store: An `InboxStore`, a file path or a ``postgresql://`` URL, or ``None`` for
            memory.
        rules: Triage rules applied to every new item.
        scorer: The sentiment scorer (the lexicon scorer by default).
        recent_posts: How many of each account's latest posts are watched for comments.
        backfill: What an account's first refresh reads: ``0`` (the default) starts from
            now (the first refresh only moves the cursors, so nothing already there is
            triaged or answered by an auto-reply rule); ``N`` reads the latest N mentions
            and the comments already under the recent posts. `Bot` has the same default.
        comments: Whether to refresh comments on the accounts' recent posts.
        mentions: Whether to refresh mentions.
        lease: How long a sender holds an item it is sending.
        clock: The current time (UTC), for tests; the first client's clock by default.
    """

    def __init__(
        self,
        clients: Sequence[AnyClient] | Mapping[str, AnyClient],
        store: InboxStore | str | PathLike[str] | None = None,
        *,
        rules: RuleSet | None = None,
        scorer: SentimentScorer | None = None,
        recent_posts: int = 20,
        backfill: int = 0,
        comments: bool = True,
        mentions: bool = True,
        lease: timedelta = timedelta(minutes=5),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if isinstance(clients, Mapping):
            self._clients: list[AnyClient] = list(clients.values())
            self._names: list[str | None] = list(clients)
        else:
            self._clients = list(clients)
            self._names = [None] * len(self._clients)
        if not self._clients:
            raise ConfigError("an inbox needs at least one client", field="clients")
        self.store = store if isinstance(store, InboxStore) else InboxStore(store or ":memory:")
        self.rules = rules
        self.scorer: SentimentScorer = scorer or LexiconScorer()
        self.recent_posts = recent_posts
        self.backfill = backfill
        self.read_comments = comments
        self.read_mentions = mentions
        self.lease = lease
        self._clock = clock or self._clients[0].clock.now
        self._me: dict[int, Account] = {}
        self.owner = f"inbox-{uuid.uuid4().hex[:12]}"

    def __repr__(self) -> str:
        return f"Inbox(clients={len(self._clients)}, store={self.store!r})"

    # -- accounts --------------------------------------------------------------------------

    def _whoami(self, index: int) -> ops.Job[Account]:
        if index not in self._me:
            self._me[index] = yield from ops.me()
        return self._me[index]

    def _label(self, index: int) -> str:
        name = self._names[index]
        return name if name is not None else f"{self._clients[index].name}:{self._me[index].id}"

    def _sync_client(self, index: int) -> Client:
        client = self._clients[index]
        if not isinstance(client, Client):
            raise TypeError("use the async_* methods with AsyncClient")
        return client

    def _async_client(self, index: int) -> AsyncClient:
        client = self._clients[index]
        if not isinstance(client, AsyncClient):
            raise TypeError("use refresh()/send() with Client")
        return client

    def _client_for(self, item: InboxItem) -> AnyClient:
        """The item's account's client (before the first refresh of an unnamed client: the
        first client of the item's platform, which has the same text rules)."""
        fallback: AnyClient | None = None
        for index, client in enumerate(self._clients):
            known = index in self._me or self._names[index] is not None
            if known and self._label(index) == item.account:
                return client
            if fallback is None and client.name == item.platform:
                fallback = client
        if fallback is None:
            raise ConfigError(f"no client for account {item.account!r}", field="clients")
        return fallback

    # -- refresh ---------------------------------------------------------------------------

    def refresh(self) -> RefreshReport:
        """Fetch what is new on every account; triage it with the rules.

        An account that fails (network, platform, rate limit) is reported in
        ``errors`` and the others are refreshed all the same; its cursors stay put.
        """
        new: list[InboxItem] = []
        duplicates = 0
        errors: dict[str, SocialkitError] = {}
        for index in range(len(self._clients)):
            client = self._sync_client(index)
            try:
                synced = ops.run_sync(client, self._refresh_job(index))
            except SocialkitError as exc:
                errors[self._account_name(index)] = exc
                continue
            added, seen = self._store_refreshed(synced)
            new.extend(added)
            duplicates += seen
        return RefreshReport(new, duplicates, errors)

    async def arefresh(self) -> RefreshReport:
        """`refresh` with asynchronous clients; the store's transactions (and the triage
        rules) run in worker threads, so a slow store never blocks the event loop."""
        new: list[InboxItem] = []
        duplicates = 0
        errors: dict[str, SocialkitError] = {}
        for index in range(len(self._clients)):
            client = self._async_client(index)
            try:
                synced = await ops.run_async(client, self._refresh_job(index), threaded=True)
            except SocialkitError as exc:
                errors[self._account_name(index)] = exc
                continue
            added, seen = await off_loop(self._store_refreshed, synced)
            new.extend(added)
            duplicates += seen
        return RefreshReport(new, duplicates, errors)

    def _store_refreshed(self, synced: Refreshed) -> tuple[list[InboxItem], int]:
        """Store what a refresh brought and triage the new items: ``(new, duplicates)``."""
        added, seen = self.store.add(*synced)
        return self._after_refresh(added), seen

    def _account_name(self, index: int) -> str:
        if index in self._me or self._names[index] is not None:
            return self._label(index)
        return f"{self._clients[index].name}#{index}"

    def catch_up(self) -> None:
        """Move every account's cursors to now without creating items: the inbox (or a
        bot) starts with what arrives next, not with the account's history."""
        for index in range(len(self._clients)):
            _, cursors = ops.run_sync(self._sync_client(index), self._refresh_job(index, True))
            self.store.add([], cursors)

    async def acatch_up(self) -> None:
        """`catch_up` with asynchronous clients (the store off the event loop)."""
        for index in range(len(self._clients)):
            client = self._async_client(index)
            _, cursors = await ops.run_async(client, self._refresh_job(index, True), threaded=True)
            await off_loop(self.store.add, [], cursors)

    def _started(self, label: str) -> bool:
        """Whether the account was refreshed (or caught up) before: it has a cursor."""
        return (
            self.store.cursor(label, "started") is not None
            or self.store.cursor(label, "mentions") is not None
            or bool(self.store.cursors(label, "comments:"))
        )

    def _refresh_job(self, index: int, catch_up: bool = False) -> ops.Job[Refreshed]:
        me = yield from self._whoami(index)
        label = self._label(index)
        capabilities = self._clients[index].capabilities
        records: list[tuple[Comment | Mention, Source]] = []
        cursors: dict[tuple[str, str], str] = {}
        first = not self._started(label)
        if first:
            cursors[(label, "started")] = self._clock().isoformat()
            catch_up = catch_up or self.backfill <= 0
        if self.read_comments and {Capability.READ_POSTS, Capability.READ_COMMENTS} <= capabilities:
            known = self.store.cursors(label, "comments:")
            for post in (yield from ops.posts(self.recent_posts)):
                if post.author is not None and post.author.id != me.id:
                    continue  # a boost of someone else's post
                name = f"comments:{post.id}"
                count = post.metrics.get("comments")
                stamp = "?" if count is None else str(count)
                if count is not None and (
                    known.get(name) == stamp or (count == 0 and not known.get(name))
                ):
                    continue
                if catch_up:
                    cursors[(label, name)] = stamp
                    continue
                comments = yield from ops.comments(post.id)
                records.extend((comment, "comment") for comment in comments)
                cursors[(label, name)] = stamp
        if self.read_mentions and Capability.MENTIONS in capabilities:
            since_id = self.store.cursor(label, "mentions")
            limit = 1 if catch_up else None if since_id or not first else self.backfill
            mentions = yield from ops.mentions(since_id, limit)
            if mentions:
                cursors[(label, "mentions")] = mentions[0].id
            records.extend((mention, "mention") for mention in mentions)
        if catch_up:
            return [], cursors
        now = self._clock()
        items = [
            self._item(record, source, label, now)
            for record, source in records
            if not self._own(record, me)
        ]
        return items, cursors

    # -- events ----------------------------------------------------------------------------

    def _index_for(self, event: WatchEvent) -> int:
        for index, client in enumerate(self._clients):
            if client.name == event.platform:
                return index
        raise ConfigError(f"no client for platform {event.platform!r}", field="clients")

    def ingest(self, event: WatchEvent) -> list[InboxItem]:
        """Upsert the mention a `watch()` event carries (one item per status, however
        often it is seen) and store the event's checkpoint with it, in one transaction.

        Returns the items that were new (triaged by the rules); other events only move
        the checkpoint.
        """
        index = self._index_for(event)
        ops.run_sync(self._sync_client(index), self._whoami(index))
        return self._ingest(index, event)

    async def aingest(self, event: WatchEvent) -> list[InboxItem]:
        """`ingest` with asynchronous clients (the store off the event loop)."""
        index = self._index_for(event)
        await ops.run_async(self._async_client(index), self._whoami(index))
        return await off_loop(self._ingest, index, event)

    def watch_checkpoint(self, client: AnyClient) -> str | None:
        """Where ``client``'s `watch()` resumes: the checkpoint of the last `ingest`, else
        the newest mention a refresh saw (a mention id, which `watch()` backfills after);
        ``None`` before the account was synced once."""
        index = self._clients.index(client)
        if index not in self._me and self._names[index] is None:
            return None
        label = self._label(index)
        return self.store.cursor(label, "watch") or self.store.cursor(label, "mentions")

    def _ingest(self, index: int, event: WatchEvent) -> list[InboxItem]:
        label = self._label(index)
        cursors = {(label, "watch"): event.checkpoint} if event.checkpoint else {}
        items = []
        if isinstance(event, MentionEvent) and self.read_mentions:
            record = event.mention
            if not self._own(record, self._me[index]):
                items.append(self._item(record, "mention", label, self._clock()))
        added, _ = self.store.add(items, cursors)
        return self._after_refresh(added)

    def _own(self, record: Comment | Mention, me: Account) -> bool:
        if record.author is not None and record.author.id == me.id:
            return True
        post_id = record.post_id if isinstance(record, Mention) else record.id
        return post_id is not None and self.store.is_reply(record.platform, post_id)

    def _item(
        self, record: Comment | Mention, source: Source, account: str, now: datetime
    ) -> InboxItem:
        return InboxItem(
            key=item_key(record),
            platform=record.platform,
            account=account,
            sources=frozenset({source}),
            kind=record.kind if isinstance(record, Mention) else "comment",
            target=record,
            text=record.text,
            author=record.author,
            created_at=record.created_at,
            url=record.url,
            thread_root_id=record.thread_root_id if isinstance(record, Comment) else None,
            language=detect_language(record.text, _language_hint(record)),
            sentiment=self.scorer.score(record.text),
            stage=Stage.NEW,
            fetched_at=now,
            updated_at=now,
        )

    def _after_refresh(self, items: list[InboxItem]) -> list[InboxItem]:
        if self.rules is None:
            return items
        return [self.apply_rules(item) for item in items]

    # -- triage ----------------------------------------------------------------------------

    def _key(self, item: ItemRef) -> str:
        return item if isinstance(item, str) else item.key

    def get(self, item: ItemRef) -> InboxItem:
        """The current state of an item (by item or key)."""
        return self.store.get(self._key(item))

    def items(
        self,
        stage: Stage | str | Iterable[Stage | str] | None = None,
        *,
        account: str | None = None,
        label: str | None = None,
    ) -> list[InboxItem]:
        """Items, most urgent first, then oldest first."""
        return self.store.items(stage, account=account, label=label)

    def history(self, item: ItemRef) -> list[Event]:
        """Every stage change of an item."""
        return self.store.history(self._key(item))

    def triage(
        self,
        item: ItemRef,
        *,
        by: str | None = None,
        labels: Iterable[str] = (),
        priority: Priority | None = None,
        assign: str | None = None,
        note: str | None = None,
    ) -> InboxItem:
        """Mark a new (or reopened) item triaged, with labels, priority and assignee."""
        current = self.get(item)
        merged = (*current.labels, *(x for x in labels if x not in current.labels))
        return self.store.transition(
            current.key,
            Stage.TRIAGED,
            by=by,
            note=note,
            now=self._clock(),
            labels=merged,
            priority=priority or current.priority,
            assignee=assign or current.assignee,
        )

    def apply_rules(self, item: ItemRef, rules: RuleSet | None = None) -> InboxItem:
        """Triage an item with the rules: label, prioritise, assign, then escalate,
        ignore or auto-reply, all in one step of the store (a crash never leaves it
        half-triaged). An auto-reply that does not fit the platform leaves the item
        triaged, with the reason in ``error``."""
        ruleset = rules or self.rules
        if ruleset is None:
            raise ConfigError("this inbox has no rules", field="rules")
        current = self.get(item)
        decision = ruleset.evaluate(current)
        note = ", ".join(decision.matched) or "no rule matched"
        path = [] if current.stage is Stage.TRIAGED else [Stage.TRIAGED]
        fields: dict[str, Any] = {
            "labels": (*current.labels, *(x for x in decision.labels if x not in current.labels)),
            "priority": decision.priority or current.priority,
            "assignee": decision.assignee or current.assignee,
        }
        path, more = self._outcome(current, decision, ruleset, path)
        return self.store.transition(
            current.key, path, by="rules", note=note, now=self._clock(), **fields, **more
        )

    def _outcome(
        self, item: InboxItem, decision: Decision, rules: RuleSet, path: list[Stage]
    ) -> tuple[list[Stage], dict[str, Any]]:
        """The rest of the path the rules' decision takes, and the fields it sets."""
        outcome = decision.outcome
        if outcome == "escalated":
            return [*path, Stage.ESCALATED], {}
        if outcome == "ignored":
            return [*path, Stage.IGNORED], {}
        if outcome == "auto_reply" and decision.auto_reply is not None:
            client = self._client_for(item)
            try:
                text = rules.templates[decision.auto_reply].render(
                    item, rules=client.platform.rules
                )
                draft = client.validate(Draft(text=text))
            except InvalidContent as exc:
                return path, {"error": str(exc)}
            fields: dict[str, Any] = {
                "draft": draft,
                "drafted_by": f"auto-reply:{decision.auto_reply}",
                "approved_by": f"rules:{', '.join(decision.matched)}",
                "send_state": None,
                "error": None,
            }
            return [*path, Stage.DRAFTED, Stage.APPROVED], fields
        return path, {}

    # -- draft, approve, close -------------------------------------------------------------

    def draft_reply(
        self,
        item: ItemRef,
        text: str | Draft,
        *,
        by: str | None = None,
        approve_as: str | None = None,
    ) -> InboxItem:
        """Write (or rewrite) the reply to an item; it is checked against the platform's
        rules now. A new item is triaged on the way; with ``approve_as`` the draft is
        approved in the same step (what bots and auto-replies do)."""
        current = self.get(item)
        draft = self._client_for(current).validate(Draft.of(text))
        path = [Stage.TRIAGED] if current.stage is Stage.NEW else []
        path.append(Stage.DRAFTED)
        if approve_as is not None:
            path.append(Stage.APPROVED)
        return self.store.transition(
            current.key,
            path,
            by=by,
            now=self._clock(),
            draft=draft,
            drafted_by=by,
            approved_by=approve_as,
            send_state=None,
            error=None,
        )

    def draft_from_template(
        self,
        item: ItemRef,
        template: Template | str,
        *,
        by: str | None = None,
        values: Mapping[str, str] | None = None,
    ) -> InboxItem:
        """Draft the reply from a template (or the name of one of the rules' templates)."""
        current = self.get(item)
        if isinstance(template, str):
            if self.rules is None or template not in self.rules.templates:
                raise ConfigError(f"no template {template!r}", field="template")
            template = self.rules.templates[template]
        rules = self._client_for(current).platform.rules
        return self.draft_reply(
            current, template.render(current, rules=rules, values=values), by=by
        )

    def approve(self, item: ItemRef, *, by: str) -> InboxItem:
        """Approve the drafted reply; `send` sends it."""
        return self.store.transition(
            self._key(item),
            Stage.APPROVED,
            by=by,
            expect=[Stage.DRAFTED],
            now=self._clock(),
            approved_by=by,
        )

    def ignore(self, item: ItemRef, *, by: str | None = None, note: str | None = None) -> InboxItem:
        """Close an item without answering."""
        return self.store.transition(
            self._key(item), Stage.IGNORED, by=by, note=note, now=self._clock()
        )

    def escalate(
        self, item: ItemRef, *, by: str | None = None, note: str | None = None
    ) -> InboxItem:
        """Hand an item to someone senior; it still waits for an answer."""
        return self.store.transition(
            self._key(item), Stage.ESCALATED, by=by, note=note, now=self._clock()
        )

    def reopen(self, item: ItemRef, *, by: str | None = None) -> InboxItem:
        """Bring an ignored or escalated item back to triaged."""
        return self.store.transition(
            self._key(item), Stage.TRIAGED, by=by, note="reopened", now=self._clock()
        )

    # -- send ------------------------------------------------------------------------------

    def _sendable(self, index: int, retry_failed: bool) -> list[InboxItem]:
        return [
            item
            for item in self.store.items(Stage.APPROVED, account=self._label(index))
            if retry_failed or item.send_state != "failed"
        ]

    def _sender(self, index: int) -> Sender:
        platform = self._clients[index].platform
        return Sender(
            self.store, self.owner, self.lease, platform.honours_idempotency_key, self._clock
        )

    def _send_job(
        self, index: int, retry_failed: bool
    ) -> ops.Job[tuple[list[SendOutcome], RateLimited | None]]:
        me = yield from self._whoami(index)
        items = self._sendable(index, retry_failed)
        return (yield from self._sender(index).job(items, me))

    def send(self, *, retry_failed: bool = False) -> SendReport:
        """Send every approved reply, exactly once (see `socialkit.replies.approval`).

        Items the platform refused before are skipped unless ``retry_failed``. An
        account that hits a rate limit stops there (``report.rate_limited`` says until
        when); the other accounts still send.
        """
        report = SendReport([])
        for index in range(len(self._clients)):
            client = self._sync_client(index)
            try:
                done, limited = ops.run_sync(client, self._send_job(index, retry_failed))
            except SocialkitError as exc:
                report.errors[self._account_name(index)] = exc
                continue
            self._record_sent(index, done, limited, report)
        return report

    async def asend(self, *, retry_failed: bool = False) -> SendReport:
        """`send` with asynchronous clients; the ledger's transactions (claim, marking the
        reply sending before its request, recording it) run in worker threads, in the
        same order, so a slow store never blocks the event loop."""
        report = SendReport([])
        for index in range(len(self._clients)):
            client = self._async_client(index)
            job = self._send_job(index, retry_failed)
            try:
                done, limited = await ops.run_async(client, job, threaded=True)
            except SocialkitError as exc:
                report.errors[self._account_name(index)] = exc
                continue
            self._record_sent(index, done, limited, report)
        return report

    def _record_sent(
        self,
        index: int,
        done: list[SendOutcome],
        limited: RateLimited | None,
        report: SendReport,
    ) -> None:
        report.outcomes.extend(done)
        if limited is not None:
            report.errors[self._account_name(index)] = limited

    # -- figures ---------------------------------------------------------------------------

    def status(self, *, stale_after: timedelta = timedelta(minutes=2)) -> InboxStatus:
        """Which accounts' consumers are alive (a heartbeat within ``stale_after``), which
        accounts are held and until when, and how many approved replies are unsent, being
        sent, uncertain or failed (`InboxStore.status`, at this inbox's clock on SQLite)."""
        return self.store.status(stale_after=stale_after, now=self._clock())

    def sla(
        self,
        *,
        target: timedelta | None = None,
        now: datetime | None = None,
        percentiles: Sequence[float] = (50, 90, 95),
    ) -> SlaReport:
        """First-response figures over every item (nearest-rank percentiles)."""
        return sla_report(
            self.store.items(), now=now or self._clock(), target=target, percentiles=percentiles
        )
