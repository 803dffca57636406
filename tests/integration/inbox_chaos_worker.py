"""Reply senders for the inbox chaos test: `Inbox.send()` in a loop until killed.

`send_main` is the target of each worker process (forked from a multiprocessing fork
server that imported socialkit once). It sets the crash points it is given
(``SOCIALKIT_CRASH_POINTS``), opens the inbox's store on a connection of its own (a
SQLite file, or a PostgreSQL schema), signals ``ready`` and sends the approved replies
to the sandbox at ``url`` until it is killed. `procrastinate_main` and `celery_main` are
the same through the engine adapters: engine workers running the inbox's tasks.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

from socialkit.client import Client
from socialkit.platform import Call
from socialkit.providers.mastodon import Mastodon
from socialkit.replies import Inbox, InboxStore

from .engine_support import (
    arm_crash_points,
    celery_app,
    make_clients,
    serve_celery,
    serve_procrastinate,
)

LEASE = timedelta(seconds=1)
ACCOUNT_LEASE = timedelta(seconds=2)  # a killed consumer's account waits this long


class KeylessMastodon(Mastodon):
    """Mastodon as a platform without idempotency keys would be (the key is never sent):
    only the store's lease and the reconciliation keep a crash from a second reply."""

    honours_idempotency_key = False

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        kwargs.pop("idempotency_key", None)
        return super().call(method, url, **kwargs)


def open_store(store: tuple[str, ...]) -> InboxStore:
    """The test's store: ``("sqlite", path)`` or ``("postgres", url, schema)``."""
    if store[0] == "sqlite":
        return InboxStore(store[1])
    return InboxStore(store[1], schema=store[2])


def account_clients(url: str, accounts: list[str], keys: bool) -> dict[str, Client]:
    """A client per account on the sandbox at ``url`` (`KeylessMastodon` without ``keys``)."""
    return make_clients(url, accounts, Mastodon if keys else KeylessMastodon)


def consumer(store: tuple[str, ...], clients: dict[str, Client]) -> Any:
    """Opens the inbox of one account for an engine's consume job."""

    def open_inbox(account: str) -> Inbox:
        return Inbox({account: clients[account]}, open_store(store), lease=LEASE)

    return open_inbox


def procrastinate_main(
    store: tuple[str, ...],
    jobs: str,
    url: str,
    accounts: list[str],
    keys: bool,
    owner: str,
    crash_points: str,
    ready: Any,
) -> None:
    """A procrastinate worker running the inbox's tasks (a tick every second) until
    killed; ``jobs`` is the conninfo of procrastinate's database."""
    import procrastinate

    from socialkit.replies.engines.procrastinate import register

    arm_crash_points(crash_points)
    clients = account_clients(url, accounts, keys)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=jobs))
    register(
        app,
        inbox=consumer(store, clients),
        accounts=lambda: accounts,
        cron="* * * * * *",
        lease=ACCOUNT_LEASE,
    )
    ready.set()
    serve_procrastinate(app, owner)


def celery_main(
    store: tuple[str, ...],
    broker: str,
    url: str,
    accounts: list[str],
    keys: bool,
    owner: str,
    crash_points: str,
    ready: Any,
) -> None:
    """A Celery worker (solo pool) running the inbox's tasks until killed; ``acks_late``
    and a 2 s visibility timeout bring a killed worker's message back to another."""
    from socialkit.replies.engines.celery import register

    arm_crash_points(crash_points)
    clients = account_clients(url, accounts, keys)
    app = celery_app(broker)
    register(
        app,
        inbox=consumer(store, clients),
        accounts=lambda: accounts,
        every=1.0,
        lease=ACCOUNT_LEASE,
    )
    ready.set()
    serve_celery(app, owner)


def send_main(
    store: tuple[str, ...],
    url: str,
    accounts: list[str],
    keys: bool,
    owner: str,
    crash_points: str,
    ready: Any,
) -> None:
    """Send until killed; ``ready`` (an Event) is set once the worker is set up. Each
    worker goes through the accounts in its own order, so they do not all queue up on
    the same items. Without ``keys`` the platform is `KeylessMastodon`."""
    arm_crash_points(crash_points)
    order = random.Random(owner).sample(accounts, len(accounts))
    inbox = Inbox(account_clients(url, order, keys), open_store(store), lease=LEASE)
    ready.set()
    while True:
        report = inbox.send()
        if not report.sent and not report.reconciled:
            time.sleep(0.05)
