"""The metric formulas. Each returns a [`Measure`][socialkit.metrics.Measure], a fraction
(``0.042`` is 4.2 %) with the inputs it used.

Null is not zero: an input the platform does not report is ``None``, and a
measure that needs it is ``None`` too; a zero denominator also gives ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Literal

from ..models import Account, Metric, Post
from .measure import Measure, Number

__all__ = [
    "DEFAULT_ENGAGEMENTS",
    "RATE_BASES",
    "MetricSource",
    "RateBase",
    "amplification_rate",
    "conversion_rate",
    "ctr",
    "engagement_rate",
    "engagements",
    "growth_rate",
    "metric_values",
    "rate_base",
    "sentiment_ratio",
    "share_of_voice",
]

DEFAULT_ENGAGEMENTS: tuple[str, ...] = ("likes", "comments", "shares", "quotes", "saves")
"""The interactions counted as engagements unless ``include=`` says otherwise."""

RateBase = Literal["auto", "impressions", "reach", "views", "followers"]
"""What an engagement rate is per: ``"auto"`` picks the base the platform reports."""

RATE_BASES: Final[Mapping[str, RateBase]] = {
    "mastodon": "followers",
    "bluesky": "followers",
    "weibo": "followers",
    "x": "impressions",
    "linkedin": "impressions",
    "facebook": "reach",
    "instagram": "reach",
    "wechat": "reach",
    "threads": "views",
    "tiktok": "views",
    "youtube": "views",
}
"""The rate base each platform reports for its posts, used by ``by="auto"``: a
platform without impressions (Mastodon, Bluesky, Weibo) is rated per follower."""
_MEASURED: Final[tuple[RateBase, ...]] = ("impressions", "reach", "views")


def rate_base(platform: str | None, values: Mapping[str, Number | None]) -> RateBase:
    """The base ``by="auto"`` picks: the platform's own (`RATE_BASES`) when it was
    reported, else the first of impressions, reach and views that was, else followers."""
    preferred = RATE_BASES.get(platform or "")
    if preferred == "followers" or (preferred and values.get(preferred) is not None):
        return preferred
    return next((name for name in _MEASURED if values.get(name) is not None), "followers")


MetricSource = Post | Mapping[str, Number | None] | Iterable[Metric]
"""Where a formula reads a post's metrics: a `Post` (its public ``metrics``), a
mapping of metric name to value, or the `Metric` list of one post."""

Value = Number | Measure | None


def metric_values(source: MetricSource) -> dict[str, Number | None]:
    """The metrics of one post as ``{name: value}``; of several snapshots the latest wins."""
    if isinstance(source, Post):
        return dict(source.metrics)
    if isinstance(source, Mapping):
        return {str(k): _number(str(k), v) for k, v in source.items()}
    latest: dict[str, Metric] = {}
    subjects: set[tuple[str, str]] = set()
    for metric in source:
        subjects.add((metric.platform, metric.subject_id))
        seen = latest.get(metric.name)
        if seen is None or metric.collected_at >= seen.collected_at:
            latest[metric.name] = metric
    if len(subjects) > 1:
        raise ValueError(f"metrics of more than one subject given: {sorted(subjects)}")
    return {name: metric.value for name, metric in latest.items()}


def engagements(
    source: MetricSource, *, include: Sequence[str] = DEFAULT_ENGAGEMENTS, strict: bool = False
) -> Measure:
    """The number of engagements: the sum of the ``include`` metrics.

    Definition: ``likes + comments + shares + quotes + saves`` by default. A
    component the platform does not report is left out of the sum and named in
    ``missing``; none reported gives ``None``. With ``strict=True`` any missing
    component gives ``None``.
    """
    values = metric_values(source)
    used = {name: values[name] for name in include if values.get(name) is not None}
    missing = tuple(name for name in include if name not in used)
    total: float | None = float(sum(v for v in used.values() if v is not None))
    if not used or (strict and missing):
        total = None
    return Measure(total, used, missing, name="engagements", formula=" + ".join(include))


def engagement_rate(
    post_or_metrics: MetricSource,
    by: RateBase = "auto",
    *,
    followers: Value | Account = None,
    include: Sequence[str] = DEFAULT_ENGAGEMENTS,
    strict: bool = False,
) -> Measure:
    """Engagements per impression, per person reached, per view, or per follower.

    Definition: ``engagements / <by>``, where engagements are the sum of
    ``include`` (see [`engagements`][socialkit.metrics.engagements]). ``by="auto"``
    (the default) takes the base the post's platform reports (see
    [`rate_base`][socialkit.metrics.rate_base]); the measure's formula says which.
    For followers the count comes from ``followers=`` (a number or an
    `Account`), else from a ``followers`` metric, else from the post's author.
    """
    if by not in ("auto", "followers", *_MEASURED):
        raise ValueError(
            f"by must be 'auto', 'impressions', 'reach', 'views' or 'followers', not {by!r}"
        )
    values = metric_values(post_or_metrics)
    if by == "auto":
        by = rate_base(_platform_of(post_or_metrics), values)
    count = engagements(values, include=include, strict=strict)
    base = _followers(followers, values, post_or_metrics) if by == "followers" else values.get(by)
    return _ratio(
        "engagement_rate",
        f"({' + '.join(include)}) / {by}",
        count,
        (by, base),
    )


def amplification_rate(
    post_or_shares: MetricSource | Value, followers: Value | Account = None
) -> Measure:
    """How far followers carry a post. Definition: ``shares / followers``.

    ``shares`` is a number, or read from a post's metrics; ``followers`` is a
    number or an `Account`, else a ``followers`` metric, else the post's author.
    """
    if post_or_shares is None or isinstance(post_or_shares, int | float | Measure):
        shares = _number("shares", post_or_shares)
        base = _number("followers", _account_followers(followers))
    else:
        values = metric_values(post_or_shares)
        shares = values.get("shares")
        base = _followers(followers, values, post_or_shares)
    return _ratio(
        "amplification_rate", "shares / followers", ("shares", shares), ("followers", base)
    )


def growth_rate(start: Value, end: Value) -> Measure:
    """Relative change. Definition: ``(end - start) / start``."""
    first, last = _number("start", start), _number("end", end)
    inputs = {"start": first, "end": last}
    missing = _missing(inputs)
    value: float | None = None
    if first is not None and last is not None and first != 0:
        value = (last - first) / first
    note = "zero denominator" if first == 0 else ""
    return Measure(
        value, inputs, missing, name="growth_rate", formula="(end - start) / start", note=note
    )


def conversion_rate(conversions: Value, clicks: Value) -> Measure:
    """Share of clicks that converted. Definition: ``conversions / clicks``."""
    return _ratio(
        "conversion_rate",
        "conversions / clicks",
        ("conversions", _number("conversions", conversions)),
        ("clicks", _number("clicks", clicks)),
    )


def ctr(clicks: Value, impressions: Value) -> Measure:
    """Click-through rate. Definition: ``clicks / impressions``."""
    return _ratio(
        "ctr",
        "clicks / impressions",
        ("clicks", _number("clicks", clicks)),
        ("impressions", _number("impressions", impressions)),
    )


def share_of_voice(mentions: Mapping[str, Value], brand: str) -> Measure:
    """The brand's share of all mentions. Definition: ``mentions[brand] / sum(mentions)``.

    The brand must be in ``mentions`` and every count must be known, else the
    measure is ``None`` (an unknown competitor count makes the total unknown).
    """
    counts = {name: _number(name, value) for name, value in mentions.items()}
    missing = _missing(counts) if brand in counts else (brand, *_missing(counts))
    value: float | None = None
    if not missing:
        total = sum(v for v in counts.values() if v is not None)
        own = counts[brand]
        value = None if own is None or total == 0 else own / total
    return Measure(
        value, counts, missing, name="share_of_voice", formula=f"{brand} / sum(all brands)"
    )


def sentiment_ratio(positive: Value, negative: Value, neutral: Value = 0) -> Measure:
    """Share of positive mentions. Definition: ``positive / (positive + negative + neutral)``.

    With the default ``neutral=0`` it is the positive share of polarised mentions.
    """
    counts = {
        "positive": _number("positive", positive),
        "negative": _number("negative", negative),
        "neutral": _number("neutral", neutral),
    }
    missing = _missing(counts)
    value: float | None = None
    if not missing:
        total = sum(v for v in counts.values() if v is not None)
        pos = counts["positive"]
        value = None if pos is None or total == 0 else pos / total
    return Measure(
        value,
        counts,
        missing,
        name="sentiment_ratio",
        formula="positive / (positive + negative + neutral)",
    )


# -- helpers ---------------------------------------------------------------------------------


def _number(name: str, value: object) -> Number | None:
    if value is None:
        return None
    if isinstance(value, Measure):
        return value.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number or None, not {type(value).__name__}")
    return None if value != value else value  # NaN is "not reported"


def _missing(values: Mapping[str, Number | None]) -> tuple[str, ...]:
    return tuple(name for name, value in values.items() if value is None)


def _account_followers(followers: Value | Account) -> Value:
    return followers.followers if isinstance(followers, Account) else followers


def _followers(
    followers: Value | Account, values: Mapping[str, Number | None], source: MetricSource
) -> Number | None:
    given = _number("followers", _account_followers(followers))
    if given is not None:
        return given
    if values.get("followers") is not None:
        return values["followers"]
    if isinstance(source, Post) and source.author is not None:
        return source.author.followers
    return None


def _ratio(
    name: str,
    formula: str,
    numerator: Measure | tuple[str, Number | None],
    denominator: tuple[str, Number | None],
) -> Measure:
    """``numerator / denominator`` as a Measure: None when either is missing or the base is 0."""
    if isinstance(numerator, Measure):
        top, inputs, missing = numerator.value, dict(numerator.inputs), list(numerator.missing)
    else:
        top = numerator[1]
        inputs = {numerator[0]: top}
        missing = [numerator[0]] if top is None else []
    base_name, base = denominator
    inputs[base_name] = base
    if base is None:
        missing.append(base_name)
    value = None if top is None or base is None or base == 0 else top / base
    note = "zero denominator" if base == 0 and top is not None else ""
    return Measure(value, inputs, tuple(missing), name=name, formula=formula, note=note)


def _platform_of(source: MetricSource) -> str | None:
    if isinstance(source, Post):
        return source.platform
    if isinstance(source, Mapping):
        return None
    platforms = {metric.platform for metric in source}
    return platforms.pop() if len(platforms) == 1 else None
