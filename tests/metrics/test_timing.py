"""Best posting times: hour-of-week means from a hand-built set of posts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialkit.metrics import MetricTable, Slot, best_times
from socialkit.models import Post

from .conftest import a_post, post_rows

MON_0900 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
MON_0930 = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
WED_1800 = datetime(2025, 1, 8, 18, 0, tzinfo=UTC)


@pytest.fixture
def posts() -> list[Post]:
    return [
        a_post("x", "1", MON_0900, likes=10),
        a_post("x", "2", MON_0930, likes=15, comments=5),
        a_post("x", "3", WED_1800, likes=40),
    ]


def test_slot_mean_is_the_mean_engagement_of_its_posts(posts: list[Post]) -> None:
    best = best_times(posts)
    assert best.at(0, 9) == 15  # (10 + 20) / 2
    assert best.posts[0][9] == 2


def test_slots_without_posts_are_none_not_zero(posts: list[Post]) -> None:
    assert best_times(posts).at(1, 9) is None


def test_top_slots_best_first(posts: list[Post]) -> None:
    assert best_times(posts).top(2) == [Slot(2, 18, 40.0, 1), Slot(0, 9, 15.0, 2)]


def test_top_can_require_a_minimum_of_posts(posts: list[Post]) -> None:
    assert [s.label for s in best_times(posts).top(3, min_posts=2)] == ["Mon 09:00"]


def test_time_zone_moves_the_slots(posts: list[Post]) -> None:
    best = best_times(posts, tz="Asia/Tokyo")  # UTC+9
    assert best.at(0, 18) == 15
    assert best.at(3, 3) == 40  # Wednesday 18:00 UTC is Thursday 03:00 in Tokyo
    assert best.tz == "Asia/Tokyo"


def test_daylight_saving_time_is_respected() -> None:
    winter = a_post("x", "1", datetime(2025, 1, 6, 14, tzinfo=UTC), likes=1)
    summer = a_post("x", "2", datetime(2025, 7, 7, 14, tzinfo=UTC), likes=3)
    best = best_times([winter, summer], tz="America/New_York")
    assert (best.at(0, 9), best.at(0, 10)) == (1, 3)  # EST 09:00, EDT 10:00


def test_posts_without_time_or_metric_are_skipped() -> None:
    items = [a_post("x", "1", None, likes=5), a_post("x", "2", MON_0900)]
    best = best_times(items)
    assert best.skipped == 2
    assert best.top() == []


def test_pairs_of_post_and_metrics(posts: list[Post]) -> None:
    pairs = [
        (posts[0], {"likes": 1, "impressions": 10}),
        (posts[2], {"likes": 1, "impressions": 50}),
    ]
    best = best_times(pairs, metric="engagement_rate")
    assert (best.at(0, 9), best.at(2, 18)) == (0.1, 0.02)


def test_any_metric_name(posts: list[Post]) -> None:
    assert best_times(posts, metric="comments").top(1) == [Slot(0, 9, 5.0, 1)]


def test_platform_filter(posts: list[Post]) -> None:
    other = a_post("mastodon", "9", MON_0900, likes=1000)
    assert best_times([*posts, other], platform="x").at(0, 9) == 15


@pytest.mark.usefixtures("engine")
def test_best_times_from_a_table(posts: list[Post]) -> None:
    rows = [
        *post_rows("x", "1", likes=10),
        *post_rows("x", "2", likes=15, comments=5),
        *post_rows("x", "3", likes=40),
    ]
    best = best_times(MetricTable.from_rows(rows, posts=posts))
    assert best.top(2) == [Slot(2, 18, 40.0, 1), Slot(0, 9, 15.0, 2)]


def test_str_lists_the_best_slots(posts: list[Post]) -> None:
    assert str(best_times(posts)).startswith(
        "Best times by engagements (UTC): Wed 18:00 (40, 1 posts)"
    )


def test_unknown_time_zone_is_refused(posts: list[Post]) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        best_times(posts, tz="Mars/Olympus")


def test_to_pandas_is_seven_by_twenty_four(posts: list[Post]) -> None:
    frame = best_times(posts).to_pandas()
    assert frame.shape == (7, 24)
    assert frame.loc["Mon", 9] == 15
