"""Retention and erasure, proven on SQLiteRecordStore."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialkit.models import Comment, Mention, Post
from socialkit.privacy import (
    DataStore,
    ErasureError,
    RetentionPolicy,
    SQLiteRecordStore,
    erase_subject,
)

from .conftest import ALICE, BOB, at


@pytest.fixture
def store(
    tmp_path: Path,
    alice_post: Post,
    alice_comment: Comment,
    alice_mention: Mention,
    bob_post: Post,
    bob_comment: Comment,
) -> Iterator[SQLiteRecordStore]:
    with SQLiteRecordStore(tmp_path / "records.db") as s:
        s.add([alice_post, alice_comment, alice_mention, bob_post, bob_comment])
        yield s


class FailingStore:
    name = "broken"

    def delete_older_than(self, cutoff: datetime) -> int:
        raise OSError("disk unavailable")

    def erase_subject(self, platform: str, account_id: str) -> dict[str, int]:
        raise OSError("disk unavailable")


def test_sqlite_store_implements_the_datastore_protocol(store: SQLiteRecordStore) -> None:
    assert isinstance(store, DataStore)


def test_store_round_trips_records_with_raw(store: SQLiteRecordStore, alice_post: Post) -> None:
    stored = next(r for r in store.all() if r.id == alice_post.id)
    assert stored == alice_post
    assert stored.raw == alice_post.raw


def test_adding_a_record_again_replaces_it(store: SQLiteRecordStore, bob_post: Post) -> None:
    store.add([bob_post.model_copy(update={"text": "edited"})])
    assert [r.text for r in store.all() if r.id == bob_post.id] == ["edited"]
    assert store.count()["posts"] == 2


def test_store_refuses_other_models(store: SQLiteRecordStore) -> None:
    with pytest.raises(TypeError, match="Account"):
        store.add([ALICE])  # type: ignore[list-item]


def test_erase_subject_counts_what_each_table_lost(store: SQLiteRecordStore) -> None:
    assert store.erase_subject("mastodon", ALICE.id) == {"posts": 1, "comments": 1, "mentions": 1}


def test_erase_subject_removes_everything_the_subject_wrote(store: SQLiteRecordStore) -> None:
    erase_subject([store], "mastodon", ALICE.id)
    assert [r for r in store.all() if r.author and r.author.id == ALICE.id] == []


def test_erase_subject_leaves_others_data(
    store: SQLiteRecordStore, bob_post: Post, bob_comment: Comment
) -> None:
    erase_subject([store], "mastodon", ALICE.id)
    assert store.all() == [bob_post, bob_comment]


def test_erase_subject_only_touches_the_given_platform(
    store: SQLiteRecordStore, alice_post: Post
) -> None:
    namesake = alice_post.model_copy(update={"platform": "bluesky"})
    store.add([namesake])
    erase_subject([store], "mastodon", ALICE.id)
    assert namesake in store.all()


def test_erased_rows_are_gone_from_the_database_file(tmp_path: Path, alice_post: Post) -> None:
    path = tmp_path / "erase.db"
    with SQLiteRecordStore(path) as s:
        s.add([alice_post])
        s.erase_subject("mastodon", ALICE.id)
    content = path.read_bytes()
    assert b"alice.w@example.com" not in content
    assert ALICE.id.encode() not in content


def _file_and_log(path: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk now."""
    log = path.with_name(path.name + "-wal")
    return path.read_bytes() + (log.read_bytes() if log.exists() else b"")


def test_erased_rows_linger_neither_in_the_file_nor_its_log_while_open(
    tmp_path: Path, alice_post: Post
) -> None:
    path = tmp_path / "erase.db"
    with SQLiteRecordStore(path) as s:
        s.add([alice_post])
        assert b"alice.w@example.com" in _file_and_log(path)
        s.erase_subject("mastodon", ALICE.id)
        assert b"alice.w@example.com" not in _file_and_log(path)


def test_rows_past_retention_linger_neither_in_the_file_nor_its_log_while_open(
    tmp_path: Path, alice_post: Post
) -> None:
    path = tmp_path / "retain.db"
    with SQLiteRecordStore(path) as s:
        s.add([alice_post])
        RetentionPolicy(days=1).apply([s], now=at(20))
        assert b"alice.w@example.com" not in _file_and_log(path)


def test_erasure_report_lists_removals_per_store(
    store: SQLiteRecordStore, tmp_path: Path, alice_comment: Comment
) -> None:
    with SQLiteRecordStore(tmp_path / "inbox.db", name="inbox") as inbox:
        inbox.add([alice_comment])
        report = erase_subject({"records": store, "inbox": inbox}, "mastodon", ALICE.id)
    assert report.removed == {
        "records": {"posts": 1, "comments": 1, "mentions": 1},
        "inbox": {"posts": 0, "comments": 1, "mentions": 0},
    }
    assert (report.total, report.complete) == (4, True)


def test_stores_without_a_mapping_are_named_by_their_name(
    store: SQLiteRecordStore, tmp_path: Path
) -> None:
    with SQLiteRecordStore(tmp_path / "b.db") as second:
        report = erase_subject([store, second], "mastodon", ALICE.id)
    assert set(report.removed) == {"records", "records#2"}


def test_erasure_report_repr_hides_the_account_id(store: SQLiteRecordStore) -> None:
    report = erase_subject([store], "mastodon", ALICE.id)
    assert ALICE.id not in repr(report)


def test_failing_store_raises_after_the_others_are_erased(store: SQLiteRecordStore) -> None:
    with pytest.raises(ErasureError) as caught:
        erase_subject([FailingStore(), store], "mastodon", ALICE.id)
    report = caught.value.report
    assert report.failed == {"broken": "OSError: disk unavailable"}
    assert report.removed["records"] == {"posts": 1, "comments": 1, "mentions": 1}
    assert not report.complete


def test_retention_deletes_rows_older_than_the_policy(store: SQLiteRecordStore) -> None:
    RetentionPolicy(days=30).apply([store], now=at(1) + timedelta(days=33))
    assert sorted(r.id for r in store.all()) == ["c-200", "m-300", "p-100"]


def test_retention_reports_deletions_per_store(store: SQLiteRecordStore) -> None:
    deleted = RetentionPolicy(days=30).apply({"main": store}, now=at(1) + timedelta(days=33))
    assert deleted == {"main": 2}


def test_retention_keeps_rows_inside_the_window(store: SQLiteRecordStore) -> None:
    assert RetentionPolicy(days=365).apply([store], now=at(31)) == {"records": 0}
    assert len(store.all()) == 5


def test_records_without_a_date_age_from_when_they_were_stored(tmp_path: Path) -> None:
    undated = Post(platform="mastodon", id="u-1", author=BOB, text="no date")
    with SQLiteRecordStore(tmp_path / "u.db") as s:
        s.add([undated])
        now = datetime.now(UTC)
        kept = RetentionPolicy(days=1).apply([s], now=now)
        deleted = RetentionPolicy(days=1).apply([s], now=now + timedelta(days=2))
    assert (kept, deleted) == ({"records": 0}, {"records": 1})


def test_retention_cutoff_is_now_minus_days() -> None:
    assert RetentionPolicy(days=7).cutoff(at(8)) == at(1)


def test_retention_needs_at_least_a_day() -> None:
    with pytest.raises(ValueError, match="days"):
        RetentionPolicy(days=0)


def test_retention_refuses_a_naive_now(store: SQLiteRecordStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        RetentionPolicy(days=1).apply([store], now=datetime(2024, 1, 1))
