"""Posting-time suggestions through socialkit.metrics.best_times."""

from __future__ import annotations

from datetime import UTC, datetime

from socialkit.calendar import Calendar
from socialkit.models import Post


def post(id: str, when: datetime, likes: int) -> Post:
    return Post(platform="mastodon", id=id, created_at=when, metrics={"likes": likes})


def test_best_times_become_weekly_slot_suggestions() -> None:
    posts = [
        post("1", datetime(2025, 3, 4, 8, 10, tzinfo=UTC), 40),  # Tuesday 09:10 in Berlin
        post("2", datetime(2025, 3, 11, 8, 40, tzinfo=UTC), 60),  # Tuesday 09:40 in Berlin
        post("3", datetime(2025, 3, 7, 16, 5, tzinfo=UTC), 5),  # Friday 17:05 in Berlin
    ]
    with Calendar.in_memory(tz="Europe/Berlin") as cal:
        found = cal.suggest_slots(posts, top=2)
        slot = cal.add_slot(found[0].rrule, tz=found[0].tz)
    assert [str(s) for s in found] == [
        "TU 09:00 Europe/Berlin (score 50)",
        "FR 17:00 Europe/Berlin (score 5)",
    ]
    assert slot.rrule == "FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=0;BYSECOND=0"
