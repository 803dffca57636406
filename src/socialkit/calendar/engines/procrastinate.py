"""The calendar's dispatcher on procrastinate (PostgreSQL-native jobs; the
``procrastinate`` extra).

```python
import procrastinate
import socialkit as sk
from socialkit.calendar import Calendar
from socialkit.calendar.engines.procrastinate import register

app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=URL))
tasks = register(app, calendar=lambda: Calendar(URL), clients=lambda: sk.connect)
# procrastinate worker -q socialkit   (on as many machines as you like)
```

`register` adds two tasks to an app or blueprint:

- ``socialkit.calendar.dispatch_due``, periodic (every 15 s by default): lists the due
  deliveries and those whose lease expired (the sweep for crashed workers), and defers
  one ``deliver`` job per delivery, with a queueing lock per delivery so a backlog does
  not pile up copies.
- ``socialkit.calendar.deliver``: publishes one delivery with `Calendar.run_one`, which
  re-claims its row in the ledger first: a duplicate or stale job does nothing. Its
  retries are off: a failed attempt is retried by the ledger's own backoff (and
  reconciled if its outcome is unknown), through a later ``dispatch_due``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...engines.procrastinate import register_sweep
from ..core import Calendar
from . import CalendarTasks, Clients, calendar_jobs

if TYPE_CHECKING:
    import procrastinate

__all__ = ["CalendarTasks", "register"]


def register(
    app: procrastinate.App | procrastinate.Blueprint,
    *,
    calendar: Callable[[], Calendar],
    clients: Callable[[], Clients],
    queue: str = "socialkit",
    cron: str = "*/15 * * * * *",
) -> CalendarTasks:
    """Add the calendar's tasks to ``app``.

    Args:
        app: A procrastinate app or blueprint.
        calendar: Opens the calendar (each job opens and closes one).
        clients: The clients per target, or a factory (``lambda: sk.connect``).
        queue: The queue of both tasks.
        cron: How often ``dispatch_due`` runs (six fields: seconds first... last; see
            procrastinate's periodic tasks).
    """

    due, deliver = calendar_jobs(calendar, clients)
    sweep, job = register_sweep(
        app,
        sweep="socialkit.calendar.dispatch_due",
        job="socialkit.calendar.deliver",
        keys=due,
        work=deliver,
        queue=queue,
        cron=cron,
    )
    return CalendarTasks(dispatch_due=sweep, deliver=job)
