"""Fixtures for PostgreSQL (Debian's ``postgresql`` package) and the calendar's two stores.

A cluster is made with ``initdb`` in a temporary directory and served on a Unix socket
there, once per test session, whenever the binaries and psycopg are installed (a few
seconds): a plain ``pytest`` runs the PostgreSQL tests when it can and skips them, saying
why, when it cannot. Each test gets a schema of its own.
"""

from __future__ import annotations

import importlib.util
import itertools
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from socialkit.calendar import Calendar

from .servers import postgres

_schemas = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer]:
    """A PostgreSQL cluster of our own on a Unix socket, for the session."""
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    binaries = postgres.bindir()
    if binaries is None:
        pytest.skip(
            "PostgreSQL's binaries are not installed (apt-get install postgresql; they are "
            "looked for in /usr/lib/postgresql/*/bin or SOCIALKIT_PG_BINDIR)"
        )
    # Not under pytest's base directory: it is private to root (the server runs as the
    # postgres user) and may be pruned by other pytest sessions of the same user.
    server = postgres.PostgresServer(binaries, Path(tempfile.mkdtemp(prefix="socialkit-pg-")))
    try:
        server.start()
    except postgres.PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL could not be started here: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_conninfo(postgres_server: postgres.PostgresServer) -> str:
    """The test cluster's connection string."""
    return postgres_server.conninfo


@pytest.fixture(scope="session")
def procrastinate_db(postgres_server: postgres.PostgresServer) -> str:
    """A database of its own for procrastinate's tables, with its schema applied."""
    if importlib.util.find_spec("procrastinate") is None:
        pytest.skip("procrastinate is not installed: pip install -e '.[procrastinate]'")
    import procrastinate
    import psycopg

    with psycopg.connect(postgres_server.conninfo, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS sk_procrastinate")
        conn.execute("CREATE DATABASE sk_procrastinate")
    conninfo = postgres_server.conninfo.replace("dbname=postgres", "dbname=sk_procrastinate")
    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo))
    with app.open():
        app.schema_manager.apply_schema()
    return conninfo


StoreFactory = Callable[..., Calendar]


@pytest.fixture(params=["sqlite", "postgres"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """Which store a conformance test runs on."""
    return str(request.param)


@pytest.fixture
def calendar_at(
    store_kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., Calendar]]:
    """Open a calendar on this test's store (each call: another worker on the same data).

    SQLite: a file in the test's directory. PostgreSQL: a schema of the test's own.
    """
    opened: list[Calendar] = []
    if store_kind == "sqlite":
        where: Any = tmp_path / "calendar.db"

        def open_store() -> Any:
            return where
    else:
        conninfo = request.getfixturevalue("pg_conninfo")
        schema = f"cal_{next(_schemas)}"
        from socialkit.calendar.postgres import PostgresStore

        def open_store() -> Any:
            return PostgresStore(conninfo, schema=schema)

    def make(**options: Any) -> Calendar:
        cal = Calendar(open_store(), **options)
        opened.append(cal)
        return cal

    yield make
    for cal in opened:
        cal.close()
