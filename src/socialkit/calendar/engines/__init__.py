"""Thin adapters that let a task engine decide *when* calendar workers look.

The exactly-once guarantee stays in the ledger (see `socialkit.calendar.dispatch`): a
periodic task lists what is due (and what an expired lease holds: the sweep), each
delivery becomes a job that re-claims its own row with `Calendar.run_one`, and the
engine's retries are off. A duplicate, late or redelivered job finds its row taken or
done and does nothing. Each adapter needs its engine's extra:

- `socialkit.calendar.engines.procrastinate` (``socialkit[procrastinate]``).
- `socialkit.calendar.engines.celery` (``socialkit[celery]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ...client import Client
from ...engines import Job, Keys
from ..core import Calendar

__all__ = ["CalendarTasks", "Clients", "calendar_jobs"]


@attrs.frozen
class CalendarTasks:
    """The tasks an adapter's `register` added: run ``dispatch_due`` to look at once
    (``dispatch_due.delay()`` on Celery, ``dispatch_due.defer(timestamp=0)`` on
    procrastinate); ``deliver`` publishes one delivery, by its id as ``key``."""

    dispatch_due: Any
    deliver: Any


Clients = Mapping[str, Client] | Callable[[str], Client]
"""The clients per target, or a factory of them (``sk.connect``)."""


def calendar_jobs(
    calendar: Callable[[], Calendar], clients: Callable[[], Clients]
) -> tuple[Keys, Job]:
    """What a sweep lists (the due deliveries, expired leases included) and what one job
    does (`Calendar.run_one`, which re-claims the row first); each opens its calendar."""

    def due() -> list[int]:
        with calendar() as cal:
            return cal.due_deliveries()

    def deliver(delivery_id: int | str) -> str:
        with calendar() as cal:
            return str(cal.run_one(int(delivery_id), clients()))

    return due, deliver
