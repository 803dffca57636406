"""A small SQLite store of posts, comments and mentions that honours retention and erasure.

It is the reference implementation of :class:`~socialkit.privacy.DataStore`:
one table per record type (``platform, id, author_id, created_at, stored_at,
json``), deletions that count what they removed, and ``PRAGMA secure_delete``
so erased rows do not linger in the file's free pages. The schema version is
``PRAGMA user_version``; another program's file is refused with a `StoreError`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from os import PathLike
from types import TracebackType
from typing import Final, Self, TypeAlias

from .. import _sqlite
from ..models import Comment, Mention, Post

__all__ = ["SQLiteRecordStore", "StoredRecord"]

StoredRecord: TypeAlias = Post | Comment | Mention
"""What :class:`SQLiteRecordStore` holds."""

_TABLES: Final[dict[str, type[StoredRecord]]] = {
    "posts": Post,
    "comments": Comment,
    "mentions": Mention,
}
_TABLE_OF: Final = {model: table for table, model in _TABLES.items()}


def _iso(moment: datetime) -> str:
    """A UTC timestamp in one fixed format, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_SCHEMA: Final = "".join(
    f"CREATE TABLE IF NOT EXISTS {table} ("
    " platform TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT,"
    " created_at TEXT, stored_at TEXT NOT NULL, json TEXT NOT NULL,"
    " PRIMARY KEY (platform, id));"
    f"CREATE INDEX IF NOT EXISTS {table}_author ON {table} (platform, author_id);"
    for table in _TABLES
)


def _v1_initial(conn: sqlite3.Connection) -> None:
    """One table per record type."""
    _sqlite.run_script(conn, _SCHEMA)


def _unversioned(conn: sqlite3.Connection) -> int | None:
    """A store from before versioning (every table is one of ours): run v1, adding what is
    missing. ``None`` for another program's file."""
    ours = _sqlite.shape_of(_SCHEMA)
    found = _sqlite.shape(conn)
    return 0 if all(ours.get(table) == columns for table, columns in found.items()) else None


class SQLiteRecordStore:
    """Posts, comments and mentions in a SQLite file (or ``":memory:"``).

    Args:
        path: The database file; created with its tables when missing.
        name: The store's name in retention and erasure reports.

    Records are keyed by ``(platform, id)``: adding a record again replaces it.
    Records without ``created_at`` age from the moment they were stored.
    """

    def __init__(self, path: str | PathLike[str], *, name: str = "records") -> None:
        self.name = name
        self.path = os.fspath(path)
        self._conn = _sqlite.connect(path, "records")
        try:
            with self._guard():
                self._conn.execute("PRAGMA secure_delete = ON")
                _sqlite.migrate(
                    self._conn,
                    path=path,
                    what="records",
                    migrations=(_v1_initial,),
                    unversioned=_unversioned,
                )
        except BaseException:
            self._conn.close()
            raise

    def _guard(self) -> contextlib.AbstractContextManager[None]:
        """SQLite's complaints about the file, as `StoreError` naming it."""
        return _sqlite.guard(self.path, "records")

    def __repr__(self) -> str:
        return f"SQLiteRecordStore(name={self.name!r})"

    def add(self, records: Iterable[StoredRecord]) -> int:
        """Store records (replacing any with the same platform and id); return how many."""
        stored_at = _iso(datetime.now(UTC))
        count = 0
        with self._guard(), self._conn:
            for record in records:
                table = _TABLE_OF.get(type(record))
                if table is None:
                    raise TypeError(
                        f"cannot store {type(record).__name__}: only posts, comments, mentions"
                    )
                self._conn.execute(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        record.platform,
                        record.id,
                        record.author.id if record.author else None,
                        _iso(record.created_at) if record.created_at else None,
                        stored_at,
                        record.model_dump_json(context={"raw": True}),
                    ),
                )
                count += 1
        return count

    def all(self) -> list[StoredRecord]:
        """Every stored record: posts, then comments, then mentions, each in insertion order."""
        records: list[StoredRecord] = []
        with self._guard():
            for table, model in _TABLES.items():
                rows = self._conn.execute(f"SELECT json FROM {table} ORDER BY rowid")
                records.extend(model.model_validate_json(row[0]) for row in rows)
        return records

    def count(self) -> dict[str, int]:
        """How many rows each table holds."""
        with self._guard():
            return self._count()

    def _count(self) -> dict[str, int]:
        return {
            table: int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in _TABLES
        }

    def delete_older_than(self, cutoff: datetime) -> int:
        """Delete records created before ``cutoff``; return how many."""
        bound = _iso(cutoff)
        with self._guard(), self._conn:
            return sum(
                self._conn.execute(
                    f"DELETE FROM {table} WHERE coalesce(created_at, stored_at) < ?", (bound,)
                ).rowcount
                for table in _TABLES
            )

    def erase_subject(self, platform: str, account_id: str) -> dict[str, int]:
        """Delete every post, comment and mention the account wrote; return counts per table."""
        with self._guard(), self._conn:
            return {
                table: self._conn.execute(
                    f"DELETE FROM {table} WHERE platform = ? AND author_id = ?",
                    (platform, account_id),
                ).rowcount
                for table in _TABLES
            }

    def close(self) -> None:
        """Close the database."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
