"""The inbox's refreshes and sends on procrastinate (the ``procrastinate`` extra).

```python
import procrastinate
import socialkit as sk
from socialkit.replies import Inbox, InboxStore
from socialkit.replies.engines.procrastinate import register

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=URL))
tasks = register(
    app,
    inbox=lambda account: Inbox({account: sk.connect(account)}, InboxStore(URL)),
    accounts=lambda: ["brand", "support"],
)
# procrastinate worker -q socialkit   (on as many machines as you like)
```

`register` adds two tasks to an app or blueprint:

- ``socialkit.inbox.tick``, periodic (every 30 s by default): defers one ``consume``
  job per account, with a queueing lock per account so a backlog does not pile up
  copies.
- ``socialkit.inbox.consume``: `socialkit.replies.engines.consume`: takes the account's
  lease in the store (a duplicate or stale job finds it held and does nothing),
  refreshes it and sends its approved replies, each exactly once through the send
  ledger. Its retries are off: the next tick is the retry, and a reply whose outcome is
  unknown is reconciled then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from ...engines.procrastinate import register_sweep
from . import Consumer, InboxTasks, consume_job

if TYPE_CHECKING:
    import procrastinate

__all__ = ["InboxTasks", "register"]


def register(
    app: procrastinate.App | procrastinate.Blueprint,
    *,
    inbox: Consumer,
    accounts: Callable[[], Sequence[str]],
    queue: str = "socialkit",
    cron: str = "*/30 * * * * *",
    lease: timedelta = timedelta(minutes=5),
) -> InboxTasks:
    """Add the inbox's tasks to ``app``.

    Args:
        app: A procrastinate app or blueprint.
        inbox: Opens the `Inbox` (or `Bot`) of one account by its name.
        accounts: The names of the accounts to look at, read at each tick.
        queue: The queue of both tasks.
        cron: How often ``tick`` runs (six fields, seconds first; see procrastinate's
            periodic tasks).
        lease: How long one job holds its account (longer than a refresh and its sends).
    """

    tick, job = register_sweep(
        app,
        sweep="socialkit.inbox.tick",
        job="socialkit.inbox.consume",
        keys=accounts,
        work=consume_job(inbox, lease),
        queue=queue,
        cron=cron,
    )
    return InboxTasks(tick=tick, consume=job)
