"""The SQLite file: WAL mode, versioned schema, migrations, sharing between connections."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from calendar_support import NOW

from socialkit import ConfigError
from socialkit.calendar import Calendar
from socialkit.calendar.migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version


def test_new_file_is_in_wal_mode_at_the_current_schema_version(tmp_path: Path) -> None:
    Calendar(tmp_path / "c.db").close()
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert schema_version(conn) == SCHEMA_VERSION == len(MIGRATIONS)


def test_migrations_run_in_order_once(tmp_path: Path) -> None:
    ran: list[str] = []

    def first(conn: sqlite3.Connection) -> None:
        ran.append("first")
        conn.execute("CREATE TABLE a (x)")

    def second(conn: sqlite3.Connection) -> None:
        ran.append("second")
        conn.execute("ALTER TABLE a ADD COLUMN y")

    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    assert migrate(conn, [first]) == 1
    assert migrate(conn, [first, second]) == 2
    assert migrate(conn, [first, second]) == 2
    assert ran == ["first", "second"]
    assert [r[1] for r in conn.execute("PRAGMA table_info(a)")] == ["x", "y"]


def test_failed_migration_leaves_the_file_unchanged(tmp_path: Path) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("boom")

    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    with pytest.raises(RuntimeError):
        migrate(conn, [broken])
    assert schema_version(conn) == 0
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half" not in tables


def test_file_from_a_newer_socialkit_is_refused(tmp_path: Path) -> None:
    Calendar(tmp_path / "c.db").close()
    with sqlite3.connect(tmp_path / "c.db") as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(ConfigError, match="schema version 99"):
        Calendar(tmp_path / "c.db")


def test_entries_survive_reopening(tmp_path: Path) -> None:
    with Calendar(tmp_path / "c.db") as first:
        entry = first.add("Kept", ["brand"], at=NOW)
    with Calendar(tmp_path / "c.db") as again:
        assert again.get(entry.id).text == "Kept"


def test_in_memory_calendar_works_without_a_file() -> None:
    with Calendar.in_memory() as cal:
        assert cal.add("Hello", ["brand"], at=NOW).id == 1
