"""Goals: progress, projection from the trend, and the four statuses."""

from __future__ import annotations

from datetime import date

import pydantic
import pytest

from socialkit.metrics import Goal, MetricTable

from .conftest import a_post, account_row, at, post_rows


def followers(*points: tuple[float, int], platform: str = "instagram") -> MetricTable:
    return MetricTable.from_rows([account_row(platform, "ig", v, at(d)) for d, v in points])


def rates(*posts: tuple[float, int, int], platform: str = "instagram") -> MetricTable:
    """Posts published on day ``d`` with ``likes`` and ``impressions``."""
    rows, records = [], []
    for i, (day, likes, impressions) in enumerate(posts):
        rows += post_rows(platform, str(i), at(day), likes=likes, impressions=impressions)
        records.append(a_post(platform, str(i), at(day)))
    return MetricTable.from_rows(rows, posts=records)


GROWTH = Goal("followers", 0.10, by=at(30), kind="growth")


def test_growth_goal_reached_is_achieved() -> None:
    progress = GROWTH.progress(followers((0, 100), (10, 111)), now=at(11))
    assert progress.status == "achieved"
    assert progress.current.value == pytest.approx(0.11)
    assert progress.progress == pytest.approx(1.1)


def test_growth_goal_with_a_good_trend_is_on_track() -> None:
    progress = GROWTH.progress(followers((0, 100), (10, 105)), now=at(11))
    assert progress.status == "on_track"
    assert progress.projected == pytest.approx(0.15)  # 0.5 a day for 30 days
    assert progress.progress == pytest.approx(0.5)


def test_growth_goal_with_a_weak_trend_is_at_risk() -> None:
    progress = GROWTH.progress(followers((0, 100), (10, 101)), now=at(11))
    assert progress.status == "at_risk"
    assert progress.projected == pytest.approx(0.03)


def test_growth_goal_not_reached_by_the_deadline_is_missed() -> None:
    table = followers((0, 100), (10, 101), (30, 103), (40, 200))
    progress = GROWTH.progress(table, now=at(45))
    assert progress.status == "missed"
    assert progress.current.value == pytest.approx(0.03)  # snapshots after the deadline ignored


def test_growth_baseline_is_the_first_snapshot_since_the_start() -> None:
    goal = Goal("followers", 0.10, by=at(30), kind="growth", since=at(5))
    progress = goal.progress(followers((0, 50), (10, 100), (20, 110)), now=at(21))
    assert progress.status == "achieved"
    assert dict(progress.current.inputs) == {"start": 100, "end": 110}


def test_level_goal_progress_is_current_over_target() -> None:
    goal = Goal("followers", 10_000, by=date(2025, 12, 31))
    progress = goal.progress(followers((0, 9000)), now=at(1))
    assert progress.progress == 0.9
    assert progress.projected is None  # one snapshot: no trend
    assert progress.status == "at_risk"


def test_level_goal_projection_is_the_linear_fit_at_the_deadline() -> None:
    goal = Goal("followers", 1000, by=at(30))
    progress = goal.progress(followers((0, 400), (10, 600), (20, 800)), now=at(21))
    assert progress.projected == pytest.approx(1000)
    assert progress.status == "on_track"


def test_goal_without_data_is_at_risk_with_no_progress() -> None:
    progress = GROWTH.progress(MetricTable(), now=at(1))
    assert (progress.status, progress.progress, progress.current.value) == ("at_risk", None, None)


def test_goal_on_another_platform_ignores_these_snapshots() -> None:
    goal = Goal("followers", 0.10, by=at(30), kind="growth", platform="x")
    assert goal.progress(followers((0, 100), (10, 200)), now=at(11)).points == 0


RATE = Goal("engagement_rate", 0.03, by=at(30), since=at(-1), platform="instagram")


def test_rate_goal_current_is_the_ratio_of_sums() -> None:
    progress = RATE.progress(rates((0, 2, 100), (10, 4, 100)), now=at(11))
    assert progress.current.value == 0.03
    assert dict(progress.current.inputs) == {"engagements": 6, "impressions": 200, "posts": 2}


def test_rate_goal_is_judged_by_its_trend_before_the_deadline() -> None:
    rising = RATE.progress(rates((0, 2, 100), (10, 4, 100)), now=at(11))
    falling = RATE.progress(rates((0, 4, 100), (10, 2, 100)), now=at(11))
    assert (rising.status, falling.status) == ("on_track", "at_risk")
    assert rising.projected == pytest.approx(0.08)


def test_rate_goal_met_over_the_window_is_achieved_after_the_deadline() -> None:
    assert RATE.progress(rates((0, 4, 100), (10, 2, 100)), now=at(31)).status == "achieved"


def test_rate_goal_not_met_over_the_window_is_missed() -> None:
    assert RATE.progress(rates((0, 1, 100), (10, 2, 100)), now=at(31)).status == "missed"


def test_rate_goal_counts_only_posts_in_the_window() -> None:
    progress = RATE.progress(rates((-5, 90, 100), (0, 2, 100), (40, 90, 100)), now=at(50))
    assert progress.current.value == 0.02


def test_growth_goal_of_a_rate_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="growth goals are for account metrics"):
        Goal("engagement_rate", 0.1, by=at(1), kind="growth")


def test_goal_is_frozen() -> None:
    with pytest.raises(pydantic.ValidationError):
        GROWTH.target = 0.2  # type: ignore[misc]


def test_goal_accepts_keywords() -> None:
    assert Goal(metric="followers", target=5, by=date(2025, 6, 30)).kind == "at_least"


def test_progress_reads_as_a_sentence() -> None:
    text = str(GROWTH.progress(followers((0, 100), (10, 105)), now=at(11)))
    assert text.startswith("goal: followers +10.00% by 2025-02-05 09:00:00+00:00; status: on_track")
    assert "progress: 50%" in text
