"""Crisis mode: the calendar pauses on a crisis alert and resumes on resolve."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from socialkit.errors import ConfigError
from socialkit.monitoring import Alert, CrisisPolicy

NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def alert(severity: str = "crisis", kind: str = "negative_share", score: float = 8.0) -> Alert:
    return Alert(
        query="@brand",
        kind=kind,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        value=0.6,
        baseline=0.1,
        score=score,
        volume=30,
        negative=18,
        at=NOW,
    )


class FakeCalendar:
    """Just what crisis mode needs: pause and resume, recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def pause(self, reason: str, until: datetime | None = None) -> None:
        self.calls.append(("pause", (reason, until)))

    def resume(self) -> None:
        self.calls.append(("resume", None))


def test_a_crisis_alert_pauses_the_calendar_and_records_why() -> None:
    calendar = FakeCalendar()
    policy = CrisisPolicy(calendar=calendar, clock=lambda: NOW)

    crisis = policy(alert())

    assert crisis is not None
    assert crisis.calendar_paused
    assert crisis.reason == alert().summary
    assert calendar.calls == [("pause", (f"crisis: {alert().summary}", None))]
    assert policy.active == crisis


def test_resolve_resumes_the_calendar() -> None:
    calendar = FakeCalendar()
    policy = CrisisPolicy(calendar=calendar, clock=lambda: NOW)
    policy(alert())

    resolved = policy.resolve("statement published")

    assert calendar.calls[-1] == ("resume", None)
    assert resolved is not None
    assert resolved.note == "statement published"
    assert policy.active is None
    assert policy.resolve() is None


def test_a_warning_does_not_start_a_crisis() -> None:
    calendar = FakeCalendar()
    policy = CrisisPolicy(calendar=calendar)

    assert policy(alert(severity="warning", kind="volume")) is None
    assert calendar.calls == []


def test_later_alerts_are_counted_without_pausing_again() -> None:
    calendar = FakeCalendar()
    policy = CrisisPolicy(calendar=calendar)
    policy(alert())

    policy(alert())
    policy(alert(severity="warning"))

    assert [c for c, _ in calendar.calls] == ["pause"]
    assert policy.active is not None
    assert policy.active.alerts == 3


def test_pause_for_sets_an_end() -> None:
    calendar = FakeCalendar()
    policy = CrisisPolicy(calendar=calendar, pause_for=timedelta(hours=2), clock=lambda: NOW)

    policy(alert())

    assert calendar.calls[0][1] == (f"crisis: {alert().summary}", NOW + timedelta(hours=2))


def test_kinds_and_scores_narrow_what_triggers() -> None:
    policy = CrisisPolicy(kinds=["negative_share"], min_score=10)

    assert not policy.triggers(alert(score=9))
    assert not policy.triggers(alert(kind="volume", score=20))
    assert policy.triggers(alert(score=11))


def test_without_a_calendar_it_only_records() -> None:
    policy = CrisisPolicy()

    crisis = policy(alert())

    assert crisis is not None
    assert not crisis.calendar_paused
    assert policy.history == [crisis]


def test_a_calendar_without_pause_is_a_clear_error() -> None:
    class NotACalendar:
        def resume(self) -> None: ...

    with pytest.raises(ConfigError, match=r"NotACalendar: it has no pause\(\)") as caught:
        CrisisPolicy(calendar=NotACalendar())
    assert caught.value.field == "calendar"


def test_pausing_a_calendar_that_does_not_exist_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="no calendar to pause"):
        CrisisPolicy().pause_calendar("by hand")


def test_declaring_twice_is_refused() -> None:
    policy = CrisisPolicy()
    policy.declare("product recall")

    with pytest.raises(ConfigError, match="already active"):
        policy.declare("again")


def test_the_real_calendar_is_paused_and_resumed() -> None:
    calendar_module = pytest.importorskip("socialkit.calendar")
    cal = calendar_module.Calendar(":memory:")
    policy = CrisisPolicy(calendar=cal)

    policy(alert())
    paused = cal.paused
    policy.resolve()

    assert paused is not None
    assert paused.reason == f"crisis: {alert().summary}"
    assert cal.paused is None


def test_crisis_mode_works_without_the_calendar_module() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["socialkit.calendar"] = None  # as if it were not installed
        from datetime import UTC, datetime
        from socialkit.monitoring import Alert, CrisisPolicy
        alert = Alert("q", "volume", "crisis", 50, 5, 9.0, 50, 40, datetime.now(UTC))
        crisis = CrisisPolicy()(alert)
        print(crisis.reason, sys.modules["socialkit.calendar"])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "'q' volume 50 vs ~5 per poll, 80% negative (z=9.0) None"
