"""Approvals: how many are needed, who gave them, rejection with a comment."""

from __future__ import annotations

import pytest
from calendar_support import NOW

from socialkit import ConfigError
from socialkit.calendar import Calendar, IllegalTransition, State
from socialkit.client import Client
from socialkit.testing import Sandbox


def test_entry_needing_two_approvers_is_not_published_with_one(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    before = len(sandbox.statuses(account="brand"))
    entry = cal.add("Big announcement", ["brand"], at=NOW, approvals_required=2)
    cal.approve(entry.id, by="maria")
    report = cal.run_due({"brand": client}, now=NOW)
    assert report.published == []
    assert cal.get(entry.id).state is State.DRAFT
    assert len(sandbox.statuses(account="brand")) == before


def test_entry_is_published_once_the_second_approver_approves(
    cal: Calendar, client: Client
) -> None:
    entry = cal.add("Big announcement", ["brand"], at=NOW, approvals_required=2)
    cal.approve(entry.id, by="maria")
    approved = cal.approve(entry.id, by="jon")
    assert approved.state is State.SCHEDULED
    assert approved.approved_by == ("maria", "jon")
    report = cal.run_due({"brand": client}, now=NOW)
    assert [o.entry_id for o in report.published] == [entry.id]


def test_the_same_approver_counts_once(cal: Calendar) -> None:
    entry = cal.add("Big announcement", ["brand"], at=NOW, approvals_required=2)
    cal.approve(entry.id, by="maria")
    again = cal.approve(entry.id, by="maria")
    assert again.state is State.DRAFT
    assert again.needs_approvals == 1


def test_approvals_record_when(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW, approvals_required=1)
    approved = cal.approve(entry.id, by="maria", now=NOW)
    assert [(a.by, a.at) for a in approved.approvals] == [("maria", NOW)]


def test_approval_without_time_leaves_the_entry_approved(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], approvals_required=1)
    assert cal.approve(entry.id, by="maria").state is State.APPROVED


def test_rejection_sends_back_to_draft_with_the_comment_and_clears_approvals(
    cal: Calendar,
) -> None:
    entry = cal.add("Hello wrold", ["brand"], at=NOW, approvals_required=2)
    cal.approve(entry.id, by="maria")
    rejected = cal.reject(entry.id, by="jon", comment="typo: wrold")
    assert rejected.state is State.DRAFT
    assert rejected.approvals == ()
    assert rejected.rejection is not None
    assert (rejected.rejection.by, rejected.rejection.comment) == ("jon", "typo: wrold")


def test_a_scheduled_entry_can_be_rejected(cal: Calendar, client: Client) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW, approvals_required=1)
    cal.approve(entry.id, by="maria")
    cal.reject(entry.id, by="legal", comment="needs a disclaimer")
    assert cal.run_due({"brand": client}, now=NOW).published == []


def test_rejection_needs_a_comment(cal: Calendar) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW, approvals_required=1)
    with pytest.raises(ConfigError, match="comment"):
        cal.reject(entry.id, by="jon", comment=" ")


def test_approving_a_published_entry_is_illegal(cal: Calendar, client: Client) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW)
    cal.run_due({"brand": client}, now=NOW)
    with pytest.raises(IllegalTransition):
        cal.approve(entry.id, by="maria")


def test_calendar_default_for_approvals_applies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Calendar(tmp_path / "c.db", approvals_required=1) as strict:
        entry = strict.add("Hello", ["brand"], at=NOW)
        assert (entry.state, entry.approvals_required) == (State.DRAFT, 1)


def test_dispatcher_rechecks_approvals(cal: Calendar, client: Client) -> None:
    entry = cal.add("Hello", ["brand"], at=NOW, approvals_required=1)
    cal.approve(entry.id, by="maria")
    # An approval withdrawn behind the calendar's back (e.g. by another tool on the file)
    # must still stop the dispatcher.
    with cal._store.write() as conn:
        cal._store.db.x(conn, "DELETE FROM approvals WHERE entry_id = ?", (entry.id,))
    assert cal.run_due({"brand": client}, now=NOW).published == []
