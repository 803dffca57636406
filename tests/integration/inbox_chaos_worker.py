"""A reply sender for the inbox chaos test: `Inbox.send()` in a loop until killed.

`send_main` is the target of each worker process (forked from a multiprocessing fork
server that imported socialkit once). It sets the crash points it is given
(``SOCIALKIT_CRASH_POINTS``), opens the inbox's store on a connection of its own (a
SQLite file, or a PostgreSQL schema), signals ``ready`` and sends the approved replies
to the sandbox at ``url`` until it is killed.
"""

from __future__ import annotations

import os
import random
import time
from datetime import timedelta
from typing import Any

import httpx

from socialkit.client import Client
from socialkit.http import Limits, RetryPolicy
from socialkit.platform import Call
from socialkit.providers.mastodon import Mastodon
from socialkit.replies import Inbox, InboxStore

LEASE = timedelta(seconds=1)
LIMITS = Limits(deadline=0.8)  # well inside the lease


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
    if crash_points:
        os.environ["SOCIALKIT_CRASH_POINTS"] = crash_points
    retry = RetryPolicy(attempts=3, backoff=0.002, max_backoff=0.01)
    http = httpx.Client(verify=False, timeout=5)
    order = random.Random(owner).sample(accounts, len(accounts))
    platform = Mastodon if keys else KeylessMastodon
    clients = {
        account: Client(
            platform(instance=url, access_token=account),
            retry=retry,
            http_client=http,
            limits=LIMITS,
        )
        for account in order
    }
    inbox = Inbox(clients, open_store(store), lease=LEASE)
    ready.set()
    while True:
        report = inbox.send()
        if not report.sent and not report.reconciled:
            time.sleep(0.05)
