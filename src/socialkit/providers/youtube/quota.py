"""YouTube's daily quota as rate-limit state: what each request costs, what is left.

Every Data API request costs units of its method (`QUOTA_COSTS`), drawn from a daily
bucket (`QUOTA_POOLS`, `DAILY_QUOTA`) that resets at midnight Pacific Time. A
`QuotaTally` counts the units spent by each response the driver receives (invalid
requests cost too) and reports the bucket as `RateLimitInfo`, so the driver refuses a
call on an empty bucket before sending it. Tallies are kept per Google Cloud project
(quota belongs to the project) in `QUOTAS`, shared by every client of the process.

Reference: https://developers.google.com/youtube/v3/determine_quota_cost
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ...platform import RateLimitInfo

__all__ = [
    "PACIFIC",
    "QUOTAS",
    "QuotaLedger",
    "QuotaTally",
    "method_of",
    "next_reset",
]

PACIFIC = ZoneInfo("America/Los_Angeles")

# (HTTP method, path below /youtube/v3/) -> the Data API method; uploads are under /upload.
_METHODS: Mapping[tuple[str, str], str] = {
    ("GET", "channels"): "channels.list",
    ("GET", "commentThreads"): "commentThreads.list",
    ("POST", "commentThreads"): "commentThreads.insert",
    ("GET", "comments"): "comments.list",
    ("POST", "comments"): "comments.insert",
    ("DELETE", "comments"): "comments.delete",
    ("POST", "comments/setModerationStatus"): "comments.setModerationStatus",
    ("GET", "playlistItems"): "playlistItems.list",
    ("GET", "search"): "search.list",
    ("GET", "videos"): "videos.list",
    ("PUT", "videos"): "videos.update",
    ("DELETE", "videos"): "videos.delete",
    ("POST", "videos/rate"): "videos.rate",
    ("POST", "upload:videos"): "videos.insert",
    ("POST", "upload:thumbnails/set"): "thumbnails.set",
}


def method_of(http_method: str, path: str) -> str | None:
    """The Data API method of a request, or ``None`` for requests that cost nothing by
    themselves (upload chunks and status queries belong to their ``videos.insert``)."""
    marker = "/youtube/v3/"
    at = path.find(marker)
    if at < 0:
        return None
    rest = path[at + len(marker):].strip("/")
    if path[:at].endswith("/upload"):
        rest = "upload:" + rest
    return _METHODS.get((http_method.upper(), rest))


def next_reset(now: datetime | None = None) -> datetime:
    """The next midnight in Pacific Time (when daily quotas reset), in UTC."""
    local = (now or datetime.now(UTC)).astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=PACIFIC)
    return midnight.astimezone(UTC)


def _today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(PACIFIC).date()


class QuotaTally:
    """Units spent per bucket today (Pacific Time) by one project."""

    def __init__(self) -> None:
        self.day = _today()
        self.spent: dict[str, int] = {}
        self._lock = threading.Lock()

    def _roll(self, now: datetime | None) -> None:
        today = _today(now)
        if today != self.day:
            self.day, self.spent = today, {}

    def spend(self, pool: str, units: int, now: datetime | None = None) -> int:
        """Add ``units`` to ``pool``; return the pool's total for today."""
        with self._lock:
            self._roll(now)
            self.spent[pool] = self.spent.get(pool, 0) + units
            return self.spent[pool]

    def exhaust(self, pool: str, budget: int, now: datetime | None = None) -> None:
        """Record that YouTube said the pool is empty (``quotaExceeded``)."""
        with self._lock:
            self._roll(now)
            self.spent[pool] = max(self.spent.get(pool, 0), budget)

    def used(self, pool: str, now: datetime | None = None) -> int:
        """Units spent from ``pool`` today."""
        with self._lock:
            self._roll(now)
            return self.spent.get(pool, 0)

    def info(self, pool: str, budget: int, now: datetime | None = None) -> RateLimitInfo:
        """The pool as rate-limit state: the budget, what is left, the next reset."""
        left = max(0, budget - self.used(pool, now))
        return RateLimitInfo(limit=budget, remaining=left, reset_at=next_reset(now), bucket=pool)


class QuotaLedger:
    """The tallies of every project in the process."""

    def __init__(self) -> None:
        self._tallies: dict[str, QuotaTally] = {}
        self._lock = threading.Lock()

    def tally(self, project: str) -> QuotaTally:
        """The tally of one project (created empty)."""
        with self._lock:
            return self._tallies.setdefault(project, QuotaTally())

    def clear(self) -> None:
        """Forget every tally."""
        with self._lock:
            self._tallies.clear()


QUOTAS = QuotaLedger()
"""The process-wide quota tallies, keyed by project."""
