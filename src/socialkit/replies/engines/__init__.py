"""Thin adapters that let a task engine decide *when* the inbox is refreshed and sent.

A periodic task defers one job per account; the job becomes the account's one
consumer by taking its lease in the store (`InboxStore.hold_account`, on the database
clock on PostgreSQL), refreshes it and sends its approved replies (`Inbox.refresh` and
`Inbox.send`, or one `Bot.run_once`), and lets go. A duplicate or redelivered job finds
the account held and does nothing; a killed consumer's lease expires and the next job
takes over. Exactly-once replies stay in the send ledger (each item's lease, the
idempotency key stored before the request, reconciliation), never in the queue, and the
engine's retries are off. Each adapter needs its engine's extra:

- `socialkit.replies.engines.procrastinate` (``socialkit[procrastinate]``).
- `socialkit.replies.engines.celery` (``socialkit[celery]``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ..bot import Bot
from ..inbox import Inbox

__all__ = ["Consumer", "consume"]

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
        try:
            if isinstance(opened, Bot):
                report = opened.run_once()
                return f"{len(report.new)} new, {len(report.sent.sent) if report.sent else 0} sent"
            refreshed = opened.refresh()
            sent = opened.send()
            return f"{len(refreshed.new)} new, {len(sent.sent) + len(sent.reconciled)} sent"
        finally:
            store.let_go_account(account, owner)
    finally:
        store.close()
