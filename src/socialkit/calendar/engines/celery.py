"""The calendar's dispatcher on Celery (the ``celery`` extra; Redis or any broker).

```python
from celery import Celery
import socialkit as sk
from socialkit.calendar import Calendar
from socialkit.calendar.engines.celery import register

app = Celery("myapp", broker="redis://localhost:6379/0")
tasks = register(app, calendar=lambda: Calendar(URL), clients=lambda: sk.connect)
# celery -A myapp worker -B     (beat runs the sweep; one beat for the whole cluster)
```

`register` adds two tasks and a beat entry:

- ``socialkit.calendar.dispatch_due``, every 15 s by beat: lists the due deliveries
  and those whose lease expired (the sweep for crashed workers), and sends one
  ``deliver`` task per delivery, expiring at the next sweep (which sends it again if
  the delivery is still due), so a backlog does not pile up copies.
- ``socialkit.calendar.deliver``: publishes one delivery with `Calendar.run_one`,
  which re-claims its row in the ledger first: a duplicate, redelivered or stale
  message does nothing. It is ``acks_late`` with ``reject_on_worker_lost`` (a
  killed worker's message comes back rather than being lost) and never retried by
  Celery (``max_retries=0``): the ledger retries with its own backoff and reconciles
  an attempt whose outcome is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...engines.celery import register_sweep
from ..core import Calendar
from . import CalendarTasks, Clients, calendar_jobs

if TYPE_CHECKING:
    import celery

__all__ = ["CalendarTasks", "register"]


def register(
    app: celery.Celery,
    *,
    calendar: Callable[[], Calendar],
    clients: Callable[[], Clients],
    queue: str = "socialkit",
    every: float = 15.0,
) -> CalendarTasks:
    """Add the calendar's tasks to ``app`` (routed to ``queue``), and ``dispatch_due`` to its
    beat schedule.

    Args:
        app: The Celery app.
        calendar: Opens the calendar (each task opens and closes one).
        clients: The clients per target, or a factory (``lambda: sk.connect``).
        queue: The queue of both tasks.
        every: Seconds between two sweeps by beat.
    """

    due, deliver = calendar_jobs(calendar, clients)
    sweep, job = register_sweep(
        app,
        sweep="socialkit.calendar.dispatch_due",
        job="socialkit.calendar.deliver",
        keys=due,
        work=deliver,
        queue=queue,
        every=every,
    )
    return CalendarTasks(dispatch_due=sweep, deliver=job)
