"""The calendar's engine adapters against real engines: procrastinate on PostgreSQL.

The engine only decides when a worker looks: duplicate and stale jobs for a delivery
(as a redelivery or a second sweep would make) publish nothing twice.
"""

from __future__ import annotations

import importlib.util
import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialkit.calendar import Calendar, Policy
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import html_to_text
from socialkit.testing import Sandbox

from .engine_support import defer, run_worker

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        importlib.util.find_spec("procrastinate") is None,
        reason="procrastinate is not installed: pip install -e '.[procrastinate]'",
    ),
]

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)
_schemas = itertools.count(1)


@pytest.fixture
def engine(procrastinate_db: str, pg_conninfo: str) -> Iterator[tuple[Any, Any, Sandbox, str]]:
    """A procrastinate app with the calendar's tasks, a sandbox, and the calendar's schema."""
    import procrastinate
    import psycopg

    from socialkit.calendar.engines.procrastinate import register
    from socialkit.calendar.postgres import PostgresStore

    with psycopg.connect(procrastinate_db, autocommit=True) as conn:
        conn.execute("DELETE FROM procrastinate_jobs")
    schema = f"engine_{next(_schemas)}"
    sandbox = Sandbox(seed=False)
    client = sandbox.client(retry=FAST)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=procrastinate_db))
    tasks = register(
        app,
        calendar=lambda: Calendar(
            PostgresStore(pg_conninfo, schema=schema), policy=Policy(lease=timedelta(seconds=30))
        ),
        clients=lambda: {"brand": client},
    )
    yield app, tasks, sandbox, schema
    client.close()


def texts(sandbox: Sandbox) -> Counter[str]:
    return Counter(html_to_text(s["content"]) for s in sandbox.statuses(account="brand"))


def test_a_sweep_defers_one_job_per_due_delivery_and_each_is_published_once(
    engine: tuple[Any, Any, Sandbox, str], pg_conninfo: str
) -> None:
    from socialkit.calendar.postgres import PostgresStore

    app, tasks, sandbox, schema = engine
    due = datetime.now(UTC) - timedelta(minutes=1)
    with Calendar(PostgresStore(pg_conninfo, schema=schema)) as cal:
        for n in range(12):
            cal.add(f"engine post {n}", ["brand"], at=due)
        cal.add("not yet", ["brand"], at=datetime.now(UTC) + timedelta(hours=1))
    defer(app, tasks.dispatch_due, timestamp=0)
    run_worker(app)
    assert texts(sandbox) == Counter({f"engine post {n}": 1 for n in range(12)})
    with Calendar(PostgresStore(pg_conninfo, schema=schema)) as cal:
        assert cal.due_deliveries() == []
        assert [e.state.value for e in cal.entries()].count("published") == 12


def test_duplicate_and_stale_jobs_for_a_delivery_publish_nothing_twice(
    engine: tuple[Any, Any, Sandbox, str], pg_conninfo: str
) -> None:
    from socialkit.calendar.postgres import PostgresStore

    app, tasks, sandbox, schema = engine
    with Calendar(PostgresStore(pg_conninfo, schema=schema)) as cal:
        entry = cal.add("only once", ["brand"], at=datetime.now(UTC) - timedelta(minutes=1))
        (delivery_id,) = cal.due_deliveries()
    for _ in range(3):  # as a redelivery after a lost ack would
        defer(app, tasks.deliver, key=delivery_id)
    run_worker(app)
    defer(app, tasks.deliver, key=delivery_id)  # stale: long after it was published
    defer(app, tasks.dispatch_due, timestamp=0)
    run_worker(app)
    assert texts(sandbox) == Counter({"only once": 1})
    with Calendar(PostgresStore(pg_conninfo, schema=schema)) as cal:
        assert cal.get(entry.id).state.value == "published"


def test_a_delivery_held_by_a_dead_workers_lease_is_swept_up(
    engine: tuple[Any, Any, Sandbox, str], pg_conninfo: str
) -> None:
    import time

    from socialkit.calendar.postgres import PostgresStore

    app, tasks, sandbox, schema = engine
    with Calendar(PostgresStore(pg_conninfo, schema=schema)) as cal:
        cal.add("after a crash", ["brand"], at=datetime.now(UTC) - timedelta(minutes=1))
        (delivery_id,) = cal.due_deliveries()
        store = cal._store
        with store.write() as tx:  # a worker claimed it and died; its lease ran out
            assert store.claim(tx, delivery_id, "dead", time.time(), time.time(), time.time())
        assert cal.due_deliveries() == [delivery_id]
    defer(app, tasks.dispatch_due, timestamp=0)
    run_worker(app)
    assert texts(sandbox) == Counter({"after a crash": 1})
