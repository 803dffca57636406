"""One conformance suite for the privacy record stores: `SQLiteRecordStore` and
`PostgresRecordStore`, the reference `DataStore`s for retention and erasure.

Every test runs on both (``store_kind``); the PostgreSQL runs need Debian's
``postgresql`` binaries and psycopg, and are skipped with the reason without them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialkit.errors import ConfigError, StoreError
from socialkit.models import Account, Comment, Mention, Post
from socialkit.privacy import (
    DataStore,
    PostgresRecordStore,
    RecordStore,
    RetentionPolicy,
    SQLiteRecordStore,
    erase_subject,
)

pytestmark = pytest.mark.integration

_schemas = itertools.count(1)
ALICE = Account(platform="mastodon", id="109876", handle="alice", display_name="Alice")
BOB = Account(platform="mastodon", id="2002", handle="bob")
# Unicode a platform may send (no lone surrogates: no database stores those).
TEXT = "中文 🎉👩🏽‍💻 עברית e\u0301 \u200d 'q' \"d\" % ? \\ \n"


def at(day: int) -> datetime:
    return datetime(2024, 1, day, 12, 0, tzinfo=UTC)


Open = Callable[..., RecordStore]


@pytest.fixture
def open_store(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Open]:
    """Open the test's store (each call: another process on the same data)."""
    opened: list[RecordStore] = []
    schema = f"records_{next(_schemas)}"

    def make(**options: Any) -> RecordStore:
        store: RecordStore
        if store_kind == "sqlite":
            store = SQLiteRecordStore(tmp_path / "records.db", **options)
        else:
            conninfo = request.getfixturevalue("pg_conninfo")
            store = PostgresRecordStore(conninfo, schema=schema, **options)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def post(ident: str, author: Account | None = ALICE, day: int | None = 10, **extra: Any) -> Post:
    return Post(
        platform="mastodon",
        id=ident,
        author=author,
        text=extra.pop("text", f"post {ident}"),
        created_at=None if day is None else at(day),
        **extra,
    )


def comment(ident: str, author: Account | None = ALICE, day: int = 10) -> Comment:
    return Comment(
        platform="mastodon",
        id=ident,
        thread_root_id="p-1",
        reply_to_id="p-1",
        author=author,
        text=f"comment {ident}",
        created_at=at(day),
    )


def mention(ident: str, author: Account | None = ALICE, day: int = 10) -> Mention:
    return Mention(
        platform="mastodon",
        id=ident,
        kind="mention",
        author=author,
        text=f"mention {ident}",
        created_at=at(day),
    )


def test_records_round_trip_with_nulls_absurd_values_and_unicode(open_store: Open) -> None:
    records = [
        post(
            TEXT,
            text=(TEXT + "NUL:\x00") * 1000,  # the text is in the JSON: NUL is escaped there
            url="https://e.example/é?q=%20",
            metrics={"likes": 2**62, "views": 0},
            raw={"nested": [{"deep": TEXT}], "big": 10**30, "none": None},
        ),
        post("no-author-no-date", author=None, day=None),
        comment("c-1", author=Account(platform="mastodon", id=TEXT, handle="h")),
        mention("m-1", day=1),
    ]
    store = open_store()
    assert store.add(records) == 4
    again = open_store().all()
    assert again == records
    assert again[0].raw == records[0].raw


def test_records_come_back_by_type_in_the_order_first_added(open_store: Open) -> None:
    store = open_store()
    store.add([mention("m-2"), post("p-9"), comment("c-5"), post("p-1"), mention("m-1")])
    store.add([post("p-5"), post("p-9", text="edited")])  # replaced: it keeps its place
    found = open_store().all()
    assert [r.id for r in found] == ["p-9", "p-1", "p-5", "c-5", "m-2", "m-1"]
    assert found[0].text == "edited"


def test_adding_a_record_again_replaces_it(open_store: Open) -> None:
    store = open_store()
    store.add([post("p-1"), post("p-2")])
    store.add([post("p-1", author=BOB, day=20, text="edited")])
    assert store.count() == {"posts": 2, "comments": 0, "mentions": 0}
    replaced = next(r for r in store.all() if r.id == "p-1")
    assert (replaced.text, replaced.author, replaced.created_at) == ("edited", BOB, at(20))
    # The new author is the one erasure follows.
    assert store.erase_subject("mastodon", ALICE.id) == {"posts": 1, "comments": 0, "mentions": 0}
    assert [r.id for r in store.all()] == ["p-1"]


def test_an_add_that_fails_stores_nothing(open_store: Open) -> None:
    store = open_store()
    with pytest.raises(TypeError, match="cannot store"):
        store.add([post("p-1"), comment("c-1"), ALICE])  # type: ignore[list-item]
    assert open_store().count() == {"posts": 0, "comments": 0, "mentions": 0}


def test_retention_deletes_what_is_older_and_counts_it(open_store: Open) -> None:
    store = open_store()
    store.add([post("p-old", day=1), post("p-new", day=20), comment("c-old", day=2)])
    store.add([mention("m-old", day=3), mention("m-new", day=25)])
    assert store.delete_older_than(at(10)) == 3
    assert sorted(r.id for r in open_store().all()) == ["m-new", "p-new"]
    assert store.delete_older_than(at(10)) == 0


def test_records_without_a_date_age_from_when_they_were_stored(open_store: Open) -> None:
    store = open_store()
    store.add([post("undated", day=None)])
    now = datetime.now(UTC)
    assert store.delete_older_than(now - timedelta(days=1)) == 0
    assert store.delete_older_than(now + timedelta(days=1)) == 1


def test_erasure_removes_what_the_subject_wrote_and_counts_it_per_table(
    open_store: Open,
) -> None:
    namesake = Account(platform="bluesky", id=ALICE.id, handle="someone-else")
    store = open_store()
    store.add([post("p-1"), post("p-2"), comment("c-1"), mention("m-1"), post("p-3", BOB)])
    store.add([Post(platform="bluesky", id="b-1", author=namesake, text="not Alice")])
    removed = store.erase_subject("mastodon", ALICE.id)
    assert removed == {"posts": 2, "comments": 1, "mentions": 1}
    assert sorted(r.id for r in open_store().all()) == ["b-1", "p-3"]
    assert store.erase_subject("mastodon", ALICE.id) == {"posts": 0, "comments": 0, "mentions": 0}


def test_a_retention_policy_and_an_erasure_run_over_the_store(open_store: Open) -> None:
    store = open_store(name="archive")
    assert isinstance(store, DataStore)
    store.add([post("p-1", day=1), post("p-2", day=30), comment("c-1", BOB, day=2)])
    store.add([mention("m-1", day=31)])
    assert RetentionPolicy(days=7).apply([store], now=at(31)) == {"archive": 2}
    report = erase_subject([store], "mastodon", ALICE.id)
    assert report.complete
    assert report.removed == {"archive": {"posts": 1, "comments": 0, "mentions": 1}}
    assert open_store().all() == []


def test_a_store_written_by_a_newer_socialkit_is_refused(open_store: Open, store_kind: str) -> None:
    store = open_store()
    db = store._db
    with db.write() as tx:
        if store_kind == "sqlite":
            tx.execute("PRAGMA user_version = 99")
        else:
            assert isinstance(store, PostgresRecordStore)
            tx.execute(f"UPDATE {store.schema}.schema_version SET version = 99")
    with pytest.raises(StoreError, match="upgrade socialkit"):
        open_store()


def test_reopening_keeps_the_records(open_store: Open) -> None:
    open_store().add([post("p-1")])
    open_store()  # migrating again changes nothing
    assert [r.id for r in open_store().all()] == ["p-1"]


# -- PostgreSQL only -------------------------------------------------------------------------------


@pytest.fixture
def pg_only(store_kind: str) -> None:
    if store_kind != "postgres":
        pytest.skip("a PostgreSQL feature")


@pytest.mark.usefixtures("pg_only")
def test_records_join_the_applications_transaction(pg_conninfo: str) -> None:
    import psycopg

    schema = f"records_{next(_schemas)}"
    with psycopg.connect(pg_conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS archived (id TEXT)")
        store = PostgresRecordStore(connection=conn, schema=schema)

        def archive(record: Post, *, fail: bool) -> None:
            with conn.transaction():
                conn.execute("INSERT INTO archived VALUES (%s)", (record.id,))
                store.add([record])
                if fail:
                    raise RuntimeError("the application's transaction fails")

        with pytest.raises(RuntimeError):
            archive(post("rolled-back"), fail=True)
        archive(post("committed"), fail=False)
        store.close()
        assert not conn.closed
        archived = [r[0] for r in conn.execute("SELECT id FROM archived")]
    with PostgresRecordStore(pg_conninfo, schema=schema) as mine:
        assert [r.id for r in mine.all()] == ["committed"]
    assert archived == ["committed"]


@pytest.mark.usefixtures("pg_only")
def test_an_erasure_rolls_back_with_the_applications_transaction(pg_conninfo: str) -> None:
    import psycopg

    schema = f"records_{next(_schemas)}"
    with PostgresRecordStore(pg_conninfo, schema=schema) as own:
        own.add([post("p-1")])
    with psycopg.connect(pg_conninfo, autocommit=True) as conn:
        store = PostgresRecordStore(connection=conn, schema=schema)

        def erase_then_fail() -> None:
            with conn.transaction():
                assert store.erase_subject("mastodon", ALICE.id)["posts"] == 1
                raise RuntimeError("the application's transaction fails")

        with pytest.raises(RuntimeError):
            erase_then_fail()
    with PostgresRecordStore(pg_conninfo, schema=schema) as mine:
        assert [r.id for r in mine.all()] == ["p-1"]


def test_an_id_with_a_nul_character_is_stored_and_found_again(open_store: Open) -> None:
    store = open_store()
    assert store.add([post("fine"), post("a\x00b")]) == 2
    assert {r.id for r in store.all()} == {"fine", "a\x00b"}  # the JSON keeps the real id
    assert store.count()["posts"] == 2


@pytest.mark.usefixtures("pg_only")
def test_the_tables_live_in_their_schema(pg_conninfo: str) -> None:
    import psycopg

    with PostgresRecordStore(pg_conninfo) as store:
        assert store.schema == "socialkit_records"
    with psycopg.connect(pg_conninfo) as conn:
        found = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "ORDER BY table_name",
            ("socialkit_records",),
        ).fetchall()
    assert [name for (name,) in found] == ["comments", "mentions", "posts", "schema_version"]


@pytest.mark.usefixtures("pg_only")
def test_a_store_needs_one_conninfo_or_one_connection_and_a_plain_schema(
    pg_conninfo: str,
) -> None:
    with pytest.raises(ConfigError, match="one of them"):
        PostgresRecordStore()
    with pytest.raises(ConfigError, match="schema"):
        PostgresRecordStore(pg_conninfo, schema="x; DROP TABLE posts")


@pytest.mark.usefixtures("pg_only")
def test_the_repr_never_shows_the_conninfo(pg_conninfo: str) -> None:
    with PostgresRecordStore(f"{pg_conninfo} password=hunter2", name="r") as store:
        assert repr(store) == "PostgresRecordStore(name='r')"
