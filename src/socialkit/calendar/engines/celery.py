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

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ...client import Client
from ..core import Calendar

try:
    import celery
except ImportError as exc:  # pragma: no cover - depends on the extra
    raise ImportError("the Celery adapter needs celery: pip install 'socialkit[celery]'") from exc

__all__ = ["CalendarTasks", "register"]

Clients = Mapping[str, Client] | Callable[[str], Client]


@attrs.frozen
class CalendarTasks:
    """The tasks `register` added: ``dispatch_due.delay()`` looks at once."""

    dispatch_due: Any
    deliver: Any


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

    @app.task(  # type: ignore[untyped-decorator]
        name="socialkit.calendar.deliver",
        shared=False,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=0,
        ignore_result=True,
    )
    def deliver(delivery_id: int) -> str:
        with calendar() as cal:
            return str(cal.run_one(delivery_id, clients()))

    @app.task(  # type: ignore[untyped-decorator]
        name="socialkit.calendar.dispatch_due",
        shared=False,
        max_retries=0,
        ignore_result=True,
    )
    def dispatch_due() -> int:
        with calendar() as cal:
            due = cal.due_deliveries()
        for delivery_id in due:  # a job still waiting at the next sweep is dropped, not piled up
            deliver.apply_async(kwargs={"delivery_id": delivery_id}, queue=queue, expires=every)
        return len(due)

    routes = app.conf.task_routes
    if routes is None or isinstance(routes, dict):  # a router list or function: yours to extend
        app.conf.task_routes = {
            **(routes or {}),
            "socialkit.calendar.deliver": {"queue": queue},
            "socialkit.calendar.dispatch_due": {"queue": queue},
        }
    schedule = dict(app.conf.beat_schedule or {})
    schedule["socialkit.calendar.dispatch_due"] = {
        "task": "socialkit.calendar.dispatch_due",
        "schedule": every,
        "options": {"queue": queue, "expires": every},
    }
    app.conf.beat_schedule = schedule
    return CalendarTasks(dispatch_due=dispatch_due, deliver=deliver)
