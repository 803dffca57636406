"""The inbox's refreshes and sends on Celery (the ``celery`` extra; Redis or any broker).

```python
from celery import Celery
import socialkit as sk
from socialkit.replies import Inbox, InboxStore
from socialkit.replies.engines.celery import register

app = Celery("myapp", broker="redis://localhost:6379/0")
tasks = register(
    app,
    inbox=lambda account: Inbox({account: sk.connect(account)}, InboxStore(URL)),
    accounts=lambda: ["brand", "support"],
)
# celery -A myapp worker -B     (one beat for the whole cluster)
```

`register` adds two tasks and a beat entry:

- ``socialkit.inbox.tick``, every 30 s by beat: sends one ``consume`` task per account,
  expiring at the next tick (which sends it again), so a backlog does not pile up
  copies.
- ``socialkit.inbox.consume``: `socialkit.replies.engines.consume`: takes the account's
  lease in the store (a duplicate, redelivered or stale message finds it held and does
  nothing), refreshes it and sends its approved replies, each exactly once through the
  send ledger. It is ``acks_late`` with ``reject_on_worker_lost`` (a killed worker's
  message comes back) and never retried by Celery (``max_retries=0``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from ...engines.celery import register_sweep
from . import Consumer, InboxTasks, consume_job

if TYPE_CHECKING:
    import celery

__all__ = ["InboxTasks", "register"]


def register(
    app: celery.Celery,
    *,
    inbox: Consumer,
    accounts: Callable[[], Sequence[str]],
    queue: str = "socialkit",
    every: float = 30.0,
    lease: timedelta = timedelta(minutes=5),
) -> InboxTasks:
    """Add the inbox's tasks to ``app`` (routed to ``queue``), and ``tick`` to its beat
    schedule.

    Args:
        app: The Celery app.
        inbox: Opens the `Inbox` (or `Bot`) of one account by its name.
        accounts: The names of the accounts to look at, read at each tick.
        queue: The queue of both tasks.
        every: Seconds between two ticks by beat.
        lease: How long one task holds its account (longer than a refresh and its sends).
    """

    tick, job = register_sweep(
        app,
        sweep="socialkit.inbox.tick",
        job="socialkit.inbox.consume",
        keys=accounts,
        work=consume_job(inbox, lease),
        queue=queue,
        every=every,
    )
    return InboxTasks(tick=tick, consume=job)
