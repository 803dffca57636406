"""The dispatcher: publish what is due, exactly once per entry and target, across crashes.

The protocol, per delivery (one target of one entry):

1. Every delivery got its idempotency key when the entry was stored; every
   attempt sends that same key.
2. A worker **claims** a due delivery with an atomic conditional ``UPDATE`` in a
   ``BEGIN IMMEDIATE`` transaction that also re-checks the pause, the approvals
   and the rules; the claim carries a lease (owner id and expiry). Only one
   worker can win it, however many share the file.
3. The attempt is noted in the claim's transaction; when a search for a lost
   attempt came first (step 4), the lease is renewed and the attempt noted just
   before the request, and a worker whose lease was lost meanwhile backs off.
4. A delivery whose lease expired (its worker crashed or hung mid-publish), or
   whose last attempt ended in `PublishUncertain`, is **reconciled** before it
   is published again: on a platform that honours idempotency keys, within the
   key's window, it is simply retried with the same key; otherwise the
   account's recent posts are searched for the content fingerprint, and a match
   is recorded as the result instead of posting again.
5. Other failures are retried with exponential backoff up to a limit, then the
   delivery fails with the error recorded. Content, permission and auth errors
   fail at once.

The async run (`run_async`) publishes with async clients and runs each store
transaction in a worker thread (`off_loop`), so a slow disk or a database across
the network never stalls the event loop; the store's lock still serialises them.

A post the platform still reviews or processes (``Post.state == "pending"``) is
recorded as published (it is never sent again) with its ``post_state``; later runs
read it again with ``get_post`` (every ``Policy.review_interval``) and record
whether it became public or was rejected. A rejection is reported as an outcome,
never retried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

import anyio
import attrs

from .._db import off_loop
from ..client import AsyncClient, Client
from ..errors import (
    AuthError,
    ConfigError,
    InvalidContent,
    NotFound,
    PermissionDenied,
    PublishUncertain,
    RateLimited,
    SocialkitError,
    Unsupported,
)
from ..events.types import Event, PostEvent
from ..models import Draft, Post
from ..platform import Budget, Capability
from ..utm import UTM, tag_draft
from ._time import from_epoch, now_utc
from .entries import DeliveryState, Entry, State, check_transition, fingerprint, settled_state
from .ledger import Ledger
from .policy import Policy
from .report import DispatchReport, Outcome, OutcomeKind
from .rules import Planned, Rules

__all__ = [
    "Dispatcher",
    "apply_post_event",
    "check_reviews_async",
    "check_reviews_sync",
    "off_loop",
    "resume",
    "run_async",
    "run_sync",
    "settle",
    "utm_content",
    "wall_clock",
]

C = TypeVar("C", Client, AsyncClient)
T = TypeVar("T")
Clients = Mapping[str, C] | Callable[[str], C]

_PERMANENT = (InvalidContent, AuthError, PermissionDenied, NotFound, Unsupported, ConfigError)


@attrs.frozen
class Claim:
    """A delivery this worker holds, with what it needs to publish it."""

    delivery_id: int
    entry: Entry
    target: str
    key: str = attrs.field(repr=False)
    attempts: int
    uncertain: bool
    first_attempt_at: float | None


class Dispatcher(Generic[C]):
    """One run of the dispatcher over a store: the bookkeeping shared by sync and async."""

    def __init__(
        self,
        store: Ledger,
        policy: Policy,
        rules: Rules,
        owner: str,
        clients: Clients[C],
        now: datetime | None,
        clock: Callable[[], float],
        utm: UTM | None = None,
    ) -> None:
        self.store = store
        self.utm = utm
        self.policy = policy
        self.rules = rules
        self.owner = owner
        self.fixed_now = now
        self.clock = clock
        self.report = DispatchReport()
        self._source: Clients[C] = clients
        self._clients: dict[str, C] = {}
        self._made: list[C] = []
        self._broken: dict[str, str] = {}
        self._known: set[str] = set()
        self._skip: set[int] = set()

    # -- time --------------------------------------------------------------------------------

    def now(self) -> float:
        """The logical time: the fixed ``now`` of the run, or the wall clock."""
        return self.fixed_now.timestamp() if self.fixed_now else self.clock()

    # -- clients -----------------------------------------------------------------------------

    def client(self, target: str) -> C | None:
        """The client of ``target`` (see `made_client`), or ``None``; the store learns
        its platform the first time."""
        found = self.made_client(target)
        if found is not None and target not in self._known:
            with self.store.write() as conn:
                self.store.set_platform(conn, target, found.name)
            self._known.add(target)
        return found

    def made_client(self, target: str) -> C | None:
        """The client of ``target`` (made once per run by a factory), or ``None``. No store
        call: the async run calls a factory on the event loop, the store in a thread."""
        if target in self._clients:
            return self._clients[target]
        if target in self._broken:
            return None
        source = self._source
        found: C | None
        try:
            if isinstance(source, Mapping):
                found = source.get(target)
                if found is None:
                    self._broken[target] = "no client given for this target"
                    return None
            else:
                found = source(target)
                self._made.append(found)
        except SocialkitError as exc:
            self._broken[target] = f"no client: {exc}"
            return None
        self._clients[target] = found
        return found

    def made(self) -> list[C]:
        """The clients a factory made during the run (the run closes them)."""
        return list(self._made)

    # -- the round ---------------------------------------------------------------------------

    def start(self) -> list[str]:
        """Resume an expired pause, then list the due targets that have a client."""
        targets = self.due()
        for target in targets:
            self.made_client(target)
        return self.ready(targets)

    def due(self) -> list[str]:
        """Resume an expired pause, then list the due targets (none while paused)."""
        now = self.now()
        self.report.outcomes.extend(auto_resume(self.store, self.policy, now))
        with self.store.read() as conn:
            pause = self.store.setting(conn, "pause")
            targets = self.store.due_targets(conn, now, self.clock())
        if pause is not None:
            self.report.paused = pause["reason"]
            return []
        return targets

    def ready(self, targets: list[str]) -> list[str]:
        """The ``targets`` that have a client (`made_client`); the due entries of the
        others are reported skipped."""
        now = self.now()
        ready = [target for target in targets if self.client(target) is not None]
        with self.store.read() as conn:
            for target, why in self._broken.items():
                if target in targets:
                    for entry_id in self.store.due_entry_ids(conn, target, now):
                        self.report.outcomes.append(Outcome(entry_id, target, "skipped", error=why))
        return ready

    def claim(self, targets: list[str]) -> Claim | None:
        """Claim the next due delivery of ``targets``, deferring those the rules hold back."""
        store = self.store
        while targets:
            now, wall = self.now(), self.clock()
            with store.write() as conn:
                pause = store.setting(conn, "pause")
                if pause is not None:
                    self.report.paused = pause["reason"]
                    return None
                row = store.candidate(conn, now, wall, targets, self._skip)
                if row is None:
                    return None
                target = row["target"]
                client = self._clients[target]
                when = self._allowed(conn, row, client.name, now)
                if when > now:
                    store.defer(conn, row["id"], when)
                    self.report.outcomes.append(
                        Outcome(row["entry_id"], target, "deferred", until=from_epoch(when))
                    )
                    continue
                short = self._unaffordable(conn, row, client)
                if short:
                    until = max(b.reset_at for b in short)
                    why = f"{client.name}: " + "; ".join(str(b) for b in short)
                    store.defer(conn, row["id"], until.timestamp())
                    self._skip.add(int(row["id"]))  # not again in this run, whatever its clock
                    store.log(conn, int(row["entry_id"]), "deferred", now, f"{target}: {why}")
                    self.report.outcomes.append(
                        Outcome(row["entry_id"], target, "deferred", error=why, until=until)
                    )
                    continue
                lease = wall + self.policy.lease.total_seconds()
                if not store.claim(conn, row["id"], self.owner, now, wall, lease):
                    self._skip.add(int(row["id"]))
                    continue
                uncertain = bool(row["uncertain"]) or row["state"] == "publishing"
                if not uncertain:  # nothing to look for first: the attempt starts now
                    store.start_attempt(conn, row["id"], self.owner, wall, lease)
                entry = store.entry(conn, int(row["entry_id"]))
                assert entry is not None
                settle(store, conn, entry, now)
                return Claim(
                    delivery_id=int(row["id"]),
                    entry=entry,
                    target=target,
                    key=row["idempotency_key"],
                    attempts=int(row["attempts"]) + 1,
                    uncertain=uncertain,
                    first_attempt_at=row["first_attempt_at"],
                )
        return None

    def _allowed(self, conn: Any, row: Any, platform: str, now: float) -> float:
        """The first time the rules let this delivery go (``now`` when they do)."""
        if row["state"] == "publishing":  # a reclaimed attempt may already be out
            return now
        target = row["target"]
        done = [
            Planned(entry_id, target, from_epoch(t), platform)
            for entry_id, t in self.store.history(
                conn, target, now, now - self.rules.horizon.total_seconds()
            )
        ]
        item = Planned(int(row["entry_id"]), target, from_epoch(now), platform)
        return self.rules.earliest(item, done).timestamp()

    def _unaffordable(self, conn: Any, row: Any, client: C) -> list[Budget]:
        """The platform budgets (YouTube's quota) too low for this delivery's publish: it
        waits for their reset rather than being sent to fail. A reclaimed attempt that
        may already be out is not held back."""
        if row["state"] == "publishing":
            return []
        entry = self.store.entry(conn, int(row["entry_id"]))
        if entry is None:
            return []
        draft = entry.draft_for(row["target"], client.name)
        return [b for b in client.platform.publish_budget(draft) if not b.enough]

    # -- one delivery ------------------------------------------------------------------------

    def draft(self, claim: Claim, client: C) -> Draft:
        """What to send: the target's variant (or the draft) with the delivery's key, its
        links UTM-tagged when the calendar or the draft asks (see `utm_content`); a
        text the tags would push over the platform's limit goes as written.

        The same claim always gives the same text: the publish and the search for a
        lost attempt (`match`) both use this method.
        """
        entry = claim.entry
        draft = entry.draft_for(claim.target, client.name)
        sent = tag_draft(
            draft,
            self.utm,
            platform=client.name,
            content=utm_content(entry, claim.target, client.name),
            campaign=entry.campaign,
            fit=client.platform.rules,
        )
        return sent.model_copy(update={"idempotency_key": claim.key})

    def must_search(self, claim: Claim, client: C) -> bool:
        """Whether a lost attempt must be looked for among recent posts before retrying."""
        if not claim.uncertain:
            return False
        if client.platform.honours_idempotency_key and claim.first_attempt_at is not None:
            elapsed = self.clock() - claim.first_attempt_at
            return elapsed >= self.policy.idempotency_window.total_seconds()
        return True

    def can_search(self, client: C) -> bool:
        """Whether the platform can list the account's posts."""
        return Capability.READ_POSTS in client.capabilities

    def older(self, claim: Claim, post: Post) -> bool:
        """Whether ``post`` predates the delivery's first attempt (the search can stop)."""
        since = (claim.first_attempt_at or self.clock()) - self.policy.clock_skew.total_seconds()
        return post.created_at is not None and post.created_at.timestamp() < since

    def match(self, claim: Claim, client: C, posts: Iterable[Post]) -> Post | None:
        """The recent post that is this delivery's lost attempt, if any."""
        wanted = fingerprint(self.draft(claim, client).text)
        with self.store.read() as conn:
            taken = self.store.known_posts(conn, claim.target)
        for post in posts:
            if post.id in taken or post.reply_to_id is not None or self.older(claim, post):
                continue
            if fingerprint(post.text) == wanted:
                return post
        return None

    def begin(self, claim: Claim) -> bool:
        """Renew the lease right before the request, after a search for a lost attempt
        (a plain claim already noted its attempt); ``False`` if the lease was lost."""
        if not claim.uncertain:
            return True
        wall = self.clock()
        with self.store.write() as conn:
            ok = self.store.start_attempt(
                conn, claim.delivery_id, self.owner, wall, wall + self.policy.lease.total_seconds()
            )
        if not ok:
            self._skip.add(claim.delivery_id)
        return ok

    def succeeded(self, claim: Claim, client: C, post: Post, *, reconciled: bool) -> None:
        """Record the post and settle the entry."""
        now = self.now()
        with self.store.write() as conn:
            self.store.published(
                conn,
                claim.delivery_id,
                post_id=post.id,
                post_url=post.url,
                at=now,
                platform=client.name,
                post_state=post.state,
                post_state_reason=post.state_reason,
            )
            what = "reconciled" if reconciled else "delivered"
            verdict = "" if post.state == "published" else f" ({_verdict(post)})"
            self.store.log(conn, claim.entry.id, what, now, f"{claim.target}: {post.id}{verdict}")
            settle(self.store, conn, claim.entry, now)
        kind: OutcomeKind = "reconciled" if reconciled else "published"
        if post.state != "published":
            kind = post.state
        self.report.outcomes.append(
            Outcome(
                claim.entry.id,
                claim.target,
                kind,
                post_id=post.id,
                url=post.url,
                error=post.state_reason if post.state == "rejected" else None,
            )
        )

    # -- posts the platform still reviews ----------------------------------------------------

    def awaiting_review(self, *, every: float | None = None) -> list[Any]:
        """Published deliveries whose post is pending and due to be read again
        (``every`` seconds after the last read; `Policy.review_interval` by default)."""
        interval = self.policy.review_interval.total_seconds() if every is None else every
        with self.store.read() as conn:
            return self.store.awaiting_review(conn, self.now() - interval + 1e-6)

    def review_client(self, row: Any) -> C | None:
        """The client that can read a pending post, or ``None`` (reported as skipped)."""
        client = self.client(row["target"])
        why = self._broken.get(row["target"])
        if client is not None and Capability.READ_POSTS not in client.capabilities:
            why = f"{client.name} cannot read posts to learn the review outcome"
            client = None
        if client is None:
            self.report.outcomes.append(
                Outcome(
                    int(row["entry_id"]),
                    row["target"],
                    "skipped",
                    post_id=row["post_id"],
                    error=why,
                )
            )
        return client

    def reviewed(self, row: Any, post: Post | None, error: BaseException | None = None) -> None:
        """Record what ``get_post`` said about a pending post (or that it could not be read:
        the post stays pending and is read again later)."""
        now = self.now()
        entry_id, target = int(row["entry_id"]), row["target"]
        state = "pending" if post is None else post.state
        reason = row["post_state_reason"] if post is None else post.state_reason
        with self.store.write() as conn:
            changed = self.store.set_post_state(
                conn,
                int(row["id"]),
                post_state=state,
                reason=reason,
                post_url=None if post is None else post.url,
                at=now,
                post_id=None if post is None else post.id,  # a public id named only now
            )
            if changed and post is not None and state != "pending":
                detail = f"{target}: {post.id} ({_verdict(post)})"
                self.store.log(conn, entry_id, state, now, detail)
        if error is not None:  # still pending; read again on a later run
            self.report.outcomes.append(
                Outcome(
                    entry_id,
                    target,
                    "skipped",
                    post_id=row["post_id"],
                    error=f"the review outcome could not be read: {type(error).__name__}: {error}",
                )
            )
        elif changed and post is not None and state != "pending":  # still pending: no news
            kind: OutcomeKind = "rejected" if state == "rejected" else "published"
            self.report.outcomes.append(
                Outcome(
                    entry_id,
                    target,
                    kind,
                    post_id=post.id,
                    url=post.url,
                    error=reason if state == "rejected" else None,
                )
            )

    def attempt_failed(
        self, claim: Claim, client: C, error: BaseException, *, permanent: bool | None = None
    ) -> None:
        """Schedule a retry with backoff, or fail the delivery for good."""
        now = self.now()
        message = f"{type(error).__name__}: {error}"
        if permanent is None:
            permanent = isinstance(error, _PERMANENT)
        rate_limited = isinstance(error, RateLimited)
        uncertain = isinstance(error, PublishUncertain) or not (permanent or rate_limited)
        give_up = permanent or (claim.attempts >= self.policy.max_attempts and not rate_limited)
        with self.store.write() as conn:
            if give_up:
                if uncertain:
                    message += " (the last attempt's outcome is unknown: check the account)"
                self.store.release(
                    conn,
                    claim.delivery_id,
                    self.owner,
                    state=DeliveryState.FAILED,
                    error=message,
                    platform=client.name,
                )
                self.store.log(conn, claim.entry.id, "failure", now, f"{claim.target}: {message}")
                settle(self.store, conn, claim.entry, now)
                outcome = Outcome(claim.entry.id, claim.target, "failed", error=message)
            else:
                wait = self.policy.delay(claim.attempts).total_seconds()
                if isinstance(error, RateLimited) and error.retry_after is not None:
                    wait = max(wait, error.retry_after)
                due = now + wait
                self.store.release(
                    conn,
                    claim.delivery_id,
                    self.owner,
                    state=DeliveryState.PENDING,
                    due=due,
                    error=message,
                    uncertain=True if uncertain else None,
                    platform=client.name,
                    undo_attempt=rate_limited,
                )
                outcome = Outcome(
                    claim.entry.id, claim.target, "retrying", error=message, until=from_epoch(due)
                )
        self.report.outcomes.append(outcome)

    def unreconcilable(self, claim: Claim, client: C) -> None:
        """Fail a delivery whose lost attempt cannot be looked for: never risk a second post."""
        error = Unsupported(
            f"the outcome of an earlier attempt is unknown and {client.name} cannot list "
            "the account's posts to check; publish by hand if it is not there",
            platform=client.name,
        )
        self.attempt_failed(claim, client, error, permanent=True)


def utm_content(entry: Entry, target: str, platform: str) -> str:
    """The ``utm_content`` of an entry's links on a target: ``entry-<id>-<variant>``, the
    variant being the key of the variant sent (a target or platform name), else the platform.
    """
    variant = next((k for k in (target, platform) if k in entry.variants), platform)
    return f"entry-{entry.id}-{variant}"


def _verdict(post: Post) -> str:
    """How a post's state reads in the audit trail."""
    words = {"pending": "pending review", "rejected": "rejected", "published": "public"}
    reason = f": {post.state_reason}" if post.state_reason else ""
    return words[post.state] + reason


def settle(store: Ledger, conn: Any, entry: Entry, now: float) -> State:
    """Move an entry to the state its deliveries put it in, through the legal steps."""
    current = store.entry_state(conn, entry.id)
    wanted = settled_state(
        current, store.delivery_states(conn, entry.id), store.attempted(conn, entry.id)
    )
    if wanted is current:
        return current
    if current is State.SCHEDULED and wanted in (State.PUBLISHED, State.FAILED):
        check_transition(entry.id, current, State.PUBLISHING)
        store.set_state(conn, entry.id, State.PUBLISHING, now)
        current = State.PUBLISHING
    check_transition(entry.id, current, wanted)
    store.set_state(conn, entry.id, wanted, now)
    return wanted


def apply_post_event(store: Ledger, event: Event, now: float) -> list[Outcome]:
    """Record what a post status event a platform pushed says about the pending
    deliveries it names; the outcomes of those it settled (none for other events).

    Such events (TikTok's ``post.publish.*`` webhooks, parsed by
    `socialkit.webhooks.TikTokReceiver` into `PostEvent`) end the wait for
    `Policy.review_interval` early:

    - ``failed``: the post is rejected, with the platform's reason;
    - ``publicly_available``, or ``published`` naming the post: it is public (a public
      id the platform names only now replaces the publish id);
    - ``published`` without the post's id (TikTok's ``post.publish.complete`` of a
      public post, which is still moderated): the next run reads it at once.

    An event is a hint (at least once, possibly late): one for a post that is no longer
    pending, or that the calendar never published, changes nothing.
    """
    if not isinstance(event, PostEvent):
        return []
    if event.status not in ("published", "publicly_available", "failed"):
        return []
    ids = [i for i in (event.publish_id, event.post_id) if i]
    outcomes: list[Outcome] = []
    with store.write() as conn:
        for row in store.pending_posts(conn, event.platform, ids):
            entry_id, target = int(row["entry_id"]), str(row["target"])
            if event.status == "published" and not event.post_id:
                store.recheck(conn, int(row["id"]))
                store.log(conn, entry_id, "pushed", now,
                          f"{target}: {row['post_id']} published, awaiting its public id")
                continue
            state = "rejected" if event.status == "failed" else "published"
            reason = (event.reason or "failed") if state == "rejected" else None
            post_id = event.post_id or str(row["post_id"])
            if not store.set_post_state(conn, int(row["id"]), post_state=state, reason=reason,
                                        post_url=None, at=now, post_id=post_id):
                continue
            verdict = f"rejected: {reason}" if reason else "now public"
            store.log(conn, entry_id, state, now, f"{target}: {post_id} ({verdict}, pushed)")
            kind: OutcomeKind = "rejected" if reason else "published"
            outcomes.append(Outcome(entry_id, target, kind, post_id=post_id, error=reason))
    return outcomes


def auto_resume(store: Ledger, policy: Policy, now: float) -> list[Outcome]:
    """End a pause whose ``until`` has passed (see `resume`)."""
    with store.read() as conn:
        pause = store.setting(conn, "pause")
    if pause is None or pause.get("until") is None or now < pause["until"]:
        return []
    return resume(store, policy, now)


def resume(store: Ledger, policy: Policy, now: float) -> list[Outcome]:
    """End the pause. With ``on_resume="skip"``, deliveries that fell due during the pause
    and are more than ``grace`` late are marked missed; the rest go out as usual."""
    missed: list[Outcome] = []
    with store.write() as conn:
        pause = store.setting(conn, "pause")
        if pause is None:
            return []
        store.set_setting(conn, "pause", None)
        store.log(conn, None, "resume", now, pause["reason"])
        if policy.on_resume == "skip":
            since = pause["since"]
            reason = f"missed: the calendar was paused ({pause['reason']})"
            for row in store.held(conn, now - policy.grace.total_seconds()):
                if row["due"] < since:
                    continue
                store.miss(conn, row["id"], reason)
                entry = store.entry(conn, row["entry_id"])
                assert entry is not None
                settle(store, conn, entry, now)
                missed.append(Outcome(row["entry_id"], row["target"], "missed", error=reason))
    return missed


def wall_clock() -> float:
    """Seconds since the epoch, now."""
    return now_utc().timestamp()


class _Scan:
    """Collects an account's recent posts (newest first) until a run of older ones.

    A run, not the first older post: a boost shows with the boosted post's time.
    """

    OLDER_RUN = 20

    def __init__(self, dispatcher: Dispatcher[Any], claim: Claim) -> None:
        self.dispatcher = dispatcher
        self.claim = claim
        self.recent: list[Post] = []
        self._older = 0
        self.reached_older = False

    def feed(self, post: Post) -> bool:
        """Take one post; ``False`` once the search can stop."""
        if self.dispatcher.older(self.claim, post):
            self._older += 1
            self.reached_older = self._older >= self.OLDER_RUN
            return not self.reached_older
        self._older = 0
        self.recent.append(post)
        return True

    def check_complete(self, stopped_early: str | None, platform: str) -> None:
        """A search that found nothing proves nothing if the listing broke off before the
        posts older than the first attempt: then the outcome stays unknown, and nothing is
        published again."""
        if stopped_early and not self.reached_older:
            raise PublishUncertain(
                f"the account's recent posts could not be read to the end ({stopped_early}):"
                " the lost attempt may be among them; not publishing again",
                platform=platform,
                idempotency_key=self.claim.key,
            )


# -- the two loops --------------------------------------------------------------------------------


def run_sync(
    dispatcher: Dispatcher[Client], *, limit: int | None = None, reviews: bool = True
) -> DispatchReport:
    """Publish every due delivery with sync clients, one after another; then (with
    ``reviews``) read again the posts still pending review."""
    try:
        targets = dispatcher.start()
        done = 0
        while targets and (limit is None or done < limit):
            claim = dispatcher.claim(targets)
            if claim is None:
                break
            done += 1
            _deliver_sync(dispatcher, claim)
        if reviews:
            check_reviews_sync(dispatcher)
    finally:
        for client in dispatcher.made():
            client.close()
    return dispatcher.report


def _deliver_sync(dispatcher: Dispatcher[Client], claim: Claim) -> None:
    client = dispatcher.client(claim.target)
    assert client is not None
    try:
        if dispatcher.must_search(claim, client):
            if not dispatcher.can_search(client):
                dispatcher.unreconcilable(claim, client)
                return
            scan = _Scan(dispatcher, claim)
            listing = client.posts(limit=dispatcher.policy.reconcile_scan)
            for post in listing:
                if not scan.feed(post):
                    break
            found = dispatcher.match(claim, client, scan.recent)
            if found is not None:
                dispatcher.succeeded(claim, client, found, reconciled=True)
                return
            scan.check_complete(listing.stopped_early, client.name)
        if not dispatcher.begin(claim):
            return
        post = client.publish(dispatcher.draft(claim, client))
    except Exception as error:
        dispatcher.attempt_failed(claim, client, error)
        return
    dispatcher.succeeded(claim, client, post, reconciled=False)


def check_reviews_sync(dispatcher: Dispatcher[Client], *, every: float | None = None) -> None:
    """Read each post pending review with ``get_post`` and record its verdict."""
    for row in dispatcher.awaiting_review(every=every):
        client = dispatcher.review_client(row)
        if client is None:
            continue
        try:
            post = client.get_post(row["post_id"])
        except SocialkitError as error:
            dispatcher.reviewed(row, None, error)
        else:
            dispatcher.reviewed(row, post)


async def check_reviews_async(
    dispatcher: Dispatcher[AsyncClient], *, every: float | None = None
) -> None:
    """`check_reviews_sync` with async clients (the store off the event loop)."""
    for row in await off_loop(dispatcher.awaiting_review, every=every):
        dispatcher.made_client(row["target"])  # a factory runs on the loop
        client = await off_loop(dispatcher.review_client, row)
        if client is None:
            continue
        try:
            post = await client.get_post(row["post_id"])
        except SocialkitError as error:
            await off_loop(dispatcher.reviewed, row, None, error)
        else:
            await off_loop(dispatcher.reviewed, row, post)


async def run_async(
    dispatcher: Dispatcher[AsyncClient],
    *,
    limit: int | None = None,
    concurrency: int = 4,
    reviews: bool = True,
) -> DispatchReport:
    """Publish every due delivery with async clients, ``concurrency`` at a time; then
    (with ``reviews``) read again the posts still pending review. Each store
    transaction runs in a worker thread (`off_loop`)."""
    budget = [limit]

    async def worker(targets: list[str]) -> None:
        while True:
            if budget[0] is not None:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            claim = await off_loop(dispatcher.claim, targets)
            if claim is None:
                return
            await _deliver_async(dispatcher, claim)

    try:
        targets = await off_loop(dispatcher.due)
        for target in targets:
            dispatcher.made_client(target)  # a factory runs on the loop
        targets = await off_loop(dispatcher.ready, targets)
        if targets:
            async with anyio.create_task_group() as group:
                for _ in range(max(1, concurrency)):
                    group.start_soon(worker, targets)
        if reviews:
            await check_reviews_async(dispatcher)
    finally:
        for client in dispatcher.made():
            await client.aclose()
    return dispatcher.report


async def _deliver_async(dispatcher: Dispatcher[AsyncClient], claim: Claim) -> None:
    client = dispatcher.made_client(claim.target)  # made (and known) by `ready`
    assert client is not None
    try:
        if dispatcher.must_search(claim, client):
            if not dispatcher.can_search(client):
                await off_loop(dispatcher.unreconcilable, claim, client)
                return
            scan = _Scan(dispatcher, claim)
            listing = client.posts(limit=dispatcher.policy.reconcile_scan)
            async for post in listing:
                if not scan.feed(post):
                    break
            found = await off_loop(dispatcher.match, claim, client, scan.recent)
            if found is not None:
                await off_loop(dispatcher.succeeded, claim, client, found, reconciled=True)
                return
            scan.check_complete(listing.stopped_early, client.name)
        if not await off_loop(dispatcher.begin, claim):
            return
        post = await client.publish(dispatcher.draft(claim, client))
    except Exception as error:
        await off_loop(dispatcher.attempt_failed, claim, client, error)
        return
    await off_loop(dispatcher.succeeded, claim, client, post, reconciled=False)
