"""Insights responses as `Metric` records, for Pages, Instagram and Threads alike.

Each entry of ``data`` is a metric: ``{"name", "period", "values": [{"value", "end_time"}]}``
(one record per value: a lifetime figure or a day of a series) or ``{"name", "period",
"total_value": {"value"}}`` (one figure for the whole requested range). A value that is an
object (reactions by type, clicks by link) counts as the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from ...models import Metric
from .parse import parse_time

__all__ = ["metrics", "total"]

_PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7), "days_28": timedelta(days=28)}


def metrics(
    payload: Any,
    *,
    platform: str,
    subject: Literal["post", "account"],
    subject_id: str,
    names: Mapping[str, str],
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Metric]:
    """The metrics in an insights payload; ``names`` maps native names to normalised ones."""
    entries = payload.get("data") if isinstance(payload, Mapping) else None
    found: list[Metric] = []
    for entry in entries if isinstance(entries, Sequence) else ():
        if not isinstance(entry, Mapping) or not entry.get("name"):
            continue
        native = str(entry["name"])
        period = str(entry.get("period") or "lifetime")
        base: dict[str, Any] = {
            "platform": platform,
            "subject": subject,
            "subject_id": subject_id,
            "name": names.get(native, native),
            "native_name": native,
            "period": period,
        }
        if isinstance(entry.get("total_value"), Mapping):
            found.append(Metric(value=total(entry["total_value"]), start=since, end=until, **base))
            continue
        values = entry.get("values")
        points = [v for v in values if isinstance(v, Mapping)] if isinstance(values, list) else []
        for point in points or [{}]:
            end = parse_time(point.get("end_time"))
            length = _PERIODS.get(period)
            start = end - length if end is not None and length is not None else None
            found.append(Metric(value=total(point.get("value")), start=start, end=end, **base))
    return found


def total(value: Any) -> int | float | None:
    """A metric value as one number: objects and lists of parts are summed; null stays null.

    ``{"value": n}`` is ``n``; ``{"like": 3, "love": 1}`` is 4; ``{"link_total_values":
    [{"value": 2}, {"value": 5}]}`` is 7.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, Mapping):
        if "value" in value:
            return total(value["value"])
        parts = [total(part) for part in value.values()]
    elif isinstance(value, list):
        parts = [total(part) for part in value]
    else:
        return None
    numbers = [part for part in parts if part is not None]
    return sum(numbers) if numbers else None
