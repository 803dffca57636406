"""DataFrames: pandas (the ``pandas`` extra) and polars (the ``polars`` extra).

A table becomes a long frame, one row per snapshot, with the columns of
``COLUMNS``; a value the platform did not report is NaN in pandas and null in
polars, never 0. Times are UTC.
"""

from __future__ import annotations

from typing import Any

from .._optional import require
from ._columns import COLUMNS, NULL_TIME, Coded
from ._snapshots import Snapshots
from .report import report_to_pandas, report_to_polars

__all__ = ["report_to_pandas", "report_to_polars", "table_to_pandas", "table_to_polars"]

_CATEGORIES = ("platform", "subject", "name", "period")  # few distinct values: categorical


def table_to_pandas(table: Snapshots) -> Any:
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


def table_to_polars(table: Snapshots) -> Any:
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
