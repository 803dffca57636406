"""Stores of posts, comments and mentions that honour retention and erasure.

They are the reference implementations of :class:`~socialkit.privacy.DataStore`: one
table per record type (``platform, id, author_id, created_at, stored_at, json``), and
deletions that count what they removed. `RecordStore` holds the queries, written once
(`socialkit._db`); `SQLiteRecordStore` runs them on a SQLite file and
`PostgresRecordStore` on a schema of a PostgreSQL database.

What a deletion means differs, and is said plainly:

- SQLite: ``PRAGMA secure_delete`` overwrites the freed pages in the file, and after
  each deletion the write-ahead log is checkpointed and truncated, so erased rows
  linger neither in the file's free pages nor in its ``-wal`` file (a checkpoint waits
  for nobody: while another connection is reading, the log is emptied at the next one).
- PostgreSQL: the rows are gone for every query at once, but the old row versions stay
  in the table's data files until ``VACUUM`` (autovacuum, by default) marks their space
  free, and their bytes until that space is reused; write-ahead log segments and
  backups keep them for as long as those are kept. Plan erasure with your retention of
  WAL archives and backups.

Schemas are versioned per dialect; a store written by a newer socialkit, or another
program's SQLite file, is refused with a `StoreError`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from os import PathLike
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self, TypeAlias

from .. import _db, _sqlite
from ..models import Comment, Mention, Post

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresRecordStore", "RecordStore", "SQLiteRecordStore", "StoredRecord"]

StoredRecord: TypeAlias = Post | Comment | Mention
"""What a :class:`RecordStore` holds."""

_TABLES: Final[dict[str, type[StoredRecord]]] = {
    "posts": Post,
    "comments": Comment,
    "mentions": Mention,
}
_TABLE_OF: Final = {model: table for table, model in _TABLES.items()}

_SCHEMA: Final = "".join(
    f"CREATE TABLE IF NOT EXISTS {table} ("
    " platform TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT,"
    " created_at TEXT, stored_at TEXT NOT NULL, json TEXT NOT NULL,"
    " PRIMARY KEY (platform, id));"
    f"CREATE INDEX IF NOT EXISTS {table}_author ON {table} (platform, author_id);"
    for table in _TABLES
)

# PostgreSQL, version by version (``{s}`` is the schema): the same tables, with ``seq``
# numbering rows in the order they were first added (SQLite's ``rowid``).
_PG_V1: Final = "".join(
    f"CREATE TABLE {{s}}.{table} ("
    " seq BIGINT GENERATED ALWAYS AS IDENTITY,"
    " platform TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT,"
    " created_at TEXT, stored_at TEXT NOT NULL, json TEXT NOT NULL,"
    " PRIMARY KEY (platform, id));"
    f"CREATE INDEX {table}_author ON {{s}}.{table} (platform, author_id);"
    for table in _TABLES
)
_ORDER: Final = {"sqlite": "rowid", "postgres": "seq"}  # the order records were first added


def _v1_initial(conn: sqlite3.Connection) -> None:
    """One table per record type."""
    _sqlite.run_script(conn, _SCHEMA)


def _unversioned(conn: sqlite3.Connection) -> int | None:
    """A store from before versioning (every table is one of ours): run v1, adding what is
    missing. ``None`` for another program's file."""
    ours = _sqlite.shape_of(_SCHEMA)
    found = _sqlite.shape(conn)
    return 0 if all(ours.get(table) == columns for table, columns in found.items()) else None


class RecordStore:
    """Posts, comments and mentions in a database: what `SQLiteRecordStore` and
    `PostgresRecordStore` share (construct one of those).

    Records are keyed by ``(platform, id)``: adding a record again replaces it (it
    keeps its place in `all`, and ages from when it was stored again). Records without
    ``created_at`` age from the moment they were stored.

    Attributes:
        name: The store's name in retention and erasure reports.
    """

    def __init__(self, db: _db.Database, *, name: str) -> None:
        self._db = db
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"

    def add(self, records: Iterable[StoredRecord]) -> int:
        """Store records (replacing any with the same platform and id); return how many.

        All or none: a record that cannot be stored leaves the store as it was.
        """
        stored_at = _db.iso(datetime.now(UTC))
        count = 0
        db = self._db
        with db.write() as tx:
            for record in records:
                table = _TABLE_OF.get(type(record))
                if table is None:
                    raise TypeError(
                        f"cannot store {type(record).__name__}: only posts, comments, mentions"
                    )
                db.x(
                    tx,
                    f"INSERT INTO {table} (platform, id, author_id, created_at, stored_at, json)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, id) DO UPDATE SET"
                    " author_id = excluded.author_id, created_at = excluded.created_at,"
                    " stored_at = excluded.stored_at, json = excluded.json",
                    (
                        record.platform,
                        record.id,
                        record.author.id if record.author else None,
                        _db.iso(record.created_at) if record.created_at else None,
                        stored_at,
                        record.model_dump_json(context={"raw": True}),
                    ),
                )
                count += 1
        return count

    def all(self) -> list[StoredRecord]:
        """Every stored record: posts, then comments, then mentions, each in the order
        first added."""
        records: list[StoredRecord] = []
        db = self._db
        order = _ORDER[db.dialect]
        with db.read() as tx:
            for table, model in _TABLES.items():
                rows = db.x(tx, f"SELECT json FROM {table} ORDER BY {order}")
                records.extend(model.model_validate_json(row["json"]) for row in rows)
        return records

    def count(self) -> dict[str, int]:
        """How many rows each table holds."""
        db = self._db
        with db.read() as tx:
            return {
                table: int(db.x(tx, f"SELECT count(*) AS n FROM {table}").fetchone()["n"])
                for table in _TABLES
            }

    def delete_older_than(self, cutoff: datetime) -> int:
        """Delete records created before ``cutoff``; return how many."""
        bound = _db.iso(cutoff)
        db = self._db
        with db.write() as tx:
            deleted = sum(
                db.x(
                    tx, f"DELETE FROM {table} WHERE coalesce(created_at, stored_at) < ?", (bound,)
                ).rowcount
                for table in _TABLES
            )
        self._deleted()
        return deleted

    def erase_subject(self, platform: str, account_id: str) -> dict[str, int]:
        """Delete every post, comment and mention the account wrote; return counts per table."""
        db = self._db
        with db.write() as tx:
            removed = {
                table: db.x(
                    tx,
                    f"DELETE FROM {table} WHERE platform = ? AND author_id = ?",
                    (platform, account_id),
                ).rowcount
                for table in _TABLES
            }
        self._deleted()
        return removed

    def _deleted(self) -> None:
        """After a committed deletion: what the database needs so the rows do not linger."""

    def close(self) -> None:
        """Close the database (a caller's own connection is left open)."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SQLiteRecordStore(RecordStore):
    """Posts, comments and mentions in a SQLite file (or ``":memory:"``).

    Args:
        path: The database file; created with its tables when missing.
        name: The store's name in retention and erasure reports.

    Deleted rows are overwritten in the file (``PRAGMA secure_delete``) and the
    write-ahead log is truncated after each deletion.
    """

    def __init__(self, path: str | PathLike[str], *, name: str = "records") -> None:
        self.path = os.fspath(path)
        db = _db.SQLite(
            path, what="records", migrations=(_v1_initial,), unversioned=_unversioned
        )
        super().__init__(db, name=name)
        self._sqlite = db

    def _deleted(self) -> None:
        self._sqlite.checkpoint()


class PostgresRecordStore(RecordStore):
    """Posts, comments and mentions in a schema of a PostgreSQL database (psycopg 3, the
    ``postgres`` extra).

    Args:
        conninfo: A ``postgresql://`` URL or libpq connection string; the store opens (and
            closes) its own connection.
        connection: Instead, the caller's psycopg connection: what the store writes joins
            the connection's current transaction and commits or rolls back with the
            application's own writes; `close` leaves it open.
        schema: The schema the tables live in, created and migrated when missing.
        name: The store's name in retention and erasure reports.

    A deleted row is gone for every query at once; its bytes stay in the table's files
    until ``VACUUM`` (autovacuum) frees the space and it is reused, and in WAL archives
    and backups for as long as those are kept (see `socialkit.privacy.store`).

    Attributes:
        schema: The schema the tables live in.

    Raises:
        ConfigError: neither or both of ``conninfo`` and ``connection``, or a bad schema.
        StoreError: the schema was written by a newer socialkit.
    """

    def __init__(
        self,
        conninfo: str | None = None,
        *,
        connection: psycopg.Connection[Any] | None = None,
        schema: str = "socialkit_records",
        name: str = "records",
    ) -> None:
        db = _db.Postgres(
            conninfo,
            connection=connection,
            schema=schema,
            what="records",
            tables=tuple(_TABLES),
            migrations=(_PG_V1,),
        )
        super().__init__(db, name=name)
        self.schema = schema
