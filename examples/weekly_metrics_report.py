"""Weekly metrics report: collect, summarise, find the best times, write an HTML page.

Shows `socialkit.metrics` end to end: `collect` post and account metrics into a
table, a per-platform summary, the best hours to post, the top posts, and an
HTML report with matplotlib plots embedded as images.

    python examples/weekly_metrics_report.py [REPORT.html]

It runs on the built-in sandbox, where `simulate_week` plays a week of posts and
audience reactions. With real accounts, pass your clients instead
(`sk.connect("mastodon", ...)`, `sk.connect("x", profile="brand")`, ...) and
drop the simulation.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure

import socialkit as sk
from socialkit.metrics import (
    best_times,
    collect,
    compare_platforms,
    plot_engagement,
    plot_heatmap,
)
from socialkit.testing import Sandbox

TZ = "Europe/Paris"  # best times are hours of *your audience's* week
WEEK_START = datetime(2025, 3, 3, tzinfo=ZoneInfo(TZ))  # a Monday, midnight in Paris


def simulate_week(sandbox: Sandbox, brand: sk.Client, clock: list[datetime]) -> None:
    """Three posts a day for a week; this audience likes the evening post best."""
    rng = random.Random(42)
    for day in range(7):
        for hour, label in ((8, "morning"), (12, "lunch"), (18, "evening")):
            clock[0] = (WEEK_START + timedelta(days=day, hours=hour)).astimezone(UTC)
            post = brand.publish(f"Day {day + 1}, {label} repair tip: mend it, don't bin it.")
            bonus = 6 if label == "evening" else 0
            likes, reposts = rng.randint(0, 4) + bonus, rng.randint(0, 2)
            sandbox.simulate_reactions(post.id, likes=likes, reposts=reposts)


def figure_html(figure: Figure) -> str:
    """A matplotlib figure as an inline PNG, so the report is one self-contained file."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{data}">'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, help="where to write the HTML report")
    args = parser.parse_args()
    output = args.output or Path(tempfile.mkdtemp()) / "weekly-report.html"

    clock = [WEEK_START.astimezone(UTC)]
    sandbox = Sandbox(seed=False, clock=lambda: clock[0])  # only the brand, no demo history
    with sandbox.client() as brand:
        simulate_week(sandbox, brand, clock)

        # 1. Collect: the latest 50 posts of each client, and each account's numbers.
        #    Pass a list of clients for several platforms; store="metrics.db" keeps history.
        run = collect([brand], posts=50)
    for failure in run.errors:  # one failed call never stops the rest
        print("could not collect:", failure)
    table = run.table

    # 2. Summaries. The sandbox (like Mastodon) reports no impressions, so rates are
    #    per follower; on platforms that report impressions, use the default.
    platforms = compare_platforms(table, by="followers")
    best = best_times(table, tz=TZ)
    top = table.top_posts(3)
    print(platforms, end="\n\n")
    print(best, end="\n\n")

    # 3. The report: tables as the escaped HTML a notebook shows, plots as embedded PNGs.
    per_day = plot_engagement(table, by="day", rate_by="followers", tz=TZ)
    sections = [
        ("Platforms", platforms._repr_html_()),
        ("Engagement per day", figure_html(per_day)),
        ("Best times to post", figure_html(plot_heatmap(best))),
        ("Top posts", top._repr_html_()),
    ]
    body = "".join(f"<h2>{html.escape(title)}</h2>{content}" for title, content in sections)
    output.write_text(
        f"<!doctype html><meta charset='utf-8'><title>Weekly report</title>"
        f"<h1>Weekly report, week of {WEEK_START:%d %B %Y}</h1>{body}",
        encoding="utf-8",
    )
    print(f"report written to {output}")


if __name__ == "__main__":
    main()
