"""Insights date ranges: long ranges cut into windows, early starts moved to the first date
the API serves, duplicate records of adjacent windows dropped."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialkit.models import Metric
from socialkit.providers.meta import ranges

NOW = datetime(2026, 12, 7, tzinfo=UTC)
DAY = timedelta(days=1)


@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 1, 1)),
    days=st.integers(min_value=1, max_value=800),
    longest=st.integers(min_value=1, max_value=90),
)
def test_windows_cover_the_range_exactly_within_the_limit(
    start: datetime, days: int, longest: int
) -> None:
    since = start.replace(tzinfo=UTC)
    until = since + timedelta(days=days, seconds=17)
    spans = ranges.windows(since, until, timedelta(days=longest), NOW)
    assert spans[0][0] == since
    assert spans[-1][1] == until
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    lengths = [end - begin for begin, end in spans if begin is not None and end is not None]
    assert len(lengths) == len(spans)
    assert all(timedelta(0) < length <= timedelta(days=longest) for length in lengths)


def test_a_short_range_is_one_window() -> None:
    since, until = NOW - 10 * DAY, NOW - DAY
    assert ranges.windows(since, until, 90 * DAY, NOW) == [(since, until)]


def test_an_open_range_ends_now() -> None:
    since = NOW - 100 * DAY
    assert ranges.windows(since, None, 90 * DAY, NOW) == [
        (since, since + 90 * DAY),
        (since + 90 * DAY, NOW),
    ]


def test_without_a_start_the_api_picks_the_range() -> None:
    assert ranges.windows(None, None, 90 * DAY, NOW) == [(None, None)]


def test_an_early_start_moves_to_the_earliest_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    earliest = datetime(2024, 4, 13, 7, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="socialkit"):
        assert ranges.clamp(datetime(2024, 1, 1, tzinfo=UTC), earliest, platform="threads") == (
            earliest
        )
    assert "threads insights start no earlier than 2024-04-13" in caplog.text


def test_a_start_in_range_is_kept_silently(caplog: pytest.LogCaptureFixture) -> None:
    since = datetime(2025, 1, 1, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="socialkit"):
        assert ranges.clamp(since, datetime(2024, 4, 13, tzinfo=UTC), platform="threads") == since
    assert caplog.text == ""


def test_a_record_two_windows_returned_is_kept_once() -> None:
    def day(end: datetime, value: int) -> Metric:
        return Metric(
            platform="facebook", subject="account", subject_id="1", name="views", value=value,
            period="day", start=end - DAY, end=end,
        )

    boundary = NOW - 10 * DAY
    merged = ranges.unique([day(boundary - DAY, 1), day(boundary, 2), day(boundary, 2)])
    assert [m.value for m in merged] == [1, 2]
