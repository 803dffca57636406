"""Plots with matplotlib (the ``plots`` extra), imported only when a plot is drawn.

Each function returns a ``matplotlib.figure.Figure`` built without pyplot, so
no global figure state is touched; scripts ``savefig`` it, and notebooks show it
as an image with no ``import matplotlib.pyplot`` (it has ``_repr_png_``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any, Literal

from .._optional import require
from .formulas import DEFAULT_ENGAGEMENTS, RateBase
from .report import Report
from .table import MetricTable
from .timing import WEEKDAYS, BestTimes

__all__ = ["plot_engagement", "plot_heatmap", "plot_platforms"]


def _figure(feature: str, **options: Any) -> tuple[Any, Any]:
    require("matplotlib", "plots", feature)
    from .._figures import ShownFigure

    figure = ShownFigure(layout="constrained", **options)
    return figure, figure.add_subplot()


def _percent_axis(axis: Any) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0))


def _nan(values: Sequence[Any]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]


def plot_engagement(
    table: MetricTable,
    *,
    by: Literal["day", "week"] = "week",
    platforms: Sequence[str] | None = None,
    include: Sequence[str] = DEFAULT_ENGAGEMENTS,
    rate_by: RateBase = "auto",
    tz: str | tzinfo = "UTC",
) -> Any:
    """Engagement rate per day or week of publishing, one line per platform.

    Periods without a rate are gaps, not zeros.
    """
    figure, ax = _figure("plot_engagement()", figsize=(8, 4))
    for platform in platforms or table.platforms:
        report = table.summary(by=by, platform=platform, include=include, rate_by=rate_by, tz=tz)
        if len(report):
            ax.plot(report[by], _nan(report["engagement_rate"]), marker="o", label=platform)
    _percent_axis(ax.yaxis)
    ax.set_ylabel(f"engagement rate (by {rate_by})")
    ax.set_title(f"Engagement rate per {by} ({tz})")
    if ax.lines:
        ax.legend()
    figure.autofmt_xdate()
    return figure


def plot_platforms(
    source: MetricTable | Report,
    *,
    by: RateBase = "auto",
    include: Sequence[str] = DEFAULT_ENGAGEMENTS,
) -> Any:
    """Engagement rate per platform as bars, labelled with the number of posts.

    ``source`` is a table or the report of
    [`compare_platforms`][socialkit.metrics.compare_platforms].
    """
    from .summaries import compare_platforms

    if isinstance(source, MetricTable):
        source = compare_platforms(source, by=by, include=include)
    figure, ax = _figure("plot_platforms()", figsize=(6, 4))
    rows = list(enumerate(zip(source["engagement_rate"], source["posts"], strict=True)))
    rated = [(x, rate, posts) for x, (rate, posts) in rows if rate is not None]
    bars = ax.bar([x for x, _, _ in rated], [rate for _, rate, _ in rated], color="#1f77b4")
    ax.bar_label(bars, labels=[f"{rate:.1%}\n{posts} posts" for _, rate, posts in rated])
    for x, (rate, posts) in rows:
        if rate is None:  # no rate is not a zero rate: say so instead of drawing a bar
            ax.text(x, 0, f"n/a\n{posts} posts", ha="center", va="bottom")
    ax.set_xticks(range(len(rows)), list(source["platform"]))
    _percent_axis(ax.yaxis)
    ax.set_ylabel(f"engagement rate (by {by})")
    ax.set_title("Engagement rate per platform")
    ax.margins(y=0.2)
    return figure


def plot_heatmap(best: BestTimes) -> Any:
    """The hour-of-week heat of a [`best_times`][socialkit.metrics.best_times] result.

    Slots without posts are left blank.
    """
    figure, ax = _figure("plot_heatmap()", figsize=(10, 3.5))
    import numpy as np

    grid = np.ma.masked_invalid(np.array([_nan(row) for row in best.mean]))
    image = ax.imshow(grid, aspect="auto", cmap="Blues", interpolation="nearest")
    ax.set_yticks(range(7), list(WEEKDAYS))
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel(f"hour ({best.tz})")
    ax.set_title(f"Mean {best.metric} per post by hour of week")
    figure.colorbar(image, ax=ax, label=best.metric)
    return figure
