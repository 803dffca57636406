"""Time as the library reads it: a `Clock` (now, monotonic time, sleeping) and the
arithmetic that turns a server's untrusted time figures into bounded delays.

The drivers, paginators, calendar, inbox and bots read time through a `Clock`;
the default is `SYSTEM_CLOCK` (the real one), and ``socialkit.testing.FakeClock``
lets a test run a week of a bot in a second without patching `time`.

A rate-limit header is a number a server (or a proxy, or an attacker) chose: it
may be ``nan``, ``1e400``, a date in the year 9999 or one in the past. `delay_from`
reads every such figure into a finite number of seconds within ``[0, cap]``, or
``None`` when it is not a time at all, so no header can overflow a datetime or
poison the process-wide rate-limit state.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, Protocol, runtime_checkable

import anyio

__all__ = [
    "MAX_DELAY",
    "SYSTEM_CLOCK",
    "Clock",
    "SystemClock",
    "TimeKind",
    "delay_from",
    "require_aware",
    "reset_from",
]

MAX_DELAY = 86400.0
"""The longest delay any header is believed to mean (a day: X's and LinkedIn's daily caps)."""

TimeKind = Literal["seconds", "epoch", "epoch_ms", "http_date", "retry_after", "iso"]
"""How a header gives a time: seconds from now, Unix seconds or milliseconds, an HTTP date,
a ``Retry-After`` value (seconds or an HTTP date), or ISO 8601."""


@runtime_checkable
class Clock(Protocol):
    """Where the library gets the time and how it waits."""

    def now(self) -> datetime:
        """The current time, aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for deadlines and elapsed times)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds``."""
        ...

    async def asleep(self, seconds: float) -> None:
        """Wait ``seconds`` without blocking the event loop."""
        ...


class SystemClock:
    """The real clock: `time.time`, `time.monotonic`, `time.sleep`, `anyio.sleep`."""

    def now(self) -> datetime:
        """The current time, aware UTC."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """`time.monotonic`."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """`time.sleep`."""
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        """`anyio.sleep`."""
        await anyio.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


SYSTEM_CLOCK = SystemClock()
"""The default clock of every driver and helper."""


def delay_from(
    value: str | float | int | None,
    kind: TimeKind = "seconds",
    *,
    now: datetime | None = None,
    cap: float = MAX_DELAY,
) -> float | None:
    """Seconds from ``now`` until the time ``value`` names, within ``[0, cap]``.

    ``kind`` says how to read it: ``"seconds"`` (a delta), ``"epoch"`` /
    ``"epoch_ms"`` (a Unix time), ``"http_date"``, ``"iso"`` (ISO 8601), or
    ``"retry_after"`` (delta seconds or an HTTP date, as ``Retry-After`` allows).
    A time in the past is ``0.0``; a figure beyond ``cap`` is ``cap``; anything that
    is not a finite time (``nan``, ``inf``, garbage, an empty header) is ``None``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    current = now or datetime.now(UTC)
    seconds: float | None
    if kind in ("http_date", "iso") or (kind == "retry_after" and not _is_number(value)):
        seconds = _date_delta(str(value), kind, current)
    else:
        number = _number(value)
        if number is None:
            return None
        if kind == "epoch_ms":
            number /= 1000.0
        seconds = number - current.timestamp() if kind in ("epoch", "epoch_ms") else number
    if seconds is None or math.isnan(seconds):
        return None
    return min(max(0.0, seconds), cap)


def reset_from(
    value: str | float | int | None,
    kind: TimeKind = "epoch",
    *,
    now: datetime | None = None,
    cap: float = MAX_DELAY,
) -> datetime | None:
    """The reset time (aware UTC) ``value`` names, at most ``cap`` seconds ahead, or ``None``."""
    current = now or datetime.now(UTC)
    seconds = delay_from(value, kind, now=current, cap=cap)
    return None if seconds is None else datetime.fromtimestamp(current.timestamp() + seconds, UTC)


def _is_number(value: str | float | int) -> bool:
    return _number(value) is not None


def _number(value: str | float | int) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return None if math.isnan(number) else number  # +-inf stays: it clamps to 0 or the cap


def _date_delta(value: str, kind: TimeKind, now: datetime) -> float | None:
    try:
        when = datetime.fromisoformat(value) if kind == "iso" else parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return (when - now).total_seconds()
    except OverflowError:  # pragma: no cover - timedelta spans every datetime pair
        return None


def require_aware(moment: datetime | None, name: str = "since") -> datetime | None:
    """``moment`` if it is a timezone-aware datetime (or ``None``); else `ValueError`.

    The one rule for times given to socialkit: an instant carries its zone. A naive
    datetime would be read as UTC by one platform and as local time by another.
    """
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        raise ValueError(f"{name} must be a timezone-aware datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{name}={moment.isoformat()} is naive: give a timezone-aware datetime "
            "(datetime(..., tzinfo=UTC) or ZoneInfo)"
        )
    return moment
