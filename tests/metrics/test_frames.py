"""DataFrames: pandas conversion, and a clear error naming the extra when a library is missing."""

from __future__ import annotations

import math
import sys

import pandas as pd
import pytest

from socialkit.errors import ConfigError
from socialkit.metrics import COLUMNS, MetricTable, MissingDependency

from .conftest import T0, account_row, at, post_rows


@pytest.fixture
def table() -> MetricTable:
    rows = [*post_rows("x", "1", likes=3, saves=None), account_row("x", "me", 10, at(1))]
    return MetricTable.from_rows(rows)


def test_table_to_pandas_has_one_row_per_snapshot(table: MetricTable) -> None:
    frame = table.to_pandas()
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == 3


def test_unreported_value_is_nan_in_pandas(table: MetricTable) -> None:
    frame = table.to_pandas()
    assert frame["value"].tolist()[:1] == [3.0]
    assert math.isnan(frame["value"][1])


def test_times_are_utc_and_missing_ones_nat(table: MetricTable) -> None:
    frame = table.to_pandas()
    assert frame["collected_at"][0] == pd.Timestamp(T0)
    assert str(frame["collected_at"].dt.tz) == "UTC"
    assert pd.isna(frame["start"][0])
    assert frame["end"][2] == pd.Timestamp(at(1))


def test_strings_keep_their_values(table: MetricTable) -> None:
    frame = table.to_pandas()
    assert frame["name"].tolist() == ["likes", "saves", "followers"]
    assert frame["subject_id"].tolist() == ["1", "1", "me"]
    assert frame["native_name"].tolist() == [None, None, None]


def test_rows_can_be_added_after_a_conversion(table: MetricTable) -> None:
    frame = table.to_pandas()
    table.add_rows(post_rows("x", "2", likes=1))
    assert (len(frame), len(table)) == (3, 4)


def test_report_to_pandas(table: MetricTable) -> None:
    frame = table.summary().to_pandas()
    assert frame.loc[0, "likes"] == 3
    assert math.isnan(frame.loc[0, "saves"])


def test_polars_missing_names_the_extra(
    table: MetricTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(MissingDependency, match=r"pip install 'socialkit\[polars\]'"):
        table.to_polars()


def test_missing_dependency_is_an_import_error_and_a_config_error(
    table: MetricTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ImportError) as caught:
        table.summary().to_polars()
    assert isinstance(caught.value, ConfigError)


def test_pandas_missing_names_the_extra(
    table: MetricTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependency, match=r"socialkit\[pandas\]"):
        table.to_pandas()


def test_report_time_column_without_any_time_stays_a_time_column(table: MetricTable) -> None:
    frame = table.summary(by="post").to_pandas()
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    assert pd.isna(frame["published_at"][0])
