"""Draft → approve → send: every approved reply goes out exactly once."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from replies_support import brand_replies, no_key_client, posts_sent

from socialkit.client import AsyncClient, Client
from socialkit.errors import InvalidContent
from socialkit.replies import Inbox, InboxItem, InboxStore, InvalidTransition, Stage
from socialkit.testing import Sandbox


def _canada(inbox: Inbox) -> InboxItem:
    inbox.refresh()
    return next(i for i in inbox.items() if "Canada" in i.text)


def test_an_approved_reply_is_sent_once(inbox: Inbox, sandbox: Sandbox) -> None:
    item = _canada(inbox)
    inbox.draft_reply(item, "Yes, we ship to Canada!", by="sam")
    inbox.approve(item, by="lee")

    first = inbox.send()
    second = inbox.send()

    assert [i.key for i in first.sent] == [item.key]
    assert second.outcomes == []
    assert brand_replies(sandbox)[item.post_id] == 1
    done = inbox.get(item)
    assert (done.stage, done.approved_by, done.send_state) == (Stage.REPLIED, "lee", "sent")
    assert done.reply_id is not None
    assert done.replied_at is not None


def test_the_reply_answers_the_item_with_its_stored_key(inbox: Inbox, sandbox: Sandbox) -> None:
    item = _canada(inbox)
    drafted = inbox.draft_reply(item, "On its way!", by="sam")
    inbox.approve(item, by="lee")

    inbox.send()

    post = [r for r in sandbox.requests if r.method == "POST"][-1]
    assert drafted.draft is not None
    assert post.headers["idempotency-key"] == drafted.draft.idempotency_key
    assert post.json["in_reply_to_id"] == item.post_id
    assert post.json["status"] == "@bob On its way!"


def test_a_draft_is_not_sent_until_approved(inbox: Inbox, sandbox: Sandbox) -> None:
    item = _canada(inbox)
    inbox.draft_reply(item, "Not yet", by="sam")

    assert inbox.send().outcomes == []
    assert posts_sent(sandbox) == 0


def test_approving_an_undrafted_item_raises(inbox: Inbox) -> None:
    item = _canada(inbox)

    with pytest.raises(InvalidTransition, match="cannot go from new to approved"):
        inbox.approve(item, by="lee")


def test_a_draft_too_long_is_refused_when_drafted(inbox: Inbox) -> None:
    item = _canada(inbox)

    with pytest.raises(InvalidContent, match="limit is 500"):
        inbox.draft_reply(item, "x" * 501, by="sam")
    assert inbox.get(item).stage is Stage.NEW


def test_a_lost_answer_is_reconciled_not_resent(sandbox: Sandbox, store: InboxStore) -> None:
    client = no_key_client(sandbox)  # no idempotency key: the driver raises PublishUncertain
    inbox = Inbox([client], store, backfill=100)
    item = _canada(inbox)
    inbox.draft_reply(item, "Reconcile me", by="sam")
    inbox.approve(item, by="lee")
    sandbox.timeout_next(after_processing=True)

    report = inbox.send()

    assert [i.key for i in report.reconciled] == [item.key]
    assert brand_replies(sandbox)[item.post_id] == 1
    assert posts_sent(sandbox) == 1
    assert inbox.get(item).reply_id is not None


def test_a_request_lost_before_arriving_is_resent_after_checking(
    sandbox: Sandbox, store: InboxStore
) -> None:
    inbox = Inbox([no_key_client(sandbox)], store, backfill=100)
    item = _canada(inbox)
    inbox.draft_reply(item, "Second try", by="sam")
    inbox.approve(item, by="lee")
    sandbox.timeout_next()  # lost on the way: nothing was posted

    report = inbox.send()

    assert [i.key for i in report.sent] == [item.key]
    assert brand_replies(sandbox)[item.post_id] == 1
    checked = [r.path for r in sandbox.requests if r.path.endswith("/context")]
    assert checked[-1] == f"/api/v1/statuses/{item.thread[0]}/context"


def test_a_send_interrupted_after_posting_is_reconciled_by_the_next_sender(
    sandbox: Sandbox, client: Client, store: InboxStore
) -> None:
    now = datetime.now(UTC)
    crashed = Inbox([client], store, lease=timedelta(seconds=30), clock=lambda: now, backfill=100)
    item = _canada(crashed)
    crashed.draft_reply(item, "Posted before the crash", by="sam")
    approved = crashed.approve(item, by="lee")
    assert store.claim(item.key, crashed.owner, now + timedelta(seconds=30), now) is not None
    store.mark_sending(item.key, crashed.owner, now)
    assert approved.draft is not None
    client.reply(approved.target, approved.draft)  # the request went out, then the process died
    posted = posts_sent(sandbox)

    later = Inbox([client], store, clock=lambda: now + timedelta(minutes=1), backfill=100)
    report = later.send()

    assert [i.key for i in report.reconciled] == [item.key]
    assert posts_sent(sandbox) == posted
    assert brand_replies(sandbox)[item.post_id] == 1


def test_a_live_lease_keeps_other_senders_away(
    sandbox: Sandbox, client: Client, store: InboxStore
) -> None:
    now = datetime.now(UTC)
    inbox = Inbox([client], store, clock=lambda: now, backfill=100)
    item = _canada(inbox)
    inbox.draft_reply(item, "Mine", by="sam")
    inbox.approve(item, by="lee")
    store.claim(item.key, "someone-else", now + timedelta(seconds=30), now)

    report = inbox.send()

    assert [o.result for o in report.outcomes] == ["busy"]
    assert posts_sent(sandbox) == 0


def test_a_refused_reply_fails_and_is_not_retried(inbox: Inbox, sandbox: Sandbox) -> None:
    item = _canada(inbox)
    inbox.draft_reply(item, "Too late", by="sam")
    inbox.approve(item, by="lee")
    sandbox.fail_next(422, path="/api/v1/statuses")

    failed = inbox.send()
    again = inbox.send()

    assert [i.key for i in failed.failed] == [item.key]
    assert inbox.get(item).error is not None
    assert again.outcomes == []
    assert [i.key for i in inbox.send(retry_failed=True).sent] == [item.key]


def test_an_item_being_sent_cannot_be_redrafted(inbox: Inbox, store: InboxStore) -> None:
    item = _canada(inbox)
    inbox.draft_reply(item, "In flight", by="sam")
    inbox.approve(item, by="lee")
    now = datetime.now(UTC)
    store.claim(item.key, "sender", now + timedelta(seconds=30), now)
    store.mark_sending(item.key, "sender", now)

    with pytest.raises(InvalidTransition, match="on its way"):
        inbox.draft_reply(item, "Changed my mind", by="sam")


def test_redrafting_an_approved_reply_needs_a_new_approval(inbox: Inbox) -> None:
    item = _canada(inbox)
    inbox.draft_reply(item, "v1", by="sam")
    inbox.approve(item, by="lee")

    redrafted = inbox.draft_reply(item, "v2", by="sam")

    assert (redrafted.stage, redrafted.approved_by) == (Stage.DRAFTED, None)
    assert inbox.send().outcomes == []


def test_draft_from_a_template(client: Client) -> None:
    from socialkit.replies import RuleSet

    rules = RuleSet(templates={"sorry": {"en": "Sorry $name, we'll fix it."}})
    inbox = Inbox([client], rules=rules, backfill=100)
    item = _canada(inbox)

    drafted = inbox.draft_from_template(item, "sorry", by="sam")

    assert drafted.draft is not None
    assert drafted.draft.text == "Sorry Bob Okafor, we'll fix it."


def test_ignore_and_escalate_record_who_and_why(inbox: Inbox) -> None:
    item = _canada(inbox)

    inbox.escalate(item, by="sam", note="angry customer")
    inbox.reopen(item, by="lee")
    inbox.ignore(item, by="lee", note="resolved by phone")

    history = inbox.history(item)
    assert [(e.after, e.by, e.note) for e in history[1:]] == [
        (Stage.ESCALATED, "sam", "angry customer"),
        (Stage.TRIAGED, "lee", "reopened"),
        (Stage.IGNORED, "lee", "resolved by phone"),
    ]


@pytest.mark.anyio
async def test_async_send_sends_once(async_client: AsyncClient, sandbox: Sandbox) -> None:
    inbox = Inbox([async_client], backfill=100)
    await inbox.arefresh()
    item = next(i for i in inbox.items() if "Canada" in i.text)
    inbox.draft_reply(item, "Async yes", by="sam")
    inbox.approve(item, by="lee")

    first = await inbox.asend()
    second = await inbox.asend()

    assert len(first.sent) == 1
    assert second.outcomes == []
    assert brand_replies(sandbox)[item.post_id] == 1
    await async_client.aclose()


def test_sla_counts_the_first_response(inbox: Inbox) -> None:
    item = _canada(inbox)
    inbox.draft_reply(item, "Answered", by="sam")
    inbox.approve(item, by="lee")
    inbox.send()

    report = inbox.sla(target=timedelta(hours=1))

    assert report.overall.answered == 1
    assert report.overall.items == len(inbox.items())
    assert {r.key for r in report.overdue} == {i.key for i in inbox.items("new")}


def test_a_reply_s_lease_is_renewed_when_it_is_marked_sending(
    sandbox: Sandbox, client: Client, db: Path
) -> None:
    """Time spent after the claim (a slow reconciliation) must not eat the request's
    lease: marking the reply "sending" renews it, or a second sender could take the
    item over while the request is still on its way."""
    leases: list[tuple[datetime, datetime]] = []

    class Watching(InboxStore):
        def mark_sending(
            self, key: str, owner: str, now: datetime, until: datetime | None = None
        ) -> None:
            super().mark_sending(key, owner, now, until)
            with self.database.read() as tx:
                row = self.database.x(
                    tx, "SELECT lease_until FROM items WHERE key = ?", (key,)
                ).fetchone()
            leases.append((now, datetime.fromisoformat(row["lease_until"])))

    start = datetime.now(UTC)
    ticks = itertools.count()

    def clock() -> datetime:  # every look at the clock is 20 s later
        return start + timedelta(seconds=20 * next(ticks))

    with Watching(db) as store:
        inbox = Inbox([client], store, lease=timedelta(seconds=30), clock=clock, backfill=100)
        item = _canada(inbox)
        inbox.draft_reply(item, "On its way", by="sam", approve_as="lee")
        report = inbox.send()

    assert [i.key for i in report.sent] == [item.key]
    [(marked, until)] = leases
    assert until >= marked + timedelta(seconds=30)  # not the claim's: 20 s earlier
