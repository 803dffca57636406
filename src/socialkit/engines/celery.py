"""A sweep and its jobs on Celery: beat runs the sweep, each job is ``acks_late``.

The job is ``acks_late`` with ``reject_on_worker_lost`` (a killed worker's message
comes back rather than being lost) and never retried by Celery (``max_retries=0``).
The sweep sends each job with an expiry at the next sweep, which sends it again if
it is still due, so a backlog does not pile up copies.
"""

from __future__ import annotations

from typing import Any

from . import Job, Keys

try:
    import celery
except ImportError as exc:  # pragma: no cover - depends on the extra
    raise ImportError("the Celery adapter needs celery: pip install 'socialkit[celery]'") from exc

__all__ = ["register_sweep"]


def register_sweep(
    app: celery.Celery, *, sweep: str, job: str, keys: Keys, work: Job, queue: str, every: float
) -> tuple[Any, Any]:
    """Add the tasks ``sweep`` (which sends one ``job`` per key, every ``every`` seconds by
    beat) and ``job`` (which calls ``work`` with its key) to ``app``, routed to ``queue``;
    returns both tasks."""

    @app.task(  # type: ignore[untyped-decorator]
        name=job,
        shared=False,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=0,
        ignore_result=True,
    )
    def run_job(key: int | str) -> str:
        return work(key)

    @app.task(  # type: ignore[untyped-decorator]
        name=sweep, shared=False, max_retries=0, ignore_result=True
    )
    def run_sweep() -> int:
        found = list(keys())
        for key in found:  # a job still waiting at the next sweep is dropped, not piled up
            run_job.apply_async(args=(key,), queue=queue, expires=every)
        return len(found)

    routes = app.conf.task_routes
    if routes is None or isinstance(routes, dict):  # a router list or function: yours to extend
        app.conf.task_routes = {**(routes or {}), job: {"queue": queue}, sweep: {"queue": queue}}
    schedule = dict(app.conf.beat_schedule or {})
    options = {"queue": queue, "expires": every}
    schedule[sweep] = {"task": sweep, "schedule": every, "options": options}
    app.conf.beat_schedule = schedule
    return run_sweep, run_job
