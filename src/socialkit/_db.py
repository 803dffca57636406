"""`Database`: one transaction API over SQLite and PostgreSQL, for the stores.

A store (the inbox, the metric table, the record store) writes each query once, with
``?`` placeholders and its bare table names, and a `Database` runs it: `SQLite` as it
is, `Postgres` with psycopg's ``%s`` and the tables qualified by the store's schema.

- ``write()`` is serialised with every other writer of the same store: SQLite's
  ``BEGIN IMMEDIATE``, or a PostgreSQL advisory lock on the schema. A read, a check
  and an update inside it are one atomic step, across processes and machines.
  Nested calls join the outer transaction.
- `Database.clock` is the time leases are measured on: the caller's on SQLite (one
  file lives on one machine), the database's own ``now()`` on PostgreSQL, so
  workers whose clocks disagree still agree on when a lease expired. Times are
  ISO-8601 text in UTC with microseconds on both, so text order is time order
  (`Database.epoch_clock` is the same clock in epoch seconds, for a store that keeps
  its times as numbers).
- Schemas are versioned per dialect: SQLite in ``PRAGMA user_version`` (`_sqlite`),
  PostgreSQL in a ``schema_version`` table of the store's schema, migrated under
  the write lock so two processes starting at once cannot both migrate.
- `Postgres` accepts the caller's psycopg connection: the store's writes then join
  the caller's transaction and commit (or roll back) with the application's own.
- `off_loop` runs a store call from async code in a worker thread, so a slow disk or a
  database across the network never blocks the event loop.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from . import _sqlite
from .crashpoints import crash_point
from .errors import ConfigError, StoreError

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "POSTGRES_SCHEMES",
    "Cursor",
    "Database",
    "Postgres",
    "SQLite",
    "Tx",
    "iso",
    "off_loop",
    "open_database",
]

T = TypeVar("T")

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

Tx = Any
"""An open transaction (what ``read()`` and ``write()`` yield): opaque to the store."""

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# The text form of `iso`, computed by PostgreSQL: "2026-12-07T18:30:00.123456+00:00".
_PG_ISO = """to_char(({}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def iso(moment: datetime) -> str:
    """A UTC timestamp in the one text form stores keep (text order is time order)."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Cursor(Protocol):
    """What a statement returns, on either database (rows read by column name)."""

    @property
    def rowcount(self) -> int:
        """Rows an ``UPDATE`` or ``DELETE`` changed."""

    def fetchone(self) -> Any:
        """The next row, or ``None``."""

    def fetchall(self) -> list[Any]:
        """The remaining rows."""

    def __iter__(self) -> Iterator[Any]:
        """The remaining rows, one by one."""


class _Row(sqlite3.Row):
    """A row read by position or by its column's exact name, as PostgreSQL's rows are
    (`sqlite3.Row` also answers ``row["STATE"]``: code right on SQLite only)."""

    def __getitem__(self, key: int | str) -> Any:  # type: ignore[override]
        if isinstance(key, str) and key not in self.keys():
            raise IndexError(f"no column {key!r}")
        return super().__getitem__(key)


def _exact_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> _Row:
    return _Row(cursor, values)


class Database(ABC):
    """Transactions and statements over one store's tables."""

    #: ``"sqlite"`` or ``"postgres"``.
    dialect: ClassVar[str]
    #: Where the store lives, for messages (a file path, or a database URL without password).
    path: str

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0

    @abstractmethod
    def _begin(self, *, write: bool) -> contextlib.AbstractContextManager[Tx]:
        """One outermost transaction."""

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            with self._begin(write=write) as conn:
                self._depth = 1
                try:
                    yield conn
                finally:
                    self._depth = 0

    def write(self) -> contextlib.AbstractContextManager[Tx]:
        """A transaction that writes, serialised with the store's other writers."""
        return self._transaction(write=True)

    def read(self) -> contextlib.AbstractContextManager[Tx]:
        """A transaction that only reads."""
        return self._transaction(write=False)

    @property
    @abstractmethod
    def _conn(self) -> Any:
        """The connection."""

    @abstractmethod
    def x(self, tx: Tx, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement (``?`` placeholders); rows are read by column name."""

    @abstractmethod
    def many(self, tx: Tx, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each of ``rows``."""

    @abstractmethod
    def insert(self, tx: Tx, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one ``INSERT`` into a table whose key is an ``id`` column the database
        numbers; returns the new row's ``id``."""

    @abstractmethod
    def clock(self, now: datetime, *, plus: float = 0.0) -> tuple[str, tuple[Any, ...]]:
        """The SQL of the lease clock's "now" (plus ``plus`` seconds), as `iso` text,
        and its parameters; ``now`` is the caller's time, which SQLite uses."""

    @abstractmethod
    def epoch_clock(self, now: float, *, plus: float = 0.0) -> tuple[str, tuple[Any, ...]]:
        """`clock` in seconds since the epoch (a number), for ``now`` in seconds."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection (a caller's own connection is left open)."""


class SQLite(Database):
    """A store in a SQLite file (or ``":memory:"``), on one connection shared by threads.

    Args:
        path: The file; created, with its tables, when missing.
        what: The store's name in messages (``"inbox"``).
        migrations: The store's migrations, oldest first (see `socialkit._sqlite`).
        unversioned: Recognises a file from before versioning (see `_sqlite.migrate`).
    """

    dialect = "sqlite"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        what: str,
        migrations: Sequence[_sqlite.Migration],
        unversioned: Callable[[sqlite3.Connection], int | None] | None = None,
        busy_timeout: float = 30.0,
    ) -> None:
        super().__init__()
        self.path = os.fspath(path)
        self.what = what
        self._connection = _sqlite.connect(
            self.path, what, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        self._connection.row_factory = _exact_row
        try:
            with self.guard():
                self._connection.execute("PRAGMA secure_delete = ON")
                self._connection.execute("PRAGMA foreign_keys = ON")
                if self.path != ":memory:":
                    self._connection.execute("PRAGMA journal_mode = WAL")
                    self._connection.execute("PRAGMA synchronous = FULL")
                _sqlite.migrate(
                    self._connection,
                    path=self.path,
                    what=what,
                    migrations=migrations,
                    unversioned=unversioned,
                )
        except BaseException:
            self._connection.close()
            raise

    def guard(self) -> contextlib.AbstractContextManager[None]:
        """SQLite's complaints about the file, as `StoreError` naming it."""
        return _sqlite.guard(self.path, self.what)

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._connection

    @contextlib.contextmanager
    def _begin(self, *, write: bool) -> Iterator[Tx]:
        conn = self._connection
        with self.guard():
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                if write:
                    crash_point("before-commit")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
        if write:
            crash_point("after-commit")

    def x(self, tx: Tx, sql: str, params: Sequence[Any] = ()) -> Cursor:
        with self.guard():
            cursor: sqlite3.Cursor = tx.execute(sql, tuple(params))
        return cursor

    def many(self, tx: Tx, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.guard():
            tx.executemany(sql, rows)

    def insert(self, tx: Tx, sql: str, params: Sequence[Any] = ()) -> int:
        with self.guard():
            return int(tx.execute(sql, tuple(params)).lastrowid or 0)

    def clock(self, now: datetime, *, plus: float = 0.0) -> tuple[str, tuple[Any, ...]]:
        return "?", (iso(now + timedelta(seconds=plus)),)

    def epoch_clock(self, now: float, *, plus: float = 0.0) -> tuple[str, tuple[Any, ...]]:
        return "?", (now + plus,)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the file and truncate it, so rows just deleted
        (overwritten in the file by ``secure_delete``) do not linger in the ``-wal`` file.
        While another connection reads, the log is emptied by a later checkpoint."""
        with self._lock, self.guard():
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            self._connection.close()


@lru_cache(maxsize=1024)
def _to_pg(sql: str, schema: str, tables: str) -> str:
    """``?`` placeholders to psycopg's ``%s``, the store's tables qualified with its schema."""
    qualify = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+({tables})\b")
    sql = qualify.sub(lambda m: f"{m.group(1)} {schema}.{m.group(2)}", sql)
    return sql.replace("%", "%%").replace("?", "%s")


def describe(conninfo: str) -> str:
    """Where a PostgreSQL database is, without a password."""
    import psycopg

    try:
        info = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:  # its message may quote the string, password and all
        raise ConfigError(
            "not a PostgreSQL connection string or postgresql:// URL", field="conninfo"
        ) from None
    host = info.get("host") or "localhost"
    user = f"{info['user']}@" if info.get("user") else ""
    return f"postgresql://{user}{host}/{info.get('dbname') or ''}"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ImportError(
            "the PostgreSQL stores need psycopg 3: pip install 'socialkit[postgres]'"
        ) from exc
    return psycopg


def _pg_params(params: Sequence[Any]) -> tuple[Any, ...]:
    """``params`` as PostgreSQL can store them: it refuses a NUL character in text, which
    a hostile answer may hold (``"\\u0000"``), so a NUL becomes U+FFFD, the same way on
    every write and every look-up (on SQLite the text is kept as it is)."""
    return tuple(
        value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value
        for value in params
    )


@contextlib.contextmanager
def _pg_guard(path: str, what: str) -> Iterator[None]:
    """PostgreSQL's complaints about the server or the connection (refused, dropped, shut
    down, out of space), as `StoreError` naming the database without its password. A
    broken constraint or a bad query is a bug, not the database's fault: it passes
    through."""
    import psycopg

    try:
        yield
    except psycopg.OperationalError as exc:
        said = str(exc).strip().splitlines() or [type(exc).__name__]
        raise StoreError(
            f"cannot use the {what} store in {path}: PostgreSQL said: {said[0]}", path=path
        ) from exc


class Postgres(Database):
    """A store in its own schema of a PostgreSQL database (psycopg 3, the ``postgres`` extra).

    Args:
        conninfo: A libpq connection string or URL; the store opens (and closes) its own
            connection.
        connection: Instead, the caller's psycopg connection: the store's writes join its
            current transaction (as a savepoint) and commit with it; never closed here.
        schema: The schema the store's tables live in (created when missing).
        what: The store's name in messages.
        tables: The store's table names, qualified with the schema in every query.
        migrations: One SQL script per version (``{s}`` is the schema); append, never edit.
        migrate: Create or upgrade the tables on opening (``False``: the caller runs
            `migrate` at deploy time).

    Raises:
        ConfigError: neither or both of ``conninfo`` and ``connection``, or a bad schema.
        StoreError: the schema was written by a newer socialkit.
    """

    dialect = "postgres"

    def __init__(
        self,
        conninfo: str | None = None,
        *,
        connection: psycopg.Connection[Any] | None = None,
        schema: str,
        what: str,
        tables: Sequence[str],
        migrations: Sequence[str],
        migrate: bool = True,
    ) -> None:
        super().__init__()
        if (conninfo is None) == (connection is None):
            raise ConfigError("give a conninfo or a connection (one of them)", field="conninfo")
        if not _SCHEMA_NAME.fullmatch(schema):
            raise ConfigError(f"not a plain schema name: {schema!r}", field="schema")
        psycopg = _psycopg()
        self.schema = schema
        self.what = what
        self.migrations = tuple(migrations)
        self._tables = "|".join(sorted({*tables, "schema_version"}))
        self._own = connection is None
        if connection is None:
            self.path = describe(str(conninfo))
            with _pg_guard(self.path, what):
                self._connection = psycopg.connect(conninfo, autocommit=True)
        else:
            self._connection = connection
            self.path = describe(connection.info.dsn)
        try:
            if migrate:
                self.migrate()
        except BaseException:
            self.close()
            raise

    @property
    def _conn(self) -> Any:
        return self._connection

    @contextlib.contextmanager
    def _begin(self, *, write: bool) -> Iterator[Tx]:
        conn = self._connection
        with _pg_guard(self.path, self.what), conn.transaction():
            if write:
                conn.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"socialkit:{self.schema}",)
                )
            yield conn
            if write:
                crash_point("before-commit")
        if write:
            crash_point("after-commit")

    def schema_version(self) -> int:
        """The version of the store's tables (0: none yet)."""
        with self.read() as conn:
            found = conn.execute("SELECT to_regclass(%s)", (f"{self.schema}.schema_version",))
            row = found.fetchone()
            if row is None or row[0] is None:
                return 0
            version = conn.execute(f"SELECT version FROM {self.schema}.schema_version").fetchone()
            return int(version[0]) if version else 0

    def migrate(self, migrations: Sequence[str] | None = None) -> int:
        """Create or upgrade the tables (to the store's `migrations` by default); returns
        the version they are at."""
        migrations = self.migrations if migrations is None else migrations
        s = self.schema
        with self.write() as conn:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {s}.schema_version (version INTEGER NOT NULL)"
            )
            row = conn.execute(f"SELECT version FROM {s}.schema_version").fetchone()
            current = int(row[0]) if row else 0
            if row is None:
                conn.execute(f"INSERT INTO {s}.schema_version VALUES (0)")
            if current > len(migrations):
                raise StoreError(
                    f"the {self.what} store in {self.path} (schema {s}) has version {current}, "
                    f"but this socialkit knows only up to {len(migrations)}; upgrade socialkit",
                    path=self.path,
                )
            for script in migrations[current:]:
                for statement in script.format(s=s).split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"UPDATE {s}.schema_version SET version = %s", (len(migrations),))
        return len(migrations)

    def x(self, tx: Tx, sql: str, params: Sequence[Any] = ()) -> Cursor:
        from psycopg.rows import dict_row

        cursor = tx.cursor(row_factory=dict_row)
        cursor.execute(_to_pg(sql, self.schema, self._tables), _pg_params(params))
        return cursor  # type: ignore[no-any-return]

    def many(self, tx: Tx, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with tx.cursor() as cursor:
            cursor.executemany(_to_pg(sql, self.schema, self._tables), map(_pg_params, rows))

    def insert(self, tx: Tx, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self.x(tx, sql + " RETURNING id", params).fetchone()["id"])

    def clock(self, now: datetime, *, plus: float = 0.0) -> tuple[str, tuple[Any, ...]]:
        return _PG_ISO.format("now() + make_interval(secs => ?)"), (plus,)

    def epoch_clock(self, now: float, *, plus: float = 0.0) -> tuple[str, tuple[Any, ...]]:
        if not plus:
            return "extract(epoch from now())::double precision", ()
        return "(extract(epoch from now())::double precision + ?)", (plus,)

    def close(self) -> None:
        if self._own:
            self._connection.close()


def open_database(
    where: str | os.PathLike[str] | Database | psycopg.Connection[Any],
    *,
    what: str,
    schema: str,
    tables: Sequence[str],
    sqlite_migrations: Sequence[_sqlite.Migration],
    postgres_migrations: Sequence[str],
    unversioned: Callable[[sqlite3.Connection], int | None] | None = None,
) -> Database:
    """The database ``where`` names: a ``postgresql://`` URL or a psycopg connection
    (`Postgres`, in ``schema``), else a SQLite file (`SQLite`)."""
    if isinstance(where, Database):
        return where
    if isinstance(where, str) and where.startswith(POSTGRES_SCHEMES):
        return Postgres(
            where, schema=schema, what=what, tables=tables, migrations=postgres_migrations
        )
    if isinstance(where, str | os.PathLike):
        return SQLite(where, what=what, migrations=sqlite_migrations, unversioned=unversioned)
    if type(where).__module__.startswith("psycopg"):
        return Postgres(
            connection=where,
            schema=schema,
            what=what,
            tables=tables,
            migrations=postgres_migrations,
        )
    raise TypeError(
        f"a {what} store lives in a file path, a postgresql:// URL or a psycopg connection, "
        f"not {type(where).__name__}"
    )


async def off_loop(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``call`` (store transactions) in a worker thread, so the event loop serves
    other tasks meanwhile; the store's lock still serialises the transactions. A
    cancelled caller waits for the transaction to end: it is never cut in half."""
    import anyio.to_thread  # the stores load without it; async callers have it loaded

    return await anyio.to_thread.run_sync(functools.partial(call, *args, **kwargs))
