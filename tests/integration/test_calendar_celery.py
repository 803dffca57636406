"""The Celery adapter against a real broker: Redis from Debian, a worker in-process.

A duplicate or redelivered ``deliver`` message (what ``acks_late`` and a short visibility
timeout produce after a worker dies) publishes nothing twice; the beat task is the sweep.
"""

from __future__ import annotations

import importlib.util
import itertools
import logging
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialkit.calendar import Calendar, Policy
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import html_to_text
from socialkit.testing import Sandbox

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        importlib.util.find_spec("celery") is None,
        reason="celery is not installed: pip install -e '.[celery]'",
    ),
]

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)
_schemas = itertools.count(1)


@pytest.fixture
def celery_calendar(redis_server: Any, pg_conninfo: str) -> Iterator[tuple[Any, Sandbox, Any]]:
    """The calendar's Celery tasks, a worker running them, a sandbox, and an opener."""
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    from socialkit.calendar.engines.celery import register
    from socialkit.calendar.postgres import PostgresStore

    schema = f"celery_{next(_schemas)}"
    sandbox = Sandbox(seed=False)
    client = sandbox.client(retry=FAST)

    def open_calendar() -> Calendar:
        return Calendar(
            PostgresStore(pg_conninfo, schema=schema), policy=Policy(lease=timedelta(seconds=30))
        )

    app = Celery("socialkit-test", broker=redis_server.url, set_as_current=False)
    app.conf.broker_transport_options = {"visibility_timeout": 2}
    app.conf.task_default_queue = "socialkit"
    # The embedded worker sets up logging: leave the root logger (pytest's caplog) alone.
    app.conf.worker_hijack_root_logger = False
    app.conf.worker_redirect_stdouts = False
    tasks = register(app, calendar=open_calendar, clients=lambda: {"brand": client})
    level = logging.root.level  # the embedded worker sets the root logger's level
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=["socialkit"]):
            yield tasks, sandbox, open_calendar
    finally:
        logging.root.setLevel(level)
        client.close()


def texts(sandbox: Sandbox) -> Counter[str]:
    return Counter(html_to_text(s["content"]) for s in sandbox.statuses(account="brand"))


def wait_until_published(open_calendar: Any, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open_calendar() as cal:
            if [e.state.value for e in cal.entries()].count("published") == count:
                return
        time.sleep(0.1)
    raise AssertionError(f"not all {count} entries were published in {timeout} s")


def test_the_sweep_sends_each_due_delivery_and_each_is_published_once(
    celery_calendar: tuple[Any, Sandbox, Any],
) -> None:
    tasks, sandbox, open_calendar = celery_calendar
    with open_calendar() as cal:
        for n in range(10):
            cal.add(f"celery post {n}", ["brand"], at=datetime.now(UTC) - timedelta(minutes=1))
    tasks.dispatch_due.delay()
    wait_until_published(open_calendar, 10)
    assert texts(sandbox) == Counter({f"celery post {n}": 1 for n in range(10)})


def test_redelivered_and_stale_messages_publish_nothing_twice(
    celery_calendar: tuple[Any, Sandbox, Any],
) -> None:
    tasks, sandbox, open_calendar = celery_calendar
    with open_calendar() as cal:
        cal.add("exactly once", ["brand"], at=datetime.now(UTC) - timedelta(minutes=1))
        (delivery_id,) = cal.due_deliveries()
    for _ in range(3):
        tasks.deliver.delay(key=delivery_id)
    tasks.dispatch_due.delay()
    wait_until_published(open_calendar, 1)
    time.sleep(1.0)  # let the duplicates run too
    assert texts(sandbox) == Counter({"exactly once": 1})


def test_register_puts_the_sweep_on_the_beat_schedule_and_turns_retries_off(
    celery_calendar: tuple[Any, Sandbox, Any],
) -> None:
    tasks, _, _ = celery_calendar
    schedule = tasks.dispatch_due.app.conf.beat_schedule["socialkit.calendar.dispatch_due"]
    assert schedule["schedule"] == 15.0
    assert tasks.deliver.acks_late is True
    assert tasks.deliver.reject_on_worker_lost is True
    assert tasks.deliver.max_retries == 0
