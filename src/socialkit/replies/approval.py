"""Sending approved replies exactly once: the key-and-ledger discipline.

For each approved item, `send_job`:

1. takes a **lease** on the item in the store (``claim``), so two senders never
   work on one item at the same time;
2. records ``send_state = "sending"`` — the draft and its idempotency key are
   already stored — renews the lease, and commits, **before** the request;
3. sends the reply with the draft's idempotency key (platforms that honour it,
   Mastodon among them, de-duplicate a repeated request);
4. records the reply's id and the ``replied`` stage.

If the process dies between 2 and 4, or the platform answers
`PublishUncertain`, the item stays ``"sending"``: the next sender
**reconciles** first — it reads the thread for a reply by the account to that
message — and only resends when there is none (with the same key). Where the
thread cannot be read and the platform does not honour idempotency keys, the
item is reported as uncertain rather than risk a second reply.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal

import attrs

from .._records import Record
from ..crashpoints import crash_point
from ..errors import (
    NotFound,
    ParseError,
    PlatformError,
    PublishUncertain,
    RateLimited,
    SocialkitError,
    TransportError,
    Unsupported,
)
from ..models import Account, Comment
from ..monitoring import _ops as ops
from .items import InboxItem, Stage
from .store import InboxStore

__all__ = ["SendOutcome", "SendResult", "Sender", "find_reply"]

SendResult = Literal["sent", "reconciled", "uncertain", "failed", "busy"]


@attrs.frozen
class SendOutcome(Record):
    """What happened to one approved item.

    ``result``: ``sent``; ``reconciled`` (an earlier attempt had gone through);
    ``uncertain`` (the outcome is unknown: tried again at the next send);
    ``failed`` (the platform refused; ``error`` says why); ``busy`` (another
    sender holds its lease).
    """

    item: InboxItem
    result: SendResult
    error: str | None = None


def find_reply(item: InboxItem, me: Account) -> ops.Job[tuple[Comment | None, bool]]:
    """Look in the thread for the account's reply to ``item``: ``(reply, could_look)``."""
    root, parent = item.thread
    try:
        comments = yield from ops.comments(root)
    except (Unsupported, NotFound, ParseError):  # ParseError: the thread broke off early
        return None, False
    for comment in comments:
        if (
            comment.author is not None
            and comment.author.id == me.id
            and comment.reply_to_id == parent
        ):
            return comment, True
    return None, True


@attrs.define
class Sender:
    """Sends one account's approved replies through a store's ledger.

    Attributes:
        store: The ledger. ``owner``: this sender's lease name.
        lease: How long a claim lasts (longer than one send can take).
        honours_key: Whether the platform de-duplicates on the idempotency key.
        clock: The current time (UTC).
    """

    store: InboxStore
    owner: str
    lease: timedelta
    honours_key: bool
    clock: Callable[[], datetime]

    def job(
        self, items: list[InboxItem], me: Account
    ) -> ops.Job[tuple[list[SendOutcome], RateLimited | None]]:
        """Send ``items``; stop at a rate limit (returned, with the outcomes so far)."""
        outcomes: list[SendOutcome] = []
        for item in items:
            now = self.clock()
            claimed = self.store.claim(item.key, self.owner, now + self.lease, now)
            if claimed is None:
                outcomes.append(SendOutcome(item, "busy"))
                continue
            try:
                outcome = yield from self._send(claimed, me)
            except RateLimited as limited:
                self.store.release(claimed.key, self.owner, self.clock(), error=str(limited))
                return outcomes, limited
            outcomes.append(outcome)
        return outcomes, None

    def _send(self, item: InboxItem, me: Account) -> ops.Job[SendOutcome]:
        if item.send_state == "sending":  # an earlier attempt's outcome is unknown
            reconciled = yield from self._reconcile(item, me)
            if reconciled is not None:
                return reconciled
        if item.draft is None:  # cannot happen through the inbox; a hand-edited store
            error = "approved without a draft"
            self.store.release(item.key, self.owner, self.clock(), send_state="failed", error=error)
            return SendOutcome(self.store.get(item.key), "failed", error)
        now = self.clock()  # the lease is renewed: a reconciliation may have taken a while
        self.store.mark_sending(item.key, self.owner, now, now + self.lease)
        for attempt in (1, 2):
            try:
                reply = yield from ops.reply(item.target, item.draft)
            except PublishUncertain:
                if attempt == 2:
                    break
                reconciled = yield from self._reconcile(item, me)
                if reconciled is not None:
                    return reconciled
                continue
            except (TransportError, PlatformError) as exc:
                if isinstance(exc, PlatformError) and (exc.status or 500) < 500:
                    return self._failed(item, exc)
                break  # it may have landed: reconcile at the next send
            except RateLimited:
                raise
            except SocialkitError as exc:  # refused: InvalidContent, NotFound, AuthError, ...
                return self._failed(item, exc)
            crash_point("after-response")  # chaos tests: the reply is out, not yet recorded
            return SendOutcome(self._finish(item, reply, "sent"), "sent")
        error = "the reply's outcome is unknown; it is checked before the next attempt"
        self.store.release(item.key, self.owner, self.clock(), error=error)
        return SendOutcome(self.store.get(item.key), "uncertain", error)

    def _reconcile(self, item: InboxItem, me: Account) -> ops.Job[SendOutcome | None]:
        """A finished outcome when the reply is found (or cannot be safely retried)."""
        found, could_look = yield from find_reply(item, me)
        if found is not None:
            return SendOutcome(self._finish(item, found, "reconciled"), "reconciled")
        if not could_look and not self.honours_key:
            error = "cannot check the thread for an earlier reply; not resending"
            self.store.release(item.key, self.owner, self.clock(), error=error)
            return SendOutcome(self.store.get(item.key), "uncertain", error)
        return None

    def _failed(self, item: InboxItem, exc: SocialkitError) -> SendOutcome:
        self.store.release(item.key, self.owner, self.clock(), send_state="failed", error=str(exc))
        return SendOutcome(self.store.get(item.key), "failed", str(exc))

    def _finish(self, item: InboxItem, reply: Comment, how: str) -> InboxItem:
        now = self.clock()
        return self.store.transition(
            item.key,
            Stage.REPLIED,
            by=item.approved_by,
            note=f"{how} as {reply.id}",
            expect=[Stage.APPROVED],
            now=now,
            reply_id=reply.id,
            replied_at=now,
            send_state="sent",
            lease_owner=None,
            lease_until=None,
            error=None,
        )
