"""The inbox store: persistence, history, and the privacy DataStore protocol."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from replies_support import T0, make_item

from socialkit.privacy import DataStore, RetentionPolicy, erase_subject
from socialkit.replies import InboxStore, Stage


def test_items_and_history_survive_reopening(db: Path) -> None:
    with InboxStore(db) as store:
        store.add([make_item()])
        store.transition("mastodon:1", Stage.TRIAGED, by="sam", note="looked", now=T0)

    with InboxStore(db) as store:
        item = store.get("mastodon:1")
        history = store.history("mastodon:1")

    assert item.stage is Stage.TRIAGED
    assert [(e.before, e.after, e.by) for e in history] == [
        (None, Stage.NEW, None),
        (Stage.NEW, Stage.TRIAGED, "sam"),
    ]


def test_items_list_the_most_urgent_first(store: InboxStore) -> None:
    store.add([make_item("m:1"), make_item("m:2", created_at=T0 + timedelta(hours=1))])
    store.update("m:2", priority="urgent", now=T0)

    assert [i.key for i in store.items()] == ["m:2", "m:1"]
    assert [i.key for i in store.items("new", label="none")] == []


def test_it_is_a_privacy_data_store(store: InboxStore) -> None:
    assert isinstance(store, DataStore)
    assert store.name == "inbox"


def test_secure_delete_is_on(store: InboxStore) -> None:
    assert store._conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_delete_older_than_removes_items_and_their_history(store: InboxStore) -> None:
    store.add([make_item("m:old"), make_item("m:new", created_at=T0 + timedelta(days=100))])

    removed = RetentionPolicy(days=30).apply({"inbox": store}, now=T0 + timedelta(days=110))

    assert removed == {"inbox": 1}
    assert [i.key for i in store.items()] == ["m:new"]
    assert store.history("m:old") == []


def test_retention_keeps_deleted_items_from_coming_back(store: InboxStore) -> None:
    store.add([make_item("m:old")])
    store.delete_older_than(T0 + timedelta(days=1))

    new, _ = store.add([make_item("m:old")])

    assert new == []


def test_erase_subject_removes_what_the_person_wrote(db: Path, store: InboxStore) -> None:
    store.add([make_item("m:1", handle="alice"), make_item("m:2", handle="bob")])

    report = erase_subject({"inbox": store}, "mastodon", "id-alice")

    assert report.removed == {"inbox": {"items": 1, "events": 1}}
    assert [i.handle for i in store.items()] == ["bob"]
    raw = sqlite3.connect(db).execute("SELECT count(*) FROM items WHERE text LIKE '%alice%'")
    assert raw.fetchone()[0] == 0


def test_an_erased_item_is_not_synced_again(store: InboxStore) -> None:
    store.add([make_item("m:1", handle="alice")])
    store.erase_subject("mastodon", "id-alice")

    new, _ = store.add([make_item("m:1", handle="alice")])

    assert new == []


def _file_and_log(path: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk now."""
    log = path.with_name(path.name + "-wal")
    return path.read_bytes() + (log.read_bytes() if log.exists() else b"")


def test_erased_items_linger_neither_in_the_file_nor_its_log_while_open(db: Path) -> None:
    with InboxStore(db) as store:
        store.add([make_item("m:1", "my number is 555-0199", handle="alice")])
        assert b"555-0199" in _file_and_log(db)
        store.erase_subject("mastodon", "id-alice")
        assert b"555-0199" not in _file_and_log(db)


def test_items_past_retention_linger_neither_in_the_file_nor_its_log_while_open(
    db: Path,
) -> None:
    with InboxStore(db) as store:
        store.add([make_item("m:1", "my number is 555-0199")])
        store.delete_older_than(T0 + timedelta(days=1))
        assert b"555-0199" not in _file_and_log(db)
