"""SQLite persistence: round trip, append-only saves, schema version, growth across sessions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from socialkit.errors import ConfigError
from socialkit.metrics import SCHEMA_VERSION, MetricTable
from socialkit.models import Metric

from .conftest import T0, a_post, account_row, at, post_rows


def test_saved_rows_and_posts_come_back(tmp_path: Path) -> None:
    path = tmp_path / "metrics.db"
    table = MetricTable.open(path)
    table.add_rows([*post_rows("x", "1", likes=3, saves=None), account_row("x", "me", 10, T0)])
    table.add_posts([a_post("x", "1", at(0, 1), text="hi <there>", author="me")])
    table.save()
    again = MetricTable.open(path)
    assert list(again) == list(table)
    assert again.post_info("x", "1") == table.post_info("x", "1")


def test_a_value_not_reported_is_stored_as_null(tmp_path: Path) -> None:
    path = tmp_path / "metrics.db"
    MetricTable.from_rows(post_rows("x", "1", saves=None)).save(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM metric").fetchall() == [(None,)]


def test_save_appends_only_new_rows(tmp_path: Path) -> None:
    table = MetricTable.open(tmp_path / "m.db")
    table.add_rows(post_rows("x", "1", likes=1))
    assert table.save() == 1
    table.add_rows(post_rows("x", "1", at(1), likes=2))
    assert table.unsaved == 1
    assert table.save() == 1
    assert len(MetricTable.open(tmp_path / "m.db")) == 2


def test_first_save_binds_an_in_memory_table_to_a_file(tmp_path: Path) -> None:
    table = MetricTable.from_rows(post_rows("x", "1", likes=1))
    table.save(tmp_path / "m.db")
    assert table.path == tmp_path / "m.db"
    assert table.unsaved == 0


def test_saving_an_in_memory_table_needs_a_path() -> None:
    with pytest.raises(ValueError, match="needs a path"):
        MetricTable().save()


def test_saving_to_another_file_is_refused(tmp_path: Path) -> None:
    table = MetricTable.open(tmp_path / "a.db")
    with pytest.raises(ValueError, match="saved to"):
        table.save(tmp_path / "b.db")


def test_new_file_carries_the_schema_version(tmp_path: Path) -> None:
    MetricTable.open(tmp_path / "m.db")
    with sqlite3.connect(tmp_path / "m.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_file_from_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    MetricTable.open(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ConfigError, match="upgrade socialkit"):
        MetricTable.open(path)


def test_a_database_that_is_not_a_metrics_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(ConfigError, match="not a socialkit metrics store"):
        MetricTable.open(path)


def test_growth_from_snapshots_saved_in_two_sessions(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    first = MetricTable.open(path)
    first.add(
        [
            Metric(
                platform="mastodon",
                subject="account",
                subject_id="me",
                name="followers",
                value=200,
                collected_at=at(0),
            )
        ]
    )
    first.save()
    second = MetricTable.open(path)
    second.add(
        [
            Metric(
                platform="mastodon",
                subject="account",
                subject_id="me",
                name="followers",
                value=230,
                collected_at=at(7),
            )
        ]
    )
    second.save()
    growth = MetricTable.open(path).growth("followers", platform="mastodon")
    assert growth.value == 0.15
    assert dict(growth.inputs) == {"start": 200, "end": 230}
