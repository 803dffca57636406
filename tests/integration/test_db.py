"""`socialkit._db` on both dialects: the transaction API the inbox, metric and record
stores share (placeholders, schema qualification, nesting, the lease clock, versions,
the caller's connection)."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialkit import _db
from socialkit.errors import StoreError

pytestmark = pytest.mark.integration

_schemas = itertools.count(1)
TABLES = ("things",)


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE things (name TEXT PRIMARY KEY, until TEXT, n INTEGER)")


PG_V1 = "CREATE TABLE {s}.things (name TEXT PRIMARY KEY, until TEXT, n INTEGER)"

Open = Callable[..., _db.Database]


@pytest.fixture
def open_db(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Open]:
    """Open the test's database (each call: another process on the same data)."""
    opened: list[_db.Database] = []
    schema = f"db_{next(_schemas)}"
    where: Any = (
        tmp_path / "things.db" if store_kind == "sqlite" else request.getfixturevalue("pg_conninfo")
    )
    if store_kind == "postgres":
        where = f"postgresql:///postgres?{_query(where)}"

    def make(**options: Any) -> _db.Database:
        db = _db.open_database(
            options.pop("where", where),
            what="things",
            schema=schema,
            tables=TABLES,
            sqlite_migrations=options.pop("sqlite_migrations", (_v1,)),
            postgres_migrations=options.pop("postgres_migrations", (PG_V1,)),
        )
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


def _query(conninfo: str) -> str:
    """A key=value conninfo as a URL's query string."""
    return "&".join(part for part in conninfo.split())


def test_a_write_commits_and_a_failed_write_leaves_nothing(open_db: Open) -> None:
    db = open_db()
    with db.write() as tx:
        db.x(tx, "INSERT INTO things (name, n) VALUES (?, ?)", ("a", 1))

    def fail() -> None:
        with db.write() as tx:
            db.x(tx, "INSERT INTO things (name, n) VALUES (?, ?)", ("b", 2))
            raise RuntimeError("crash before the commit")

    with pytest.raises(RuntimeError):
        fail()
    other = open_db()
    with other.read() as tx:
        rows = other.x(tx, "SELECT name, n FROM things ORDER BY name").fetchall()
    assert [(row["name"], row["n"]) for row in rows] == [("a", 1)]


def test_nested_writes_join_the_outer_transaction(open_db: Open) -> None:
    db = open_db()

    def fail() -> None:
        with db.write() as outer:
            db.x(outer, "INSERT INTO things (name) VALUES (?)", ("a",))
            with db.write() as inner:
                db.x(inner, "INSERT INTO things (name) VALUES (?)", ("b",))
            raise RuntimeError("the outer one fails")

    with pytest.raises(RuntimeError):
        fail()
    with db.read() as tx:
        assert db.x(tx, "SELECT count(*) AS n FROM things").fetchone()["n"] == 0


def test_rows_are_read_by_their_exact_column_name(open_db: Open) -> None:
    db = open_db()
    with db.write() as tx:
        db.many(tx, "INSERT INTO things (name, n) VALUES (?, ?)", [("a", 1), ("b", 2)])
        row = db.x(tx, "SELECT name, n FROM things WHERE name = ?", ("b",)).fetchone()
    assert row["n"] == 2
    with pytest.raises((IndexError, KeyError)):
        row["N"]


def test_a_percent_sign_in_a_query_is_not_a_placeholder(open_db: Open) -> None:
    db = open_db()
    with db.write() as tx:
        db.x(tx, "INSERT INTO things (name) VALUES (?)", ("50% off",))
        found = db.x(tx, "SELECT name FROM things WHERE name LIKE '50%'").fetchall()
    assert [row["name"] for row in found] == ["50% off"]


def test_the_lease_clock_compares_as_text_with_stored_times(open_db: Open) -> None:
    db = open_db()
    now = datetime.now(UTC)
    past = _db.iso(now - timedelta(hours=1))
    future = _db.iso(now + timedelta(hours=1))
    clock, params = db.clock(now, plus=30)
    with db.write() as tx:
        db.many(
            tx, "INSERT INTO things (name, until) VALUES (?, ?)", [("old", past), ("new", future)]
        )
        expired = db.x(tx, f"SELECT name FROM things WHERE until < {clock}", params).fetchall()
        db.x(tx, f"UPDATE things SET until = {clock} WHERE name = ?", (*params, "old"))
        renewed = db.x(tx, "SELECT until FROM things WHERE name = 'old'").fetchone()["until"]
    assert [row["name"] for row in expired] == ["old"]
    lease_end = datetime.fromisoformat(renewed)
    assert abs((lease_end - now).total_seconds() - 30) < 5
    assert renewed == _db.iso(lease_end)


def test_a_store_written_by_a_newer_socialkit_is_refused(open_db: Open) -> None:
    open_db(
        sqlite_migrations=(_v1, lambda conn: None),
        postgres_migrations=(PG_V1, "SELECT 1"),
    ).close()
    with pytest.raises(StoreError, match="upgrade socialkit"):
        open_db()


def test_migrating_twice_applies_each_version_once(open_db: Open) -> None:
    open_db()
    db = open_db()
    with db.write() as tx:
        db.x(tx, "INSERT INTO things (name) VALUES (?)", ("kept",))
    again = open_db()
    with again.read() as tx:
        assert again.x(tx, "SELECT count(*) AS n FROM things").fetchone()["n"] == 1


def test_the_callers_connection_commits_and_rolls_back_with_the_caller(
    store_kind: str, pg_conninfo: str
) -> None:
    if store_kind != "postgres":
        pytest.skip("a caller's connection is a PostgreSQL feature")
    import psycopg

    schema = f"db_{next(_schemas)}"
    options: dict[str, Any] = {
        "what": "things",
        "schema": schema,
        "tables": TABLES,
        "sqlite_migrations": (_v1,),
        "postgres_migrations": (PG_V1,),
    }

    def app_writes(conn: Any, db: _db.Database, name: str, *, fail: bool) -> None:
        """The application's transaction, with the store's write inside it."""
        with conn.transaction():
            conn.execute("SELECT 1")  # the application's own work
            with db.write() as tx:
                db.x(tx, "INSERT INTO things (name) VALUES (?)", (name,))
            if fail:
                raise RuntimeError("the application's transaction fails")

    with psycopg.connect(pg_conninfo, autocommit=True) as conn:
        db = _db.open_database(conn, **options)
        with pytest.raises(RuntimeError):
            app_writes(conn, db, "rolled back", fail=True)
        app_writes(conn, db, "committed", fail=False)
        db.close()
        assert not conn.closed
    mine = _db.open_database(f"postgresql:///postgres?{_query(pg_conninfo)}", **options)
    with mine.read() as tx:
        names = [row["name"] for row in mine.x(tx, "SELECT name FROM things")]
    mine.close()
    assert names == ["committed"]


def test_a_store_is_a_path_a_url_or_a_connection_and_nothing_else() -> None:
    with pytest.raises(TypeError, match="file path, a postgresql:// URL or a psycopg"):
        _db.open_database(
            42,  # type: ignore[arg-type]
            what="things",
            schema="x",
            tables=TABLES,
            sqlite_migrations=(),
            postgres_migrations=(),
        )
