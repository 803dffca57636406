"""SQLite persistence of a metric table (stdlib ``sqlite3``), append-only.

The schema version is kept in ``PRAGMA user_version``; a file written by a
newer socialkit, or another program's database, is refused with a `StoreError`
rather than misread. Times are stored as integer microseconds since the epoch,
UTC; a value the platform did not report is NULL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any

from .. import _sqlite
from ._columns import PostInfo

__all__ = ["SCHEMA_VERSION", "load", "write"]

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
_COLUMNS = (
    'platform, subject, subject_id, name, value, collected_at, period, start, "end", native_name'
)


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    connection = _sqlite.connect(path, "metrics", isolation_level=None)
    with closing(connection) as conn, _sqlite.guard(path, "metrics"):
        _sqlite.migrate(conn, path=path, what="metrics", migrations=_MIGRATIONS)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise


def load(path: Path) -> tuple[list[tuple[Any, ...]], dict[tuple[str, str], PostInfo]]:
    """Every stored row (times in microseconds) and the stored posts, creating the file if new."""
    with _connect(path) as conn:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM metric ORDER BY rowid").fetchall()
        posts = {
            (platform, post_id): PostInfo(published, url, text, author)
            for platform, post_id, published, url, text, author in conn.execute(
                "SELECT platform, id, published_at, url, text, author_id FROM post"
            )
        }
    return rows, posts


def write(
    path: Path, rows: Iterable[tuple[Any, ...]], posts: Mapping[tuple[str, str], PostInfo]
) -> None:
    """Append ``rows`` and insert or update ``posts``, in one transaction."""
    with _connect(path) as conn:
        conn.executemany(f"INSERT INTO metric ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        conn.executemany(
            "INSERT INTO post (platform, id, published_at, url, text, author_id) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT (platform, id) DO UPDATE SET "
            "published_at = coalesce(excluded.published_at, published_at), "
            "url = coalesce(excluded.url, url), "
            "text = CASE WHEN excluded.text != '' THEN excluded.text ELSE text END, "
            "author_id = coalesce(excluded.author_id, author_id)",
            [
                (platform, post_id, info.published_us, info.url, info.text, info.author_id)
                for (platform, post_id), info in posts.items()
            ],
        )
