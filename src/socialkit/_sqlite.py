"""What every SQLite store shares: opening a file, its schema version, and clear errors.

A store's schema version is ``PRAGMA user_version``: the number of its migrations
applied. `migrate` applies the missing ones in one ``BEGIN IMMEDIATE`` transaction,
refuses a file written by a newer socialkit, and refuses a file that is not the
store's (another program's database) rather than write into it. `guard` turns what
SQLite raises about the file (garbage, truncated, a directory, full disk, locked)
into a `StoreError` that names the file and says what to do.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import StoreError

__all__ = [
    "Migration",
    "connect",
    "guard",
    "migrate",
    "run_script",
    "shape",
    "shape_of",
    "user_version",
]

Migration = Callable[[sqlite3.Connection], None]
"""One step of a store's schema, applied inside the migration transaction."""

# What SQLite says, by result code, and what the user can do about it.
_ADVICE = {
    "SQLITE_FULL": "the disk is full; free some space and try again (nothing was half-written)",
    "SQLITE_NOTADB": "it is not a SQLite database; move it away or give another path",
    "SQLITE_CORRUPT": "it is damaged (truncated?); restore a backup or move it away",
    "SQLITE_CANTOPEN": "it cannot be opened; check that its folder exists and is yours",
    "SQLITE_READONLY": "it is read-only; check its permissions",
    "SQLITE_BUSY": "another process holds it locked; try again when it is done",
    "SQLITE_LOCKED": "another connection holds it locked; try again when it is done",
    "SQLITE_PERM": "access was refused; check its permissions",
    "SQLITE_IOERR": "it could not be read or written (I/O error)",
}


def _advice(exc: sqlite3.Error) -> str:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    for code, advice in _ADVICE.items():
        if name == code or name.startswith(code + "_"):
            return advice
    return f"SQLite said: {exc}"


@contextlib.contextmanager
def guard(path: str | os.PathLike[str], what: str) -> Iterator[None]:
    """Turn SQLite's complaints about the file into `StoreError`.

    ``what`` names the store in the message (``"calendar"``, ``"inbox"``). A broken
    constraint or a misused API is a bug, not the file's fault: it passes through.
    """
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
        raise
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"cannot use the {what} file {os.fspath(path)}: {_advice(exc)}", path=os.fspath(path)
        ) from exc


def connect(path: str | os.PathLike[str], what: str, **options: Any) -> sqlite3.Connection:
    """Open ``path`` (``":memory:"`` too), refusing a directory up front."""
    if os.fspath(path) != ":memory:" and os.path.isdir(path):
        raise StoreError(
            f"the {what} file {os.fspath(path)} is a directory; give the path of a file",
            path=os.fspath(path),
        )
    with guard(path, what):
        conn: sqlite3.Connection = sqlite3.connect(path, **options)
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version of the file behind ``conn`` (0 for a new or unversioned file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def shape(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Each table of the file and its column names (SQLite's own tables left out)."""
    names = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: tuple(str(col[1]) for col in conn.execute(f'PRAGMA table_info("{name}")'))
        for name in names
    }


def shape_of(script: str) -> dict[str, tuple[str, ...]]:
    """The tables and columns ``script`` creates (run on an in-memory database)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(script)
        return shape(conn)
    finally:
        conn.close()


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements in the current transaction (executescript commits)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def migrate(
    conn: sqlite3.Connection,
    *,
    path: str | os.PathLike[str],
    what: str,
    migrations: Sequence[Migration],
    unversioned: Callable[[sqlite3.Connection], int | None] | None = None,
) -> int:
    """Bring the file up to ``len(migrations)``; returns the version it is at.

    ``conn`` must be in autocommit mode (``isolation_level=None``). A file with tables
    but no version is passed to ``unversioned``, which returns the version it
    recognises (a file from before versioning; 0 to run every migration) or ``None``
    when the file is not this store's.

    Raises:
        StoreError: the file is another program's, or was written by a newer socialkit.
    """
    with guard(path, what):
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = user_version(conn)
            if current == 0 and shape(conn):
                recognised = unversioned(conn) if unversioned is not None else None
                if recognised is None:
                    raise StoreError(
                        f"{os.fspath(path)} is not a socialkit {what} store (it holds other "
                        "tables); give another path",
                        path=os.fspath(path),
                    )
                current = recognised
            if current > len(migrations):
                raise StoreError(
                    f"the {what} file {os.fspath(path)} has schema version {current}, but this "
                    f"socialkit knows only up to {len(migrations)}; upgrade socialkit to open it",
                    path=os.fspath(path),
                )
            for migration in migrations[current:]:
                migration(conn)
            conn.execute(f"PRAGMA user_version = {len(migrations)}")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return len(migrations)
