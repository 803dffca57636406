"""Recurring slots: RRULEs in a time zone, DST-correct, and queueing into the next free one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from socialkit import ConfigError
from socialkit.calendar import Calendar, Rules, Slot

WEEKLY_9 = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # Berlin: clocks go forward on 30 March 2025 (CET +1 → CEST +2).
        ("Europe/Berlin", (2025, 3, 24), (2025, 3, 31)),
        # Berlin: clocks go back on 26 October 2025.
        ("Europe/Berlin", (2025, 10, 20), (2025, 10, 27)),
        # New York: clocks go forward on 9 March 2025 (EST -5 → EDT -4).
        ("America/New_York", (2025, 3, 3), (2025, 3, 10)),
        # New York: clocks go back on 2 November 2025.
        ("America/New_York", (2025, 10, 27), (2025, 11, 3)),
    ],
)
def test_weekly_slot_stays_at_nine_local_across_dst(
    tz: str, before: tuple[int, int, int], after: tuple[int, int, int]
) -> None:
    slot = Slot(WEEKLY_9, tz, datetime(2025, 1, 1))
    first = slot.next(datetime(*before, tzinfo=ZoneInfo(tz)))
    second = slot.next(first + timedelta(minutes=1))
    assert first is not None
    assert second is not None
    assert (first.date(), second.date()) == (datetime(*before).date(), datetime(*after).date())
    assert (first.hour, first.minute) == (second.hour, second.minute) == (9, 0)
    assert first.utcoffset() != second.utcoffset()  # the same wall time, another UTC offset
    elapsed = second.astimezone(UTC) - first.astimezone(UTC)
    assert elapsed in (timedelta(days=7, hours=-1), timedelta(days=7, hours=1))


def test_berlin_and_new_york_slots_differ_by_six_hours_except_between_their_changes() -> None:
    berlin = Slot(WEEKLY_9, "Europe/Berlin", datetime(2025, 1, 1))
    new_york = Slot(WEEKLY_9, "America/New_York", datetime(2025, 1, 1))
    gaps = {}
    for day in (3, 10, 31):  # before both changes, between them, after both
        start = datetime(2025, 3, day, tzinfo=UTC)
        b, n = berlin.next(start), new_york.next(start)
        assert b is not None
        assert n is not None
        gaps[day] = n.astimezone(UTC) - b.astimezone(UTC)
    assert gaps == {3: timedelta(hours=6), 10: timedelta(hours=5), 31: timedelta(hours=6)}


def test_wall_time_skipped_by_dst_moves_forward() -> None:
    slot = Slot("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "Europe/Berlin", datetime(2025, 3, 1))
    at = slot.next(datetime(2025, 3, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    assert at is not None
    assert (at.date(), at.hour, at.minute) == (datetime(2025, 3, 30).date(), 3, 30)


def test_repeated_wall_time_is_its_first_occurrence() -> None:
    slot = Slot("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "Europe/Berlin", datetime(2025, 10, 1))
    at = slot.next(datetime(2025, 10, 26, tzinfo=ZoneInfo("Europe/Berlin")))
    assert at is not None
    assert at.astimezone(UTC) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # CEST, +2


def test_rrule_prefix_is_accepted() -> None:
    assert Slot("RRULE:" + WEEKLY_9, "UTC").rrule == WEEKLY_9


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "DTSTART:20250101T000000\nFREQ=DAILY"])
def test_invalid_rrule_is_a_config_error(rule: str) -> None:
    with pytest.raises(ConfigError):
        Slot(rule, "UTC")


def test_queue_puts_a_draft_in_the_next_free_slot(cal: Calendar) -> None:
    cal.add_slot(
        "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=0",
        tz="Europe/Berlin",
        targets=["brand"],
        start=datetime(2025, 1, 1),
    )
    after = datetime(2025, 3, 24, 0, 0, tzinfo=UTC)
    first = cal.queue("one", ["brand"], after=after)
    second = cal.queue("two", ["brand"], after=after)
    third = cal.queue("three", ["brand"], after=after)
    assert [e.at for e in (first, second, third)] == [
        datetime(2025, 3, 24, 9, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2025, 3, 26, 9, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2025, 3, 31, 9, tzinfo=ZoneInfo("Europe/Berlin")),
    ]
    assert first.slot_id == cal.slots()[0].id


def test_queue_skips_a_slot_taken_on_another_target_only_for_that_target(cal: Calendar) -> None:
    cal.add_slot("FREQ=DAILY;BYHOUR=12;BYMINUTE=0", tz="UTC", start=datetime(2025, 1, 1))
    after = datetime(2025, 3, 24, tzinfo=UTC)
    cal.queue("brand post", ["brand"], after=after)
    other = cal.queue("other post", ["other"], after=after)
    assert other.at == datetime(2025, 3, 24, 12, tzinfo=UTC)


def test_queue_respects_the_minimum_gap(cal: Calendar) -> None:
    cal.set_rules(Rules(min_gap=timedelta(hours=3)))
    cal.add_slot("FREQ=DAILY;BYHOUR=9,10,14;BYMINUTE=0", tz="UTC", start=datetime(2025, 1, 1))
    after = datetime(2025, 3, 24, tzinfo=UTC)
    cal.queue("one", ["brand"], after=after)
    second = cal.queue("two", ["brand"], after=after)
    assert second.at == datetime(2025, 3, 24, 14, tzinfo=UTC)


def test_queue_needs_a_slot_for_its_targets(cal: Calendar) -> None:
    cal.add_slot("FREQ=DAILY;BYHOUR=9", tz="UTC", targets=["brand"])
    with pytest.raises(ConfigError, match="no slot covers"):
        cal.queue("hello", ["x-account"])


def test_slots_persist_in_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Calendar(tmp_path / "c.db") as first:
        first.add_slot(WEEKLY_9, tz="America/New_York", targets=["brand"], label="monday")
    with Calendar(tmp_path / "c.db") as again:
        (slot,) = again.slots()
    assert (slot.rrule, slot.tz, slot.targets, slot.label) == (
        WEEKLY_9,
        "America/New_York",
        ("brand",),
        "monday",
    )
