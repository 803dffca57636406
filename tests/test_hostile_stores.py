"""Every SQLite store refuses a file that is not its own, and a full disk, with a StoreError.

The stores: the calendar, the inbox, the metrics table and the privacy record store.
Each hostile file (garbage, truncated, a directory, another program's database with
an ``entries`` table, a newer schema) must end in a `StoreError` that names the file,
never in a raw ``sqlite3`` error; a full disk must leave what was committed intact.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from socialkit import _sqlite
from socialkit.calendar import Calendar
from socialkit.errors import ConfigError, StoreError
from socialkit.metrics import MetricTable
from socialkit.models import Metric, Post
from socialkit.privacy import SQLiteRecordStore
from socialkit.replies import InboxStore

NOW = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
BIG = "x" * 200_000


def _calendar(path: Path) -> Iterator[Callable[[], object]]:
    with Calendar(path) as calendar:
        yield lambda: calendar.add(BIG, ["brand"], at=NOW)


def _inbox(path: Path) -> Iterator[Callable[[], object]]:
    with InboxStore(path) as store:
        yield lambda: store.set_cursor("scope", uuid.uuid4().hex, BIG)


def _metrics(path: Path) -> Iterator[Callable[[], object]]:
    table = MetricTable.open(path)
    metric = Metric(platform="x", subject="post", subject_id="1", name=BIG, value=1)
    yield lambda: (table.add([metric]), table.save())


def _records(path: Path) -> Iterator[Callable[[], object]]:
    with SQLiteRecordStore(path) as store:
        yield lambda: store.add([Post(platform="x", id=uuid.uuid4().hex, text=BIG)])


STORES = {"calendar": _calendar, "inbox": _inbox, "metrics": _metrics, "records": _records}


def use(kind: str, path: Path) -> None:
    """Open the store at ``path`` and write to it once."""
    for write in STORES[kind](path):
        write()


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 400)


def _truncated(path: Path, kind: str) -> None:
    use(kind, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _directory(path: Path) -> None:
    path.mkdir()


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO entries (body) VALUES ('not yours')")
    conn.close()


def _newer(path: Path, kind: str) -> None:
    use(kind, path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()


HOSTILE: dict[str, Callable[[Path, str], None]] = {
    "garbage": lambda path, kind: _garbage(path),
    "truncated": _truncated,
    "directory": lambda path, kind: _directory(path),
    "another program's database": lambda path, kind: _foreign(path),
    "a newer schema": _newer,
}


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_hostile_file_is_a_store_error_naming_it(
    kind: str, hostile: str, tmp_path: Path
) -> None:
    path = tmp_path / "store.db"
    HOSTILE[hostile](path, kind)

    with pytest.raises(StoreError) as raised:
        use(kind, path)

    assert str(path) in str(raised.value)
    assert raised.value.path == str(path)
    assert isinstance(raised.value, ConfigError)


@pytest.mark.parametrize("kind", sorted(STORES))
def test_another_programs_database_is_left_untouched(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    _foreign(path)
    with pytest.raises(StoreError, match="not a socialkit"):
        use(kind, path)
    with sqlite3.connect(path) as conn:
        assert _sqlite.shape(conn) == {"entries": ("id", "body")}
    conn.close()


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_full_disk_is_a_store_error_and_keeps_what_was_committed(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    use(kind, path)
    before = _dump(path)
    real = _sqlite.connect

    def full(*args: Any, **options: Any) -> sqlite3.Connection:
        conn = real(*args, **options)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # not one page more: the disk is full
        return conn

    monkeypatch.setattr(_sqlite, "connect", full)
    with pytest.raises(StoreError, match="the disk is full"):
        use(kind, path)
    monkeypatch.undo()

    assert _dump(path) == before


def test_the_inbox_file_has_a_schema_version(tmp_path: Path) -> None:
    InboxStore(tmp_path / "inbox.db").close()
    with sqlite3.connect(tmp_path / "inbox.db") as conn:
        assert _sqlite.user_version(conn) == 3  # v2: consumer leases; v3: watched consumers
    conn.close()


def test_an_inbox_file_from_before_versioning_is_adopted(tmp_path: Path) -> None:
    from socialkit.replies.store import _SCHEMA

    path = tmp_path / "inbox.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(_SCHEMA)
        conn.execute("INSERT INTO cursors VALUES ('s', 'n', 'kept')")
    conn.close()

    with InboxStore(path) as store:
        assert store.cursor("s", "n") == "kept"
    with sqlite3.connect(path) as conn:
        assert _sqlite.user_version(conn) == 3
    conn.close()


def test_a_calendar_file_from_before_user_version_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "calendar.db"
    with Calendar(path) as calendar:
        entry = calendar.add("kept", ["brand"], at=NOW)
    with sqlite3.connect(path) as conn:  # as the previous release left it
        conn.execute("PRAGMA user_version = 0")
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.close()

    with Calendar(path) as calendar:
        assert calendar.get(entry.id).text == "kept"


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        lines = list(conn.iterdump())
    conn.close()
    return lines
