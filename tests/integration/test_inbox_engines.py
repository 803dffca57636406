"""The inbox's engine adapters against real engines: procrastinate on PostgreSQL, Celery
on Redis.

The engine only decides when an account is looked at: duplicate, redelivered and stale
jobs for an account send nothing twice, and a dead consumer's account is taken over once
its lease expires.
"""

from __future__ import annotations

import importlib.util
import itertools
import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialkit.http import RetryPolicy
from socialkit.replies import Inbox, InboxItem, InboxStore, Stage
from socialkit.testing import Sandbox

from .engine_support import defer, run_worker

pytestmark = pytest.mark.integration

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)
_schemas = itertools.count(1)


def needs(module: str, extra: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install -e '.[{extra}]'")


class Setup:
    """A sandbox, the brand's client and an inbox schema with one approved reply."""

    def __init__(self, pg_conninfo: str) -> None:
        self.url = "postgresql:///postgres?" + "&".join(pg_conninfo.split())
        self.schema = f"inbox_engine_{next(_schemas)}"
        self.sandbox = Sandbox()
        self.client = self.sandbox.client(retry=FAST)
        inbox = Inbox({"brand": self.client}, self.store(), backfill=100)
        inbox.refresh()
        self.item = next(i for i in inbox.items() if "Canada" in i.text)
        inbox.draft_reply(self.item, "Yes, we ship to Canada!", by="sam", approve_as="lee")
        inbox.store.close()

    def store(self) -> InboxStore:
        return InboxStore(self.url, schema=self.schema)

    def open_inbox(self, account: str) -> Inbox:
        return Inbox({account: self.client}, self.store())

    def replies(self) -> int:
        return sum(
            1 for s in self.sandbox.statuses() if s.get("in_reply_to_id") == self.item.target.id
        )

    def get(self) -> InboxItem:
        with self.store() as store:
            return store.get(self.item.key)

    def held(self) -> list[str]:
        with self.store() as store:
            return [c.account for c in store.status().held]


# -- procrastinate ---------------------------------------------------------------------------


@pytest.fixture
def procrastinate_inbox(
    procrastinate_db: str, pg_conninfo: str
) -> Iterator[tuple[Any, Any, Setup]]:
    """A procrastinate app with the inbox's tasks, and the setup they work on."""
    needs("procrastinate", "procrastinate")
    import procrastinate
    import psycopg

    from socialkit.replies.engines.procrastinate import register

    with psycopg.connect(procrastinate_db, autocommit=True) as conn:
        conn.execute("DELETE FROM procrastinate_jobs")
    setup = Setup(pg_conninfo)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=procrastinate_db))
    tasks = register(
        app, inbox=setup.open_inbox, accounts=lambda: ["brand"], lease=timedelta(seconds=30)
    )
    yield app, tasks, setup
    setup.client.close()


def test_a_tick_and_duplicate_jobs_refresh_the_account_and_reply_once(
    procrastinate_inbox: tuple[Any, Any, Setup],
) -> None:
    app, tasks, setup = procrastinate_inbox
    for _ in range(3):  # as a redelivery would
        defer(app, tasks.consume, key="brand")
    defer(app, tasks.tick, timestamp=0)
    run_worker(app)
    setup.sandbox.simulate_reply(setup.item.thread[0], "And to Mexico?", author="mia")
    defer(app, tasks.tick, timestamp=0)
    defer(app, tasks.consume, key="brand")  # stale: the reply went out long ago
    run_worker(app)

    assert setup.replies() == 1
    assert setup.get().stage is Stage.REPLIED
    with setup.store() as store:
        assert any("Mexico" in i.text for i in store.items())
    assert setup.held() == []


def test_an_account_held_by_a_dead_consumer_is_taken_over_when_its_lease_expires(
    procrastinate_inbox: tuple[Any, Any, Setup],
) -> None:
    app, tasks, setup = procrastinate_inbox
    with setup.store() as store:  # a consumer took the account and was killed
        now = datetime.now(UTC)
        assert store.hold_account("brand", "dead", now + timedelta(seconds=0.5), now)
    defer(app, tasks.tick, timestamp=0)
    run_worker(app)
    assert setup.replies() == 0  # held: the job did nothing
    time.sleep(0.7)
    defer(app, tasks.tick, timestamp=0)
    run_worker(app)
    assert setup.replies() == 1
    assert setup.held() == []


# -- Celery ----------------------------------------------------------------------------------


@pytest.fixture
def celery_inbox(redis_server: Any, pg_conninfo: str) -> Iterator[tuple[Any, Setup]]:
    """The inbox's Celery tasks, a worker running them, and the setup they work on."""
    needs("celery", "celery")
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    from socialkit.replies.engines.celery import register

    setup = Setup(pg_conninfo)
    app = Celery("socialkit-inbox-test", broker=redis_server.url, set_as_current=False)
    app.conf.broker_transport_options = {"visibility_timeout": 2}
    app.conf.task_default_queue = "socialkit"
    app.conf.worker_hijack_root_logger = False
    app.conf.worker_redirect_stdouts = False
    tasks = register(
        app, inbox=setup.open_inbox, accounts=lambda: ["brand"], lease=timedelta(seconds=30)
    )
    level = logging.root.level  # the embedded worker sets the root logger's level
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=["socialkit"]):
            yield tasks, setup
    finally:
        logging.root.setLevel(level)
        setup.client.close()


def wait_for(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not done in {timeout} s")


def test_celery_ticks_and_redelivered_messages_reply_once(
    celery_inbox: tuple[Any, Setup],
) -> None:
    tasks, setup = celery_inbox
    for _ in range(3):  # as a redelivery after a lost ack would
        tasks.consume.delay(key="brand")
    tasks.tick.delay()
    wait_for(lambda: setup.get().stage is Stage.REPLIED)
    time.sleep(1.0)  # let the duplicates run too
    assert setup.replies() == 1
    assert setup.held() == []
