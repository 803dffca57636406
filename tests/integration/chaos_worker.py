"""A dispatcher process for the chaos tests: run rounds until killed.

`process_main` is the target of each worker process (forked from a multiprocessing fork
server that imported socialkit once). It sets the crash points it is given
(``SOCIALKIT_CRASH_POINTS``), opens the calendar (a SQLite file, or a PostgreSQL schema),
signals ``ready`` and dispatches to the sandbox at ``url`` until it is killed.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from socialkit.calendar import Calendar, Policy

from .engine_support import (
    arm_crash_points,
    celery_app,
    make_clients,
    serve_celery,
    serve_procrastinate,
)

LEASE = timedelta(seconds=1)


def open_calendar(store: tuple[str, ...], owner: str) -> Calendar:
    """The calendar of the test: ``("sqlite", path)`` or ``("postgres", conninfo, schema)``."""
    policy = Policy(
        lease=LEASE,
        backoff=timedelta(seconds=0.02),
        max_backoff=timedelta(seconds=0.1),
        max_attempts=1000,
    )
    if store[0] == "sqlite":
        return Calendar(store[1], policy=policy, owner=owner)
    from socialkit.calendar.postgres import PostgresStore

    return Calendar(PostgresStore(store[1], schema=store[2]), policy=policy, owner=owner)


def process_main(
    store: tuple[str, ...],
    url: str,
    targets: list[str],
    owner: str,
    crash_points: str,
    ready: Any,
) -> None:
    """Dispatch until killed; ``ready`` (an Event) is set once the worker is set up."""
    arm_crash_points(crash_points)
    clients = make_clients(url, targets)

    cal = open_calendar(store, owner)
    ready.set()
    while True:
        report = cal.run_due(clients)
        if not report.outcomes:
            time.sleep(0.05)


def procrastinate_main(
    store: tuple[str, ...],
    jobs: str,
    url: str,
    targets: list[str],
    owner: str,
    crash_points: str,
    ready: Any,
) -> None:
    """A procrastinate worker running the calendar's tasks (the sweep every second) until
    killed; ``jobs`` is the conninfo of procrastinate's database."""
    import procrastinate

    from socialkit.calendar.engines.procrastinate import register

    arm_crash_points(crash_points)
    clients = make_clients(url, targets)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=jobs))
    register(
        app,
        calendar=lambda: open_calendar(store, owner),
        clients=lambda: clients,
        cron="* * * * * *",
    )
    ready.set()
    serve_procrastinate(app, owner)


def celery_main(
    store: tuple[str, ...],
    broker: str,
    url: str,
    targets: list[str],
    owner: str,
    crash_points: str,
    ready: Any,
) -> None:
    """A Celery worker (solo pool) running the calendar's tasks until killed; ``acks_late``
    and a 2 s visibility timeout bring a killed worker's message back to another."""
    from socialkit.calendar.engines.celery import register

    arm_crash_points(crash_points)
    clients = make_clients(url, targets)
    app = celery_app(broker)
    register(app, calendar=lambda: open_calendar(store, owner), clients=lambda: clients, every=1.0)
    ready.set()
    serve_celery(app, owner)
