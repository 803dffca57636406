"""Thin adapters that let a task engine decide *when* the inbox is refreshed and sent.

A periodic task defers one job per account; the job becomes the account's one
consumer by taking its lease in the store (`InboxStore.hold_account`, on the database
clock on PostgreSQL), refreshes it and sends its approved replies (`Inbox.refresh` and
`Inbox.send`, or one `Bot.run_once`), and lets go. A duplicate or redelivered job finds
the account held and does nothing; a killed consumer's lease expires and the next job
takes over. Each job records the account's heartbeat (taking the lease) and its last
tick (letting go, with what it did), so `Inbox.status` and ``socialkit inbox status``
say whether the consumers are running. Exactly-once replies stay in the send ledger
(each item's lease, the idempotency key stored before the request, reconciliation),
never in the queue, and the engine's retries are off. Each adapter needs its engine's extra:

- `socialkit.replies.engines.procrastinate` (``socialkit[procrastinate]``).
- `socialkit.replies.engines.celery` (``socialkit[celery]``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from ...errors import SocialkitError
from ..bot import Bot
from ..inbox import Inbox

__all__ = ["Consumer", "InboxTasks", "consume", "consume_job"]


@attrs.frozen
class InboxTasks:
    """The tasks an adapter's `register` added: run ``tick`` to look at once
    (``tick.delay()`` on Celery, ``tick.defer(timestamp=0)`` on procrastinate);
    ``consume`` serves one account, by its name as ``key``."""

    tick: Any
    consume: Any


Consumer = Callable[[str], Inbox | Bot]
"""Opens the inbox (or bot) of one account by its name; each job opens and closes one."""


def consume(open_consumer: Consumer, account: str, *, lease: timedelta) -> str:
    """One job for ``account``: refresh it and send its approved replies, as its one
    consumer; ``"busy"`` when another consumer holds it, else what was done.

    Args:
        open_consumer: Opens the account's `Inbox` or `Bot` (its store is closed after).
        account: The account's name.
        lease: How long the account is held (longer than one refresh and its sends).
    """
    opened = open_consumer(account)
    inbox = opened.inbox if isinstance(opened, Bot) else opened
    store, owner = inbox.store, inbox.owner
    try:
        now = datetime.now(UTC)
        if not store.hold_account(account, owner, now + lease, now):
            return "busy"
        done = "failed"
        try:
            done = _round(opened)
            return done
        except SocialkitError as exc:
            done = f"failed: {exc}"
            raise
        except Exception as exc:  # its message may name more than a status line should
            done = f"failed: {type(exc).__name__}"
            raise
        finally:
            store.let_go_account(account, owner, tick=done)
    finally:
        store.close()


def _round(opened: Inbox | Bot) -> str:
    """One refresh and send of a held account: what it did, in a line."""
    if isinstance(opened, Bot):
        report = opened.run_once()
        return f"{len(report.new)} new, {len(report.sent.sent) if report.sent else 0} sent"
    refreshed = opened.refresh()
    sent = opened.send()
    return f"{len(refreshed.new)} new, {len(sent.sent) + len(sent.reconciled)} sent"


def consume_job(open_consumer: Consumer, lease: timedelta) -> Callable[[int | str], str]:
    """One engine job: `consume` the account it is given."""

    def job(account: int | str) -> str:
        return consume(open_consumer, str(account), lease=lease)

    return job
