"""The datacube statistics: date windows, and WeChat's figures as `Metric`s.

Each datacube API takes ``begin_date``/``end_date`` (Beijing dates, ``YYYY-MM-DD``, up to
yesterday) spanning at most a few days: user summary and cumulate 7, user read 3, user
share 7, article summary and total 1. Longer periods are split into such windows.
Sources: https://developers.weixin.qq.com/doc/offiaccount/Analytics/User_Analysis_Data_Interface.html
and .../Analytics/Graphic_Analysis_Data_Interface.html.

Article statistics: ``getarticletotal`` (图文群发总数据) covers mass-sent (群发) articles only
and is no longer maintained; ``getarticletotaldetail`` (获取发表内容发表详细数据,
https://developers.weixin.qq.com/doc/subscription/api/wedata/news/api_getarticletotaldetail)
covers everything published (发表: ``publish_type`` 0 notified, 1 published without
notification, as ``freepublish`` does), by publish date, with each ``detail_list`` entry the
sum from the publish date to its ``stat_date`` (at most 30 days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ...models import Metric
from .errors import BEIJING

__all__ = [
    "ACCOUNT_SOURCES",
    "ARTICLE_FIELDS",
    "PUBLISHED_FIELDS",
    "account_metrics",
    "article_metrics",
    "day_bounds",
    "period",
    "windows",
]

PLATFORM = "wechat"
ALL_SOURCES = 99999999  # getuserread's "every source" total

ACCOUNT_SOURCES: dict[str, tuple[int, dict[str, str]]] = {
    "getusersummary": (7, {"new_user": "new_followers", "cancel_user": "lost_followers"}),
    "getusercumulate": (7, {"cumulate_user": "followers"}),
    "getuserread": (
        3,
        {
            "int_page_read_count": "views",
            "int_page_read_user": "reach",
            "ori_page_read_count": "clicks",
            "add_to_fav_count": "saves",
        },
    ),
    "getusershare": (7, {"share_count": "shares"}),
}
"""Each account API: its longest window in days and its fields → normalised names."""

ARTICLE_FIELDS = {
    "int_page_read_count": "views",
    "int_page_read_user": "reach",
    "share_count": "shares",
    "add_to_fav_count": "saves",
    "ori_page_read_count": "clicks",
    "target_user": "delivered",
}
"""Article figures → normalised names (reads → views, add-to-favourites → saves)."""

PUBLISHED_FIELDS = {
    "read_user": "reach",
    "share_user": "shares",
    "like_user": "likes",
    "zaikan_user": "hearts",
    "comment_count": "comments",
    "collection_user": "saves",
}
"""``getarticletotaldetail`` figures → normalised names: readers (阅读人数) → reach, people
who shared (分享人数) → shares, thumb likes (拇指赞) → likes, heart likes (爱心赞, formerly
在看) → hearts, comments, people who saved (收藏人数) → saves."""


def period(
    since: datetime | None, until: datetime | None, now: datetime | None = None
) -> tuple[date, date]:
    """The Beijing dates to ask for: up to yesterday, the last 7 days by default."""
    yesterday = (now or datetime.now(UTC)).astimezone(BEIJING).date() - timedelta(days=1)
    end = min(until.astimezone(BEIJING).date(), yesterday) if until else yesterday
    start = since.astimezone(BEIJING).date() if since else end - timedelta(days=6)
    return start, end


def windows(start: date, end: date, days: int) -> list[tuple[date, date]]:
    """``[start, end]`` cut into consecutive windows of at most ``days`` days."""
    found = []
    while start <= end:
        last = min(end, start + timedelta(days=days - 1))
        found.append((start, last))
        start = last + timedelta(days=1)
    return found


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A Beijing day as its UTC start and end."""
    start = datetime.combine(day, time(), BEIJING)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def account_metrics(api: str, rows: Iterable[Mapping[str, Any]], app_id: str) -> list[Metric]:
    """Daily account metrics from one API's ``list``, summed over sources and scenes."""
    _, fields = ACCOUNT_SOURCES[api]
    by_day: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_day[str(row["ref_date"])].append(row)
    metrics = []
    for ref_date, day_rows in sorted(by_day.items()):
        totals = [r for r in day_rows if r.get("user_source") == ALL_SOURCES] or day_rows
        start, end = day_bounds(date.fromisoformat(ref_date))
        for native, name in fields.items():
            values = [v for v in (_number(r.get(native)) for r in totals) if v is not None]
            metrics.append(
                Metric(
                    platform=PLATFORM,
                    subject="account",
                    subject_id=app_id,
                    name=name,
                    value=sum(values) if values else None,
                    period="day",
                    start=start,
                    end=end,
                    native_name=native,
                )
            )
    return metrics


def article_metrics(
    figures: Mapping[str, Any],
    subject_id: str,
    *,
    per: str,
    day: date,
    names: Mapping[str, str] = ARTICLE_FIELDS,
) -> list[Metric]:
    """One article's figures (a ``getarticlesummary`` row, a ``getarticletotal`` detail, or
    with ``names=PUBLISHED_FIELDS`` a ``getarticletotaldetail`` detail).

    ``per="day"`` for one day's figures, ``"lifetime"`` for totals up to ``day``.
    """
    start, end = day_bounds(day)
    return [
        Metric(
            platform=PLATFORM,
            subject="post",
            subject_id=subject_id,
            name=name,
            value=_number(figures.get(native)),
            period=per,
            start=start if per == "day" else None,
            end=end,
            native_name=native,
        )
        for native, name in names.items()
        if native in figures
    ]
