"""First-response SLA figures, exact on a hand-built case (nearest-rank percentiles)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from replies_support import T0, make_item

from socialkit.replies import Response, Stage, percentile, sla_report

MIN = timedelta(minutes=1)


def test_nearest_rank_percentiles_are_exact() -> None:
    times = [m * MIN for m in (5, 1, 9, 3, 7, 30, 2, 4, 6, 8)]  # 1..9 and 30 minutes

    assert percentile(times, 50) == 5 * MIN  # rank ceil(5.0) = 5 → 5th smallest
    assert percentile(times, 90) == 9 * MIN  # rank 9
    assert percentile(times, 95) == 30 * MIN  # rank ceil(9.5) = 10
    assert percentile(times, 0) == 1 * MIN
    assert percentile(times, 100) == 30 * MIN


def test_percentile_refuses_nothing_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="between"):
        percentile([MIN], 101)


def test_report_per_platform_and_overall() -> None:
    responses = [
        Response("a", "mastodon", T0, T0 + 10 * MIN),
        Response("b", "mastodon", T0, T0 + 20 * MIN),
        Response("c", "mastodon", T0, T0 + 40 * MIN),
        Response("d", "bluesky", T0, T0 + 5 * MIN),
        Response("e", "bluesky", T0, None),
    ]

    report = sla_report(responses, now=T0 + 2 * timedelta(hours=1), target=30 * MIN)

    assert report.overall.items == 5
    assert report.overall.answered == 4
    assert report.overall.percentiles == {50: 10 * MIN, 90: 40 * MIN, 95: 40 * MIN}
    assert report.overall.mean == timedelta(minutes=18, seconds=45)
    assert report.overall.within_target == 0.75
    assert report.by_platform["mastodon"].percentiles[50] == 20 * MIN
    assert report.by_platform["bluesky"].answered == 1
    assert [r.key for r in report.overdue] == ["e"]


def test_overdue_lists_unanswered_items_past_the_target_oldest_first() -> None:
    responses = [
        Response("late", "x", T0, None),
        Response("later", "x", T0 - MIN, None),
        Response("fresh", "x", T0 + 50 * MIN, None),
        Response("done", "x", T0 - MIN, T0),
    ]

    report = sla_report(responses, now=T0 + timedelta(hours=1), target=30 * MIN)

    assert [r.key for r in report.overdue] == ["later", "late"]


def test_ignored_items_are_left_out() -> None:
    items = [
        make_item("m:1", replied_after=4 * MIN),
        make_item("m:2", stage=Stage.IGNORED),
    ]

    report = sla_report(items, now=T0 + timedelta(days=1), target=MIN)

    assert report.overall.items == 1
    assert report.overall.percentiles[50] == 4 * MIN
    assert report.overdue == []
