"""Views: the week as text and escaped HTML, the iCalendar export."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from calendar_support import NOW

from socialkit.calendar import Calendar
from socialkit.client import Client

BERLIN = ZoneInfo("Europe/Berlin")


def test_week_view_text_lists_each_day_and_entry(cal: Calendar) -> None:
    cal.add("Monday post", ["brand"], at=datetime(2025, 3, 31, 9, tzinfo=BERLIN))
    cal.add(
        "Needs review",
        ["brand", "x"],
        at=datetime(2025, 4, 2, 17, 30, tzinfo=BERLIN),
        approvals_required=2,
    )
    cal.add("Next week", ["brand"], at=datetime(2025, 4, 7, 9, tzinfo=BERLIN))
    text = str(cal.week_view(date(2025, 4, 2), tz="Europe/Berlin"))
    lines = text.splitlines()
    assert lines[0] == "Week of Mon 31 Mar 2025 (Europe/Berlin)"
    assert len(lines) == 8
    assert "09:00" in lines[1]
    assert "scheduled" in lines[1]
    assert "Monday post" in lines[1]
    assert "17:30" in lines[3]
    assert "draft 0/2" in lines[3]
    assert "brand, x" in lines[3]
    assert "Next week" not in text


def test_week_view_shows_times_in_the_zone_asked_for(cal: Calendar) -> None:
    cal.add("Hello", ["brand"], at=datetime(2025, 3, 31, 9, tzinfo=BERLIN))
    text = cal.week_view(date(2025, 3, 31), tz="America/New_York").text()
    assert "03:00" in text


def test_week_view_html_escapes_user_text(cal: Calendar) -> None:
    cal.add("<script>alert('x')</script> & more", ["<b>brand</b>"], at=NOW, tags=["<i>"])
    markup = cal.week_view(NOW)._repr_html_()
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert "&lt;b&gt;brand&lt;/b&gt;" in markup
    assert "<table" in markup


def test_ical_has_one_event_per_entry_and_target(cal: Calendar) -> None:
    cal.add(
        "Two targets",
        ["brand", "x"],
        at=datetime(2025, 3, 31, 9, tzinfo=BERLIN),
        tags=["launch"],
        campaign="spring",
    )
    cal.add("Unplanned", ["brand"])
    parsed = icalendar.Calendar.from_ical(cal.to_ical())
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 2
    assert len({str(e["uid"]) for e in events}) == 2
    starts = {e.decoded("dtstart") for e in events}
    assert starts == {datetime(2025, 3, 31, 9, tzinfo=BERLIN)}
    assert {str(e["x-socialkit-target"]) for e in events} == {"brand", "x"}
    assert all(str(e["status"]) == "CONFIRMED" for e in events)
    assert next(iter(parsed.walk("VTIMEZONE")))["tzid"] == "Europe/Berlin"
    assert events[0]["categories"].cats == ["launch", "spring"]


def test_ical_event_of_a_published_entry_links_the_post(cal: Calendar, client: Client) -> None:
    cal.add("Hello", ["brand"], at=NOW - timedelta(minutes=1))
    cal.run_due({"brand": client}, now=NOW)
    (event,) = icalendar.Calendar.from_ical(cal.to_ical()).walk("VEVENT")
    assert str(event["url"]).startswith("https://sandbox.socialkit.invalid/@brand/")
    assert str(event["x-socialkit-state"]) == "published"


def test_ical_marks_drafts_tentative_and_cancelled_entries_cancelled(cal: Calendar) -> None:
    cal.add("Draft", ["brand"], at=NOW, approvals_required=1)
    cancelled = cal.add("Gone", ["other"], at=NOW)
    cal.cancel(cancelled.id)
    statuses = {
        str(e["summary"]): str(e["status"])
        for e in icalendar.Calendar.from_ical(cal.to_ical()).walk("VEVENT")
    }
    assert statuses == {"brand: Draft": "TENTATIVE", "other: Gone": "CANCELLED"}


def test_dispatch_report_renders_text_and_html(cal: Calendar, client: Client) -> None:
    cal.add("Hello <world>", ["brand"], at=NOW)
    report = cal.run_due({"brand": client}, now=NOW)
    assert str(report).splitlines()[0] == "1 published"
    assert "<table>" in report._repr_html_()
