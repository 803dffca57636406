"""`Report`: the small result table of a summary, a ranking or a comparison."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal, overload

import attrs

from .._optional import require
from .._records import Record
from .html import cell, html_table, text_table

__all__ = ["ColumnKind", "Report", "report_to_pandas", "report_to_polars"]

ColumnKind = Literal["number", "time", "text"]

_SHOWN = 50  # rows shown by repr and _repr_html_


def _columns(value: Mapping[str, Sequence[Any]]) -> Mapping[str, tuple[Any, ...]]:
    columns = {str(name): tuple(values) for name, values in value.items()}
    if len({len(v) for v in columns.values()}) > 1:
        raise ValueError("every column of a report must have the same length")
    return MappingProxyType(columns)


def _notes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen(eq=False)
class Report(Record):
    """A result table: named columns of plain values, ``None`` where not available.

    ```python
    report = table.summary(by="platform")
    report["engagement_rate"]          # the column, as a tuple
    report[0]                          # the first row, as a dict
    for row in report: ...             # rows as dicts
    report.to_pandas()                 # a DataFrame (pandas extra)
    ```

    Rates are fractions; ``formats`` says how each column is displayed (``".2%"``).
    """

    title: str
    columns: Mapping[str, tuple[Any, ...]] = attrs.field(converter=_columns)
    formats: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_notes)
    kinds: Mapping[str, ColumnKind] = attrs.field(factory=dict, converter=_frozen)
    """What a column holds when its values cannot tell (all ``None``); numbers otherwise.

    Time columns are always named here, so a report read back from JSON (where times
    are ISO 8601 strings) has `datetime` values again."""

    def __attrs_post_init__(self) -> None:
        kinds = dict(self.kinds)
        columns = dict(self.columns)
        for name, values in self.columns.items():
            first = next((v for v in values if v is not None), None)
            if isinstance(first, datetime):
                kinds.setdefault(name, "time")
            elif isinstance(first, str) and kinds.get(name) == "time":
                columns[name] = tuple(
                    datetime.fromisoformat(v) if isinstance(v, str) else v for v in values
                )
        if kinds != self.kinds:
            object.__setattr__(self, "kinds", MappingProxyType(kinds))
        if columns != self.columns:
            object.__setattr__(self, "columns", MappingProxyType(columns))

    def kind(self, name: str) -> ColumnKind:
        """``"number"``, ``"time"`` or ``"text"``: from the values, else from ``kinds``."""
        found = {type(v) for v in self.columns[name]} - {type(None)}
        if not found:
            return self.kinds.get(name, "number")
        if found <= {int, float}:
            return "number"
        return "time" if found <= {datetime} else "text"

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(self.columns)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), ()))

    @overload
    def __getitem__(self, key: str) -> tuple[Any, ...]: ...
    @overload
    def __getitem__(self, key: int) -> dict[str, Any]: ...
    def __getitem__(self, key: str | int) -> tuple[Any, ...] | dict[str, Any]:
        if isinstance(key, str):
            return self.columns[key]
        return {name: values[key] for name, values in self.columns.items()}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self)):
            yield self[i]

    def records(self) -> list[dict[str, Any]]:
        """Every row as a dict."""
        return list(self)

    def to_pandas(self) -> Any:
        """The report as a ``pandas.DataFrame`` (missing values become NaN/None)."""
        return report_to_pandas(self)

    def to_polars(self) -> Any:
        """The report as a ``polars.DataFrame`` (missing values become null)."""
        return report_to_polars(self)

    def _cells(self, limit: int) -> list[list[str]]:
        return [
            [cell(values[i], self.formats.get(name, "")) for name, values in self.columns.items()]
            for i in range(min(len(self), limit))
        ]

    def _more(self, limit: int) -> list[str]:
        extra = len(self) - limit
        return [f"… {extra} more rows"] if extra > 0 else []

    def __str__(self) -> str:
        lines = [self.title] if self.title else []
        lines.append(text_table(self.names, self._cells(_SHOWN)))
        lines.extend(self._more(_SHOWN))
        lines.extend(self.notes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Report {self.title!r}: {len(self)} rows x {len(self.columns)} columns>"

    def _repr_html_(self) -> str:
        numeric = [
            any(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
            for values in self.columns.values()
        ]
        return html_table(
            self.names,
            self._cells(_SHOWN),
            title=self.title,
            notes=[*self._more(_SHOWN), *self.notes],
            numeric=numeric,
        )


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
