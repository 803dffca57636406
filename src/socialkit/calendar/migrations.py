"""The calendar's SQLite schema, as an ordered list of migrations.

The schema version is ``PRAGMA user_version``: the number of migrations applied
(files written before that kept it in a ``schema_version`` table, still read).
`migrate` applies the missing ones in order, inside one ``BEGIN IMMEDIATE``
transaction, so two processes opening a new file at once cannot both migrate it.
A file written by a newer socialkit (a higher version than `MIGRATIONS` knows), or
another program's database, is refused with a `StoreError` rather than guessed at.

To change the schema, append a function; never edit one that has shipped.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence

from .. import _sqlite
from .._sqlite import Migration, run_script

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate", "schema_version"]


def _v1_initial(conn: sqlite3.Connection) -> None:
    """Entries, their per-target deliveries, approvals, slots, targets, settings, events."""
    run_script(
        conn,
        """
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            draft TEXT NOT NULL,
            variants TEXT NOT NULL DEFAULT '{}',
            at REAL,
            tz TEXT NOT NULL DEFAULT 'UTC',
            state TEXT NOT NULL,
            approvals_required INTEGER NOT NULL DEFAULT 0,
            campaign TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            slot_id INTEGER,
            note TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX entries_at ON entries (at);
        CREATE INDEX entries_state ON entries (state);

        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            idempotency_key TEXT NOT NULL,
            due REAL,
            attempts INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_expires REAL,
            first_attempt_at REAL,
            last_attempt_at REAL,
            uncertain INTEGER NOT NULL DEFAULT 0,
            platform TEXT,
            post_id TEXT,
            post_url TEXT,
            published_at REAL,
            error TEXT,
            UNIQUE (entry_id, target)
        );
        CREATE INDEX deliveries_due ON deliveries (state, due);
        CREATE INDEX deliveries_target ON deliveries (target, state);

        CREATE TABLE approvals (
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            approver TEXT NOT NULL,
            at REAL NOT NULL,
            PRIMARY KEY (entry_id, approver)
        );

        CREATE TABLE rejections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            reviewer TEXT NOT NULL,
            at REAL NOT NULL,
            comment TEXT NOT NULL
        );

        CREATE TABLE slots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rrule TEXT NOT NULL,
            tz TEXT NOT NULL,
            start TEXT NOT NULL,
            targets TEXT NOT NULL DEFAULT '[]',
            label TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE targets (
            name TEXT PRIMARY KEY,
            platform TEXT NOT NULL
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_id INTEGER,
            at REAL NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX events_entry ON events (entry_id);
        """,
    )


def _v2_post_state(conn: sqlite3.Connection) -> None:
    """The platform's verdict on a published delivery: ``post_state`` (``published``,
    ``pending`` review or processing, ``rejected``), its reason, and when it was last read."""
    have = {str(row[1]) for row in conn.execute("PRAGMA table_info(deliveries)")}
    columns = {
        "post_state": "TEXT NOT NULL DEFAULT 'published'",
        "post_state_reason": "TEXT",
        "post_checked_at": "REAL",
    }
    for name, kind in columns.items():
        if name not in have:  # a file adopted from before user_version may have them
            conn.execute(f"ALTER TABLE deliveries ADD COLUMN {name} {kind}")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS deliveries_post_state ON deliveries (post_state, state)"
    )


def _v3_workers(conn: sqlite3.Connection) -> None:
    """The workers that dispatch from the calendar: heartbeats and last ticks."""
    run_script(conn, WORKERS_TABLE)


WORKERS_TABLE = """
CREATE TABLE IF NOT EXISTS workers (
    owner TEXT PRIMARY KEY,
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL DEFAULT 0,
    started_at REAL NOT NULL,
    heartbeat_at REAL NOT NULL,
    last_tick_at REAL,
    ticks INTEGER NOT NULL DEFAULT 0,
    stopped_at REAL,
    last_report TEXT NOT NULL DEFAULT ''
)
"""
"""The ``workers`` table (PostgreSQL stores its ``REAL`` columns as ``DOUBLE PRECISION``)."""


MIGRATIONS: Sequence[Migration] = (_v1_initial, _v2_post_state, _v3_workers)
"""Every migration, oldest first; the schema version is how many have been applied."""

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The version of the file behind ``conn`` (0 for a new file)."""
    return _sqlite.user_version(conn) or _legacy_version(conn) or 0


def _legacy_version(conn: sqlite3.Connection) -> int | None:
    """The version a file from before ``user_version`` kept in its ``schema_version`` table
    (``None`` when there is no such table: the file is not a calendar)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return None
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    path: str | os.PathLike[str] = "the calendar",
) -> int:
    """Bring the file up to date; returns the version it is at.

    ``conn`` must be in autocommit mode (``isolation_level=None``).

    Raises:
        StoreError: the file was written by a newer socialkit, or is not a calendar.
    """
    return _sqlite.migrate(
        conn, path=path, what="calendar", migrations=migrations, unversioned=_legacy_version
    )
