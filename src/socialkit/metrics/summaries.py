"""Summaries of a `MetricTable`: per platform, post, day or week; rankings; platform
comparison."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import Any, Literal

from ._columns import LocalClock, bound, from_us, within, zone
from ._engine import (
    PostFrame,
    Vector,
    decode,
    group_size,
    group_sum,
    optional,
    order_desc,
    paired,
    positions_equal,
    ratio,
    row_sum,
    vector,
)
from ._snapshots import Snapshots
from .formulas import DEFAULT_ENGAGEMENTS, RateBase, rate_base
from .report import ColumnKind, Report
from .series import latest_account_values

__all__ = ["METRIC_ORDER", "SummaryBy", "compare_platforms"]

SummaryBy = Literal["platform", "post", "day", "week"]
"""How `MetricTable.summary` groups the posts."""

METRIC_ORDER = (
    "impressions",
    "reach",
    "views",
    "video_views",
    "likes",
    "comments",
    "shares",
    "quotes",
    "saves",
    "clicks",
)
"""The order of metric columns in reports; other metrics follow alphabetically."""
_RATE = {"engagement_rate": ".2%"}
_KINDS: dict[str, ColumnKind] = {
    "platform": "text",
    "post_id": "text",
    "published_at": "time",
    "text": "text",
    "url": "text",
}
_TEXT = 80  # characters of post text shown in rankings


def ordered_names(names: Iterable[str]) -> list[str]:
    """Metric names in report order."""
    given = set(names)
    return [n for n in METRIC_ORDER if n in given] + sorted(given - set(METRIC_ORDER))


def _check_rate_by(rate_by: str) -> None:
    if rate_by not in ("auto", "impressions", "reach", "views", "followers"):
        raise ValueError(
            "rate_by must be 'auto', 'impressions', 'reach', 'views' or 'followers', "
            f"not {rate_by!r}"
        )


class Selection:
    """The posts a summary covers, and the per-post figures summaries need (computed lazily)."""

    def __init__(
        self,
        table: Snapshots,
        frame: PostFrame,
        *,
        include: Sequence[str],
        rate_by: RateBase,
        notes: Sequence[str] = (),
    ) -> None:
        _check_rate_by(rate_by)
        self.table, self.frame = table, frame
        self.include, self.rate_by = tuple(include), rate_by
        self.notes = list(notes)

    @classmethod
    def of(
        cls,
        table: Snapshots,
        *,
        platform: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        include: Sequence[str] = DEFAULT_ENGAGEMENTS,
        rate_by: RateBase = "auto",
        tz: str | tzinfo = "UTC",
    ) -> Selection:
        """The posts of ``platform`` (all by default) published in ``[since, until]``; a
        ``date`` is its whole day in ``tz``."""
        selection = cls(table, table._post_frame(), include=include, rate_by=rate_by)
        if platform is not None:
            code = table._cols.platform.index.get(platform)
            found = [] if code is None else positions_equal(selection.frame.platform, code)
            selection = selection.subset(found)
        where = zone(tz)
        low, high = bound(since, end=False, tz=where), bound(until, end=True, tz=where)
        if low is not None or high is not None:
            selection = selection.published_only()
            times = selection.published
            selection = selection.subset([i for i, t in enumerate(times) if within(t, low, high)])
        return selection

    def subset(self, positions: Sequence[int]) -> Selection:
        """The posts at ``positions``."""
        return Selection(
            self.table,
            self.frame.take(positions),
            include=self.include,
            rate_by=self.rate_by,
            notes=self.notes,
        )

    def published_only(self) -> Selection:
        """The posts whose publish time is known (a note says how many were left out)."""
        times = self.published
        known = [i for i, t in enumerate(times) if t is not None]
        if len(known) == len(times):
            return self
        chosen = self.subset(known)
        left = len(times) - len(known)
        chosen.notes.append(f"{left} post{'s' if left > 1 else ''} without a publish time left out")
        return chosen

    def __len__(self) -> int:
        return len(self.frame)

    @functools.cached_property
    def keys(self) -> list[tuple[str, str]]:
        """``(platform, post_id)`` per post."""
        return self.frame.keys()

    @functools.cached_property
    def published(self) -> list[int | None]:
        """Publish time (µs) per post, ``None`` when unknown."""
        posts = self.table._posts
        if not posts:
            return [None] * len(self)
        infos = [posts.get(key) for key in self.keys]
        return [None if info is None else info.published_us for info in infos]

    @functools.cached_property
    def engagements(self) -> Vector:
        """Engagements per post (NaN where no component is reported)."""
        frame = self.frame
        parts = [frame.columns[name] for name in self.include if name in frame.columns]
        return row_sum(parts, len(frame), like=frame.platform)

    @functools.cached_property
    def bases(self) -> dict[str, RateBase]:
        """The rate base per platform: ``rate_by``, or with ``"auto"`` what each reports."""
        platforms = sorted({platform for platform, _ in self.keys})
        if self.rate_by != "auto":
            return dict.fromkeys(platforms, self.rate_by)
        chosen: dict[str, RateBase] = {}
        for platform in platforms:
            rows = [i for i, (p, _) in enumerate(self.keys) if p == platform]
            reported = {
                name: 1.0
                for name in ("impressions", "reach", "views")
                if any(not math.isnan(self.frame.column(name)[i]) for i in rows)
            }
            chosen[platform] = rate_base(platform, reported)
        return chosen

    @functools.cached_property
    def base(self) -> Vector:
        """The rate denominator per post: its platform's base (see `bases`)."""
        bases = self.bases
        if len(set(bases.values())) == 1 and "followers" not in bases.values():
            return self.frame.column(next(iter(bases.values())))
        followers = self._followers()
        columns = {name: self.frame.column(name) for name in set(bases.values())}
        values = [
            followers[i] if bases[p] == "followers" else columns[bases[p]][i]
            for i, (p, _) in enumerate(self.keys)
        ]
        return vector(values, like=self.frame.platform)

    def rate_note(self) -> str:
        """Which base each platform's engagement rate is per, for a report's notes."""
        by_base: dict[str, list[str]] = {}
        for platform, base in self.bases.items():
            by_base.setdefault(base, []).append(platform)
        return "engagement_rate per " + "; per ".join(
            f"{base} ({', '.join(platforms)})" for base, platforms in sorted(by_base.items())
        )

    def _followers(self) -> Vector:
        """The author's followers per post (NaN where unknown)."""
        followers = latest_account_values(self.table, "followers")
        accounts: dict[str, list[float | None]] = {}
        for (platform, _), value in followers.items():
            accounts.setdefault(platform, []).append(value)
        posts = self.table._posts
        values: list[float] = []
        for platform, post_id in self.keys:
            info = posts.get((platform, post_id))
            if info is not None and info.author_id is not None:
                found = followers.get((platform, info.author_id))
            else:
                only = accounts.get(platform, [])
                found = only[0] if len(only) == 1 else None
            values.append(float("nan") if found is None else found)
        return vector(values, like=self.frame.platform)

    @functools.cached_property
    def rate(self) -> Vector:
        """Engagement rate per post."""
        return ratio(self.engagements, self.base)

    def grouped(self, groups: Vector, labels: Sequence[Any], column: str) -> dict[str, list[Any]]:
        """Per group: posts, each metric's total, engagements and engagement rate."""
        n = len(labels)
        sizes = group_size(groups, n)
        live = [g for g in range(n) if sizes[g]]
        out: dict[str, list[Any]] = {column: [labels[g] for g in live]}
        out["posts"] = [sizes[g] for g in live]
        named = {name: self.frame.columns[name] for name in ordered_names(self.frame.columns)}
        for name, values in {**named, "engagements": self.engagements}.items():
            sums, counts = group_sum(groups, n, values)
            out[name] = [sums[g] if counts[g] else None for g in live]
        top, base = paired(self.engagements, self.base)
        top_sums, rated = group_sum(groups, n, top)
        base_sums, _ = group_sum(groups, n, base)
        out["engagement_rate"] = [
            top_sums[g] / base_sums[g] if rated[g] and base_sums[g] else None for g in live
        ]
        return out


def summary(
    table: Snapshots,
    by: SummaryBy,
    *,
    platform: str | None,
    since: date | datetime | None,
    until: date | datetime | None,
    include: Sequence[str],
    rate_by: RateBase,
    tz: str | tzinfo,
) -> Report:
    """See `MetricTable.summary`."""
    if by not in ("platform", "post", "day", "week"):
        raise ValueError(f"by must be 'platform', 'post', 'day' or 'week', not {by!r}")
    selection = Selection.of(
        table, platform=platform, since=since, until=until, include=include, rate_by=rate_by,
        tz=tz,
    )
    if len(selection):
        selection.notes.append(selection.rate_note())
    title = f"Summary by {by}" + (f" on {platform}" if platform else "")
    if by == "post":
        return _per_post(selection, title)
    if by == "platform":
        followers = latest_account_values(table, "followers")
        out = selection.grouped(selection.frame.platform, list(selection.frame.platforms), by)
        for name in {p for p, _ in followers} - set(out["platform"]) - {None}:
            if platform is None or name == platform:  # accounts but no posts: still a row
                for column, values in out.items():
                    values.append({"platform": name, "posts": 0}.get(column))
        order = sorted(range(len(out["platform"])), key=lambda i: out["platform"][i])
        out = {name: [values[i] for i in order] for name, values in out.items()}
        return _platform_report(selection, out, followers, title)
    selection = selection.published_only()
    clock = LocalClock(tz)
    bucket: Callable[[int], date] = clock.day if by == "day" else clock.week
    periods = [bucket(t) for t in selection.published if t is not None]
    labels: list[Any] = sorted(set(periods))
    index = {label: i for i, label in enumerate(labels)}
    out = selection.grouped([index[p] for p in periods], labels, by)
    return Report(f"{title} ({clock.tz})", out, _RATE, selection.notes, _KINDS)


def _platform_report(
    selection: Selection,
    out: dict[str, list[Any]],
    followers: dict[tuple[str, str], float | None],
    title: str,
) -> Report:
    platforms = out["platform"]
    columns = {
        "platform": platforms,
        "posts": out["posts"],
        "followers": [_platform_total(followers, p) for p in platforms],
    }
    columns.update((k, v) for k, v in out.items() if k not in columns)
    return Report(title, columns, _RATE, selection.notes, _KINDS)


def _platform_total(values: dict[tuple[str, str], float | None], platform: str) -> float | None:
    """The sum over a platform's accounts; ``None`` if any is unknown or there are none."""
    found = [v for (p, _), v in values.items() if p == platform]
    if not found or any(v is None for v in found):
        return None
    return sum(v for v in found if v is not None)


def _per_post(selection: Selection, title: str) -> Report:
    """One row per post, newest first; posts without a publish time last, in table order."""
    latest_first = [float("-inf") if t is None else float(t) for t in selection.published]
    order = order_desc(vector(latest_first, like=selection.frame.platform))
    return Report(title, _post_columns(selection, order), _RATE, selection.notes, _KINDS)


def _post_columns(
    selection: Selection, order: Vector, *, extra: Sequence[str] = ()
) -> dict[str, list[Any]]:
    """Per-post columns, the posts at the positions ``order`` (a vector) in that order."""
    frame, published = selection.frame, selection.published
    platforms = decode(frame.platform, frame.platforms, order)
    ids = decode(frame.subject_id, frame.ids, order)
    columns: dict[str, list[Any]] = {
        "platform": platforms,
        "post_id": ids,
        "published_at": [_time(published[i]) for i in order]
        if any(t is not None for t in published)
        else [None] * len(order),
    }
    for name in ordered_names(frame.columns):
        columns[name] = optional(frame.columns[name], order)
    columns["engagements"] = optional(selection.engagements, order)
    columns["engagement_rate"] = optional(selection.rate, order)
    posts = selection.table._posts
    infos = [posts.get(key) for key in zip(platforms, ids, strict=True)] if extra else []
    if "text" in extra:
        columns["text"] = [_short(info.text) if info else "" for info in infos]
    if "url" in extra:
        columns["url"] = [info.url if info else None for info in infos]
    return columns


def _time(us: int | None) -> datetime | None:
    return None if us is None else from_us(us)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT else text[: _TEXT - 1] + "…"


def top_posts(
    table: Snapshots,
    n: int,
    by: str,
    *,
    platform: str | None,
    since: date | datetime | None,
    until: date | datetime | None,
    include: Sequence[str],
    rate_by: RateBase,
) -> Report:
    """See `MetricTable.top_posts`."""
    selection = Selection.of(
        table, platform=platform, since=since, until=until, include=include, rate_by=rate_by
    )
    if by == "engagements":
        score = selection.engagements
    elif by == "engagement_rate":
        score = selection.rate
    else:
        score = selection.frame.column(by)
    order = order_desc(score)[: max(n, 0)]
    columns = _post_columns(selection, order, extra=("text", "url"))
    ranked: dict[str, list[Any]] = {"rank": list(range(1, len(order) + 1))}
    for key in ("platform", "post_id", "published_at"):
        ranked[key] = columns.pop(key)
    ranked[by] = columns.pop(by) if by in columns else optional(score, order)
    ranked.update(columns)
    return Report(f"Top {n} posts by {by}", ranked, _RATE, selection.notes, _KINDS)


def compare_platforms(
    table: Snapshots,
    *,
    by: RateBase = "auto",
    include: Sequence[str] = DEFAULT_ENGAGEMENTS,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> Report:
    """Engagement rate per platform, best first, with the figures behind it.

    Columns: ``posts`` (all posts), ``rated_posts`` (posts reporting both
    engagements and ``by``), ``engagements`` and ``by`` summed over the rated
    posts, ``engagement_rate`` (their ratio), ``engagements_per_post`` (mean
    over the posts reporting engagements). Platforms with no rate come last.
    """
    selection = Selection.of(table, since=since, until=until, include=include, rate_by=by)
    labels = list(selection.frame.platforms)
    groups, n = selection.frame.platform, len(labels)
    sizes = group_size(groups, n)
    top, base = paired(selection.engagements, selection.base)
    top_sums, rated = group_sum(groups, n, top)
    base_sums, _ = group_sum(groups, n, base)
    all_sums, engaged = group_sum(groups, n, selection.engagements)

    def rate(g: int) -> float | None:
        return top_sums[g] / base_sums[g] if rated[g] and base_sums[g] else None

    live = [g for g in range(n) if sizes[g]]
    live.sort(key=lambda g: (rate(g) is None, -(rate(g) or 0.0), labels[g]))
    columns: dict[str, list[Any]] = {
        "platform": [labels[g] for g in live],
        "posts": [sizes[g] for g in live],
        "rated_posts": [rated[g] for g in live],
        "engagements": [top_sums[g] if rated[g] else None for g in live],
        **({"rate_base": [selection.bases[labels[g]] for g in live]} if by == "auto" else {}),
        ("base" if by == "auto" else by): [base_sums[g] if rated[g] else None for g in live],
        "engagement_rate": [rate(g) for g in live],
        "engagements_per_post": [all_sums[g] / engaged[g] if engaged[g] else None for g in live],
    }
    return Report(f"Engagement rate by {by}, per platform", columns, _RATE, selection.notes, _KINDS)
