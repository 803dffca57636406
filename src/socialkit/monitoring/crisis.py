"""Crisis mode: pause the content calendar when a crisis alert fires, resume when resolved.

`CrisisPolicy` is an alert handler. It needs nothing from `socialkit.calendar`:
any object with ``pause(reason, until=None)`` and ``resume()`` will do (the
calendar's `Calendar` has both), and without a calendar it only records.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Protocol, cast, runtime_checkable

import attrs

from .._records import Record
from ..errors import ConfigError
from .alerts import Alert, Severity
from .spikes import SpikeKind

__all__ = ["Crisis", "CrisisPolicy", "Pausable"]

logger = logging.getLogger("socialkit.monitoring")
_CRISIS: tuple[Severity, ...] = ("crisis",)


@runtime_checkable
class Pausable(Protocol):
    """What crisis mode needs of a calendar."""

    def pause(self, reason: str, until: datetime | None = None) -> object:
        """Stop publishing."""
        ...

    def resume(self) -> object:
        """Publish again."""
        ...


@attrs.frozen
class Crisis(Record):
    """One crisis: why it started, what paused, how it ended.

    Attributes:
        reason: Why (the alert's summary, or what was declared).
        started_at: When it started (UTC).
        alert: The alert that started it, if one did.
        calendar_paused: Whether the calendar was paused for it.
        alerts: How many alerts arrived while it lasted (the first included).
        resolved_at: When it was resolved; ``note``: what the resolver said.
    """

    reason: str
    started_at: datetime
    alert: Alert | None = None
    calendar_paused: bool = False
    alerts: int = 1
    resolved_at: datetime | None = None
    note: str | None = None

    @property
    def active(self) -> bool:
        """Whether it is still going on."""
        return self.resolved_at is None


def _check_calendar(calendar: object | None) -> Pausable | None:
    if calendar is None:
        return None
    missing = [name for name in ("pause", "resume") if not callable(getattr(calendar, name, None))]
    if missing:
        raise ConfigError(
            f"crisis mode cannot pause {type(calendar).__name__}: it has no "
            f"{' or '.join(m + '()' for m in missing)}; pass a socialkit.calendar.Calendar "
            "or an object with pause(reason, until=None) and resume()",
            field="calendar",
        )
    return cast(Pausable, calendar)


class CrisisPolicy:
    """Enter crisis mode on matching alerts: pause the calendar and record why.

    Args:
        calendar: What to pause (a `socialkit.calendar.Calendar`, or anything with
            ``pause(reason, until=None)`` and ``resume()``); ``None`` records only.
        severities: Alert severities that start a crisis (``"crisis"`` by default).
        kinds: Alert kinds that start one (all by default).
        min_score: The least alert score that starts one.
        pause_for: Pause until this long after the alert (``None``: until `resolve`).
        clock: The current time (UTC), for tests.

    ```python
    policy = CrisisPolicy(calendar=cal)
    monitor.on_alert(policy)
    ...
    policy.resolve("statement published, sentiment back to normal")
    ```
    """

    def __init__(
        self,
        calendar: object | None = None,
        *,
        severities: Collection[Severity] = _CRISIS,
        kinds: Collection[SpikeKind] | None = None,
        min_score: float = 0.0,
        pause_for: timedelta | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.calendar = _check_calendar(calendar)
        self.severities = frozenset(severities)
        self.kinds = None if kinds is None else frozenset(kinds)
        self.min_score = min_score
        self.pause_for = pause_for
        self._clock = clock or (lambda: datetime.now(UTC))
        self.history: list[Crisis] = []

    def __repr__(self) -> str:
        state = "active" if self.active else "calm"
        return f"CrisisPolicy({state}, calendar={type(self.calendar).__name__})"

    @property
    def active(self) -> Crisis | None:
        """The ongoing crisis, or ``None``."""
        if self.history and self.history[-1].active:
            return self.history[-1]
        return None

    def triggers(self, alert: Alert) -> bool:
        """Whether ``alert`` starts a crisis under this policy."""
        return (
            alert.severity in self.severities
            and (self.kinds is None or alert.kind in self.kinds)
            and alert.score >= self.min_score
        )

    def __call__(self, alert: Alert) -> Crisis | None:
        """Handle an alert: start a crisis when it triggers one (a new one returns it)."""
        current = self.active
        if current is not None:
            self.history[-1] = attrs.evolve(current, alerts=current.alerts + 1)
            return None
        if not self.triggers(alert):
            return None
        return self.declare(alert.summary, alert=alert)

    def declare(self, reason: str, *, alert: Alert | None = None) -> Crisis:
        """Start a crisis by hand (or from an alert): pause the calendar, record why.

        Raises:
            ConfigError: A crisis is already active.
        """
        if self.active is not None:
            raise ConfigError("a crisis is already active; resolve it first", field="crisis")
        now = self._clock()
        crisis = Crisis(reason=reason, started_at=now, alert=alert)
        self.history.append(crisis)
        if self.calendar is not None:
            until = now + self.pause_for if self.pause_for is not None else None
            self.calendar.pause(f"crisis: {reason}", until=until)
            crisis = attrs.evolve(crisis, calendar_paused=True)
            self.history[-1] = crisis
        logger.info("crisis mode: %s", reason)
        return crisis

    def pause_calendar(self, reason: str) -> None:
        """Pause the calendar directly.

        Raises:
            ConfigError: The policy has no calendar.
        """
        if self.calendar is None:
            raise ConfigError("this crisis policy has no calendar to pause", field="calendar")
        self.calendar.pause(reason)

    def resolve(self, note: str | None = None) -> Crisis | None:
        """End the crisis and resume the calendar if it was paused; ``None`` when calm."""
        current = self.active
        if current is None:
            return None
        if current.calendar_paused and self.calendar is not None:
            self.calendar.resume()
        resolved = attrs.evolve(current, resolved_at=self._clock(), note=note)
        self.history[-1] = resolved
        logger.info("crisis resolved: %s", note or current.reason)
        return resolved
