"""Chaos: many due deliveries, several worker processes, random SIGKILLs, on both stores.

N deliveries over ten accounts are due at once on the sandbox, served on a loopback
port. Five dispatcher processes share the calendar (a SQLite file, or a PostgreSQL
schema); every 100–500 ms a random one is SIGKILLed and a new one started, and every
worker also kills itself now and then at the named crash points (after the platform's
answer, before and after a ledger commit: ``SOCIALKIT_CRASH_POINTS``). At the end each
delivery has exactly one post on the sandbox, recorded in the ledger, and no lease is
left: nothing in flight, nothing expired. The same through procrastinate: the workers
are procrastinate workers running the adapter's tasks (the sweep every second, one job
per delivery), killed the same way; their jobs are never retried by procrastinate. And
through Celery with Redis: solo-pool workers, ``acks_late`` and a 2 s visibility timeout
(a killed worker's message is redelivered to another), the sweep sent every second.

``nox -s integration`` runs 1,000 deliveries in each scenario (``SOCIALKIT_CHAOS_DELIVERIES``
sets the number; the four took 11-53 s each here); a plain ``pytest`` runs 200.
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialkit.calendar import Calendar
from socialkit.providers.mastodon import html_to_text
from socialkit.testing import Sandbox

from .chaos_support import Pool, chaos
from .chaos_worker import (
    celery_main,
    open_calendar,
    process_main,
    procrastinate_main,
)
from .engine_support import celery_app

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]

ACCOUNTS = [f"acct{n}" for n in range(10)]
PRELOAD = ["socialkit.calendar", "socialkit.client", "socialkit.providers.mastodon", "psycopg"]


def deliveries() -> int:
    """How many deliveries: 1,000 in ``nox -s integration``, else 200."""
    default = "1000" if os.environ.get("SOCIALKIT_IT_START") == "1" else "200"
    return int(os.environ.get("SOCIALKIT_CHAOS_DELIVERIES", default))


def unfinished(cal: Calendar) -> int:
    with cal._store.read() as tx:
        row = cal._store.db.x(
            tx, "SELECT COUNT(*) AS n FROM deliveries WHERE state != 'published'"
        ).fetchone()
    return int(row["n"])


def add_due(store: tuple[str, ...], count: int) -> tuple[Calendar, dict[int, str]]:
    """``count`` due deliveries over the accounts; the calendar that checks them, and texts."""
    due = datetime.now(UTC) - timedelta(minutes=1)
    texts = {n: f"Chaos post {n:04d}: exactly once, please." for n in range(count)}
    setup = open_calendar(store, "setup")
    for n, text in texts.items():
        setup.add(text, [ACCOUNTS[n % len(ACCOUNTS)]], at=due)
    return setup, texts


def check_exactly_once(
    sandbox: Sandbox, setup: Calendar, texts: dict[int, str], pool: Pool, left: int, took: float
) -> None:
    """One post per delivery on the sandbox, recorded in the ledger; no lease left."""
    assert left == 0, f"{left} deliveries unfinished after {took:.0f} s"
    assert pool.killed >= 1
    posted = Counter(
        (s["account"]["username"], html_to_text(s["content"])) for s in sandbox.statuses()
    )
    wanted = Counter((ACCOUNTS[n % len(ACCOUNTS)], text) for n, text in texts.items())
    assert {k: v for k, v in posted.items() if v > 1} == {}  # no duplicates
    assert posted == wanted
    entries = setup.entries()
    assert len(entries) == len(texts)
    by_id = {s["id"]: html_to_text(s["content"]) for s in sandbox.statuses()}
    assert all(by_id[e.deliveries[0].post_id] == e.text for e in entries)  # type: ignore[index]
    status = setup.status()
    assert (status.due, status.in_flight, status.expired_leases) == (0, 0, 0)


def test_killed_workers_publish_every_delivery_exactly_once(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if store_kind == "sqlite":
        store: tuple[str, ...] = ("sqlite", str(tmp_path / "chaos.db"))
    else:
        store = ("postgres", request.getfixturevalue("pg_conninfo"), f"chaos_{os.getpid()}")
    sandbox = Sandbox(latency=0.002, seed=False)
    setup, texts = add_due(store, deliveries())
    with sandbox.serve() as url:
        pool = Pool(process_main, (store, url, ACCOUNTS), PRELOAD)
        left, took = chaos(pool, lambda: unfinished(setup), random.Random(20261207))
    print(f"\n{store_kind}: {len(texts)} deliveries, {pool.started} workers started, "
          f"{pool.killed} SIGKILLed by the test, {took:.1f} s")  # fmt: skip
    check_exactly_once(sandbox, setup, texts, pool, left, took)
    setup.close()


def test_killed_procrastinate_workers_publish_every_delivery_exactly_once(
    procrastinate_db: str, pg_conninfo: str
) -> None:
    import psycopg

    with psycopg.connect(procrastinate_db, autocommit=True) as conn:
        conn.execute("DELETE FROM procrastinate_jobs")
    store = ("postgres", pg_conninfo, f"chaos_pc_{os.getpid()}")
    sandbox = Sandbox(latency=0.002, seed=False)
    setup, texts = add_due(store, deliveries())
    with sandbox.serve() as url:
        pool = Pool(procrastinate_main, (store, procrastinate_db, url, ACCOUNTS), PRELOAD)
        left, took = chaos(pool, lambda: unfinished(setup), random.Random(7))
    print(f"\nprocrastinate: {len(texts)} deliveries, {pool.started} workers started, "
          f"{pool.killed} SIGKILLed by the test, {took:.1f} s")  # fmt: skip
    check_exactly_once(sandbox, setup, texts, pool, left, took)
    setup.close()


def test_killed_celery_workers_publish_every_delivery_exactly_once(
    redis_server: Any, pg_conninfo: str
) -> None:
    if importlib.util.find_spec("celery") is None:
        pytest.skip("celery is not installed: pip install -e '.[celery]'")
    store = ("postgres", pg_conninfo, f"chaos_celery_{os.getpid()}")
    sandbox = Sandbox(latency=0.002, seed=False)
    setup, texts = add_due(store, deliveries())
    sender = celery_app(redis_server.url)

    def beat() -> None:  # what celery beat does every second here
        sender.send_task("socialkit.calendar.dispatch_due", queue="socialkit")

    with sandbox.serve() as url:
        pool = Pool(celery_main, (store, redis_server.url, url, ACCOUNTS), PRELOAD)
        left, took = chaos(pool, lambda: unfinished(setup), random.Random(11), beat=beat)
    print(f"\ncelery: {len(texts)} deliveries, {pool.started} workers started, "
          f"{pool.killed} SIGKILLed by the test, {took:.1f} s")  # fmt: skip
    check_exactly_once(sandbox, setup, texts, pool, left, took)
    setup.close()
