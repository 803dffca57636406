"""SQLite persistence of a metric table (stdlib ``sqlite3``), append-only.

The schema version is kept in ``PRAGMA user_version``; a file written by a
newer socialkit is refused rather than misread. Times are stored as integer
microseconds since the epoch, UTC; a value the platform did not report is NULL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ._columns import PostInfo

__all__ = ["SCHEMA_VERSION", "load", "write"]

SCHEMA_VERSION = 1
"""The version of the metric store's SQLite schema."""
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
# Upgrades from version N to N + 1, applied in order when an older file is opened.
_MIGRATIONS: dict[int, str] = {}
_COLUMNS = (
    'platform, subject, subject_id, name, value, collected_at, period, start, "end", native_name'
)


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path)) as conn, conn:
        _migrate(conn, path)
        yield conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
        if tables[0]:
            raise ConfigError(f"{path} is not a socialkit metrics store", field="store")
        conn.executescript(_SCHEMA)
        version = SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise ConfigError(
            f"{path} has metrics schema version {version}; this socialkit reads up to "
            f"{SCHEMA_VERSION}: upgrade socialkit",
            field="store",
        )
    while version < SCHEMA_VERSION:
        conn.executescript(_MIGRATIONS[version])
        version += 1
    conn.execute(f"PRAGMA user_version = {version}")


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
