"""Plots return matplotlib Figures (Agg backend), and say which extra is missing."""

from __future__ import annotations

import sys

import pytest
from matplotlib.figure import Figure

from socialkit.metrics import (
    MetricTable,
    MissingDependency,
    best_times,
    compare_platforms,
    plot_engagement,
    plot_heatmap,
    plot_platforms,
)

from .conftest import a_post, at, post_rows


@pytest.fixture
def table() -> MetricTable:
    rows, posts = [], []
    for day in range(6):
        for platform in ("x", "mastodon"):
            post_id = f"{platform}{day}"
            impressions = None if platform == "mastodon" else 100 + day
            rows += post_rows(platform, post_id, likes=day, impressions=impressions)
            posts.append(a_post(platform, post_id, at(day * 3)))
    return MetricTable.from_rows(rows, posts=posts)


def test_plot_engagement_returns_a_figure(table: MetricTable) -> None:
    figure = plot_engagement(table, by="day")
    assert isinstance(figure, Figure)
    assert [line.get_label() for line in figure.axes[0].lines] == ["mastodon", "x"]


def test_plot_platforms_from_a_table(table: MetricTable) -> None:
    figure = plot_platforms(table)
    assert isinstance(figure, Figure)


def test_plot_platforms_says_na_instead_of_drawing_a_zero(table: MetricTable) -> None:
    figure = plot_platforms(compare_platforms(table))
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "n/a\n6 posts" in texts
    assert len(figure.axes[0].patches) == 1  # one bar: x; mastodon has no rate


def test_plot_heatmap_returns_a_figure(table: MetricTable) -> None:
    figure = plot_heatmap(best_times(table))
    assert isinstance(figure, Figure)
    assert figure.axes[0].get_title() == "Mean engagements per post by hour of week"


def test_missing_matplotlib_names_the_plots_extra(
    table: MetricTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependency, match=r"socialkit\[plots\]"):
        plot_platforms(table)


PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("plot", ["engagement", "platforms", "heatmap"])
def test_a_plot_renders_as_png_in_a_notebook(table: MetricTable, plot: str) -> None:
    figure = {
        "engagement": lambda: plot_engagement(table, by="day"),
        "platforms": lambda: plot_platforms(table),
        "heatmap": lambda: plot_heatmap(best_times(table)),
    }[plot]()
    # IPython shows any object by its _repr_png_ when no formatter is registered for it
    assert figure._repr_png_().startswith(PNG)


def test_plots_render_without_pyplot_in_a_fresh_interpreter(tmp_path: object) -> None:
    import subprocess

    code = """
import sys
from datetime import UTC, datetime
from socialkit.metrics import MetricTable, plot_platforms
table = MetricTable.from_rows(
    [("x", "post", "1", "likes", 3, datetime(2025, 1, 1, tzinfo=UTC)),
     ("x", "post", "1", "impressions", 30, datetime(2025, 1, 1, tzinfo=UTC))]
)
png = plot_platforms(table)._repr_png_()
assert png.startswith(b"\\x89PNG"), png[:8]
assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr
