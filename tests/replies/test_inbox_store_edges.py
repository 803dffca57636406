"""The inbox store at its edges: what reads back, what is refused and why, what is counted.

Written against the mutants `nox -s mutation -- inbox` found surviving: each test
fails with one of them in place.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from replies_support import T0, make_item

from socialkit.errors import StoreError
from socialkit.replies import InboxStore, InvalidTransition, Stage
from socialkit.replies.store import _SCHEMA

T1 = T0 + timedelta(hours=1)
APPROVE = [Stage.TRIAGED, Stage.DRAFTED, Stage.APPROVED]


def names(error: InvalidTransition) -> tuple[str, Stage, Stage]:
    """The item and the two stages a refusal names."""
    return error.key, error.current, error.wanted


def approved(store: InboxStore, key: str) -> None:
    store.add([make_item(key)])
    store.transition(key, APPROVE, now=T0)


# -- what reads back ---------------------------------------------------------------------


def test_an_item_reads_back_equal_to_what_was_stored(store: InboxStore) -> None:
    comment = attrs.evolve(
        make_item("mastodon:7", kind="comment", thread_root_id="p9"),
        fetched_at=T0 + timedelta(minutes=1),
        updated_at=T0 + timedelta(minutes=2),
    )
    mention = make_item("mastodon:8")

    store.add([comment, mention])

    assert store.get("mastodon:7") == comment
    assert store.get("mastodon:8") == mention


def test_updated_fields_read_back(store: InboxStore) -> None:
    store.add([make_item("m:1")])

    store.update("m:1", priority="high", assignee="sam", drafted_by="kim", now=T1)

    item = store.get("m:1")
    assert (item.priority, item.assignee, item.drafted_by) == ("high", "sam", "kim")
    assert item.updated_at == T1


def test_an_item_without_an_author_is_stored(store: InboxStore) -> None:
    anonymous = attrs.evolve(make_item("m:1"), author=None)

    new, _ = store.add([anonymous])

    assert [i.key for i in new] == ["m:1"]


def test_history_names_its_item(store: InboxStore) -> None:
    store.add([make_item("m:1")])
    store.transition("m:1", Stage.TRIAGED, now=T1)

    assert {event.key for event in store.history("m:1")} == {"m:1"}


def test_items_filter_by_several_stages(store: InboxStore) -> None:
    store.add([make_item("m:1"), make_item("m:2"), make_item("m:3")])
    store.transition("m:2", Stage.TRIAGED, now=T1)
    store.transition("m:3", Stage.IGNORED, now=T1)

    assert [i.key for i in store.items([Stage.NEW, "triaged"])] == ["m:1", "m:2"]
    assert [i.key for i in store.items(Stage.IGNORED)] == ["m:3"]


def test_the_store_names_its_file(db: Path) -> None:
    with InboxStore(db) as store:
        assert store.path == str(db)
    with InboxStore() as store:
        assert store.path == ":memory:"


def test_a_file_from_before_versioning_gains_the_tables_it_lacks(db: Path) -> None:
    with sqlite3.connect(db) as old:
        old.executescript(_SCHEMA)
        old.executescript("DROP TABLE meta; DROP TABLE cursors")
    old.close()

    with InboxStore(db) as store:
        store.set_cursor("mastodon", "mentions", "42")
        store.delete_older_than(T0)

        assert store.cursor("mastodon", "mentions") == "42"


# -- what add keeps and skips ------------------------------------------------------------


def test_a_duplicate_does_not_stop_the_rest_of_a_batch(store: InboxStore) -> None:
    store.add([make_item("m:1")])

    new, duplicates = store.add([make_item("m:1"), make_item("m:2")])

    assert ([i.key for i in new], duplicates) == (["m:2"], 1)


def test_a_skipped_item_does_not_stop_the_rest_of_a_batch(store: InboxStore) -> None:
    store.add([make_item("m:1", handle="alice")])
    store.erase_subject("mastodon", "id-alice")

    new, _ = store.add([make_item("m:1", handle="alice"), make_item("m:2", handle="bob")])

    assert [i.key for i in new] == ["m:2"]


def test_the_retention_watermark_keeps_an_item_created_on_it(store: InboxStore) -> None:
    store.delete_older_than(T1)

    new, _ = store.add([make_item("m:on", created_at=T1)])

    assert [i.key for i in new] == ["m:on"]


def test_the_watermark_judges_an_item_by_when_it_was_written(store: InboxStore) -> None:
    store.delete_older_than(T1)
    old = attrs.evolve(make_item("m:old"), fetched_at=T1 + timedelta(days=1))

    new, _ = store.add([old])

    assert new == []


def test_erasure_counts_every_item_and_event_of_the_subject(store: InboxStore) -> None:
    store.add([make_item("m:1"), make_item("m:2"), make_item("m:3", handle="bob")])
    store.transition("m:1", Stage.TRIAGED, now=T1)

    removed = store.erase_subject("mastodon", "id-alice")

    assert removed == {"items": 2, "events": 3}


# -- what is refused, and how it says so ------------------------------------------------


def test_a_missing_item_is_a_key_error_naming_it(store: InboxStore) -> None:
    with pytest.raises(KeyError, match="m:404"):
        store.get("m:404")
    with pytest.raises(KeyError, match="m:404"):
        store.transition("m:404", Stage.TRIAGED, now=T1)
    with pytest.raises(KeyError, match="m:404"):
        store.update("m:404", assignee="sam", now=T1)


def test_an_unknown_field_is_refused_by_name(store: InboxStore) -> None:
    store.add([make_item("m:1")])

    with pytest.raises(TypeError, match="colour"):
        store.update("m:1", colour="red", now=T1)
    with pytest.raises(TypeError, match="colour"):
        store.transition("m:1", Stage.TRIAGED, colour="red", now=T1)
    assert store.get("m:1").stage is Stage.NEW


def test_a_move_from_an_unexpected_stage_is_refused_and_changes_nothing(
    store: InboxStore,
) -> None:
    store.add([make_item("m:1")])

    with pytest.raises(InvalidTransition, match="expected drafted or approved") as refused:
        store.transition("m:1", Stage.TRIAGED, expect=[Stage.DRAFTED, Stage.APPROVED], now=T1)

    assert names(refused.value) == ("m:1", Stage.NEW, Stage.TRIAGED)
    assert store.get("m:1").stage is Stage.NEW
    assert len(store.history("m:1")) == 1


def test_a_move_the_state_machine_forbids_names_the_item_and_stages(store: InboxStore) -> None:
    store.add([make_item("m:1")])

    with pytest.raises(InvalidTransition) as refused:
        store.transition("m:1", Stage.REPLIED, now=T1)

    assert names(refused.value) == ("m:1", Stage.NEW, Stage.REPLIED)


def test_a_reply_on_its_way_cannot_be_redrafted(store: InboxStore) -> None:
    approved(store, "m:1")
    assert store.claim("m:1", "w1", until=T1, now=T0) is not None
    store.mark_sending("m:1", "w1", now=T0)

    with pytest.raises(
        InvalidTransition, match=r"drafted: its reply may already be on its way; send\(\) first$"
    ) as refused:
        store.transition("m:1", Stage.DRAFTED, now=T0)

    assert names(refused.value) == ("m:1", Stage.APPROVED, Stage.DRAFTED)


def test_a_lost_lease_is_an_error_naming_the_item(store: InboxStore) -> None:
    approved(store, "m:1")
    assert store.claim("m:1", "w1", until=T1, now=T0) is not None

    with pytest.raises(InvalidTransition, match=r"approved: the send lease was lost$") as refused:
        store.release("m:1", "w2", now=T0)

    assert names(refused.value) == ("m:1", Stage.APPROVED, Stage.APPROVED)


def test_a_file_that_is_not_a_database_is_a_store_error_naming_the_inbox(tmp_path: Path) -> None:
    path = tmp_path / "replies.sqlite"
    path.write_bytes(b"not a database" * 100)

    with pytest.raises(StoreError, match="the inbox file"):
        InboxStore(path)


# -- what status counts ------------------------------------------------------------------


def test_status_counts_unsent_replies_claimed_or_not(store: InboxStore) -> None:
    approved(store, "m:1")
    approved(store, "m:2")
    assert store.claim("m:2", "w1", until=T1, now=T0) is not None  # a live lease, not sending

    assert store.status(now=T0).unsent == 2


def test_status_counts_failed_replies_claimed_again_or_not(store: InboxStore) -> None:
    for key in ("m:1", "m:2"):
        approved(store, key)
        assert store.claim(key, "w1", until=T1, now=T0) is not None
        store.release(key, "w1", now=T0, send_state="failed", error="boom")
    assert store.claim("m:2", "w2", until=T1, now=T0) is not None  # retried: a live lease

    assert store.status(now=T0).failed == 2


def test_status_is_taken_at_the_time_asked_for(store: InboxStore) -> None:
    assert store.status(now=T1).now == T1


def test_status_lists_the_latest_heartbeat_first(store: InboxStore) -> None:
    assert store.hold_account("a", "w1", until=T1, now=T0)
    assert store.hold_account(
        "b", "w2", until=T1 + timedelta(minutes=5), now=T0 + timedelta(minutes=5)
    )

    consumers = store.status(now=T0 + timedelta(minutes=6)).consumers

    assert [c.account for c in consumers] == ["b", "a"]


def test_a_round_records_the_first_line_of_its_report_cut_to_200_characters(
    store: InboxStore,
) -> None:
    assert store.hold_account("a", "w1", until=T1, now=T0)
    assert store.let_go_account("a", "w1", tick="x" * 300 + "\nsecond line", now=T0)
    assert store.hold_account("b", "w1", until=T1, now=T0)
    assert store.let_go_account("b", "w1", tick="", now=T0)

    reports = {c.account: c.last_report for c in store.status(now=T0).consumers}

    assert reports == {"a": "x" * 200, "b": ""}
