"""Summarising a million metric rows: socialkit.metrics against hand-written pandas.

Run with ``python benchmarks/bench_metrics.py [--rows N] [--repeat K]``. All
sides start from the same in-memory rows and compute the same result (checked
before timing): per platform, the latest snapshot of each post's metrics,
summed, with engagements and the engagement rate by impressions; and the
same per post. The pandas code is run on the frame as built from the rows
(string columns) and on a frame whose string columns were made categorical
first (what a pandas expert would do; the conversion is counted in its build).
The table's per-post cache is cleared before every run, so each timing is a
cold summary. Prints the best of K runs and the ratios (socialkit / pandas;
below 1 means socialkit is faster). ``--cpu`` times the process's CPU instead of
the wall clock (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from socialkit.metrics import DEFAULT_ENGAGEMENTS, MetricTable

PLATFORMS = ("mastodon", "bluesky", "x", "instagram", "linkedin")
NAMES = ("impressions", "likes", "comments", "shares", "saves")
SNAPSHOTS = 2
RATE = "impressions"  # the pandas code rates by impressions on every platform
CLOCK = time.perf_counter


def make_rows(n_rows: int, seed: int = 7) -> list[tuple[Any, ...]]:
    """``n_rows`` post-metric rows: posts x names x snapshots, some values not reported."""
    rng = random.Random(seed)
    per_post = len(NAMES) * SNAPSHOTS
    n_posts = n_rows // per_post
    start = datetime(2025, 1, 1, tzinfo=UTC)
    snapshots = [start + timedelta(days=d) for d in range(SNAPSHOTS)]
    rows: list[tuple[Any, ...]] = []
    for snap, collected in enumerate(snapshots):
        for p in range(n_posts):
            platform = PLATFORMS[p % len(PLATFORMS)]
            for name in NAMES:
                if name == "saves" and platform != "instagram":
                    value = None  # not reported by that platform: null, not zero
                else:
                    value = rng.randrange(1, 1000) * (snap + 1)
                rows.append((platform, "post", f"{platform}-{p}", name, value, collected))
    return rows


def pandas_frame(rows: list[tuple[Any, ...]], *, categorical: bool = False) -> pd.DataFrame:
    columns = ["platform", "subject", "subject_id", "name", "value", "collected_at"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["value"] = frame["value"].astype("float64")
    if categorical:
        strings = ("platform", "subject", "subject_id", "name")
        frame = frame.astype(dict.fromkeys(strings, "category"))
    return frame


def _latest_wide(frame: pd.DataFrame) -> pd.DataFrame:
    posts = frame[frame["subject"] == "post"]
    latest = posts.sort_values("collected_at", kind="stable").drop_duplicates(
        ["platform", "subject_id", "name"], keep="last"
    )
    return latest.pivot(index=["platform", "subject_id"], columns="name", values="value")


def _engagement(wide: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    parts = [c for c in DEFAULT_ENGAGEMENTS if c in wide.columns]
    engagements = wide[parts].sum(axis=1, min_count=1)
    return engagements, wide["impressions"]


def pandas_by_platform(frame: pd.DataFrame) -> pd.DataFrame:
    """The hand-written pandas equivalent of ``table.summary(by="platform", rate_by=RATE)``."""
    wide = _latest_wide(frame)
    engagements, base = _engagement(wide)
    rated = engagements.notna() & base.notna()
    by = wide.groupby(level="platform")
    out = by.sum(min_count=1)
    out.insert(0, "posts", by.size())
    out["engagements"] = engagements.groupby(level="platform").sum(min_count=1)
    top = engagements[rated].groupby(level="platform").sum()
    out["engagement_rate"] = top / base[rated].groupby(level="platform").sum()
    return out


def pandas_by_post(frame: pd.DataFrame) -> pd.DataFrame:
    """The hand-written pandas equivalent of ``table.summary(by="post", rate_by=RATE)``."""
    wide = _latest_wide(frame)
    engagements, base = _engagement(wide)
    out = wide.copy()
    out["engagements"] = engagements
    out["engagement_rate"] = (engagements / base).where(base != 0)
    return out


def best_of(
    repeat: int, run: Callable[[], Any], before: Callable[[], None] = lambda: None
) -> float:
    times = []
    for _ in range(repeat):
        before()
        gc.collect()
        started = CLOCK()
        run()
        times.append(CLOCK() - started)
    return min(times)


def check_same(table: MetricTable, frame: pd.DataFrame) -> None:
    ours = table.summary(by="platform", rate_by=RATE)
    theirs = pandas_by_platform(frame)
    for row in ours:
        expected = theirs.loc[row["platform"]]
        for column in ("posts", "likes", "engagements", "engagement_rate"):
            got, want = row[column], float(expected[column])
            assert math.isclose(got, want, rel_tol=1e-9), (row["platform"], column, got, want)
        assert (row["saves"] is None) == math.isnan(float(expected["saves"]))
    assert len(table.summary(by="post", rate_by=RATE)) == len(pandas_by_post(frame))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--cpu", action="store_true", help="time CPU of this process, not the wall clock"
    )
    args = parser.parse_args()
    if args.cpu:  # on a shared machine the wall clock also measures the neighbours
        global CLOCK
        CLOCK = time.process_time

    rows = make_rows(args.rows)
    print(
        f"{len(rows):,} metric rows, {len(rows) // (len(NAMES) * SNAPSHOTS):,} posts, "
        f"{len(PLATFORMS)} platforms, {SNAPSHOTS} snapshots; best of {args.repeat}"
    )

    builds = max(1, args.repeat // 2)
    build = (
        best_of(builds, lambda: MetricTable.from_rows(rows)),
        best_of(builds, lambda: pandas_frame(rows)),
        best_of(builds, lambda: pandas_frame(rows, categorical=True)),
    )
    # the table codes its string columns on first read (pandas hashes on each groupby):
    # building plus one summary shows where that cost went
    then_summary = (
        best_of(builds, lambda: MetricTable.from_rows(rows).summary(by="platform", rate_by=RATE)),
        best_of(builds, lambda: pandas_by_platform(pandas_frame(rows))),
        best_of(builds, lambda: pandas_by_platform(pandas_frame(rows, categorical=True))),
    )
    table = MetricTable.from_rows(rows)
    frames = (pandas_frame(rows), pandas_frame(rows, categorical=True))
    for frame in frames:
        check_same(table, frame)

    def cold() -> None:
        table._frame = None  # no cached per-post frame: every run starts from the rows

    def timings(by: Any, pandas: Callable[[pd.DataFrame], Any]) -> tuple[float, float, float]:
        ours = best_of(args.repeat, lambda: table.summary(by=by, rate_by=RATE), cold)
        plain, cat = (best_of(args.repeat, lambda f=f: pandas(f)) for f in frames)
        return ours, plain, cat

    results = [
        ("build from row tuples", build),
        ("build + summary(platform)", then_summary),
        ("summary(by='platform')", timings("platform", pandas_by_platform)),
        ("summary(by='post')", timings("post", pandas_by_post)),
    ]
    header = (
        f"{'operation':<27}{'socialkit':>11}{'pandas':>11}{'ratio':>7}"
        f"{'pandas-cat':>12}{'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for label, (ours, plain, cat) in results:
        print(
            f"{label:<27}{ours * 1000:>9.0f}ms{plain * 1000:>9.0f}ms{ours / plain:>7.2f}"
            f"{cat * 1000:>10.0f}ms{ours / cat:>7.2f}"
        )


if __name__ == "__main__":
    main()
