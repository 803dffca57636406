"""Pause and resume: crisis mode publishes nothing; held posts go out or are missed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from calendar_support import FAST_POLICY, NOW, status_posts

from socialkit.calendar import Calendar, DeliveryState, State
from socialkit.calendar.report import Outcome
from socialkit.client import Client
from socialkit.testing import Sandbox


def test_nothing_is_published_while_paused(cal: Calendar, client: Client, sandbox: Sandbox) -> None:
    cal.add("Hello", ["brand"], at=NOW - timedelta(minutes=30))
    cal.pause("crisis: outage", now=NOW - timedelta(hours=1))
    report = cal.run_due({"brand": client}, now=NOW)
    assert report.paused == "crisis: outage"
    assert str(report) == "paused (crisis: outage): nothing published"
    assert status_posts(sandbox) == []


def test_due_entries_go_out_after_resume(cal: Calendar, client: Client) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW - timedelta(minutes=30))
    cal.pause("crisis", now=NOW - timedelta(hours=1))
    cal.run_due({"brand": client}, now=NOW)
    assert cal.resume(now=NOW) == []
    assert cal.paused is None
    report = cal.run_due({"brand": client}, now=NOW)
    assert [o.entry_id for o in report.published] == [entry.id]


def test_with_skip_held_entries_are_reported_missed(tmp_path: Path, client: Client) -> None:
    cal = Calendar(tmp_path / "c.db", on_resume="skip", grace=timedelta(minutes=15))
    stale = cal.add("Stale news", ["brand"], at=NOW - timedelta(hours=2))
    cal.pause("crisis", now=NOW - timedelta(hours=3))
    missed = cal.resume(now=NOW)
    assert [(o.entry_id, o.kind) for o in missed] == [(stale.id, "missed")]
    entry = cal.get(stale.id)
    assert entry.state is State.CANCELLED
    assert entry.delivery("brand").state is DeliveryState.MISSED
    assert "paused (crisis)" in (entry.delivery("brand").error or "")
    assert cal.run_due({"brand": client}, now=NOW).published == []


def test_with_skip_entries_within_the_grace_window_still_go_out(
    tmp_path: Path, client: Client
) -> None:
    cal = Calendar(tmp_path / "c.db", on_resume="skip", grace=timedelta(minutes=15))
    fresh = cal.add("Just due", ["brand"], at=NOW - timedelta(minutes=10))
    cal.pause("crisis", now=NOW - timedelta(hours=1))
    assert cal.resume(now=NOW) == []
    assert [o.entry_id for o in cal.run_due({"brand": client}, now=NOW).published] == [fresh.id]


def test_with_skip_entries_due_before_the_pause_are_not_missed(
    tmp_path: Path, client: Client
) -> None:
    cal = Calendar(tmp_path / "c.db", on_resume="skip")
    late = cal.add("Due before the pause", ["brand"], at=NOW - timedelta(hours=5))
    cal.pause("crisis", now=NOW - timedelta(hours=1))
    assert cal.resume(now=NOW) == []
    assert [o.entry_id for o in cal.run_due({"brand": client}, now=NOW).published] == [late.id]


def test_pause_with_until_resumes_by_itself(tmp_path: Path, client: Client) -> None:
    cal = Calendar(tmp_path / "c.db", policy=FAST_POLICY)
    entry = cal.add("Hello", ["brand"], at=NOW)
    cal.pause("quiet hours", until=NOW + timedelta(hours=1), now=NOW - timedelta(minutes=1))
    assert cal.run_due({"brand": client}, now=NOW).paused == "quiet hours"
    report = cal.run_due({"brand": client}, now=NOW + timedelta(hours=1))
    assert report.paused is None
    assert [o.entry_id for o in report.published] == [entry.id]


def test_a_pause_from_another_process_stops_a_running_dispatcher(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    path = tmp_path / "c.db"
    cal = Calendar(path)
    for n in range(5):
        cal.add(f"Post {n}", ["brand"], at=NOW)
    crisis_desk = Calendar(path)

    class PausingClient(Client):
        """Pauses the calendar (as another process would) after its first post."""

        def publish(self, draft):  # type: ignore[no-untyped-def]
            post = super().publish(draft)
            crisis_desk.pause("crisis")
            return post

    brand = PausingClient(sandbox.client().platform, transport=sandbox.transport())
    report = cal.run_due({"brand": brand}, now=NOW)
    assert len(report.published) == 1
    assert report.paused == "crisis"
    assert len(status_posts(sandbox)) == 1


def test_paused_reports_reason_and_times(cal: Calendar) -> None:
    pause = cal.pause("crisis", until=NOW + timedelta(hours=2), now=NOW)
    assert cal.paused == pause
    assert (pause.reason, pause.since, pause.until) == ("crisis", NOW, NOW + timedelta(hours=2))


def test_pausing_again_keeps_the_start_of_the_pause(cal: Calendar) -> None:
    cal.pause("incident", now=NOW)
    again = cal.pause("incident: escalated", now=NOW + timedelta(hours=1))
    assert (again.reason, again.since) == ("incident: escalated", NOW)


def test_with_skip_only_what_fell_due_from_the_start_of_the_pause_is_missed(
    tmp_path: Path,
) -> None:
    cal = Calendar(tmp_path / "c.db", on_resume="skip")
    before = cal.add("Due before the pause", ["brand"], at=NOW - timedelta(hours=5))
    at_start = cal.add("Due as it began", ["brand"], at=NOW - timedelta(hours=2))
    cal.pause("crisis", now=NOW - timedelta(hours=2))
    assert cal.resume(now=NOW) == [
        Outcome(at_start.id, "brand", "missed", error="missed: the calendar was paused (crisis)")
    ]
    assert cal.get(before.id).delivery("brand").state is DeliveryState.PENDING


def test_settle_after_a_repair_by_hand_moves_a_scheduled_entry_to_its_end(
    tmp_path: Path,
) -> None:
    import sqlite3

    path = tmp_path / "c.db"
    with Calendar(path) as cal:
        done = cal.add("Posted by hand", ["brand"], at=NOW + timedelta(days=1))
        dropped = cal.add("Dropped by hand", ["brand"], at=NOW + timedelta(days=1))
    repair = sqlite3.connect(path)
    with repair:
        repair.execute(
            "UPDATE deliveries SET state = 'published', post_id = '1' WHERE entry_id = ?",
            (done.id,),
        )
        repair.execute("UPDATE deliveries SET state = 'failed' WHERE entry_id = ?", (dropped.id,))
    repair.close()
    with Calendar(path) as cal:
        assert cal.get(done.id).state is State.SCHEDULED
        assert cal.settle(done.id) is State.PUBLISHED
        assert cal.settle(dropped.id) is State.FAILED
        assert (cal.get(done.id).state, cal.get(dropped.id).state) == (
            State.PUBLISHED,
            State.FAILED,
        )
