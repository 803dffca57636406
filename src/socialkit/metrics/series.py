"""Series of snapshots over time, and growth between the first and the last."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ._columns import bound, from_us, within
from ._engine import observed_us, rows_where
from ._snapshots import Snapshots
from .formulas import growth_rate
from .measure import Measure

__all__ = ["combined", "growth", "latest_account_values", "series"]


def series(
    table: Snapshots,
    name: str,
    *,
    subject: Literal["account", "post"] = "account",
    platform: str | None = None,
    subject_id: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> dict[tuple[str, str], list[tuple[int, float | None]]]:
    """Snapshots of ``name`` per (platform, subject id), oldest first, in the window (µs)."""
    cols = table._cols
    found: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for row in rows_where(cols, subject=subject, name=name):
        key = (cols.platform[row], cols.subject_id[row])
        if (platform is not None and key[0] != platform) or (
            subject_id is not None and key[1] != subject_id
        ):
            continue
        moment = observed_us(cols, row)
        if within(moment, since, until):
            found.setdefault(key, []).append((moment, row))
    return {
        key: [(moment, _value(cols.value[row])) for moment, row in sorted(points)]
        for key, points in found.items()
    }


def latest_account_values(table: Snapshots, name: str) -> dict[tuple[str, str], float | None]:
    """The latest snapshot of an account metric, per (platform, account id)."""
    return {key: points[-1][1] for key, points in series(table, name).items()}


def combined(
    by_subject: dict[tuple[str, str], list[tuple[int, float | None]]],
) -> list[tuple[int, float]]:
    """The total over subjects at each snapshot time, carrying each one's last value forward;
    a time before every subject has a known value is skipped."""
    times = sorted({moment for points in by_subject.values() for moment, _ in points})
    cursor = dict.fromkeys(by_subject, 0)
    current: dict[tuple[str, str], float | None] = dict.fromkeys(by_subject)
    out: list[tuple[int, float]] = []
    for moment in times:
        for key, points in by_subject.items():
            while cursor[key] < len(points) and points[cursor[key]][0] <= moment:
                current[key] = points[cursor[key]][1]
                cursor[key] += 1
        values = list(current.values())
        if all(v is not None for v in values):
            out.append((moment, sum(v for v in values if v is not None)))
    return out


def growth(
    table: Snapshots,
    name: str,
    *,
    platform: str | None,
    subject: Literal["account", "post"],
    subject_id: str | None,
    since: date | datetime | None,
    until: date | datetime | None,
) -> Measure:
    """See `MetricTable.growth`."""
    found = series(
        table,
        name,
        subject=subject,
        platform=platform,
        subject_id=subject_id,
        since=bound(since, end=False),
        until=bound(until, end=True),
    )
    what = f"{name} of {subject}s" + (f" on {platform}" if platform else "")
    if not found or any(len({t for t, _ in points}) < 2 for points in found.values()):
        return Measure(
            None,
            missing=("start", "end"),
            name="growth_rate",
            formula="(end - start) / start",
            note=f"needs two snapshots of {what} in the window",
        )
    firsts = [points[0][1] for points in found.values()]
    lasts = [points[-1][1] for points in found.values()]
    start = None if None in firsts else sum(v for v in firsts if v is not None)
    end = None if None in lasts else sum(v for v in lasts if v is not None)
    earliest = min(points[0][0] for points in found.values())
    latest = max(points[-1][0] for points in found.values())
    figure = growth_rate(start, end)
    note = f"{what}, {len(found)} series, {_iso(earliest)} → {_iso(latest)}"
    return Measure(figure.value, figure.inputs, figure.missing, figure.name, figure.formula, note)


def _value(value: float) -> float | None:
    return None if value != value else value


def _iso(us: int) -> str:
    return from_us(us).strftime("%Y-%m-%d %H:%M")
