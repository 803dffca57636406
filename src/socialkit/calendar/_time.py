"""Time zones and instants as the calendar stores them (UTC epoch seconds)."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError

__all__ = ["aware", "from_epoch", "localize", "now_utc", "to_epoch", "zone", "zone_name"]


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``"Europe/Berlin"``); `ConfigError` when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r}", field="tz") from None


def zone_name(value: tzinfo | None) -> str | None:
    """The IANA name of a zone, or ``None`` when it has none (a fixed offset)."""
    if isinstance(value, ZoneInfo):
        return value.key
    if value is UTC:
        return "UTC"
    return None


def localize(wall: datetime, tz: ZoneInfo) -> datetime:
    """A naive local wall time in ``tz`` as an aware datetime, RFC 5545 style.

    An ambiguous time (the hour repeated when clocks go back) is its first
    occurrence; a time that does not exist (skipped when clocks go forward) is
    read with the offset before the gap, i.e. moved forward by the gap.
    """
    first = wall.replace(tzinfo=tz, fold=0)
    return first.astimezone(UTC).astimezone(tz)


def aware(at: datetime | date, tz: str | None, *, what: str = "at") -> datetime:
    """``at`` as an aware datetime: a naive one is read in ``tz``, which is then required.

    Raises:
        ConfigError: ``at`` is naive and no ``tz`` was given.
    """
    if not isinstance(at, datetime):
        at = datetime(at.year, at.month, at.day)
    if at.tzinfo is not None and at.utcoffset() is not None:
        return at.astimezone(zone(tz)) if tz else at
    if tz is None:
        raise ConfigError(
            f"{what}={at.isoformat()} has no time zone: pass an aware datetime or tz='Area/City'",
            field=what,
        )
    return localize(at, zone(tz))


def to_epoch(at: datetime) -> float:
    """Seconds since the epoch of an aware datetime."""
    return at.timestamp()


def from_epoch(seconds: float, tz: tzinfo = UTC) -> datetime:
    """The aware datetime of an epoch timestamp, in ``tz``."""
    return datetime.fromtimestamp(seconds, tz)


def now_utc() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)
