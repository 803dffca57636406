"""Thin adapters that let a task engine decide *when* calendar workers look.

The exactly-once guarantee stays in the ledger (see `socialkit.calendar.dispatch`): a
periodic task lists what is due (and what an expired lease holds: the sweep), each
delivery becomes a job that re-claims its own row with `Calendar.run_one`, and the
engine's retries are off. A duplicate, late or redelivered job finds its row taken or
done and does nothing. Each adapter needs its engine's extra:

- `socialkit.calendar.engines.procrastinate` (``socialkit[procrastinate]``).
- `socialkit.calendar.engines.celery` (``socialkit[celery]``).
"""

__all__: list[str] = []
