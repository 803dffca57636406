"""Posting rules, checked when an entry is scheduled and again when it is dispatched.

- **minimum gap**: the least time between two posts of one account (target);
- **daily caps**: the most posts one account may publish in any rolling 24 hours,
  per platform (the platforms enforce these on their publish endpoints);
- **blackout windows**: times when nothing (or nothing for some targets) goes out.

At scheduling a broken rule raises `ScheduleConflict` (unless forced); at
dispatch the delivery is deferred to the first time the rules allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from .._records import Record
from ..errors import SocialkitError

__all__ = [
    "DEFAULT_DAILY_CAPS",
    "Blackout",
    "Planned",
    "Rules",
    "ScheduleConflict",
    "Violation",
]

DAY = timedelta(hours=24)

DEFAULT_DAILY_CAPS: Mapping[str, int] = MappingProxyType(
    {
        # "Instagram accounts are limited to 100 API-published posts within a 24-hour
        # moving period" (Content Publishing guide; GET /<IG_ID>/content_publishing_limit
        # reports the account's own quota_total, older accounts showed 50).
        "instagram": 100,
        # "Threads profiles are limited to 250 API-published posts within a 24-hour
        # moving period" (Threads API overview; replies have their own 1,000).
        "threads": 250,
        # X's account limit: 2,400 posts per day, replies included (help.x.com, "X limits").
        "x": 2400,
    }
)
"""Posts per account per rolling 24 hours, by platform. Override with ``Rules(daily_caps=...)``."""


@attrs.frozen
class Violation(Record):
    """One broken rule: which entry and target, at what time, and until when it holds.

    Attributes:
        rule: ``"min_gap"``, ``"daily_cap"`` or ``"blackout"``.
        message: The rule and the numbers, in words.
        entry_id: The entry that breaks it (``None`` for a time being tried).
        target: The account concerned.
        at: The planned time.
        allowed_at: The earliest time the rule allows, when known.
        other_id: The entry it clashes with, for ``min_gap``.
    """

    rule: str
    message: str
    entry_id: int | None
    target: str
    at: datetime
    allowed_at: datetime | None = None
    other_id: int | None = None

    def __str__(self) -> str:
        return self.message


class ScheduleConflict(SocialkitError):
    """Scheduling an entry would break the calendar's rules.

    Attributes:
        violations: Every rule broken.
    """

    def __init__(self, violations: list[Violation]) -> None:
        listed = "; ".join(v.message for v in violations)
        super().__init__(
            f"the entry breaks the calendar's rules: {listed} (force=True to override)"
        )
        self.violations = violations


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _windows(values: Iterable[Blackout]) -> tuple[Blackout, ...]:
    return tuple(values)


@attrs.frozen
class Planned:
    """A post as the rules see it: an entry's target at a time, on a platform."""

    entry_id: int | None
    target: str
    at: datetime
    platform: str | None = None


@attrs.frozen
class Blackout(Record):
    """A window in which nothing goes out (for ``targets``, or for every target when empty)."""

    start: datetime
    end: datetime
    reason: str = ""
    targets: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def covers(self, target: str, at: datetime) -> bool:
        """Whether a post to ``target`` at ``at`` falls inside the window."""
        applies = not self.targets or target in self.targets
        return applies and self.start <= at < self.end

    def to_json(self) -> dict[str, Any]:
        """The window as JSON data."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "reason": self.reason,
            "targets": list(self.targets),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Blackout:
        """The window `to_json` wrote."""
        return cls(
            datetime.fromisoformat(data["start"]),
            datetime.fromisoformat(data["end"]),
            data.get("reason", ""),
            tuple(data.get("targets", ())),
        )


def _seconds(value: timedelta) -> float:
    return value.total_seconds()


@attrs.frozen
class Rules(Record):
    """The calendar's posting rules.

    Attributes:
        min_gap: The least time between two posts of one target.
        min_gap_for: Per target or platform name, a gap that replaces ``min_gap``
            (a target's wins over its platform's).
        daily_caps: Posts per target per rolling 24 hours, by platform name.
        blackouts: Windows in which nothing goes out.
    """

    min_gap: timedelta = timedelta(0)
    min_gap_for: Mapping[str, timedelta] = attrs.field(factory=dict)
    daily_caps: Mapping[str, int] = attrs.field(factory=lambda: dict(DEFAULT_DAILY_CAPS))
    blackouts: tuple[Blackout, ...] = attrs.field(default=(), converter=_windows)

    def gap(self, target: str, platform: str | None) -> timedelta:
        """The minimum gap that applies to ``target``."""
        for key in (target, platform):
            if key is not None and key in self.min_gap_for:
                return self.min_gap_for[key]
        return self.min_gap

    @property
    def horizon(self) -> timedelta:
        """How far apart two posts can be and still affect each other under these rules."""
        gaps = [self.min_gap, *self.min_gap_for.values()]
        return max([*gaps, DAY if self.daily_caps else timedelta(0)])

    def cap(self, platform: str | None) -> int | None:
        """The daily cap of ``platform``, if it has one."""
        return self.daily_caps.get(platform) if platform is not None else None

    # -- checking ----------------------------------------------------------------------------

    def check(self, item: Planned, others: Iterable[Planned]) -> list[Violation]:
        """The rules ``item`` breaks, given the other posts planned or made."""
        same = [o for o in others if o.target == item.target and o.entry_id != item.entry_id]
        found: list[Violation] = []
        for window in self.blackouts:
            if window.covers(item.target, item.at):
                why = f" ({window.reason})" if window.reason else ""
                found.append(
                    Violation(
                        "blackout",
                        f"{item.target} at {item.at.isoformat()} is in a blackout window{why}",
                        entry_id=item.entry_id,
                        target=item.target,
                        at=item.at,
                        allowed_at=window.end,
                    )
                )
        gap = self.gap(item.target, item.platform)
        if gap > timedelta(0):
            for other in same:
                if abs(other.at - item.at) < gap:
                    found.append(
                        Violation(
                            "min_gap",
                            f"{item.target} posts at {item.at.isoformat()} and "
                            f"{other.at.isoformat()}, less than {gap} apart",
                            entry_id=item.entry_id,
                            target=item.target,
                            at=item.at,
                            allowed_at=max(item.at, other.at + gap),
                            other_id=other.entry_id,
                        )
                    )
        cap = self.cap(item.platform)
        if cap is not None:
            found.extend(self._cap_violation(item, same, cap))
        return found

    def _cap_violation(self, item: Planned, same: list[Planned], cap: int) -> list[Violation]:
        times = sorted(o.at for o in same if abs(o.at - item.at) < DAY)
        for start in [t for t in times if t <= item.at] + [item.at]:
            window = [t for t in times if start <= t < start + DAY]
            if start <= item.at < start + DAY and len(window) >= cap:
                earlier = sorted(t for t in times if t <= item.at)
                allowed = earlier[-cap] + DAY if len(earlier) >= cap else None
                return [
                    Violation(
                        "daily_cap",
                        f"{item.target} would publish more than {cap} posts in 24 hours "
                        f"({item.platform}'s limit)",
                        entry_id=item.entry_id,
                        target=item.target,
                        at=item.at,
                        allowed_at=allowed,
                    )
                ]
        return []

    def conflicts(self, items: Iterable[Planned]) -> list[Violation]:
        """Every rule broken among ``items``, each reported once per entry and target."""
        planned = list(items)
        found: list[Violation] = []
        for item in planned:
            for violation in self.check(item, planned):
                if violation not in found:
                    found.append(violation)
        return found

    def earliest(self, item: Planned, done: Iterable[Planned]) -> datetime:
        """The first time at or after ``item.at`` that the rules allow, given posts ``done``."""
        at = item.at
        history = list(done)
        for _ in range(1000):  # each round moves forward; a rule set always settles
            broken = self.check(attrs.evolve(item, at=at), history)
            later = [v.allowed_at for v in broken if v.allowed_at is not None and v.allowed_at > at]
            if not broken or not later:
                return at
            at = max(later)
        return at

    # -- storage -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The rules as JSON data."""
        return {
            "min_gap": _seconds(self.min_gap),
            "min_gap_for": {k: _seconds(v) for k, v in self.min_gap_for.items()},
            "daily_caps": dict(self.daily_caps),
            "blackouts": [b.to_json() for b in self.blackouts],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rules:
        """The rules `to_json` wrote."""
        return cls(
            min_gap=timedelta(seconds=data.get("min_gap", 0)),
            min_gap_for={k: timedelta(seconds=v) for k, v in data.get("min_gap_for", {}).items()},
            daily_caps=dict(data.get("daily_caps", DEFAULT_DAILY_CAPS)),
            blackouts=tuple(Blackout.from_json(b) for b in data.get("blackouts", ())),
        )
