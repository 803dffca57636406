"""Rules: minimum gap, daily caps, blackouts; checked when scheduling and at dispatch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from calendar_support import NOW

from socialkit.calendar import DEFAULT_DAILY_CAPS, Calendar, Rules, ScheduleConflict, State
from socialkit.client import Client


def test_default_daily_caps_follow_the_platforms_documented_limits() -> None:
    assert DEFAULT_DAILY_CAPS == {"instagram": 100, "threads": 250, "x": 2400}


def test_scheduling_inside_the_minimum_gap_raises(cal: Calendar) -> None:
    cal.set_rules(Rules(min_gap=timedelta(hours=2)))
    first = cal.add("One", ["brand"], at=NOW)
    with pytest.raises(ScheduleConflict, match="apart") as caught:
        cal.add("Two", ["brand"], at=NOW + timedelta(hours=1))
    (violation,) = caught.value.violations
    assert (violation.rule, violation.other_id) == ("min_gap", first.id)
    assert violation.allowed_at == NOW + timedelta(hours=2)


def test_minimum_gap_is_per_account(cal: Calendar) -> None:
    cal.set_rules(Rules(min_gap=timedelta(hours=2)))
    cal.add("One", ["brand"], at=NOW)
    assert cal.add("Two", ["other"], at=NOW).state is State.SCHEDULED


def test_forced_entry_is_listed_by_conflicts(cal: Calendar) -> None:
    cal.set_rules(Rules(min_gap=timedelta(hours=2)))
    first = cal.add("One", ["brand"], at=NOW)
    second = cal.add("Two", ["brand"], at=NOW + timedelta(minutes=30), force=True)
    found = {(v.rule, v.entry_id, v.other_id) for v in cal.conflicts()}
    assert found == {("min_gap", first.id, second.id), ("min_gap", second.id, first.id)}


def test_per_platform_gap_overrides_the_default(cal: Calendar) -> None:
    cal.register_target("brand_x", "x")
    cal.set_rules(Rules(min_gap=timedelta(0), min_gap_for={"x": timedelta(hours=1)}))
    cal.add("One", ["brand_x"], at=NOW)
    with pytest.raises(ScheduleConflict):
        cal.add("Two", ["brand_x"], at=NOW + timedelta(minutes=10))


def test_daily_cap_counts_a_rolling_24_hours(cal: Calendar) -> None:
    cal.register_target("shop", "instagram")
    cal.set_rules(Rules(daily_caps={"instagram": 2}))
    cal.add("One", ["shop"], at=NOW)
    cal.add("Two", ["shop"], at=NOW + timedelta(hours=10))
    with pytest.raises(ScheduleConflict, match="more than 2 posts in 24 hours"):
        cal.add("Three", ["shop"], at=NOW + timedelta(hours=20))
    assert cal.add("Four", ["shop"], at=NOW + timedelta(hours=24)).state is State.SCHEDULED


def test_daily_cap_reads_the_platform_of_a_connection_target(cal: Calendar) -> None:
    cal.set_rules(Rules(daily_caps={"threads": 1}))
    cal.add("One", ["threads://"], at=NOW)
    with pytest.raises(ScheduleConflict):
        cal.add("Two", ["threads://"], at=NOW + timedelta(hours=1))


def test_scheduling_in_a_blackout_raises(cal: Calendar) -> None:
    cal.add_blackout(NOW, NOW + timedelta(hours=4), "memorial day")
    with pytest.raises(ScheduleConflict, match="memorial day"):
        cal.add("Sale!", ["brand"], at=NOW + timedelta(hours=1))


def test_blackout_for_some_targets_leaves_others_free(cal: Calendar) -> None:
    cal.add_blackout(NOW, NOW + timedelta(hours=4), targets=["brand"])
    assert cal.add("Hello", ["other"], at=NOW + timedelta(hours=1)).state is State.SCHEDULED


def test_dispatcher_defers_a_post_into_a_new_blackout(cal: Calendar, client: Client) -> None:
    entry = cal.add("Sale!", ["brand"], at=NOW)
    cal.add_blackout(NOW - timedelta(hours=1), NOW + timedelta(hours=2), "incident")
    report = cal.run_due({"brand": client}, now=NOW)
    (deferred,) = report.deferred
    assert deferred.until == NOW + timedelta(hours=2)
    assert cal.get(entry.id).state is State.SCHEDULED
    later = cal.run_due({"brand": client}, now=NOW + timedelta(hours=2))
    assert [o.entry_id for o in later.published] == [entry.id]


def test_dispatcher_keeps_the_minimum_gap_between_overdue_posts(
    cal: Calendar, client: Client
) -> None:
    first = cal.add("One", ["brand"], at=NOW - timedelta(hours=3))
    second = cal.add("Two", ["brand"], at=NOW - timedelta(hours=2))
    cal.set_rules(Rules(min_gap=timedelta(hours=1)))
    report = cal.run_due({"brand": client}, now=NOW)
    assert [o.entry_id for o in report.published] == [first.id]
    assert [(o.entry_id, o.until) for o in report.deferred] == [
        (second.id, NOW + timedelta(hours=1))
    ]


def test_dispatcher_keeps_the_daily_cap(cal: Calendar, client: Client) -> None:
    cal.set_rules(Rules(daily_caps={"mastodon": 1}))
    cal.add("One", ["brand"], at=NOW - timedelta(hours=2))
    cal.add("Two", ["brand"], at=NOW - timedelta(hours=1))
    report = cal.run_due({"brand": client}, now=NOW)
    assert (len(report.published), len(report.deferred)) == (1, 1)
    assert report.deferred[0].until == NOW + timedelta(hours=24)


def test_rules_are_stored_in_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = Rules(min_gap=timedelta(minutes=90), daily_caps={"x": 10})
    Calendar(tmp_path / "c.db", rules=rules).close()
    with Calendar(tmp_path / "c.db") as again:
        assert again.rules == rules
