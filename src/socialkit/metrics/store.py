"""Persistence of a metric table, append-only: a SQLite file or a PostgreSQL schema.

Where a table lives (`MetricStore`) is a SQLite file path (stdlib ``sqlite3``), a
``postgresql://`` URL, a psycopg connection (the caller's: writes join its
transaction) or a `socialkit._db.Database`. The queries are written once and run on
both (`socialkit._db`). Times are stored as integer microseconds since the epoch,
UTC; a value the platform did not report is NULL.

Each dialect's schema is versioned (SQLite: ``PRAGMA user_version``; PostgreSQL: a
``schema_version`` table in the store's schema, ``socialkit_metrics`` by default). A
store written by a newer socialkit, or another program's SQLite file, is refused with
a `StoreError` rather than misread.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import _db, _sqlite
from ._columns import PostInfo

if TYPE_CHECKING:
    import psycopg

__all__ = ["DEFAULT_SCHEMA", "SCHEMA_VERSION", "MetricStore", "describe", "load", "write"]

MetricStore: TypeAlias = "str | os.PathLike[str] | _db.Database | psycopg.Connection[Any]"
"""Where a metric table is stored: a SQLite file path, a ``postgresql://`` URL, a psycopg
connection or a `socialkit._db.Database`."""

DEFAULT_SCHEMA = "socialkit_metrics"
"""The PostgreSQL schema a metric table's tables live in, unless told otherwise."""

_SCHEMA = """
CREATE TABLE metric (
    platform     TEXT    NOT NULL,
    subject      TEXT    NOT NULL CHECK (subject IN ('post', 'account')),
    subject_id   TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    value        REAL,
    collected_at INTEGER NOT NULL,
    period       TEXT    NOT NULL,
    start        INTEGER,
    "end"        INTEGER,
    native_name  TEXT
);
CREATE INDEX metric_series ON metric (platform, subject, subject_id, name);
CREATE TABLE post (
    platform     TEXT NOT NULL,
    id           TEXT NOT NULL,
    published_at INTEGER,
    url          TEXT,
    text         TEXT NOT NULL DEFAULT '',
    author_id    TEXT,
    PRIMARY KEY (platform, id)
);
"""


def _v1_initial(conn: sqlite3.Connection) -> None:
    """The metric rows and the posts they describe."""
    _sqlite.run_script(conn, _SCHEMA)


# Every migration, oldest first; ``PRAGMA user_version`` is how many have been applied.
# To change the schema, append one; never edit one that has shipped.
_MIGRATIONS: tuple[_sqlite.Migration, ...] = (_v1_initial,)
SCHEMA_VERSION = len(_MIGRATIONS)
"""The version of the metric store's SQLite schema."""

# PostgreSQL: the same tables, version by version (``{s}`` is the schema). SQLite keeps
# rows in insertion order by ``rowid``; PostgreSQL has none, so ``seq`` numbers them.
_PG_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE {s}.metric (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform     TEXT    NOT NULL,
        subject      TEXT    NOT NULL CHECK (subject IN ('post', 'account')),
        subject_id   TEXT    NOT NULL,
        name         TEXT    NOT NULL,
        value        DOUBLE PRECISION,
        collected_at BIGINT  NOT NULL,
        period       TEXT    NOT NULL,
        start        BIGINT,
        "end"        BIGINT,
        native_name  TEXT
    );
    CREATE INDEX metric_series ON {s}.metric (platform, subject, subject_id, name);
    CREATE TABLE {s}.post (
        platform     TEXT NOT NULL,
        id           TEXT NOT NULL,
        published_at BIGINT,
        url          TEXT,
        text         TEXT NOT NULL DEFAULT '',
        author_id    TEXT,
        PRIMARY KEY (platform, id)
    );
    """,
)
_TABLES = ("metric", "post")
_ORDER = {"sqlite": "rowid", "postgres": "seq"}  # insertion order, per dialect
_COLUMNS = (
    'platform, subject, subject_id, name, value, collected_at, period, start, "end", native_name'
)
_INSERT_ROW = f"INSERT INTO metric ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)"
# A post seen again keeps what it knew unless the newer sighting knows better.
_UPSERT_POST = (
    "INSERT INTO post (platform, id, published_at, url, text, author_id) "
    "VALUES (?,?,?,?,?,?) ON CONFLICT (platform, id) DO UPDATE SET "
    "published_at = coalesce(excluded.published_at, post.published_at), "
    "url = coalesce(excluded.url, post.url), "
    "text = CASE WHEN excluded.text != '' THEN excluded.text ELSE post.text END, "
    "author_id = coalesce(excluded.author_id, post.author_id)"
)


def _open(where: MetricStore, schema: str) -> _db.Database:
    return _db.open_database(
        where,
        what="metrics",
        schema=schema,
        tables=_TABLES,
        sqlite_migrations=_MIGRATIONS,
        postgres_migrations=_PG_MIGRATIONS,
    )


@contextlib.contextmanager
def _opened(where: MetricStore, schema: str) -> Iterator[_db.Database]:
    """The database for one load or save: opened and closed here, unless it is the
    caller's `Database` (a caller's psycopg connection is never closed either)."""
    if isinstance(where, _db.Database):
        yield where
        return
    db = _open(where, schema)
    try:
        yield db
    finally:
        db.close()


def _values(row: Any) -> tuple[Any, ...]:
    """A row's values in column order (PostgreSQL's rows are dicts, SQLite's sequences)."""
    return tuple(row.values() if isinstance(row, dict) else row)


def load(
    where: MetricStore, *, schema: str = DEFAULT_SCHEMA
) -> tuple[list[tuple[Any, ...]], dict[tuple[str, str], PostInfo]]:
    """Every stored row (times in microseconds), in the order they were saved, and the
    stored posts; creates the store (its tables) when new."""
    with _opened(where, schema) as db, db.read() as tx:
        order = _ORDER[db.dialect]
        rows = [
            _values(row) for row in db.x(tx, f"SELECT {_COLUMNS} FROM metric ORDER BY {order}")
        ]
        posts = {
            (row["platform"], row["id"]): PostInfo(
                row["published_at"], row["url"], row["text"], row["author_id"]
            )
            for row in db.x(tx, "SELECT platform, id, published_at, url, text, author_id FROM post")
        }
    return rows, posts


def write(
    where: MetricStore,
    rows: Iterable[tuple[Any, ...]],
    posts: Mapping[tuple[str, str], PostInfo],
    *,
    schema: str = DEFAULT_SCHEMA,
) -> None:
    """Append ``rows`` and insert or update ``posts``, in one transaction (all or nothing)."""
    with _opened(where, schema) as db, db.write() as tx:
        db.many(tx, _INSERT_ROW, rows)
        db.many(
            tx,
            _UPSERT_POST,
            [
                (platform, post_id, info.published_us, info.url, info.text, info.author_id)
                for (platform, post_id), info in posts.items()
            ],
        )


def describe(where: MetricStore, schema: str = DEFAULT_SCHEMA) -> str:
    """Where ``where`` is, for messages and reprs (never a password)."""
    if isinstance(where, _db.Database):
        return where.path
    if isinstance(where, str) and where.startswith(_db.POSTGRES_SCHEMES):
        return f"{_db.describe(where)} (schema {schema})"
    if isinstance(where, str | os.PathLike):
        return os.fspath(where)
    return f"{_db.describe(where.info.dsn)} (schema {schema}, the caller's connection)"
