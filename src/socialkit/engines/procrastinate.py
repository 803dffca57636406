"""A sweep and its jobs on procrastinate: the sweep is a periodic task, retries are off.

The sweep defers one job per key with a queueing lock per key, so a key whose job is
still waiting is not queued twice, and holds a queueing lock of its own.
"""

from __future__ import annotations

from typing import Any

from . import Job, Keys

try:
    import procrastinate
    from procrastinate.exceptions import AlreadyEnqueued
except ImportError as exc:  # pragma: no cover - depends on the extra
    raise ImportError(
        "the procrastinate adapter needs procrastinate: pip install 'socialkit[procrastinate]'"
    ) from exc

__all__ = ["register_sweep"]


def register_sweep(
    app: procrastinate.App | procrastinate.Blueprint,
    *,
    sweep: str,
    job: str,
    keys: Keys,
    work: Job,
    queue: str,
    cron: str,
) -> tuple[Any, Any]:
    """Add the tasks ``sweep`` (periodic on ``cron``, which defers one ``job`` per key) and
    ``job`` (which calls ``work`` with its key) to ``app`` in ``queue``; returns both."""

    @app.task(name=job, queue=queue, retry=False)
    def run_job(key: int | str) -> str:
        return work(key)

    @app.periodic(cron=cron, periodic_id=sweep)
    @app.task(name=sweep, queue=queue, retry=False, queueing_lock=sweep)
    def run_sweep(timestamp: int) -> int:
        found = list(keys())
        for key in found:
            try:
                run_job.configure(queueing_lock=f"{job}:{key}").defer(key=key)
            except AlreadyEnqueued:  # a job for it is already waiting
                continue
        return len(found)

    return run_sweep, run_job
