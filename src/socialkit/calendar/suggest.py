"""Posting-time suggestions from past engagement, computed by `socialkit.metrics.best_times`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .._records import Record
from ..errors import ParseError
from ..models import Post
from .slots import Slot

__all__ = ["SlotSuggestion", "suggest_slots"]

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _weekday(value: Any) -> int:
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    if isinstance(value, str) and value[:2].upper() in _DAYS:
        return _DAYS.index(value[:2].upper())
    raise ParseError(f"best_times gave an unreadable weekday: {value!r}")


@attrs.frozen
class SlotSuggestion(Record):
    """A weekly time that did well, with its score (higher is better)."""

    weekday: int = attrs.field(converter=_weekday)
    hour: int
    minute: int = 0
    tz: str = "UTC"
    score: float | None = None

    @property
    def rrule(self) -> str:
        """The suggestion as a weekly RRULE."""
        return (
            f"FREQ=WEEKLY;BYDAY={_DAYS[self.weekday]};BYHOUR={self.hour};"
            f"BYMINUTE={self.minute};BYSECOND=0"
        )

    def slot(self, targets: Iterable[str] = (), label: str = "") -> Slot:
        """A `Slot` for it (add it with ``calendar.add_slot(s.rrule, tz=s.tz)``)."""
        return Slot(self.rrule, self.tz, targets=tuple(targets), label=label)

    def __str__(self) -> str:
        score = f" (score {self.score:.3g})" if self.score is not None else ""
        return f"{_DAYS[self.weekday]} {self.hour:02d}:{self.minute:02d} {self.tz}{score}"


def suggest_slots(
    posts: Iterable[Post], *, tz: str = "UTC", top: int = 3, **options: Any
) -> list[SlotSuggestion]:
    """The ``top`` weekly times with the best engagement in ``posts``, in ``tz``.

    Uses [`socialkit.metrics.best_times`][socialkit.metrics.best_times]; ``options``
    go to it (``metric``, ``rate_by``, ``platform``, ...).
    """
    from ..metrics import best_times

    found = best_times(list(posts), tz=tz, **options).top(top)
    return [SlotSuggestion(slot.weekday, slot.hour, 0, tz, slot.value) for slot in found]
