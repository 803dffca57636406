"""Summaries per platform / post / day / week, rankings, platform comparison, growth.

Every test runs on both engines (numpy and pure Python).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from socialkit.metrics import MetricTable, best_times, compare_platforms

from .conftest import T0, a_post, account_row, at, post_rows

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture
def table() -> MetricTable:
    """Two Instagram posts, one Mastodon post without impressions, one X post unseen."""
    rows = [
        *post_rows("instagram", "i1", likes=40, comments=5, saves=5, impressions=1000),
        *post_rows("instagram", "i2", likes=10, comments=0, saves=None, impressions=500),
        *post_rows("mastodon", "m1", likes=8, comments=2, shares=4, quotes=None),
        account_row("instagram", "ig", 2000, at(0)),
        account_row("mastodon", "md", 300, at(0)),
    ]
    posts = [
        a_post("instagram", "i1", at(0), text="first", author="ig"),
        a_post("instagram", "i2", at(1), text="second", author="ig"),
        a_post("mastodon", "m1", at(2), text="toot", author="md"),
    ]
    return MetricTable.from_rows(rows, posts=posts)


def test_summary_by_platform_totals_each_metric(table: MetricTable) -> None:
    report = table.summary(by="platform")
    assert report["platform"] == ("instagram", "mastodon")
    assert report["posts"] == (2, 1)
    assert report["likes"] == (50, 8)
    assert report["impressions"] == (1500, None)


def test_summary_by_platform_leaves_unreported_metrics_none(table: MetricTable) -> None:
    report = table.summary(by="platform")
    assert report["shares"] == (None, 4)
    assert report["saves"] == (5, None)


def test_summary_by_platform_engagement_rate_is_a_ratio_of_sums(table: MetricTable) -> None:
    report = table.summary(by="platform", rate_by="impressions")
    assert report["engagements"] == (60, 14)  # 40+5+5 + 10+0 ; 8+2+4
    assert report["engagement_rate"] == (0.04, None)  # 60 / 1500 ; no impressions on Mastodon


def test_summary_rates_each_platform_per_the_base_it_reports(table: MetricTable) -> None:
    report = table.summary(by="platform")
    assert report["engagement_rate"] == (0.04, 14 / 300)  # per impressions ; per followers
    assert "engagement_rate per followers (mastodon); per impressions (instagram)" in report.notes


def test_summary_by_platform_shows_latest_followers(table: MetricTable) -> None:
    table.add_rows([account_row("instagram", "ig", 2100, at(3))])
    assert table.summary(by="platform")["followers"] == (2100, 300)


def test_a_platform_with_followers_but_no_posts_has_a_row(table: MetricTable) -> None:
    table.add_rows([account_row("linkedin", "org", 50, at(0))])
    report = table.summary(by="platform")
    assert report["platform"] == ("instagram", "linkedin", "mastodon")
    assert report[1] == {
        "platform": "linkedin",
        "posts": 0,
        "followers": 50,
        "impressions": None,
        "likes": None,
        "comments": None,
        "shares": None,
        "quotes": None,
        "saves": None,
        "engagements": None,
        "engagement_rate": None,
    }


def test_latest_snapshot_of_a_post_wins(table: MetricTable) -> None:
    table.add_rows(post_rows("mastodon", "m1", at(5), likes=20))
    assert table.summary(by="platform")["likes"] == (50, 20)


def test_snapshot_order_not_insertion_order_decides(table: MetricTable) -> None:
    table.add_rows(post_rows("mastodon", "m1", at(-5), likes=1))  # an older snapshot, added late
    assert table.summary(by="platform")["likes"] == (50, 8)


def test_same_collection_time_the_row_added_last_wins() -> None:
    table = MetricTable.from_rows(post_rows("x", "1", likes=1) + post_rows("x", "1", likes=2))
    assert table.summary()["likes"] == (2,)


def test_rate_only_counts_posts_reporting_both_parts() -> None:
    rows = post_rows("x", "1", likes=10, impressions=100) + post_rows("x", "2", likes=90)
    report = MetricTable.from_rows(rows).summary()
    assert report["engagements"] == (100,)
    assert report["engagement_rate"] == (0.1,)  # 10 / 100: post 2 has no impressions


def test_rate_by_followers_uses_the_author_followers(table: MetricTable) -> None:
    report = table.summary(by="platform", rate_by="followers")
    assert report["engagement_rate"] == (60 / 4000, 14 / 300)


def test_summary_of_one_platform(table: MetricTable) -> None:
    assert table.summary(platform="mastodon")["platform"] == ("mastodon",)


def test_summary_of_a_platform_without_posts_is_empty(table: MetricTable) -> None:
    assert len(table.summary(platform="tiktok")) == 0


def test_summary_by_post_lists_newest_first(table: MetricTable) -> None:
    report = table.summary(by="post", rate_by="impressions")
    assert report["post_id"] == ("m1", "i2", "i1")
    assert report["published_at"][0] == at(2)
    assert report["engagement_rate"] == (None, 0.02, 0.05)


def test_summary_by_post_keeps_per_post_gaps(table: MetricTable) -> None:
    report = table.summary(by="post")
    assert report["saves"] == (None, None, 5)


def test_summary_by_day_groups_by_publish_day(table: MetricTable) -> None:
    report = table.summary(by="day")
    assert report["day"] == (date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 8))
    assert report["posts"] == (1, 1, 1)


def test_summary_by_day_uses_the_time_zone() -> None:
    late = datetime(2025, 1, 6, 23, 30, tzinfo=UTC)  # already the 7th in Shanghai
    table = MetricTable.from_rows(
        post_rows("weibo", "1", likes=1), posts=[a_post("weibo", "1", late)]
    )
    assert table.summary(by="day")["day"] == (date(2025, 1, 6),)
    assert table.summary(by="day", tz="Asia/Shanghai")["day"] == (date(2025, 1, 7),)


def test_a_date_is_its_whole_day_in_the_calls_zone() -> None:
    late = datetime(2025, 3, 9, 23, 30, tzinfo=UTC)  # 00:30 on 10 March in Berlin
    table = MetricTable.from_rows(
        post_rows("mastodon", "1", likes=1), posts=[a_post("mastodon", "1", late)]
    )
    berlin = table.summary(by="day", tz="Europe/Berlin", since=date(2025, 3, 10))
    assert berlin["day"] == (date(2025, 3, 10),)
    assert table.summary(by="day", since=date(2025, 3, 10))["day"] == ()  # a UTC day
    assert table.summary(
        by="day", tz=ZoneInfo("Europe/Berlin"), until=date(2025, 3, 9)
    )["day"] == ()


def test_a_naive_datetime_is_refused_everywhere(table: MetricTable) -> None:
    naive = datetime(2025, 3, 10)
    with pytest.raises(ValueError, match="naive"):
        table.summary(since=naive)
    with pytest.raises(ValueError, match="naive"):
        best_times(table, until=naive)


def test_summary_by_week_starts_on_monday() -> None:
    sunday, monday = datetime(2025, 1, 12, 12, tzinfo=UTC), datetime(2025, 1, 13, 12, tzinfo=UTC)
    rows = (
        post_rows("x", "1", likes=1) + post_rows("x", "2", likes=2) + post_rows("x", "3", likes=4)
    )
    posts = [a_post("x", "1", sunday), a_post("x", "2", monday), a_post("x", "3", T0)]
    report = MetricTable.from_rows(rows, posts=posts).summary(by="week")
    assert report["week"] == (date(2025, 1, 6), date(2025, 1, 13))
    assert report["likes"] == (5, 2)


def test_period_summary_notes_posts_without_publish_time() -> None:
    table = MetricTable.from_rows(
        post_rows("x", "1", likes=1) + post_rows("x", "2", likes=1), posts=[a_post("x", "1", T0)]
    )
    report = table.summary(by="day")
    assert report["posts"] == (1,)
    assert "1 post without a publish time left out" in report.notes


def test_since_and_until_select_posts_by_publish_time(table: MetricTable) -> None:
    report = table.summary(by="post", since=at(0, 12), until=date(2025, 1, 7))
    assert report["post_id"] == ("i2",)


def test_unknown_summary_grouping_is_refused(table: MetricTable) -> None:
    with pytest.raises(ValueError, match="by must be"):
        table.summary(by="month")  # type: ignore[arg-type]


def test_empty_table_summarises_to_no_rows() -> None:
    assert len(MetricTable().summary()) == 0


def test_top_posts_by_engagements(table: MetricTable) -> None:
    top = table.top_posts(2)
    assert top["post_id"] == ("i1", "m1")
    assert top["engagements"] == (50, 14)
    assert top["rank"] == (1, 2)
    assert top["text"] == ("first", "toot")


def test_top_posts_by_rate_skips_posts_without_one(table: MetricTable) -> None:
    top = table.top_posts(5, by="engagement_rate", rate_by="impressions")
    assert top["post_id"] == ("i1", "i2")


def test_top_posts_by_a_metric(table: MetricTable) -> None:
    assert table.top_posts(1, by="impressions")["impressions"] == (1000,)


def test_compare_platforms_ranks_by_engagement_rate() -> None:
    rows = [
        *post_rows("x", "1", likes=10, impressions=1000),
        *post_rows("bluesky", "2", likes=30, impressions=1000),
        *post_rows("mastodon", "3", likes=5),
    ]
    report = compare_platforms(MetricTable.from_rows(rows), by="impressions")
    assert report["platform"] == ("bluesky", "x", "mastodon")
    assert report["engagement_rate"] == (0.03, 0.01, None)
    assert report["rated_posts"] == (1, 1, 0)
    assert report["engagements_per_post"] == (30, 10, 5)


def test_compare_platforms_shows_the_figures_behind_the_rate(table: MetricTable) -> None:
    report = compare_platforms(table, by="reach")
    assert report.names == (
        "platform",
        "posts",
        "rated_posts",
        "engagements",
        "reach",
        "engagement_rate",
        "engagements_per_post",
    )


def test_growth_between_two_snapshots() -> None:
    rows = [account_row("x", "me", 1000, at(0)), account_row("x", "me", 1250, at(30))]
    assert MetricTable.from_rows(rows).growth("followers").value == 0.25


def test_growth_uses_first_and_last_snapshot_in_the_window() -> None:
    rows = [account_row("x", "me", v, at(d)) for d, v in ((0, 100), (10, 200), (20, 300))]
    growth = MetricTable.from_rows(rows).growth("followers", since=at(5), until=at(25))
    assert growth.value == 0.5


def test_growth_with_one_snapshot_is_none() -> None:
    growth = MetricTable.from_rows([account_row("x", "me", 100, at(0))]).growth("followers")
    assert growth.value is None
    assert "needs two snapshots" in growth.note


def test_growth_sums_accounts_of_a_platform() -> None:
    rows = [
        account_row("x", "a", 100, at(0)),
        account_row("x", "b", 300, at(0)),
        account_row("x", "a", 150, at(1)),
        account_row("x", "b", 350, at(1)),
        account_row("mastodon", "c", 10, at(0)),
        account_row("mastodon", "c", 1000, at(1)),
    ]
    assert MetricTable.from_rows(rows).growth("followers", platform="x").value == 0.25


def test_growth_of_a_post_metric() -> None:
    rows = post_rows("x", "1", at(0), likes=10) + post_rows("x", "1", at(1), likes=15)
    growth = MetricTable.from_rows(rows).growth("likes", subject="post", subject_id="1")
    assert growth.value == 0.5


def test_reports_iterate_as_rows(table: MetricTable) -> None:
    first = next(iter(table.summary()))
    assert first["platform"] == "instagram"
    assert table.summary()[1]["posts"] == 1


def test_report_text_shows_na_for_missing_values(table: MetricTable) -> None:
    text = str(table.summary())
    assert "n/a" in text
    assert "4.00%" in text


def _random_rows(seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(400):
        platform = rng.choice(["x", "mastodon", "bluesky"])
        post = str(rng.randrange(40))
        name = rng.choice(["likes", "shares", "impressions", "saves"])
        value = None if rng.random() < 0.2 else rng.randrange(0, 50)
        rows.append((platform, "post", post, name, value, at(rng.randrange(5))))
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_engines_agree(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialkit.metrics import _engine

    rows = _random_rows(seed)
    results = []
    for use in (True, False):
        monkeypatch.setattr(_engine, "USE_NUMPY", use)
        table = MetricTable.from_rows(rows)
        results.append([table.summary(by=by).records() for by in ("platform", "post")])
    assert results[0] == results[1]


def test_engine_fixture_switches_the_kernels(engine: str, table: MetricTable) -> None:
    frame = table._post_frame()
    assert isinstance(frame.platform, list) == (engine == "python")
