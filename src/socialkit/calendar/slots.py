"""Recurring posting slots: an RFC 5545 RRULE in a time zone.

The rule is expanded in local wall time (python-dateutil) and each occurrence is
then placed in the slot's zone (zoneinfo), so "every Monday at 09:00" in
``Europe/Berlin`` is 09:00 local in winter and in summer alike: 08:00 UTC in
winter, 07:00 UTC in summer. A wall time that does not exist on the day clocks
go forward moves forward by the gap; one that exists twice when they go back is
its first occurrence (RFC 5545, section 3.3.5).

```python
slot = Slot("FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0", tz="Europe/Berlin")
slot.next(after=datetime(2025, 3, 28, tzinfo=UTC))
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from .._records import Record
from ..errors import ConfigError
from ._time import localize, zone

if TYPE_CHECKING:
    from dateutil import rrule as du_rrule

__all__ = ["Slot"]

_EPOCH_START = datetime(2000, 1, 3)  # a Monday at midnight


def _rule_text(rule: str) -> str:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if "\n" in text or "DTSTART" in text.upper():
        raise ConfigError(
            "give the slot's rule as one RRULE (FREQ=...;...); its start is the start= argument",
            field="rrule",
        )
    return text


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class Slot(Record):
    """A recurring time at which the calendar may post to some targets.

    Attributes:
        rrule: The recurrence (``"FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"``; an
            ``RRULE:`` prefix is accepted).
        tz: The IANA time zone the rule is read in.
        start: The rule's DTSTART as a naive local wall time; times of day the rule
            does not set (BYHOUR, BYMINUTE, BYSECOND) come from it.
        targets: The targets the slot is for; empty for any target.
        label: A name for people (``"morning post"``).
        id: The slot's id in its calendar, once stored.
    """

    rrule: str = attrs.field(converter=_rule_text)
    tz: str = "UTC"
    start: datetime = _EPOCH_START
    targets: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    label: str = ""
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        zone(self.tz)
        if self.start.tzinfo is not None:
            raise ConfigError("a slot's start is a naive local wall time", field="start")
        self._rule()

    def _rule(self) -> du_rrule.rrule:
        try:
            from dateutil import rrule as du_rrule
        except ImportError:  # pragma: no cover - python-dateutil ships with the calendar extra
            raise ConfigError(
                "recurring slots need python-dateutil: pip install 'socialkit[calendar]'"
            ) from None
        try:
            parsed = du_rrule.rrulestr(self.rrule, dtstart=self.start, forceset=False)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"invalid RRULE {self.rrule!r}: {exc}", field="rrule") from None
        if not isinstance(parsed, du_rrule.rrule):
            raise ConfigError(f"invalid RRULE {self.rrule!r}", field="rrule")
        return parsed

    def covers(self, targets: Iterable[str]) -> bool:
        """Whether the slot may be used for all of ``targets``."""
        return not self.targets or set(targets) <= set(self.targets)

    def occurrences(
        self, after: datetime, until: datetime | None = None, *, inclusive: bool = True
    ) -> Iterator[datetime]:
        """Aware occurrences (in the slot's zone) from ``after`` on, up to ``until``."""
        tz = zone(self.tz)
        # Start a day early in wall time: the offset at ``after`` may differ from the slot's.
        local_after = after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
        for wall in self._rule().xafter(local_after, inc=True):
            at = localize(wall, tz)
            if until is not None and at > until:
                return
            if at > after or (inclusive and at == after):
                yield at

    def next(self, after: datetime, *, inclusive: bool = True) -> datetime | None:
        """The first occurrence at or after ``after`` (``None`` when the rule has ended)."""
        return next(self.occurrences(after, inclusive=inclusive), None)
