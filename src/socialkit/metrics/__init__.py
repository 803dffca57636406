"""Metrics: engagement, reach, growth, conversion, share of voice; collection into a
columnar table persisted to SQLite or PostgreSQL; summaries, best times, goals, DataFrames,
plots.

```python
from socialkit.metrics import MetricTable, collect, engagement_rate, best_times

rate = engagement_rate(post, by="impressions")     # a Measure: value, inputs, missing
print(f"{rate:.1%}")                                # "4.2%", or "n/a" when not reported

run = collect([mastodon, bluesky], posts=50, store="metrics.db")
run.errors                                          # per-post failures, recorded not raised
run.table.summary(by="platform")
run.table.growth("followers", platform="mastodon", since=date(2025, 1, 1))
best_times(run.table, tz="Europe/Paris").top(3)
read_conversions("ga4.csv").join(posts).by_platform()  # conversions per UTM-tagged post
```

Null is not zero: a metric the platform does not report is ``None`` and so is
every measure that needs it; a zero denominator also gives ``None``.
"""

from .._optional import MissingDependency
from ._columns import COLUMNS, PostInfo
from .collect import (
    DEFAULT_POSTS,
    AsyncMetricsClient,
    CollectFailure,
    Collection,
    MetricsClient,
    acollect,
    collect,
)
from .conversions import (
    ConversionReport,
    ConversionRow,
    Conversions,
    PlatformConversions,
    PostConversions,
    cost_per_conversion,
    read_conversions,
    revenue_per_post,
)
from .formulas import (
    DEFAULT_ENGAGEMENTS,
    RATE_BASES,
    amplification_rate,
    conversion_rate,
    ctr,
    engagement_rate,
    engagements,
    growth_rate,
    metric_values,
    rate_base,
    sentiment_ratio,
    share_of_voice,
)
from .goals import Goal, GoalProgress
from .measure import Measure, MetricUnavailable
from .plots import plot_engagement, plot_heatmap, plot_platforms
from .report import Report
from .store import SCHEMA_VERSION
from .summaries import compare_platforms
from .table import MetricTable
from .timing import BestTimes, Slot, best_times

__all__ = [
    "COLUMNS",
    "DEFAULT_ENGAGEMENTS",
    "DEFAULT_POSTS",
    "RATE_BASES",
    "SCHEMA_VERSION",
    "AsyncMetricsClient",
    "BestTimes",
    "CollectFailure",
    "Collection",
    "ConversionReport",
    "ConversionRow",
    "Conversions",
    "Goal",
    "GoalProgress",
    "Measure",
    "MetricTable",
    "MetricUnavailable",
    "MetricsClient",
    "MissingDependency",
    "PlatformConversions",
    "PostConversions",
    "PostInfo",
    "Report",
    "Slot",
    "acollect",
    "amplification_rate",
    "best_times",
    "collect",
    "compare_platforms",
    "conversion_rate",
    "cost_per_conversion",
    "ctr",
    "engagement_rate",
    "engagements",
    "growth_rate",
    "metric_values",
    "plot_engagement",
    "plot_heatmap",
    "plot_platforms",
    "rate_base",
    "read_conversions",
    "revenue_per_post",
    "sentiment_ratio",
    "share_of_voice",
]
