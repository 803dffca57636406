"""Weibo's hourly request budget, read from ``2/account/rate_limit_status.json``.

Weibo sends no rate-limit headers. The budget is read once per hour of use and then
counted down locally, one per call, in the process-wide rate-limit state.
Source: https://open.weibo.com/wiki/2/account/rate_limit_status
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from ...platform import RateLimitInfo

__all__ = ["Budgets", "RateLimitStatus", "parse_status"]

STATUS_PATH = "/2/account/rate_limit_status.json"


@attrs.frozen
class RateLimitStatus:
    """What ``rate_limit_status`` said: the IP's and the user's hourly budget."""

    ip_limit: int | None
    remaining_ip_hits: int | None
    user_limit: int | None
    remaining_user_hits: int | None
    reset_at: datetime
    api_rate_limits: tuple[Mapping[str, Any], ...] = ()

    def info(self) -> RateLimitInfo:
        """The tighter of the two budgets, as rate-limit state."""
        pairs = [
            (remaining, limit)
            for remaining, limit in (
                (self.remaining_user_hits, self.user_limit),
                (self.remaining_ip_hits, self.ip_limit),
            )
            if remaining is not None
        ]
        remaining, limit = min(pairs, default=(None, None), key=lambda p: p[0] or 0)
        return RateLimitInfo(limit=limit, remaining=remaining, reset_at=self.reset_at)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def parse_status(body: Mapping[str, Any], now: datetime | None = None) -> RateLimitStatus:
    """``rate_limit_status.json``; the reset comes from ``reset_time_in_seconds``."""
    now = now or datetime.now(UTC)
    seconds = _int(body.get("reset_time_in_seconds"))
    reset_at = now + timedelta(seconds=seconds if seconds is not None else 3600)
    limits = body.get("api_rate_limits")
    return RateLimitStatus(
        ip_limit=_int(body.get("ip_limit")),
        remaining_ip_hits=_int(body.get("remaining_ip_hits")),
        user_limit=_int(body.get("user_limit")),
        remaining_user_hits=_int(body.get("remaining_user_hits")),
        reset_at=reset_at,
        api_rate_limits=tuple(x for x in limits if isinstance(x, Mapping))
        if isinstance(limits, list)
        else (),
    )


class Budgets:
    """The known hourly budget of each account, shared by every client in the process."""

    def __init__(self) -> None:
        self._state: dict[str, RateLimitInfo] = {}
        self._lock = threading.Lock()

    def set(self, key: str, info: RateLimitInfo) -> None:
        """Record what ``rate_limit_status`` said."""
        with self._lock:
            self._state[key] = info

    def fresh(self, key: str) -> bool:
        """Whether a budget is known and its hour has not ended."""
        info = self._state.get(key)
        return info is not None and info.reset_at is not None and info.reset_at > datetime.now(UTC)

    def spend(self, key: str) -> RateLimitInfo | None:
        """Count one call against a fresh budget; the budget after it (``None`` when unknown)."""
        with self._lock:
            info = self._state.get(key)
            if info is None or info.reset_at is None or info.reset_at <= datetime.now(UTC):
                return None
            if info.remaining is not None:
                info = attrs.evolve(info, remaining=max(0, info.remaining - 1))
                self._state[key] = info
            return info

    def clear(self) -> None:
        """Forget every budget."""
        with self._lock:
            self._state.clear()


BUDGETS = Budgets()
"""The process-wide Weibo budgets."""
