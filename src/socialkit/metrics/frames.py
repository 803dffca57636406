"""DataFrames: pandas (the ``pandas`` extra) and polars (the ``polars`` extra).

A table becomes a long frame, one row per snapshot, with the columns of
``COLUMNS``; a value the platform did not report is NaN in pandas and null in
polars, never 0. Times are UTC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._optional import require
from ._columns import COLUMNS, NULL_TIME, Coded

if TYPE_CHECKING:
    from .report import Report
    from .table import MetricTable

__all__ = ["report_to_pandas", "report_to_polars", "table_to_pandas", "table_to_polars"]

_CATEGORIES = ("platform", "subject", "name", "period")  # few distinct values: categorical


def table_to_pandas(table: MetricTable) -> Any:
    """The table as a long ``pandas.DataFrame``; low-cardinality strings are categorical."""
    pd = require("pandas", "pandas", "to_pandas()")
    import numpy as np

    cols = table._cols

    def codes(coded: Coded) -> Any:
        return np.frombuffer(coded.codes, dtype=np.int32).copy()

    data: dict[str, Any] = {}
    for name in COLUMNS:
        column = getattr(cols, name)
        if name in _CATEGORIES:
            data[name] = pd.Categorical.from_codes(codes(column), categories=list(column.values))
        elif name in ("subject_id", "native_name"):
            data[name] = np.asarray(column.values, dtype=object)[codes(column)]
        elif name == "value":
            data[name] = np.frombuffer(column, dtype=np.float64).copy()
        else:  # NULL_TIME is numpy's NaT
            micros = np.frombuffer(column, dtype=np.int64).copy()
            data[name] = pd.to_datetime(micros.view("M8[us]"), utc=True)
    return pd.DataFrame(data, columns=list(COLUMNS))


def table_to_polars(table: MetricTable) -> Any:
    """The table as a long ``polars.DataFrame``; missing values and times are null."""
    pl = require("polars", "polars", "to_polars()")
    cols = table._cols

    def strings(coded: Coded) -> list[Any]:
        return [coded.values[c] for c in coded.codes]

    def times(column: Any) -> Any:
        micros = [None if v == NULL_TIME else v for v in column]
        series = pl.Series(values=micros, dtype=pl.Int64).cast(pl.Datetime("us"))
        return series.dt.replace_time_zone("UTC")

    data: dict[str, Any] = {}
    for name in COLUMNS:
        if name == "value":
            values = [None if v != v else v for v in cols.value]
            data[name] = pl.Series(values=values, dtype=pl.Float64)
        elif name in ("collected_at", "start", "end"):
            data[name] = times(getattr(cols, name))
        else:
            kind = pl.Categorical if name in _CATEGORIES else pl.Utf8
            data[name] = pl.Series(values=strings(getattr(cols, name)), dtype=pl.Utf8).cast(kind)
    return pl.DataFrame(data)


def report_to_pandas(report: Report) -> Any:
    """A report as a ``pandas.DataFrame``: missing numbers are NaN, missing times NaT."""
    pd = require("pandas", "pandas", "to_pandas()")
    dtypes = {"number": "float64", "time": "datetime64[us, UTC]"}

    def column(name: str, values: tuple[Any, ...]) -> Any:
        dtype = dtypes.get(report.kind(name))
        return pd.Series(values, dtype=dtype) if dtype and None in values else list(values)

    return pd.DataFrame({name: column(name, values) for name, values in report.columns.items()})


def report_to_polars(report: Report) -> Any:
    """A report as a ``polars.DataFrame``: missing values are null, in typed columns."""
    pl = require("polars", "polars", "to_polars()")
    dtypes = {"number": pl.Float64, "time": pl.Datetime("us", "UTC")}

    def column(name: str, values: tuple[Any, ...]) -> Any:
        dtype = dtypes.get(report.kind(name))
        return (
            pl.Series(values=list(values), dtype=dtype)
            if dtype and None in values
            else list(values)
        )

    data = {name: column(name, values) for name, values in report.columns.items()}
    return pl.DataFrame(data, strict=False)
