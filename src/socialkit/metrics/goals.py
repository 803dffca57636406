"""Goals: a target for a metric by a date, with progress, a projection from the trend
and a status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Literal

import attrs
from pydantic import AwareDatetime, BaseModel, ConfigDict, model_validator

from .._records import Record
from ._columns import bound, from_us, to_us
from ._engine import optional, paired
from .formulas import DEFAULT_ENGAGEMENTS, RateBase, growth_rate
from .html import cell, html_table
from .measure import Measure
from .series import combined, series
from .summaries import Selection
from .table import MetricTable

__all__ = ["Goal", "GoalProgress", "GoalStatus"]

GoalStatus = Literal["on_track", "at_risk", "achieved", "missed"]
GoalKind = Literal["at_least", "growth"]


class Goal(BaseModel):
    """A target for a metric by a date.

    ```python
    Goal("engagement_rate", 0.03, by=date(2025, 6, 30), platform="instagram",
         since=date(2025, 4, 1))                        # ≥ 3 % on Instagram this quarter
    Goal("followers", 0.10, by=date(2025, 6, 30), kind="growth")   # followers +10 %
    Goal("followers", 10_000, by=date(2025, 12, 31))               # reach 10k followers
    ```

    ``metric`` is ``"engagement_rate"`` (over the posts published in the
    window, by ``rate_by``) or an account metric (``"followers"``, ...), summed
    over the matching accounts. ``kind="at_least"``: the value reaches
    ``target``; ``kind="growth"``: the value grows by the fraction ``target``
    from its first snapshot in the window. The window runs from ``since`` (the
    first snapshot when not given) to ``by``; a date covers its whole day, UTC.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: str
    target: float
    by: AwareDatetime | date
    platform: str | None = None
    kind: GoalKind = "at_least"
    since: AwareDatetime | date | None = None
    rate_by: RateBase = "auto"
    include: tuple[str, ...] = DEFAULT_ENGAGEMENTS

    def __init__(self, metric: str, target: float, **data: object) -> None:
        super().__init__(metric=metric, target=target, **data)

    @model_validator(mode="after")
    def _check(self) -> Goal:
        if self.kind == "growth" and self.metric == "engagement_rate":
            raise ValueError("growth goals are for account metrics such as followers")
        return self

    def progress(self, table: MetricTable, *, now: datetime | None = None) -> GoalProgress:
        """Where the goal stands in ``table`` at ``now`` (default: the current time)."""
        as_of = to_us(now or datetime.now(UTC))
        deadline = bound(self.by, end=True)
        assert deadline is not None
        start = bound(self.since, end=False)
        horizon = min(as_of, deadline)
        if self.metric == "engagement_rate":
            current, points = self._rate(table, start, horizon)
        else:
            current, points = self._account(table, start, horizon)
        projected = _project(points, deadline)
        if self.kind == "growth" and projected is not None:
            baseline = current.inputs.get("start")
            projected = growth_rate(baseline, projected).value
        value = current.value
        fraction = None if value is None or self.target == 0 else value / self.target
        return GoalProgress(
            goal=self,
            status=self._status(value, projected, past=as_of > deadline),
            current=current,
            progress=fraction,
            projected=projected,
            points=len(points),
            as_of=from_us(as_of),
        )

    def _status(self, current: float | None, projected: float | None, *, past: bool) -> GoalStatus:
        def met(value: float | None) -> bool:
            return value is not None and value >= self.target

        if self.metric == "engagement_rate":  # judged over the whole window
            if past:
                return "achieved" if met(current) else "missed"
            return "on_track" if met(projected if projected is not None else current) else "at_risk"
        if met(current):  # a level reached stays reached
            return "achieved"
        if past:
            return "missed"
        return "on_track" if met(projected) else "at_risk"

    def _rate(
        self, table: MetricTable, start: int | None, horizon: int
    ) -> tuple[Measure, list[tuple[int, float]]]:
        selection = Selection.of(
            table,
            platform=self.platform,
            since=None if start is None else from_us(start),
            until=from_us(horizon),
            include=self.include,
            rate_by=self.rate_by,
        )
        top, base = (optional(v) for v in paired(selection.engagements, selection.base))
        rated = [(t, b) for t, b in zip(top, base, strict=True) if t is not None and b is not None]
        total_top = sum(t for t, _ in rated)
        total_base = sum(b for _, b in rated)
        value = total_top / total_base if rated and total_base else None
        bases = set(selection.bases.values()) or {self.rate_by}
        base_name = bases.pop() if len(bases) == 1 else "base"
        current = Measure(
            value,
            {"engagements": total_top, base_name: total_base, "posts": len(rated)},
            () if rated else ("engagements", base_name),
            name="engagement_rate",
            formula=f"sum(engagements) / sum({base_name})",
        )
        points = [
            (t, r)
            for t, r in zip(selection.published, optional(selection.rate), strict=True)
            if t is not None and r is not None
        ]
        return current, points

    def _account(
        self, table: MetricTable, start: int | None, horizon: int
    ) -> tuple[Measure, list[tuple[int, float]]]:
        by_account = series(table, self.metric, platform=self.platform, since=start, until=horizon)
        points = combined(by_account)
        latest = points[-1][1] if points else None
        if self.kind == "growth":
            first = points[0][1] if len(points) > 1 else None
            return growth_rate(first, latest), points
        current = Measure(
            latest,
            {self.metric: latest},
            () if points else (self.metric,),
            name=self.metric,
            formula=f"latest {self.metric}",
        )
        return current, points


def _project(points: Sequence[tuple[int, float]], at: int) -> float | None:
    """The least-squares line through the points, evaluated at ``at`` (µs)."""
    if len({t for t, _ in points}) < 2:
        return None
    day = 86_400_000_000
    origin = points[0][0]
    xs = [(t - origin) / day for t, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    return mean_y + slope * ((at - origin) / day - mean_x)


@attrs.frozen
class GoalProgress(Record):
    """Where a goal stands.

    ``current`` is the measure compared with the target (the rate, the value,
    or the growth so far), with its inputs; ``progress`` is ``current / target``;
    ``projected`` is the linear trend's measure at the deadline (``None`` with
    fewer than two snapshots); ``points`` counts the observations behind it.
    """

    goal: Goal
    status: GoalStatus
    current: Measure
    progress: float | None
    projected: float | None
    points: int
    as_of: datetime

    def _spec(self) -> str:
        return ".2%" if self.goal.kind == "growth" or self.goal.metric.endswith("rate") else ",.0f"

    def _cells(self) -> list[tuple[str, str]]:
        spec = self._spec()
        goal = self.goal
        sign = "+" if goal.kind == "growth" else "≥ "
        where = f" on {goal.platform}" if goal.platform else ""
        return [
            ("goal", f"{goal.metric}{where} {sign}{format(goal.target, spec)} by {goal.by}"),
            ("status", self.status),
            ("current", cell(self.current.value, spec)),
            ("progress", cell(self.progress, ".0%")),
            ("projected", cell(self.projected, spec)),
            ("based on", f"{self.points} observations"),
        ]

    def __str__(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self._cells())

    def _repr_html_(self) -> str:
        return html_table(["", ""], [list(pair) for pair in self._cells()], title="Goal")
