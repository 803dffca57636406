"""The calendar's part of ``python -m socialkit demo``: plan a week, then publish what is due."""

from __future__ import annotations

from datetime import date, datetime
from typing import TextIO

from ..client import Client
from ..testing import Sandbox
from ._time import zone
from .core import Calendar

__all__ = ["calendar_story"]

TZ = "Europe/Berlin"
MONDAY = date(2025, 3, 24)  # clocks go forward in Berlin on Sunday 30 March
POSTS = (
    "Monday tip: a loose chain wastes your pedalling. Bring your bike on Saturday!",
    "Did you know? 80% of broken lamps only need a new switch. #RepairCafe",
    "Friday preview: our volunteers, their tools and their favourite fixes.",
)


def calendar_story(sandbox: Sandbox, client: Client, out: TextIO) -> Calendar:
    """Schedule a small week of posts, show the week, dispatch at a fixed time, report.

    Returns the calendar, so the crisis story can pause it.
    """
    del sandbox  # the story only needs the brand's client; kept for the demo's uniform signature
    berlin = zone(TZ)
    cal = Calendar.in_memory(tz=TZ)
    cal.add_slot(
        "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0",
        tz=TZ,
        targets=["brand"],
        start=MONDAY,
        label="morning",
    )
    start = datetime(MONDAY.year, MONDAY.month, MONDAY.day, tzinfo=berlin)
    for text in POSTS:
        cal.queue(text, ["brand"], after=start, tags=["tips"])
    review = cal.add(
        "Behind the scenes: how we test every repaired toaster.",
        ["brand"],
        at=datetime(2025, 3, 26, 17, 30),
        tz=TZ,
        approvals_required=2,
    )
    cal.approve(review.id, by="maria")

    print(
        "   three posts queued into Mon/Wed/Fri 09:00 slots; one waits for a 2nd approval:",
        file=out,
    )
    for line in cal.week_view(MONDAY).text().splitlines():
        print(f"   {line}", file=out)

    now = datetime(2025, 3, 26, 18, 0, tzinfo=berlin)
    report = cal.run_due({"brand": client}, now=now)
    print(f"   dispatcher at {now:%a %H:%M}: {report.summary()}", file=out)
    for outcome in report.published:
        print(f"     entry {outcome.entry_id} → post {outcome.post_id}", file=out)
    waiting = cal.get(review.id)
    print(
        f"   entry {waiting.id} stays {waiting.state.value}: "
        f"approved by {', '.join(waiting.approved_by)}, needs {waiting.needs_approvals} more",
        file=out,
    )
    return cal
