"""Meta's usage headers turned into rate-limit state that backs off *before* Meta blocks.

``X-App-Usage`` and ``X-Page-Usage`` hold ``{"call_count", "total_cputime", "total_time"}``
as percentages of the budget; ``X-Business-Use-Case-Usage`` holds the same per business
object and use case, plus ``estimated_time_to_regain_access`` in minutes. (Graph API
"Rate Limits" reference.) The busiest figure of all of them is the usage.

At ``threshold`` percent or more, or whenever Meta estimates a time to regain access, the
bucket is reported exhausted (``remaining=0``) until a reset: the estimate, or ``cooldown``
seconds when Meta gives none. The drivers then wait for the reset, or raise `RateLimited`
in ``"raise"`` mode or when the reset is beyond their cap. ``limit`` and ``remaining`` are
percentage points, since Meta reports no call counts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from ...clock import delay_from
from ...platform import RateLimitInfo

__all__ = ["USAGE_HEADERS", "Usage", "read_usage", "usage_limit"]

USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage")
_FIGURES = ("call_count", "total_cputime", "total_time")


@attrs.frozen
class Usage:
    """The busiest figure in a response's usage headers.

    Attributes:
        percent: The highest of ``call_count``, ``total_cputime`` and ``total_time``.
        regain: Seconds until Meta expects access again, when it says (and it is above 0).
    """

    percent: float
    regain: float | None = None


def read_usage(headers: Mapping[str, str]) -> Usage | None:
    """The usage the headers report, or ``None`` when they report none (or only garbage)."""
    entries: list[Mapping[str, Any]] = []
    for name in USAGE_HEADERS:
        value = headers.get(name)
        if value:
            entries.extend(_entries(value))
    figures = [n for entry in entries for n in (_number(entry.get(f)) for f in _FIGURES)]
    known = [n for n in figures if n is not None]
    if not known:
        return None
    minutes = [_number(entry.get("estimated_time_to_regain_access")) for entry in entries]
    regain = max((m for m in minutes if m and not math.isnan(m)), default=None)
    return Usage(percent=max(known), regain=delay_from(regain * 60) if regain else None)


def usage_limit(
    usage: Usage, *, threshold: float, cooldown: float, now: datetime | None = None
) -> RateLimitInfo:
    """Rate-limit state for a usage: exhausted from ``threshold`` percent or a regain estimate."""
    if usage.regain or usage.percent >= threshold:
        wait = usage.regain or cooldown
        reset = (now or datetime.now(UTC)) + timedelta(seconds=wait)
        return RateLimitInfo(limit=100, remaining=0, reset_at=reset)
    return RateLimitInfo(limit=100, remaining=max(0, math.floor(100 - usage.percent)))


def _entries(value: str) -> Iterable[Mapping[str, Any]]:
    """The usage objects of one header: the object itself, or (BUC) every object per id."""
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return []
    if not isinstance(data, Mapping):
        return []
    if any(figure in data for figure in _FIGURES):
        return [data]
    nested = [item for group in data.values() if isinstance(group, list) for item in group]
    return [item for item in nested if isinstance(item, Mapping)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
