"""Chaos: many approved inbox replies, several sender processes, random SIGKILLs, both stores.

N comments from fans sit under the posts of five brand accounts on the sandbox (served
on a loopback port); each has an approved reply in the inbox. Five sender processes run
`Inbox.send()` in a loop, each on its own connection to the store (a SQLite file, or a
PostgreSQL schema); every 100–500 ms a random one is SIGKILLed and a new one started,
and every sender also kills itself now and then at the named crash points (after the
platform's answer, before and after a store commit: ``SOCIALKIT_CRASH_POINTS``). At the
end each comment has exactly one reply on the sandbox, recorded on its item (sent, or
reconciled after a crash), and no lease is left. Twice: with the idempotency key
Mastodon honours, and with a platform that has none (the key is not sent), where only
the lease and the reconciliation stand between a crash and a second reply. The same
through the engine adapters (without keys): procrastinate workers and Celery workers
(Redis, ``acks_late``, a 2 s visibility timeout) run one consume job per account, each
holding its account's lease, killed the same way.

``nox -s integration`` runs 500 replies (``SOCIALKIT_CHAOS_REPLIES`` sets the number); a
plain ``pytest`` runs 100.
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from socialkit.providers.mastodon import html_to_text
from socialkit.replies import Inbox, InboxStore
from socialkit.testing import Sandbox

from .chaos_support import Pool, chaos
from .engine_support import celery_app
from .inbox_chaos_worker import (
    ACCOUNT_LEASE,
    celery_main,
    open_store,
    procrastinate_main,
    send_main,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]

ACCOUNTS = [f"brand{n}" for n in range(5)]
POSTS_PER_ACCOUNT = 2
PRELOAD = ["socialkit.replies", "socialkit.client", "socialkit.providers.mastodon", "psycopg"]


def replies_wanted() -> int:
    """How many replies: 500 in ``nox -s integration``, else 100."""
    default = "500" if os.environ.get("SOCIALKIT_IT_START") == "1" else "100"
    return int(os.environ.get("SOCIALKIT_CHAOS_REPLIES", default))


def count(store: InboxStore, where: str) -> int:
    with store.database.read() as tx:
        row = store.database.x(tx, f"SELECT COUNT(*) AS n FROM items WHERE {where}").fetchone()
    return int(row["n"])


def approve_replies(sandbox: Sandbox, store: InboxStore, n: int) -> dict[str, str]:
    """``n`` fan comments under the brands' posts, each with an approved reply in the
    inbox; returns each comment's id and the reply's text."""
    clients = {account: sandbox.client(account) for account in ACCOUNTS}
    posts = [
        (account, clients[account].publish(f"Post {k} of {account}: tell us!").id)
        for account in ACCOUNTS
        for k in range(POSTS_PER_ACCOUNT)
    ]
    for k in range(n):
        account, post = posts[k % len(posts)]
        sandbox.simulate_reply(post, f"Question {k:04d} for {account}", author=f"fan{k % 17}")
    inbox = Inbox(clients, store, backfill=n + 10)
    report = inbox.refresh()
    assert report.errors == {}
    wanted: dict[str, str] = {}
    for item in store.items():
        text = f"Thanks! Re: {item.text}"
        inbox.draft_reply(item, text, by="sam", approve_as="lee")
        wanted[item.target.id] = text
    for client in clients.values():
        client.close()
    assert len(wanted) == n
    return wanted


def check_exactly_once(
    name: str, sandbox: Sandbox, setup: InboxStore, wanted: dict[str, str], pool: Pool, took: float
) -> None:
    """One reply per comment on the sandbox, recorded on its item; no lease left."""
    items = {item.target.id: item for item in setup.items()}
    how = Counter(str(setup.history(i.key)[-1].note).split(" as ")[0] for i in items.values())
    print(f"\n{name}: {len(wanted)} replies, {pool.started} senders started, "
          f"{pool.killed} SIGKILLed by the test, {took:.1f} s, {dict(how)}")  # fmt: skip

    left = {k: (i.stage, i.send_state, i.error) for k, i in items.items() if i.stage != "replied"}
    assert left == {}, f"{len(left)} items unanswered after {took:.0f} s"
    assert pool.killed >= 1
    replies = [
        s
        for account in ACCOUNTS
        for s in sandbox.statuses(account=account)
        if s.get("in_reply_to_id") is not None
    ]
    per_comment = Counter(s["in_reply_to_id"] for s in replies)
    assert {k: v for k, v in per_comment.items() if v > 1} == {}  # no comment answered twice
    assert set(per_comment) == set(wanted)
    assert all(items[s["in_reply_to_id"]].reply_id == s["id"] for s in replies)
    texts = {s["in_reply_to_id"]: html_to_text(s["content"]) for s in replies}
    assert {k: text.split(" ", 1)[1] for k, text in texts.items()} == wanted  # "@fan3 Thanks!..."
    assert all(i.send_state == "sent" for i in items.values())
    assert count(setup, "lease_owner IS NOT NULL OR lease_until IS NOT NULL") == 0
    # A killed consumer's account lease stays until it expires (or is taken over): none
    # may outlive its term.
    time.sleep(ACCOUNT_LEASE.total_seconds())
    clock, args = setup.database.clock(datetime.now(UTC))
    with setup.database.read() as tx:
        live = setup.database.x(
            tx, f"SELECT COUNT(*) AS n FROM consumers WHERE lease_until >= {clock}", args
        ).fetchone()
    assert int(live["n"]) == 0


def pg_store(request: pytest.FixtureRequest, name: str) -> tuple[str, ...]:
    conninfo = request.getfixturevalue("pg_conninfo")
    url = "postgresql:///postgres?" + "&".join(conninfo.split())
    return ("postgres", url, f"inbox_chaos_{os.getpid()}_{name}")


@pytest.mark.parametrize("keys", [True, False], ids=["keys", "no-keys"])
def test_killed_senders_reply_to_every_item_exactly_once(
    store_kind: str, keys: bool, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if store_kind == "sqlite":
        store: tuple[str, ...] = ("sqlite", str(tmp_path / "inbox.db"))
    else:
        store = pg_store(request, "keys" if keys else "nokeys")
    sandbox = Sandbox(latency=0.002, seed=False)
    setup = open_store(store)
    wanted = approve_replies(sandbox, setup, replies_wanted())
    assert count(setup, "status = 'approved'") == len(wanted)
    with sandbox.serve() as address:
        pool = Pool(send_main, (store, address, ACCOUNTS, keys), PRELOAD)
        _, took = chaos(pool, lambda: count(setup, "status = 'approved'"), random.Random(20261208))
    name = f"{store_kind}, {'keys' if keys else 'no keys'}"
    check_exactly_once(name, sandbox, setup, wanted, pool, took)
    setup.close()


def test_killed_procrastinate_consumers_reply_to_every_item_exactly_once(
    procrastinate_db: str, request: pytest.FixtureRequest
) -> None:
    import psycopg

    with psycopg.connect(procrastinate_db, autocommit=True) as conn:
        conn.execute("DELETE FROM procrastinate_jobs")
    store = pg_store(request, "procrastinate")
    sandbox = Sandbox(latency=0.002, seed=False)
    setup = open_store(store)
    wanted = approve_replies(sandbox, setup, replies_wanted())
    with sandbox.serve() as address:
        pool = Pool(
            procrastinate_main, (store, procrastinate_db, address, ACCOUNTS, False), PRELOAD
        )
        _, took = chaos(pool, lambda: count(setup, "status = 'approved'"), random.Random(7))
    check_exactly_once("procrastinate, no keys", sandbox, setup, wanted, pool, took)
    setup.close()


def test_killed_celery_consumers_reply_to_every_item_exactly_once(
    redis_server: Any, request: pytest.FixtureRequest
) -> None:
    if importlib.util.find_spec("celery") is None:
        pytest.skip("celery is not installed: pip install -e '.[celery]'")
    store = pg_store(request, "celery")
    sandbox = Sandbox(latency=0.002, seed=False)
    setup = open_store(store)
    wanted = approve_replies(sandbox, setup, replies_wanted())
    sender = celery_app(redis_server.url)

    def beat() -> None:  # what celery beat does every second here
        sender.send_task("socialkit.inbox.tick", queue="socialkit")

    with sandbox.serve() as address:
        pool = Pool(celery_main, (store, redis_server.url, address, ACCOUNTS, False), PRELOAD)
        _, took = chaos(
            pool, lambda: count(setup, "status = 'approved'"), random.Random(11), beat=beat
        )
    check_exactly_once("celery, no keys", sandbox, setup, wanted, pool, took)
    setup.close()
