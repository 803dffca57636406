"""MetricTable: bulk rows, columnar storage, validation, iteration, post records."""

from __future__ import annotations

from datetime import datetime

import pytest

from socialkit.metrics import MetricTable
from socialkit.models import Metric

from .conftest import T0, a_post, account_row, at, post_rows


def test_from_rows_reads_six_field_tuples() -> None:
    table = MetricTable.from_rows(post_rows("x", "1", likes=3, shares=None))
    assert len(table) == 2
    assert [(m.name, m.value) for m in table] == [("likes", 3), ("shares", None)]


def test_rows_default_to_lifetime_period_without_window() -> None:
    (metric,) = MetricTable.from_rows(post_rows("x", "1", likes=3))
    assert (metric.period, metric.start, metric.end, metric.native_name) == (
        "lifetime",
        None,
        None,
        None,
    )


def test_rows_round_trip_as_metrics() -> None:
    original = Metric(
        platform="instagram",
        subject="account",
        subject_id="17841",
        name="followers",
        value=1200,
        period="day",
        start=at(0),
        end=at(1),
        collected_at=at(1, 1),
        native_name="follower_count",
    )
    assert list(MetricTable([original])) == [original]


def test_mixed_tuples_mappings_and_metrics() -> None:
    rows = [
        ("x", "post", "1", "likes", 1, T0),
        {
            "platform": "x",
            "subject": "post",
            "subject_id": "2",
            "name": "likes",
            "value": 2,
            "collected_at": T0,
        },
        Metric(
            platform="x", subject="post", subject_id="3", name="likes", value=3, collected_at=T0
        ),
        account_row("x", "me", 10, T0),
    ]
    table = MetricTable.from_rows(rows)
    assert [m.value for m in table] == [1, 2, 3, 10]
    assert list(table)[3].period == "snapshot"


def test_a_value_not_reported_stays_none() -> None:
    (metric,) = MetricTable.from_rows(post_rows("x", "1", saves=None))
    assert metric.value is None


def test_fractional_values_stay_floats() -> None:
    (metric,) = MetricTable.from_rows(post_rows("x", "1", watch_ratio=0.375))
    assert metric.value == 0.375


def test_ids_that_are_not_strings_are_stored_as_strings() -> None:
    (metric,) = MetricTable.from_rows([("x", "post", 42, "likes", 1, T0)])
    assert metric.subject_id == "42"


class _CountedId(str):
    """An id that counts how often it is hashed (coding a column hashes each value)."""

    hashed: list[str] = []  # noqa: RUF012 - shared on purpose: every instance counts here

    def __hash__(self) -> int:
        self.hashed.append(str(self))
        return super().__hash__()


def test_building_hashes_no_id_until_the_table_is_read() -> None:
    _CountedId.hashed.clear()
    rows = [("x", "post", _CountedId(i), "likes", int(i), T0) for i in "123"]
    table = MetricTable.from_rows(rows)
    assert _CountedId.hashed == []  # coded on the first read, as pandas hashes on groupby
    assert table.summary(by="post")[0]["likes"] is not None
    assert _CountedId.hashed
    assert sorted(m.subject_id for m in table) == ["1", "2", "3"]


def test_rows_changed_after_building_do_not_change_the_table() -> None:
    rows = post_rows("x", "1", likes=3) + post_rows("x", "2", likes=4)
    table = MetricTable.from_rows(rows)
    rows[0] = ("mastodon", "post", "9", "likes", 3, T0)
    assert table.platforms == ("x",)
    assert [m.subject_id for m in table] == ["1", "2"]


def test_naive_datetime_is_refused_and_nothing_is_added() -> None:
    table = MetricTable.from_rows(post_rows("x", "1", likes=1))
    with pytest.raises(ValueError, match="naive datetime"):
        table.add_rows(
            [
                ("x", "post", "2", "likes", 1, T0),
                ("x", "post", "3", "likes", 1, datetime(2025, 1, 1)),
            ]
        )
    assert len(table) == 1


def test_unknown_subject_is_refused() -> None:
    with pytest.raises(ValueError, match="subject must be 'post' or 'account'"):
        MetricTable.from_rows([("x", "page", "1", "likes", 1, T0)])


def test_non_numeric_value_is_refused() -> None:
    with pytest.raises(TypeError, match="value must be a number or None, not str"):
        MetricTable.from_rows([("x", "post", "1", "likes", "3", T0)])


def test_boolean_value_is_refused() -> None:
    with pytest.raises(TypeError, match="not bool"):
        MetricTable.from_rows([("x", "post", "1", "likes", True, T0)])


def test_missing_collected_at_is_refused() -> None:
    with pytest.raises(ValueError, match="collected_at is required"):
        MetricTable.from_rows([("x", "post", "1", "likes", 1, None)])


def test_mapping_with_unknown_field_is_refused() -> None:
    row = {
        "platform": "x",
        "subject": "post",
        "subject_id": "1",
        "name": "likes",
        "value": 1,
        "collected_at": T0,
        "colour": "red",
    }
    with pytest.raises(ValueError, match="unknown"):
        MetricTable.from_rows([row])


def test_tuple_of_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="6 to 10 fields"):
        MetricTable.from_rows([("x", "post", "1", "likes", 1)])


def test_add_can_stamp_one_collection_time() -> None:
    metrics = [Metric(platform="x", subject="post", subject_id="1", name="likes", value=1)]
    table = MetricTable()
    table.add(metrics, collected_at=at(3))
    assert next(iter(table)).collected_at == at(3)


def test_platforms_and_names_list_what_has_rows() -> None:
    table = MetricTable.from_rows(
        post_rows("x", "1", likes=1) + post_rows("bluesky", "2", quotes=1)
    )
    assert table.platforms == ("bluesky", "x")
    assert table.names == ("likes", "quotes")


def test_add_posts_remembers_publish_time_url_text_and_author() -> None:
    table = MetricTable(posts=[a_post("x", "1", at(0, 2), text="hello", author="me")])
    info = table.post_info("x", "1")
    assert info is not None
    assert (info.text, info.url, info.author_id) == ("hello", "https://x.example/1", "me")
    assert info.published_at == at(0, 2)


def test_a_later_post_record_without_text_keeps_the_known_text() -> None:
    table = MetricTable(posts=[a_post("x", "1", text="hello")])
    table.add_posts([a_post("x", "1", None)])
    info = table.post_info("x", "1")
    assert info is not None
    assert info.text == "hello"
    assert info.published_us is not None


def test_per_post_values_are_recomputed_after_rows_are_added() -> None:
    table = MetricTable.from_rows(post_rows("x", "1", likes=1))
    assert table.summary()["likes"] == (1,)
    table.add_rows(post_rows("x", "1", at(1), likes=5))
    assert table.summary()["likes"] == (5,)


def test_repr_names_rows_and_platforms() -> None:
    table = MetricTable.from_rows(post_rows("x", "1", likes=1))
    assert repr(table) == "<MetricTable 1 rows, platforms=['x']>"


def test_an_int_id_and_its_string_are_one_id_across_batches() -> None:
    table = MetricTable.from_rows([("x", "post", "7", "likes", 1, T0)])
    table.add_rows([("x", "post", 7, "likes", 2, T0), ("x", "post", 8, "likes", 3, T0)])
    ids = table._cols.subject_id
    assert (ids.values, list(ids.codes)) == (["7", "8"], [0, 0, 1])
    assert set(ids.index) == {"7", "8"}

