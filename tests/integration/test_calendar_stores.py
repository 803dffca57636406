"""One conformance suite for the calendar's two stores: SQLite and PostgreSQL.

Every test runs on both (``store_kind``); the PostgreSQL runs need Debian's
``postgresql`` binaries and psycopg, and are skipped with the reason without them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialkit.calendar import Calendar, DeliveryState, Policy, State
from socialkit.errors import StoreError
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import html_to_text
from socialkit.testing import Sandbox

pytestmark = pytest.mark.integration

NOW = datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)
POLICY = Policy(backoff=timedelta(seconds=10), lease=timedelta(seconds=30))

Open = Callable[..., Calendar]


def brand_texts(sandbox: Sandbox) -> list[str]:
    return [html_to_text(s["content"]) for s in sandbox.statuses(account="brand")]


def claim(
    cal: Calendar, delivery_id: int, owner: str, lease: float, wall: float | None = None
) -> bool:
    """Claim a delivery as a worker whose clock reads ``wall`` would, for ``lease`` seconds."""
    store = cal._store
    wall = time.time() if wall is None else wall
    with store.write() as tx:
        return store.claim(tx, delivery_id, owner, NOW.timestamp(), wall, wall + lease)


def test_due_entry_is_published_once_and_recorded(calendar_at: Open) -> None:
    sandbox = Sandbox()
    cal = calendar_at(policy=POLICY)
    entry = cal.add("Hello from the ledger", ["brand"], at=NOW - timedelta(minutes=1))
    with sandbox.client(retry=FAST) as client:
        first = cal.run_due({"brand": client}, now=NOW)
        again = cal.run_due({"brand": client}, now=NOW + timedelta(days=1))
    assert [o.kind for o in first.outcomes] == ["published"]
    assert again.outcomes == []
    assert brand_texts(sandbox).count("Hello from the ledger") == 1
    done = cal.get(entry.id)
    assert done.state is State.PUBLISHED
    assert done.delivery("brand").post_id == sandbox.statuses(account="brand")[-1]["id"]
    kinds = [kind for _, kind, _ in cal.history(entry.id)]
    assert kinds[0] == "draft"
    assert kinds[-1] == "published"


def test_a_claim_is_won_by_one_worker_only(calendar_at: Open) -> None:
    first, second = calendar_at(owner="a"), calendar_at(owner="b")
    first.add("Hello", ["brand"], at=NOW)
    assert claim(first, 1, "a", lease=60)
    assert not claim(second, 1, "b", lease=60)
    delivery = second.get(1).delivery("brand")
    assert delivery.state is DeliveryState.PUBLISHING
    assert delivery.attempts == 1


def test_an_expired_lease_is_taken_over_and_marked_uncertain(calendar_at: Open) -> None:
    first, second = calendar_at(owner="a"), calendar_at(owner="b")
    first.add("Hello", ["brand"], at=NOW)
    assert claim(first, 1, "a", lease=0.3)
    assert not claim(second, 1, "b", lease=60)
    time.sleep(0.45)
    assert claim(second, 1, "b", lease=60)
    with second._store.read() as tx:
        row = second._store.db.x(
            tx, "SELECT lease_owner, uncertain FROM deliveries WHERE id = ?", (1,)
        ).fetchone()
    assert (row["lease_owner"], row["uncertain"]) == ("b", 1)


def test_a_lost_lease_cannot_start_an_attempt_or_give_the_delivery_back(
    calendar_at: Open,
) -> None:
    first, second = calendar_at(owner="a"), calendar_at(owner="b")
    first.add("Hello", ["brand"], at=NOW)
    assert claim(first, 1, "a", lease=0.2)
    time.sleep(0.35)
    assert claim(second, 1, "b", lease=60)
    store = first._store
    with store.write() as tx:
        assert not store.start_attempt(tx, 1, "a", time.time(), time.time() + 60)
        assert not store.release(tx, 1, "a", state=DeliveryState.PENDING, due=0.0)
    with second._store.write() as tx:
        assert second._store.start_attempt(tx, 1, "b", time.time(), time.time() + 60)


def test_a_crashed_attempt_is_reconciled_not_posted_again(calendar_at: Open) -> None:
    sandbox = Sandbox()
    crashed = calendar_at(owner="crashed")
    crashed.add("Posted just before the crash", ["brand"], at=NOW)
    assert claim(crashed, 1, "crashed", lease=0.0)
    with crashed._store.write() as tx:
        crashed._store.start_attempt(tx, 1, "crashed", NOW.timestamp(), NOW.timestamp())
    with sandbox.client(retry=FAST) as client:
        client.publish("Posted just before the crash")
        survivor = calendar_at(owner="survivor", policy=POLICY)
        # Mastodon honours keys for an hour: past it, the survivor must search instead.
        late = NOW + timedelta(hours=2)
        survivor.policy = Policy(idempotency_window=timedelta(0))
        report = survivor.run_due({"brand": client}, now=late)
    assert [o.kind for o in report.outcomes] == ["reconciled"]
    assert brand_texts(sandbox).count("Posted just before the crash") == 1


def test_a_paused_calendar_claims_nothing(calendar_at: Open) -> None:
    sandbox = Sandbox()
    cal = calendar_at(policy=POLICY)
    cal.add("Held", ["brand"], at=NOW)
    cal.pause("crisis", now=NOW)
    with sandbox.client(retry=FAST) as client:
        report = cal.run_due({"brand": client}, now=NOW)
        assert report.paused == "crisis"
        cal.resume(now=NOW)
        assert [o.kind for o in cal.run_due({"brand": client}, now=NOW).outcomes] == ["published"]


def test_approval_is_checked_again_at_claim_time(calendar_at: Open) -> None:
    cal = calendar_at(approvals_required=1)
    entry = cal.add("Needs a yes", ["brand"], at=NOW)
    with cal._store.read() as tx:
        assert cal._store.candidate(tx, NOW.timestamp(), time.time(), ["brand"]) is None
    cal.approve(entry.id, by="maria")
    with cal._store.read() as tx:
        assert cal._store.candidate(tx, NOW.timestamp(), time.time(), ["brand"]) is not None


def test_concurrent_workers_claim_every_delivery_exactly_once(calendar_at: Open) -> None:
    setup = calendar_at()
    for n in range(40):
        setup.add(f"post {n}", ["brand"], at=NOW)
    workers = [calendar_at(owner=f"w{i}") for i in range(4)]
    won: list[tuple[str, int]] = []
    guard = threading.Lock()

    def work(cal: Calendar) -> None:
        store = cal._store
        while True:
            with store.write() as tx:
                row = store.candidate(tx, NOW.timestamp(), time.time(), ["brand"])
                if row is None:
                    return
                ok = store.claim(
                    tx, row["id"], cal.owner, NOW.timestamp(), time.time(), time.time() + 60
                )
            if ok:
                with guard:
                    won.append((cal.owner, int(row["id"])))

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    ids = [i for _, i in won]
    assert sorted(ids) == list(range(1, 41))


def test_reopening_keeps_the_data_and_the_schema_version(calendar_at: Open) -> None:
    cal = calendar_at()
    entry = cal.add("Kept", ["brand"], at=NOW)
    cal.close()
    again = calendar_at()
    assert again.get(entry.id).draft.text == "Kept"


def test_a_store_written_by_a_newer_socialkit_is_refused(
    calendar_at: Open, store_kind: str
) -> None:
    cal = calendar_at()
    with cal._store.write() as tx:
        if store_kind == "sqlite":
            tx.execute("PRAGMA user_version = 99")
        else:
            tx.execute(f"UPDATE {cal._store.schema}.schema_version SET version = 99")
    with pytest.raises(StoreError, match="99"):
        calendar_at()


def test_postgres_leases_run_on_the_database_clock(calendar_at: Open, store_kind: str) -> None:
    if store_kind != "postgres":
        pytest.skip("SQLite's workers share one machine: leases run on its clock")
    busy, skewed = calendar_at(owner="busy"), calendar_at(owner="skewed")
    busy.add("Hello", ["brand"], at=NOW)
    assert claim(busy, 1, "busy", lease=60)
    # A worker whose clock runs an hour ahead does not see the lease as expired.
    assert not claim(skewed, 1, "skewed", lease=60, wall=time.time() + 3600)
    with skewed._store.read() as tx:
        due = skewed._store.due_targets(tx, NOW.timestamp(), time.time() + 3600)
    assert due == []


def test_postgres_schedules_in_the_applications_transaction(
    pg_conninfo: str, store_kind: str
) -> None:
    if store_kind != "postgres":
        pytest.skip("the caller's connection is a PostgreSQL feature")
    import psycopg

    from socialkit.calendar.postgres import PostgresStore

    with psycopg.connect(pg_conninfo) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS launches (name TEXT)")
        conn.commit()

        def schedule_then_fail() -> None:
            with conn.transaction():
                conn.execute("INSERT INTO launches VALUES ('spring')")
                cal = Calendar(PostgresStore(connection=conn, schema="app_tx"))
                cal.add("Spring launch", ["brand"], at=NOW)
                raise RuntimeError("the app's transaction fails")

        with pytest.raises(RuntimeError):
            schedule_then_fail()
        with conn.transaction():
            conn.execute("INSERT INTO launches VALUES ('summer')")
            Calendar(PostgresStore(connection=conn, schema="app_tx")).add(
                "Summer launch", ["brand"], at=NOW
            )
        assert not conn.closed
    with Calendar(PostgresStore(pg_conninfo, schema="app_tx")) as cal:
        assert [e.draft.text for e in cal.entries()] == ["Summer launch"]
    with psycopg.connect(pg_conninfo) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM launches")]
    assert names == ["summer"]


# -- workers you can watch ------------------------------------------------------------------------


def test_a_dispatch_round_records_the_workers_heartbeat_and_tick(calendar_at: Open) -> None:
    sandbox = Sandbox()
    worker = calendar_at(owner="worker-1", policy=POLICY)
    worker.add("Hello", ["brand"], at=NOW)
    with sandbox.client(retry=FAST) as client:
        worker.run_due({"brand": client}, now=NOW)
    status = calendar_at(owner="observer").status()
    (seen,) = status.workers
    assert seen.owner == "worker-1"
    assert seen.alive
    assert seen.ticks == 1
    assert seen.last_tick_at is not None
    assert seen.last_report.startswith("1 published")
    assert status.running


def test_a_silent_worker_is_not_alive_and_a_closed_one_is_stopped(calendar_at: Open) -> None:
    silent, closed = calendar_at(owner="silent"), calendar_at(owner="closed")
    silent.heartbeat()
    closed.heartbeat()
    closed.close()
    time.sleep(0.3)
    status = calendar_at(owner="observer").status(stale_after=timedelta(seconds=0.2))
    by_owner = {w.owner: w for w in status.workers}
    assert not by_owner["silent"].alive
    assert not by_owner["silent"].stopped
    assert by_owner["closed"].stopped
    assert not status.running
    assert "NOT RUNNING" in str(status)


def test_status_counts_due_overdue_expired_and_uncertain_deliveries(calendar_at: Open) -> None:
    cal = calendar_at(grace=timedelta(minutes=15))
    now = datetime.now(UTC)
    cal.add("due now", ["brand"], at=now - timedelta(minutes=1))
    cal.add("overdue", ["brand"], at=now - timedelta(hours=1))
    crashed = cal.add("its worker died", ["brand"], at=now - timedelta(minutes=2))
    cal.add("later", ["brand"], at=now + timedelta(hours=1))
    store = cal._store
    with store.write() as tx:  # a worker claimed it, its lease ran out, it never came back
        assert store.claim(tx, crashed.id, "dead", time.time(), time.time(), time.time())
    status = cal.status()
    assert (status.due, status.overdue, status.in_flight, status.expired_leases) == (2, 1, 0, 1)
    assert status.uncertain == ()
    with store.write() as tx:  # another worker takes it over: uncertain until reconciled
        assert store.claim(tx, crashed.id, "next", time.time(), time.time(), time.time() + 60)
    status = cal.status()
    assert (status.in_flight, status.expired_leases) == (1, 0)
    assert [(u.entry_id, u.state) for u in status.uncertain] == [(crashed.id, "publishing")]


def test_the_status_command_says_nothing_runs_while_posts_are_due(
    store_kind: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from socialkit.calendar.cli import main

    if store_kind == "sqlite":
        where = str(tmp_path / "cli.db")
    else:
        server = request.getfixturevalue("postgres_server")
        where = f"postgresql://{server.user}@/postgres?host={server.root}"
    with Calendar(where) as cal:
        cal.add("due", ["brand"], at=datetime.now(UTC) - timedelta(minutes=1))
    assert main(["calendar", "--file", where, "status"]) == 3
    out = capsys.readouterr().out
    assert "NOT RUNNING" in out
    assert "due: 1" in out


# -- one delivery at a time (what an engine's job runs) -------------------------------------------


def test_run_one_publishes_only_its_delivery_and_only_once(calendar_at: Open) -> None:
    sandbox = Sandbox()
    cal = calendar_at(policy=POLICY)
    now = datetime.now(UTC)
    first = cal.add("first", ["brand"], at=now - timedelta(minutes=2))
    cal.add("second", ["brand"], at=now - timedelta(minutes=1))
    due = cal.due_deliveries()
    assert len(due) == 2
    with sandbox.client(retry=FAST) as client:
        report = cal.run_one(due[0], {"brand": client})
        again = cal.run_one(due[0], {"brand": client})
    assert [o.entry_id for o in report.published] == [first.id]
    assert again.outcomes == []
    assert brand_texts(sandbox).count("first") == 1
    assert "second" not in brand_texts(sandbox)
    assert cal.due_deliveries() == due[1:]


def test_postgres_calendar_repr_never_shows_the_password(pg_conninfo: str, store_kind: str) -> None:
    if store_kind != "postgres":
        pytest.skip("a PostgreSQL URL carries the password")
    from socialkit.calendar.postgres import PostgresStore

    with Calendar(PostgresStore(pg_conninfo + " password=hunter2", schema="repr_check")) as cal:
        shown = repr(cal)
    assert "hunter2" not in shown
    assert shown.startswith("Calendar('postgresql://")
