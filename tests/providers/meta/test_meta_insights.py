"""Insights payloads become metrics: lifetime figures, daily series and range totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socialkit.models import Metric
from socialkit.providers.meta.insights import metrics, total

SINCE = datetime(2026, 1, 1, tzinfo=UTC)
UNTIL = datetime(2026, 1, 8, tzinfo=UTC)


def read(payload: object, names: dict[str, str] | None = None) -> list[Metric]:
    return metrics(
        payload,
        platform="instagram",
        subject="account",
        subject_id="17841",
        names=names or {},
        since=SINCE,
        until=UNTIL,
    )


def test_a_lifetime_value_is_one_metric_with_the_normalised_name() -> None:
    payload = {"data": [{"name": "saved", "period": "lifetime", "values": [{"value": 7}]}]}
    (metric,) = read(payload, {"saved": "saves"})
    assert (metric.name, metric.native_name, metric.value, metric.period) == (
        "saves",
        "saved",
        7,
        "lifetime",
    )


def test_a_daily_series_is_one_metric_per_day_ending_at_end_time() -> None:
    payload = {
        "data": [
            {
                "name": "reach",
                "period": "day",
                "values": [
                    {"value": 10, "end_time": "2026-01-02T08:00:00+0000"},
                    {"value": 12, "end_time": "2026-01-03T08:00:00+0000"},
                ],
            }
        ]
    }
    first, second = read(payload)
    assert first.end == datetime(2026, 1, 2, 8, tzinfo=UTC)
    assert first.start == first.end - timedelta(days=1)
    assert (first.value, second.value) == (10, 12)


def test_a_total_value_covers_the_requested_range() -> None:
    payload = {"data": [{"name": "views", "period": "day", "total_value": {"value": 321}}]}
    (metric,) = read(payload)
    assert (metric.value, metric.start, metric.end) == (321, SINCE, UNTIL)


def test_an_empty_series_is_null_not_zero() -> None:
    (metric,) = read({"data": [{"name": "reach", "period": "day", "values": []}]})
    assert metric.value is None


def test_values_by_type_are_summed() -> None:
    assert total({"like": 3, "love": 1, "wow": 0}) == 4


def test_clicks_by_link_are_summed() -> None:
    assert total({"link_total_values": [{"value": 2, "link_url": "a"}, {"value": 5}]}) == 7
