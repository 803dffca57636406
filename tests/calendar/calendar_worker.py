"""A dispatcher process for the crash tests: publish due entries until none is left.

`work` is the body of one worker process (the tests start it with multiprocessing);
``python calendar_worker.py DB URL OWNER keys|nokey`` runs it alone. It signals
``ready`` once set up, then runs the dispatcher against the sandbox at URL until
every entry is finished. ``nokey`` talks to the sandbox as a client of a platform
that ignores idempotency keys would.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx

from socialkit.calendar import Calendar, Policy
from socialkit.client import Client
from socialkit.http import Limits, RetryPolicy
from socialkit.providers.mastodon import Mastodon

LEASE = timedelta(seconds=0.5)
# A slowly dripping answer ends in an error this soon, for another attempt or a reconcile.
LIMITS = Limits(deadline=0.4)


class NoKeyMastodon(Mastodon):
    honours_idempotency_key = False


def work(db: str, url: str, owner: str, mode: str, ready: Callable[[], None]) -> int:
    """Dispatch until every entry is published (or failed); ``ready()`` once set up."""
    platform_class = Mastodon if mode == "keys" else NoKeyMastodon
    platform = platform_class(instance=url, access_token="brand")
    retry = RetryPolicy(attempts=3, backoff=0.002, max_backoff=0.01)
    policy = Policy(
        lease=LEASE,
        backoff=timedelta(seconds=0.02),
        max_backoff=timedelta(seconds=0.1),
        max_attempts=1000,
    )
    # Plain HTTP on loopback: skip building a TLS context (a third of a second per worker).
    http = httpx.Client(verify=False, timeout=5)
    with (
        http,
        Client(platform, retry=retry, http_client=http, limits=LIMITS) as client,
        Calendar(db, policy=policy, owner=owner) as cal,
    ):
        ready()
        while cal.entries(state=["scheduled", "publishing"]):
            cal.run_due({"brand": client})
            time.sleep(0.01)
    return 0


def process_main(db: str, url: str, owner: str, mode: str, ready: Any) -> None:
    """The target of a multiprocessing worker; ``ready`` is an Event set once set up."""
    raise SystemExit(work(db, url, owner, mode, ready.set))


if __name__ == "__main__":
    raise SystemExit(work(*sys.argv[1:5], ready=lambda: print("ready", flush=True)))
