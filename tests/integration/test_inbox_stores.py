"""One conformance suite for the inbox's two stores: SQLite and PostgreSQL.

Every test runs on both (``store_kind``); the PostgreSQL runs need Debian's
``postgresql`` binaries and psycopg, and are skipped with the reason without them.
Where the two differ on purpose (the lease clock, the caller's connection) the test
says which store does what.
"""

from __future__ import annotations

import itertools
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialkit.errors import StoreError
from socialkit.models import Account, Comment
from socialkit.privacy import DataStore, RetentionPolicy
from socialkit.replies import Inbox, InboxItem, InboxStore, Stage
from socialkit.replies.items import InvalidTransition
from socialkit.testing import Sandbox

pytestmark = pytest.mark.integration

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
_schemas = itertools.count(1)

Open = Callable[..., InboxStore]


def url(conninfo: str) -> str:
    """A key=value conninfo as a ``postgresql://`` URL."""
    return "postgresql:///postgres?" + "&".join(conninfo.split())


@pytest.fixture
def open_store(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Open]:
    """Open the test's inbox (each call: another process on the same data).

    SQLite: a file in the test's directory. PostgreSQL: a schema of the test's own.
    """
    opened: list[InboxStore] = []
    schema = f"inbox_{next(_schemas)}"
    where: Any = (
        tmp_path / "inbox.db"
        if store_kind == "sqlite"
        else url(request.getfixturevalue("pg_conninfo"))
    )

    def make(**options: Any) -> InboxStore:
        store = InboxStore(options.pop("where", where), schema=schema, **options)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def make_item(
    key: str = "mastodon:1",
    *,
    author: str = "42",
    created_at: datetime = T0,
    source: str = "comment",
) -> InboxItem:
    """A hand-built item: a comment by ``author`` under the brand's post ``root``."""
    who = Account(platform="mastodon", id=author, handle=f"fan{author}")
    native = key.split(":", 1)[1]
    text = f"Hello from {who.handle}"
    target = Comment(platform="mastodon", id=native, thread_root_id="root", author=who, text=text)
    return InboxItem(
        key=key,
        platform="mastodon",
        account="brand",
        sources=frozenset({source}),
        kind="comment",
        target=target,
        text=text,
        author=who,
        created_at=created_at,
        url=None,
        thread_root_id="root",
        language="en",
        sentiment=0.125,
        stage=Stage.NEW,
        fetched_at=created_at,
        updated_at=created_at,
    )


def approve(store: InboxStore, key: str) -> None:
    store.transition(
        key, [Stage.TRIAGED, Stage.DRAFTED, Stage.APPROVED], by="sam", now=T0, approved_by="lee"
    )


# -- items, duplicates, cursors ------------------------------------------------------------


def test_new_items_and_duplicates_and_cursors_commit_together(open_store: Open) -> None:
    store = open_store()
    new, dupes = store.add([make_item("mastodon:1")], {("sync", "brand:mentions"): "100"})
    again, more = store.add(
        [make_item("mastodon:1", source="mention"), make_item("mastodon:2")],
        {("sync", "brand:mentions"): "200", ("sync", "brand:post:9"): "5"},
    )
    other = open_store()  # another process sees what was committed

    assert ([i.key for i in new], dupes) == (["mastodon:1"], 0)
    assert ([i.key for i in again], more) == (["mastodon:2"], 1)
    assert other.get("mastodon:1").sources == frozenset({"comment", "mention"})
    assert other.get("mastodon:2").sentiment == 0.125
    assert other.cursor("sync", "brand:mentions") == "200"
    assert other.cursors("sync", "brand:post:") == {"brand:post:9": "5"}
    assert other.cursor("sync", "nothing") is None
    with pytest.raises(KeyError):
        other.get("mastodon:404")


def test_items_come_most_urgent_first_then_oldest_then_by_key_bytes(open_store: Open) -> None:
    store = open_store()
    store.add(
        [
            make_item("mastodon:b"),
            make_item("mastodon:B"),
            make_item("mastodon:a", created_at=T0 + timedelta(hours=1)),
            make_item("mastodon:z", created_at=T0 + timedelta(hours=2)),
        ]
    )
    store.update("mastodon:z", priority="urgent", labels=["vip"], now=T0)

    # Same order on both stores: PostgreSQL compares keys and times byte by byte too.
    assert [i.key for i in store.items()] == [
        "mastodon:z",
        "mastodon:B",
        "mastodon:b",
        "mastodon:a",
    ]
    assert [i.key for i in store.items(label="vip")] == ["mastodon:z"]
    assert [i.key for i in store.items("new", account="nobody")] == []


def test_a_path_of_transitions_commits_whole_or_not_at_all(open_store: Open) -> None:
    store = open_store()
    store.add([make_item()])
    approve(store, "mastodon:1")
    with pytest.raises(InvalidTransition):
        store.transition("mastodon:1", [Stage.REPLIED, Stage.TRIAGED], by="x", now=T0)

    item = open_store().get("mastodon:1")
    history = open_store().history("mastodon:1")
    assert (item.stage, item.approved_by) == (Stage.APPROVED, "lee")
    assert [(e.before, e.after, e.by, e.note) for e in history] == [
        (None, Stage.NEW, None, "synced"),
        (Stage.NEW, Stage.TRIAGED, "sam", None),
        (Stage.TRIAGED, Stage.DRAFTED, "sam", None),
        (Stage.DRAFTED, Stage.APPROVED, "sam", None),
    ]
    assert all(e.at == T0 for e in history)


# -- the send ledger -------------------------------------------------------------------------


def test_a_claim_is_won_by_one_worker_only(open_store: Open) -> None:
    store = open_store()
    store.add([make_item("mastodon:1"), make_item("mastodon:2")])
    approve(store, "mastodon:1")
    now = datetime.now(UTC)
    workers = [open_store() for _ in range(4)]
    won: list[str] = []
    start = threading.Barrier(len(workers))

    def race(n: int) -> None:
        start.wait()
        if workers[n].claim("mastodon:1", f"w{n}", now + timedelta(seconds=60), now):
            won.append(f"w{n}")

    threads = [threading.Thread(target=race, args=(n,)) for n in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(won) == 1
    assert store.claim("mastodon:1", won[0], now + timedelta(seconds=60), now) is not None
    assert store.claim("mastodon:2", "w9", now + timedelta(seconds=60), now) is None  # not approved


def test_an_expired_lease_is_taken_over(open_store: Open) -> None:
    first, second = open_store(), open_store()
    first.add([make_item()])
    approve(first, "mastodon:1")
    now = datetime.now(UTC)
    assert first.claim("mastodon:1", "a", now + timedelta(seconds=0.3), now)
    assert second.claim("mastodon:1", "b", now + timedelta(seconds=60), now) is None
    time.sleep(0.45)
    later = datetime.now(UTC)
    taken = second.claim("mastodon:1", "b", later + timedelta(seconds=60), later)
    assert taken is not None


def test_a_worker_with_a_wrong_clock_cannot_steal_a_live_lease_on_postgres(
    open_store: Open, store_kind: str
) -> None:
    first, skewed = open_store(), open_store()
    first.add([make_item()])
    approve(first, "mastodon:1")
    now = datetime.now(UTC)
    assert first.claim("mastodon:1", "honest", now + timedelta(seconds=60), now)

    ahead = now + timedelta(hours=1)  # this worker's clock runs an hour fast
    stolen = skewed.claim("mastodon:1", "fast", ahead + timedelta(seconds=60), ahead)

    if store_kind == "postgres":  # the lease is measured on the database's clock
        assert stolen is None
    else:  # one SQLite file lives on one machine: its workers share one clock
        assert stolen is not None


def test_a_worker_with_a_slow_clock_hands_out_leases_measured_on_the_database_clock(
    open_store: Open, store_kind: str
) -> None:
    if store_kind != "postgres":
        pytest.skip("SQLite measures leases on the caller's clock")
    slow, other = open_store(), open_store()
    slow.add([make_item()])
    approve(slow, "mastodon:1")
    behind = datetime.now(UTC) - timedelta(hours=1)
    claimed = slow.claim("mastodon:1", "slow", behind + timedelta(seconds=30), behind)
    assert claimed is not None
    now = datetime.now(UTC)

    # Had the lease been computed from the slow clock, it would have expired an hour ago.
    assert other.claim("mastodon:1", "other", now + timedelta(seconds=30), now) is None
    with slow.database.read() as tx:
        row = slow.database.x(tx, "SELECT lease_until FROM items").fetchone()
    until = datetime.fromisoformat(row["lease_until"])
    assert now + timedelta(seconds=20) < until < now + timedelta(seconds=40)


def test_marking_a_reply_sending_renews_its_lease(open_store: Open) -> None:
    first, second = open_store(), open_store()
    first.add([make_item()])
    approve(first, "mastodon:1")
    now = datetime.now(UTC)
    assert first.claim("mastodon:1", "a", now + timedelta(seconds=0.3), now)
    first.mark_sending("mastodon:1", "a", now, now + timedelta(seconds=60))
    time.sleep(0.45)  # past the claim's lease, well inside the renewed one
    later = datetime.now(UTC)
    assert second.claim("mastodon:1", "b", later + timedelta(seconds=60), later) is None


def test_a_lost_lease_cannot_mark_sending_nor_release(open_store: Open) -> None:
    first, second = open_store(), open_store()
    first.add([make_item()])
    approve(first, "mastodon:1")
    now = datetime.now(UTC)
    assert first.claim("mastodon:1", "a", now + timedelta(seconds=0.2), now)
    time.sleep(0.35)
    later = datetime.now(UTC)
    assert second.claim("mastodon:1", "b", later + timedelta(seconds=60), later)

    with pytest.raises(InvalidTransition, match="lease was lost"):
        first.mark_sending("mastodon:1", "a", later)
    with pytest.raises(InvalidTransition, match="lease was lost"):
        first.release("mastodon:1", "a", later, error="late")
    second.mark_sending("mastodon:1", "b", later)
    assert first.get("mastodon:1").send_state == "sending"
    second.release("mastodon:1", "b", later, error="try again")

    item = first.get("mastodon:1")
    assert (item.send_state, item.error) == ("sending", "try again")
    assert first.claim("mastodon:1", "a", later + timedelta(seconds=60), later) is not None


def test_an_approved_reply_is_sent_once_through_either_store(open_store: Open) -> None:
    sandbox = Sandbox()
    with sandbox.client() as client:
        inbox = Inbox([client], open_store(), backfill=100)
        inbox.refresh()
        item = next(i for i in inbox.items() if "Canada" in i.text)
        inbox.draft_reply(item, "Yes, we ship to Canada!", by="sam")
        inbox.approve(item, by="lee")

        first = inbox.send()
        again = Inbox([client], open_store(), backfill=100).send()

    assert [i.key for i in first.sent] == [item.key]
    assert again.outcomes == []
    replies = [s for s in sandbox.statuses() if s.get("in_reply_to_id") == item.target.id]
    assert len(replies) == 1
    done = open_store().get(item.key)
    assert (done.stage, done.reply_id, done.send_state) == (Stage.REPLIED, replies[0]["id"], "sent")
    assert open_store().is_reply("mastodon", replies[0]["id"])


def test_one_consumer_holds_an_account_until_its_lease_expires_or_it_lets_go(
    open_store: Open, store_kind: str
) -> None:
    first, second = open_store(), open_store()
    now = datetime.now(UTC)
    assert first.hold_account("brand", "a", now + timedelta(seconds=0.3), now)
    assert first.hold_account("brand", "a", now + timedelta(seconds=0.3), now)  # renewed
    assert not second.hold_account("brand", "b", now + timedelta(seconds=60), now)
    assert second.hold_account("support", "b", now + timedelta(seconds=60), now)
    ahead = now + timedelta(hours=1)  # a worker whose clock runs an hour fast
    stolen = second.hold_account("brand", "b", ahead + timedelta(seconds=60), ahead)
    assert stolen is (store_kind == "sqlite")  # PostgreSQL: the database's clock decides
    if stolen:
        assert second.let_go_account("brand", "b")
    time.sleep(0.45)
    later = datetime.now(UTC)
    assert second.hold_account("brand", "b", later + timedelta(seconds=60), later)
    assert not first.let_go_account("brand", "a")  # it lost the lease: nothing to give back
    assert second.let_go_account("brand", "b")
    assert first.hold_account("brand", "a", later + timedelta(seconds=60), later)


def test_a_consumer_job_refreshes_and_sends_once_and_stays_away_from_a_held_account(
    open_store: Open,
) -> None:
    from socialkit.replies.engines import consume

    sandbox = Sandbox()
    with sandbox.client() as client:
        inbox = Inbox({"brand": client}, open_store(), backfill=100)
        inbox.refresh()
        item = next(i for i in inbox.items() if "Canada" in i.text)
        inbox.draft_reply(item, "Yes, we ship to Canada!", by="sam", approve_as="lee")
        now = datetime.now(UTC)
        assert inbox.store.hold_account("brand", "elsewhere", now + timedelta(seconds=60), now)

        def open_inbox(account: str) -> Inbox:
            return Inbox({account: client}, open_store())

        busy = consume(open_inbox, "brand", lease=timedelta(seconds=30))
        inbox.store.let_go_account("brand", "elsewhere")
        sandbox.simulate_reply(item.thread[0], "And to Mexico?", author="mia")
        done = consume(open_inbox, "brand", lease=timedelta(seconds=30))
        again = consume(open_inbox, "brand", lease=timedelta(seconds=30))

    assert busy == "busy"
    assert (done, again) == ("1 new, 1 sent", "0 new, 0 sent")
    replies = [s for s in sandbox.statuses() if s.get("in_reply_to_id") == item.target.id]
    assert len(replies) == 1
    store = open_store()
    assert store.get(item.key).stage is Stage.REPLIED
    assert any("Mexico" in i.text for i in store.items())
    status = store.status()
    assert status.held == ()  # every job let go...
    assert [(c.account, c.ticks, c.last_report) for c in status.consumers] == [
        ("brand", 2, "0 new, 0 sent")  # ...and recorded its round (the busy one did nothing)
    ]


# -- status: consumers you can watch, the send ledger at a glance ----------------------------


def test_status_says_which_consumers_are_alive_and_which_accounts_are_held_until_when(
    open_store: Open,
) -> None:
    store = open_store()
    now = datetime.now(UTC)
    assert store.hold_account("support", "b", now + timedelta(seconds=0.3), now)  # dies holding
    assert store.hold_account("news", "c", now + timedelta(seconds=60), now)
    assert store.let_go_account("news", "c", tick="2 new, 1 sent\nmore detail")
    time.sleep(0.5)
    later = datetime.now(UTC)
    assert store.hold_account("brand", "a", later + timedelta(seconds=60), later)

    status = open_store().status(stale_after=timedelta(seconds=0.4), now=later)  # elsewhere

    by = {c.account: c for c in status.consumers}
    assert [c.account for c in status.consumers] == ["brand", "news", "support"]  # newest first
    assert [c.account for c in status.alive] == ["brand"]
    assert [c.account for c in status.held] == ["brand"]
    assert status.running
    assert (by["brand"].state, by["news"].state, by["support"].state) == (
        "consuming",
        "idle",
        "expired",
    )
    brand = by["brand"]
    assert (brand.owner, brand.host, brand.pid) == ("a", socket.gethostname(), os.getpid())
    assert brand.heartbeat_at is not None
    assert brand.held_until is not None  # both on the lease clock (PostgreSQL's own)
    assert timedelta(seconds=59) < brand.held_until - brand.heartbeat_at <= timedelta(seconds=61)
    news = by["news"]
    assert (news.ticks, news.last_report, news.held_until) == (1, "2 new, 1 sent", None)
    assert news.last_tick_at == news.heartbeat_at
    assert (by["support"].ticks, by["support"].last_tick_at, by["support"].let_go) == (
        0,
        None,
        False,
    )
    assert "held until" in str(status)
    assert "never let go" in str(status)


def test_letting_go_twice_or_without_the_lease_records_nothing(open_store: Open) -> None:
    store = open_store()
    now = datetime.now(UTC)
    assert store.hold_account("brand", "a", now + timedelta(seconds=60), now)
    assert store.let_go_account("brand", "a", tick="1 new, 0 sent")
    assert not store.let_go_account("brand", "a", tick="again")
    assert not store.let_go_account("brand", "b", tick="not mine")
    assert store.hold_account("brand", "b", now + timedelta(seconds=60), now)  # free at once

    (brand,) = store.status().consumers
    assert (brand.owner, brand.ticks, brand.last_report, brand.held) == (
        "b",
        1,
        "1 new, 0 sent",
        True,
    )


def test_status_counts_unsent_sending_uncertain_and_failed_replies(open_store: Open) -> None:
    store = open_store()
    keys = [f"mastodon:{n}" for n in range(1, 6)]
    store.add([make_item(key) for key in keys])
    for key in keys[:4]:
        approve(store, key)
    now = datetime.now(UTC)
    until = now + timedelta(seconds=60)
    # 1: approved, untouched. 2: on its way under a live lease. 3: its sender gave up not
    # knowing (released while sending). 4: refused by the platform. 5: never approved.
    for key in keys[1:4]:
        assert store.claim(key, "w", until, now)
    store.mark_sending(keys[1], "w", now)
    store.mark_sending(keys[2], "w", now)
    store.release(keys[2], "w", now, error="the reply's outcome is unknown")
    store.release(keys[3], "w", now, send_state="failed", error="422: too long")

    status = open_store().status()

    assert (status.unsent, status.sending, status.failed) == (1, 1, 1)
    assert [(u.key, u.account, u.error) for u in status.uncertain] == [
        (keys[2], "brand", "the reply's outcome is unknown")
    ]
    assert not status.running  # nobody consumes
    assert "unsent: 1  sending: 1  uncertain: 1  failed: 1" in str(status)


def test_a_sender_that_died_sending_leaves_an_uncertain_reply_once_its_lease_expires(
    open_store: Open,
) -> None:
    store = open_store()
    store.add([make_item()])
    approve(store, "mastodon:1")
    now = datetime.now(UTC)
    assert store.claim("mastodon:1", "w", now + timedelta(seconds=0.3), now)
    store.mark_sending("mastodon:1", "w", now)  # ...and killed before recording the reply
    assert (store.status().sending, len(store.status().uncertain)) == (1, 0)
    time.sleep(0.45)

    status = store.status()

    assert (status.sending, [u.key for u in status.uncertain]) == (0, ["mastodon:1"])


def test_a_v2_store_gains_the_consumers_columns_and_keeps_its_leases(
    open_store: Open, store_kind: str, tmp_path: Path
) -> None:
    store = open_store()
    now = datetime.now(UTC)
    assert store.hold_account("brand", "a", now + timedelta(seconds=60), now)
    added = ("host", "pid", "heartbeat_at", "last_tick_at", "ticks", "last_report", "released")
    db = store.database
    with db.write() as tx:  # back to the consumers table v2 shipped
        for column in added:
            db.x(tx, f"ALTER TABLE consumers DROP COLUMN {column}")
        if store_kind == "postgres":
            db.x(tx, "UPDATE schema_version SET version = 2")
    if store_kind == "sqlite":
        with db.write() as tx:
            db.x(tx, "PRAGMA user_version = 2")
    store.close()

    again = open_store()

    (brand,) = again.status().consumers
    assert (brand.account, brand.owner, brand.held, brand.heartbeat_at) == (
        "brand",
        "a",
        True,
        None,
    )
    assert not again.hold_account("brand", "b", now + timedelta(seconds=60), now)
    assert again.let_go_account("brand", "a", tick="done")
    assert again.status().consumers[0].ticks == 1


# -- retention and erasure -------------------------------------------------------------------


def test_retention_deletes_old_items_and_keeps_them_from_coming_back(open_store: Open) -> None:
    store = open_store()
    assert isinstance(store, DataStore)
    store.add(
        [make_item("mastodon:old"), make_item("mastodon:new", created_at=T0 + timedelta(days=100))]
    )

    removed = RetentionPolicy(days=30).apply({"inbox": store}, now=T0 + timedelta(days=110))
    store.delete_older_than(T0 - timedelta(days=5))  # an earlier cutoff keeps the later watermark
    new, _ = open_store().add([make_item("mastodon:old"), make_item("mastodon:old2")])

    assert removed == {"inbox": 1}
    assert [i.key for i in store.items()] == ["mastodon:new"]
    assert store.history("mastodon:old") == []
    assert new == []


def test_erasure_deletes_an_authors_items_and_leaves_tombstones(open_store: Open) -> None:
    store = open_store()
    store.add([make_item("mastodon:1", author="7"), make_item("mastodon:2", author="8")])
    approve(store, "mastodon:1")

    counts = store.erase_subject("mastodon", "7")
    again = store.erase_subject("mastodon", "7")
    new, _ = open_store().add([make_item("mastodon:1", author="7")])

    assert counts == {"items": 1, "events": 4}
    assert again == {"items": 0, "events": 0}
    assert new == []
    assert [i.key for i in store.items()] == ["mastodon:2"]


# -- connections and versions ----------------------------------------------------------------


def test_the_callers_connection_joins_the_apps_transaction(
    store_kind: str, pg_conninfo: str
) -> None:
    if store_kind != "postgres":
        pytest.skip("a caller's connection is a PostgreSQL feature")
    import psycopg

    schema = f"inbox_app_{next(_schemas)}"
    with psycopg.connect(pg_conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS app_tickets (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM app_tickets")
        store = InboxStore(conn, schema=schema)

        def app_writes(key: str, *, fail: bool) -> None:
            with conn.transaction():
                conn.execute("INSERT INTO app_tickets VALUES (%s)", (key,))
                store.add([make_item(key)], {("sync", "app"): key})
                if fail:
                    raise RuntimeError("the application's transaction fails")

        with pytest.raises(RuntimeError):
            app_writes("mastodon:1", fail=True)
        app_writes("mastodon:2", fail=False)
        store.close()
        assert not conn.closed
        tickets = [row[0] for row in conn.execute("SELECT id FROM app_tickets")]

    mine = InboxStore(url(pg_conninfo), schema=schema)
    try:
        assert tickets == ["mastodon:2"]
        assert [i.key for i in mine.items()] == ["mastodon:2"]
        assert mine.cursor("sync", "app") == "mastodon:2"
    finally:
        mine.close()


def test_a_store_written_by_a_newer_socialkit_is_refused(
    open_store: Open, store_kind: str, tmp_path: Path
) -> None:
    store = open_store()
    store.add([make_item()])
    if store_kind == "sqlite":
        store.close()
        with sqlite3.connect(tmp_path / "inbox.db") as raw:
            raw.execute("PRAGMA user_version = 99")
        raw.close()
    else:
        with store.database.write() as tx:
            store.database.x(tx, "UPDATE schema_version SET version = 99")

    with pytest.raises(StoreError, match="upgrade socialkit"):
        open_store()


def test_reopening_keeps_everything_and_migrates_nothing_twice(open_store: Open) -> None:
    store = open_store()
    store.add([make_item()])
    store.close()
    again = open_store()
    assert again.get("mastodon:1").stage is Stage.NEW
    assert [e.after for e in again.history("mastodon:1")] == [Stage.NEW]
