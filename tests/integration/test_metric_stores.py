"""One conformance suite for the metric table's two stores: a SQLite file and a
PostgreSQL schema.

Every test runs on both (``store_kind``); the PostgreSQL runs need Debian's
``postgresql`` binaries and psycopg, and are skipped with the reason without them.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialkit import _db
from socialkit.errors import StoreError
from socialkit.metrics import MetricTable, collect, store
from socialkit.models import Account, Post
from socialkit.testing import Sandbox

pytestmark = pytest.mark.integration

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
_schemas = itertools.count(1)
# Unicode a platform may send (no lone surrogates: no database stores those).
TEXTS = (
    "中文，微博 🎉👩🏽‍💻 עברית שלום e\u0301 \u200b\u200d tab\there\nnew line "
    "'quoted' \"double\" % ? \\",
    "x" * 10_000,
    "",
)


def pg_url(conninfo: str, **extra: str) -> str:
    """A key=value conninfo as a ``postgresql://`` URL (what `MetricTable.open` takes)."""
    query = "&".join([*conninfo.split(), *(f"{k}={v}" for k, v in extra.items())])
    return f"postgresql:///postgres?{query}"


class Where:
    """One test's metric store: a SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, kind: str, tmp_path: Path, conninfo: str | None) -> None:
        self.kind = kind
        self.conninfo = conninfo
        self.schema = f"metrics_{next(_schemas)}"
        self.where: Any = tmp_path / "metrics.db" if conninfo is None else pg_url(conninfo)

    def open(self) -> MetricTable:
        """The stored table (each call: another process reading the same store)."""
        return MetricTable.open(self.where, schema=self.schema)

    def database(self) -> _db.Database:
        """The store as a `socialkit._db.Database` (the caller's, left open by the table)."""
        return store._open(self.where, self.schema)

    def errors(self) -> tuple[type[BaseException], ...]:
        """What a failing statement raises on this store."""
        if self.kind == "sqlite":
            return (StoreError,)
        import psycopg

        return (psycopg.Error,)


@pytest.fixture
def at(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Where:
    conninfo = request.getfixturevalue("pg_conninfo") if store_kind == "postgres" else None
    return Where(store_kind, tmp_path, conninfo)


def rows(n: int = 3, *, start: int = 0) -> list[tuple[Any, ...]]:
    return [
        ("mastodon", "post", str(i), "likes", float(i), T0 + timedelta(hours=i))
        for i in range(start, start + n)
    ]


def stored(table: MetricTable) -> list[tuple[Any, ...]]:
    """The table's rows as they are stored (times in microseconds, values as floats)."""
    return [table._cols.raw(i) for i in range(len(table))]


def a_post(post_id: str, **fields: Any) -> Post:
    return Post(platform="mastodon", id=post_id, **fields)


def test_rows_and_posts_round_trip_with_nulls_absurd_values_and_unicode(at: Where) -> None:
    oldest = datetime(1, 1, 1, tzinfo=UTC)
    newest = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    # SQLite keeps -0.0 as 0.0 (equal, its sign lost); PostgreSQL keeps the sign.
    absurd = [1e308, -1e308, 5e-324, -0.0, float("inf"), float("-inf"), 2.0**53 + 2, None]
    table = at.open()
    table.add_rows(
        [
            (TEXTS[0], "post", TEXTS[0], TEXTS[0], value, T0, TEXTS[0], oldest, newest, TEXTS[0])
            for value in absurd
        ]
        + [
            ("x", "account", "me", "followers", 10, oldest, "lifetime", None, None, None),
            ("x", "account", TEXTS[1], "followers", None, newest, "day", T0, None, TEXTS[2]),
        ]
    )
    author = Account(platform="mastodon", id=TEXTS[0], handle="h")
    table.add_posts(
        [
            a_post(TEXTS[0], text=TEXTS[0], url="https://e.example/é?q=%20", author=author),
            a_post("bare"),  # no time, URL, text or author: NULLs and ''
            a_post("long", text=TEXTS[1], created_at=oldest),
        ]
    )
    assert table.save() == 10
    again = at.open()
    assert list(again) == list(table)
    assert stored(again) == stored(table)
    assert [row[4] for row in stored(again)][:8] == absurd  # `Metric` reads infinity as None
    for post_id in (TEXTS[0], "bare", "long"):
        assert again.post_info("mastodon", post_id) == table.post_info("mastodon", post_id)
    assert again.post_info("mastodon", "bare").url is None  # type: ignore[union-attr]


def test_rows_come_back_in_the_order_they_were_saved(at: Where) -> None:
    table = at.open()
    ids = ["9", "1", "5", "3", "7", "2"]
    for batch in (ids[:3], ids[3:]):
        table.add_rows([("x", "post", i, "likes", 1, T0 - timedelta(days=int(i))) for i in batch])
        table.save()
    assert [m.subject_id for m in at.open()] == ids


def test_saves_append_only_the_new_rows(at: Where) -> None:
    table = at.open()
    table.add_rows(rows(2))
    assert table.save() == 2
    assert table.save() == 0
    table.add_rows(rows(1, start=2))
    assert table.save() == 1
    other = at.open()  # another process appends to the same store
    other.add_rows(rows(1, start=3))
    other.save()
    assert [m.subject_id for m in at.open()] == ["0", "1", "2", "3"]


def test_concurrent_saves_all_land_each_in_one_piece(at: Where) -> None:
    at.open()

    def worker(name: str) -> None:
        table = at.open()
        for batch in range(4):
            table.add_rows(
                [("x", "post", name, "likes", batch, T0 + timedelta(seconds=i)) for i in range(50)]
            )
            table.save()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [(m.subject_id, m.value) for m in at.open()]
    assert len(saved) == 4 * 4 * 50
    # Each save's 50 rows are contiguous: no save interleaves with another.
    pieces = [saved[i : i + 50] for i in range(0, len(saved), 50)]
    assert all(len(set(piece)) == 1 for piece in pieces)
    assert sorted(set(saved)) == sorted({(f"w{n}", b) for n in range(4) for b in range(4)})


def test_a_post_seen_again_keeps_what_was_known_unless_told_better(at: Where) -> None:
    author = Account(platform="mastodon", id="a1", handle="a")
    first = at.open()
    first.add_posts([a_post("1", created_at=T0, url="https://u/1", text="hello", author=author)])
    first.save()
    # Another table knows less about the same post (no time, URL, text, author).
    MetricTable(posts=[a_post("1")]).save(at.where, schema=at.schema)
    kept = at.open().post_info("mastodon", "1")
    assert kept is not None
    assert (kept.published_at, kept.url, kept.text, kept.author_id) == (
        T0,
        "https://u/1",
        "hello",
        "a1",
    )
    later = T0 + timedelta(hours=1)
    newer = Account(platform="mastodon", id="a2", handle="b")
    MetricTable(
        posts=[a_post("1", created_at=later, url="https://u/1b", text="edited", author=newer)]
    ).save(at.where, schema=at.schema)
    updated = at.open().post_info("mastodon", "1")
    assert updated is not None
    assert (updated.published_at, updated.url, updated.text, updated.author_id) == (
        later,
        "https://u/1b",
        "edited",
        "a2",
    )


def test_a_failed_save_writes_nothing_and_keeps_the_rows_unsaved(
    at: Where, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = at.open()
    table.add_rows(rows(3))
    table.add_posts([a_post("1", text="hi")])
    # The rows are inserted, then the posts' statement fails: the transaction rolls back.
    monkeypatch.setattr(store, "_UPSERT_POST", "INSERT INTO nowhere VALUES (?,?,?,?,?,?)")
    with pytest.raises(at.errors()):
        table.save()
    assert len(at.open()) == 0
    assert table.unsaved == 3
    monkeypatch.undo()
    assert table.save() == 3
    again = at.open()
    assert len(again) == 3
    assert again.post_info("mastodon", "1") is not None


def test_a_save_killed_before_its_commit_leaves_nothing(at: Where) -> None:
    at.open()  # the store exists, migrated: the child only saves
    script = textwrap.dedent(
        f"""
        import os
        from datetime import UTC, datetime
        from socialkit.metrics import MetricTable, store

        db = store._open({str(at.where)!r}, {at.schema!r})
        table = MetricTable.open(db)
        table.add_rows([("x", "post", "1", "likes", 1, datetime.now(UTC))] * 1000)
        os.environ["SOCIALKIT_CRASH_POINTS"] = "before-commit=1"
        table.save()
        print("not killed")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == -9, done.stderr
    assert len(at.open()) == 0


def test_a_store_written_by_a_newer_socialkit_is_refused(at: Where) -> None:
    db = at.database()
    with db.write() as tx:
        if at.kind == "sqlite":
            tx.execute("PRAGMA user_version = 99")
        else:
            tx.execute(f"UPDATE {at.schema}.schema_version SET version = 99")
    db.close()
    with pytest.raises(StoreError, match="upgrade socialkit"):
        at.open()


def test_a_database_given_is_used_as_it_is_and_left_open(at: Where) -> None:
    db = at.database()
    table = MetricTable.open(db)
    table.add_rows(rows(2))
    table.save()
    table.add_rows(rows(1, start=2))
    table.save()
    with db.read() as tx:
        assert db.x(tx, "SELECT count(*) AS n FROM metric").fetchone()["n"] == 3
    assert len(MetricTable.open(db)) == 3
    db.close()
    assert len(at.open()) == 3


def test_collect_appends_to_the_store_it_is_given(at: Where) -> None:
    sandbox = Sandbox()
    with sandbox.client() as client:
        client.publish("measured")
        first = collect(client, 1, store=at.where)
        collect(client, 1, store=at.where)
    assert first.table.location is not None
    assert len(MetricTable.open(at.where)) == 2 * len(first.table)


def test_a_table_is_saved_to_its_own_store_only(at: Where, tmp_path: Path) -> None:
    table = at.open()
    table.add_rows(rows(1))
    assert table.save(at.where, schema=at.schema) == 1
    with pytest.raises(ValueError, match="saved to"):
        table.save(tmp_path / "elsewhere.db")
    if at.kind == "postgres":  # a SQLite file has no schemas
        with pytest.raises(ValueError, match="saved to"):
            table.save(at.where, schema="another_schema")
        with pytest.raises(ValueError, match="saved to"):
            table.save(schema="another_schema")


# -- PostgreSQL only -------------------------------------------------------------------------------


@pytest.fixture
def pg(at: Where) -> Where:
    if at.kind != "postgres":
        pytest.skip("a PostgreSQL feature")
    return at


def test_saves_join_the_applications_transaction(pg: Where) -> None:
    import psycopg

    assert pg.conninfo is not None
    with psycopg.connect(pg.conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS reports (name TEXT)")
        table = MetricTable.open(conn, schema=pg.schema)

        def report(name: str, *, fail: bool) -> None:
            with conn.transaction():
                conn.execute("INSERT INTO reports VALUES (%s)", (name,))
                table.add_rows([("x", "post", name, "likes", 1, T0)])
                table.save()
                if fail:
                    raise RuntimeError("the application's transaction fails")

        with pytest.raises(RuntimeError):
            report("rolled back", fail=True)
        assert len(pg.open()) == 0
        table = MetricTable.open(conn, schema=pg.schema)  # after a rollback: open it again
        report("committed", fail=False)
        assert not conn.closed
        names = [r[0] for r in conn.execute("SELECT name FROM reports")]
    assert [m.subject_id for m in pg.open()] == ["committed"]
    assert names == ["committed"]


def test_the_location_never_shows_the_password(pg: Where) -> None:
    assert pg.conninfo is not None
    url = pg_url(pg.conninfo, password="hunter2-secret")
    table = MetricTable.open(url, schema=pg.schema)
    shown = [repr(table), table._repr_html_(), str(table.location)]
    with pytest.raises(ValueError, match="saved to") as refused:
        table.save(url, schema="other")
    shown.append(str(refused.value))
    assert table.path is None
    assert all("hunter2" not in text for text in shown)
    assert "postgresql://" in str(table.location)
    assert pg.schema in str(table.location)


def test_the_tables_live_in_the_schema_given(pg: Where) -> None:
    import psycopg

    assert pg.conninfo is not None
    MetricTable.from_rows(rows(1)).save(pg.where, schema=pg.schema)
    with psycopg.connect(pg.conninfo) as conn:
        found = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "ORDER BY table_name",
            (pg.schema,),
        ).fetchall()
    assert [name for (name,) in found] == ["metric", "post", "schema_version"]


def test_the_default_schema_is_socialkit_metrics(pg: Where) -> None:
    MetricTable.from_rows(rows(1)).save(pg.where)
    db = store._open(pg.where, "socialkit_metrics")
    assert isinstance(db, _db.Postgres)
    assert db.schema == "socialkit_metrics"
    with db.read() as tx:
        assert db.x(tx, "SELECT count(*) AS n FROM metric").fetchone()["n"] >= 1
    db.close()


def test_a_nul_character_from_a_hostile_answer_is_stored_as_a_replacement(at: Where) -> None:
    table = at.open()
    table.add_rows([("x", "post", "a\x00b", "likes", 1, T0), *rows(2)])
    table.save()  # PostgreSQL refuses NUL in text: it must not end the save
    ids = {row[2] for row in stored(at.open())}
    assert ("a\x00b" if at.kind == "sqlite" else "a\ufffdb") in ids
    assert len(ids) == 3


def test_values_are_stored_as_doubles_without_rounding(at: Where) -> None:
    values = [0.1, 1 / 3, 123456789.123456789, 2.0**-1074, 1.7976931348623157e308]
    table = at.open()
    table.add_rows([("x", "post", str(i), "v", v, T0) for i, v in enumerate(values)])
    table.save()
    assert [m.value for m in at.open()] == values
