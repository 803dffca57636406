"""The calendar's SQLite file: connection setup, transactions and every query.

The file is opened in WAL mode with ``synchronous=FULL`` (a committed claim or
result survives a crash of the process or the machine) and a busy timeout, so
several processes can share it. Writes run in ``BEGIN IMMEDIATE`` transactions:
the write lock is taken up front, which makes a read-check-update sequence
atomic across processes. Times are stored as UTC epoch seconds.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import _sqlite
from ..crashpoints import crash_point
from ._sql import SQLLedger, Tx
from .migrations import migrate

__all__ = ["Store", "open_store"]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is left of a transaction (SQLite may have rolled it back already)."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


class _Row(sqlite3.Row):
    """A row read by position or by its column's exact name, as PostgreSQL's rows are
    (`sqlite3.Row` also answers ``row["STATE"]``: code right on SQLite only)."""

    def __getitem__(self, key: int | str) -> Any:  # type: ignore[override]
        if isinstance(key, str) and key not in self.keys():
            raise IndexError(f"no column {key!r}")
        return super().__getitem__(key)


def _exact_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> _Row:
    return _Row(cursor, values)


class Store(SQLLedger):
    """The calendar in a SQLite file (or an in-memory database), on one connection.

    Leases are measured on the worker's clock: every process sharing the file runs on
    the same machine.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = str(path)
        self.memory = self.path == ":memory:"
        self.conn = _sqlite.connect(
            self.path,
            "calendar",
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        self.conn.row_factory = _exact_row
        self._lock = threading.RLock()
        self._depth = 0
        try:
            with self._guard():
                self.conn.execute("PRAGMA foreign_keys = ON")
                if not self.memory:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                    self.conn.execute("PRAGMA synchronous = FULL")
                migrate(self.conn, path=self.path)
        except BaseException:
            self.conn.close()
            raise

    def _guard(self) -> contextlib.AbstractContextManager[None]:
        """SQLite's complaints about the file, as `StoreError` naming it."""
        return _sqlite.guard(self.path, "calendar")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.conn.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction (nested calls join the outer one)."""
        with self._lock, self._guard():
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
                crash_point("before-commit")
                self.conn.execute("COMMIT")
                crash_point("after-commit")
            except BaseException:
                _rollback(self.conn)  # a failed COMMIT (disk full) leaves nothing half-written
                raise
            finally:
                self._depth = 0

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several queries."""
        with self._lock, self._guard():
            if self._depth:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    # -- what SQLLedger needs -----------------------------------------------------------------

    def _x(self, conn: Tx, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = conn.execute(sql, params)
        return cursor

    def _insert(self, conn: Tx, sql: str, params: Sequence[Any]) -> int:
        return int(conn.execute(sql, params).lastrowid or 0)

    def _clock(self, wall: float) -> tuple[str, tuple[Any, ...]]:
        return "?", (wall,)

    def _lease_until(self, wall: float, until: float) -> tuple[str, tuple[Any, ...]]:
        return "?", (until,)


def open_store(where: str | os.PathLike[str] | SQLLedger) -> SQLLedger:
    """The calendar store ``where`` names: a store as it is, a ``postgresql://`` URL
    (`socialkit.calendar.postgres.PostgresStore`, the ``postgres`` extra), else a SQLite
    file."""
    if isinstance(where, SQLLedger):
        return where
    if isinstance(where, str) and where.startswith(_POSTGRES_SCHEMES):
        from .postgres import PostgresStore

        return PostgresStore(where)
    return Store(os.fspath(where))
