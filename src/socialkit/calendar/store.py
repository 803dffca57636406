"""The calendar's SQLite file.

The file is opened in WAL mode with ``synchronous=FULL`` (a committed claim or
result survives a crash of the process or the machine) and a busy timeout, so
several processes can share it. Writes run in ``BEGIN IMMEDIATE`` transactions:
the write lock is taken up front, which makes a read-check-update sequence
atomic across processes (see `socialkit._db.SQLite`). Times are stored as UTC
epoch seconds.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._db import POSTGRES_SCHEMES, SQLite
from ._sql import SQLLedger
from .migrations import MIGRATIONS, _legacy_version

__all__ = ["Store", "open_store"]


class Store(SQLLedger):
    """The calendar in a SQLite file (or an in-memory database), on one connection.

    Leases are measured on the worker's clock: every process sharing the file runs on
    the same machine.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        super().__init__(
            SQLite(
                path,
                what="calendar",
                migrations=MIGRATIONS,
                unversioned=_legacy_version,
                busy_timeout=busy_timeout,
            )
        )


def open_store(where: str | os.PathLike[str] | SQLLedger) -> SQLLedger:
    """The calendar store ``where`` names: a store as it is, a ``postgresql://`` URL
    (`socialkit.calendar.postgres.PostgresStore`, the ``postgres`` extra), else a SQLite
    file."""
    if isinstance(where, SQLLedger):
        return where
    if isinstance(where, str) and where.startswith(POSTGRES_SCHEMES):
        from .postgres import PostgresStore

        return PostgresStore(where)
    return Store(os.fspath(where))
