"""Posts a platform reviews before they are public: pending, then public or rejected."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from calendar_support import FAST, NOW, status_posts

from socialkit.calendar import Calendar, State
from socialkit.calendar.migrations import MIGRATIONS, SCHEMA_VERSION, migrate
from socialkit.calendar.report import Outcome
from socialkit.client import AsyncClient, Client
from socialkit.models import Draft, Post
from socialkit.platform import Capability, Flow
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox


class ReviewingMastodon(Mastodon):
    """Mastodon as a platform that reviews each post would be: published as pending, and
    ``verdicts`` (post id -> (state, reason)) says what a later read finds."""

    verdicts: dict[str, tuple[str, str | None]]

    def publish(self, draft: Draft) -> Flow[Post]:
        post = yield from super().publish(draft)  # no public address until it passes
        update = {"state": "pending", "state_reason": "under review", "url": None}
        return post.model_copy(update=update)

    def get_post(self, post_id: str) -> Flow[Post]:
        post = yield from super().get_post(post_id)
        state, reason = self.verdicts.get(post_id, ("pending", "under review"))
        return post.model_copy(update={"state": state, "state_reason": reason})


def reviewing(sandbox: Sandbox) -> tuple[Client, ReviewingMastodon]:
    platform = ReviewingMastodon(instance=sandbox.base_url, access_token="brand")
    platform.verdicts = {}
    return Client(platform, transport=sandbox.transport(), retry=FAST), platform


def reads(sandbox: Sandbox, post_id: str) -> int:
    return sum(
        1 for r in sandbox.requests if r.method == "GET" and r.path == f"/api/v1/statuses/{post_id}"
    )


def test_a_pending_post_is_recorded_published_pending_review(
    cal: Calendar, sandbox: Sandbox
) -> None:
    client, _ = reviewing(sandbox)
    entry = cal.add("Under review", ["douyin"], at=NOW)
    report = cal.run_due({"douyin": client}, now=NOW)
    (outcome,) = report.pending
    assert report.published == [outcome]
    delivery = cal.get(entry.id).delivery("douyin")
    assert cal.get(entry.id).state is State.PUBLISHED
    assert (delivery.post_state, delivery.post_state_reason) == ("pending", "under review")
    assert "pending review" in report.summary()
    assert any("pending review" in detail for _, _, detail in cal.history(entry.id))


def test_a_pending_post_is_never_published_again(cal: Calendar, sandbox: Sandbox) -> None:
    client, _ = reviewing(sandbox)
    cal.add("Once, even under review", ["douyin"], at=NOW)
    cal.run_due({"douyin": client}, now=NOW)
    cal.run_due({"douyin": client}, now=NOW + timedelta(hours=1))
    cal.refresh_pending({"douyin": client}, now=NOW + timedelta(hours=2))
    assert status_posts(sandbox) == ["Once, even under review"]


def test_a_rejection_is_reported_and_never_retried(cal: Calendar, sandbox: Sandbox) -> None:
    client, platform = reviewing(sandbox)
    entry = cal.add("Too bold", ["douyin"], at=NOW)
    (published,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert published.post_id is not None
    platform.verdicts[published.post_id] = ("rejected", "violates the community rules")
    report = cal.refresh_pending({"douyin": client}, now=NOW + timedelta(minutes=10))
    (rejected,) = report.rejected
    assert (rejected.post_id, rejected.error) == (published.post_id, "violates the community rules")
    assert report.failed == []
    assert report.retrying == []
    delivery = cal.get(entry.id).delivery("douyin")
    assert (delivery.post_state, delivery.post_state_reason) == (
        "rejected",
        "violates the community rules",
    )
    assert cal.get(entry.id).state is State.PUBLISHED
    assert "rejected" in [kind for _, kind, _ in cal.history(entry.id)]
    later = cal.run_due({"douyin": client}, now=NOW + timedelta(days=1))
    assert later.outcomes == []  # neither re-published nor read again
    assert status_posts(sandbox) == ["Too bold"]
    assert reads(sandbox, published.post_id) == 1


def test_a_post_still_under_review_adds_nothing_to_the_report(
    cal: Calendar, sandbox: Sandbox
) -> None:
    client, _ = reviewing(sandbox)
    entry = cal.add("Slow review", ["douyin"], at=NOW)
    cal.run_due({"douyin": client}, now=NOW)
    before = cal.history(entry.id)
    report = cal.run_due({"douyin": client}, now=NOW + timedelta(minutes=10))
    assert report.outcomes == []
    assert str(report) == "nothing due"
    assert cal.history(entry.id) == before  # no news, nothing in the history


def test_a_post_that_passes_review_is_reported_published(cal: Calendar, sandbox: Sandbox) -> None:
    client, platform = reviewing(sandbox)
    entry = cal.add("Fine", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert pending.post_id is not None
    platform.verdicts[pending.post_id] = ("published", None)
    report = cal.refresh_pending({"douyin": client}, now=NOW + timedelta(minutes=1))
    assert [o.kind for o in report.outcomes] == ["published"]
    assert cal.get(entry.id).delivery("douyin").post_state == "published"


def test_run_due_reads_a_pending_post_again_after_the_review_interval(
    cal: Calendar, sandbox: Sandbox
) -> None:
    client, platform = reviewing(sandbox)
    assert cal.policy.review_interval == timedelta(minutes=5)
    cal.add("Waiting", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert pending.post_id is not None
    cal.run_due({"douyin": client}, now=NOW + timedelta(minutes=1))
    assert reads(sandbox, pending.post_id) == 0  # within the interval: not yet
    platform.verdicts[pending.post_id] = ("rejected", "copyright")
    report = cal.run_due({"douyin": client}, now=NOW + timedelta(minutes=6))
    assert [(o.kind, o.error) for o in report.outcomes] == [("rejected", "copyright")]
    assert reads(sandbox, pending.post_id) == 1


def test_a_pending_post_that_cannot_be_read_stays_pending(cal: Calendar, sandbox: Sandbox) -> None:
    client, _ = reviewing(sandbox)
    entry = cal.add("Unreadable", ["douyin"], at=NOW)
    cal.run_due({"douyin": client}, now=NOW)
    sandbox.fail_next(500, times=3)
    report = cal.refresh_pending({"douyin": client}, now=NOW + timedelta(minutes=10))
    (outcome,) = report.outcomes
    assert outcome.kind == "skipped"
    assert outcome.error is not None
    assert "could not be read" in outcome.error
    assert cal.get(entry.id).delivery("douyin").post_state == "pending"


@pytest.mark.anyio
async def test_arefresh_pending_records_a_rejection(cal: Calendar, sandbox: Sandbox) -> None:
    platform = ReviewingMastodon(instance=sandbox.base_url, access_token="brand")
    platform.verdicts = {}
    sync = Client(platform, transport=sandbox.transport(), retry=FAST)
    entry = cal.add("Async review", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": sync}, now=NOW).pending
    assert pending.post_id is not None
    platform.verdicts[pending.post_id] = ("rejected", "spam")
    async with AsyncClient(platform, transport=sandbox.transport(), retry=FAST) as client:
        report = await cal.arefresh_pending({"douyin": client}, now=NOW + timedelta(minutes=10))
    assert [o.kind for o in report.outcomes] == ["rejected"]
    assert cal.get(entry.id).delivery("douyin").post_state == "rejected"


def test_a_calendar_file_of_version_1_gains_the_post_state(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:1])
    conn.execute(
        "INSERT INTO entries (draft, at, state, created_at, updated_at) "
        "VALUES ('{\"text\": \"old\"}', 0, 'published', 0, 0)"
    )
    conn.execute(
        "INSERT INTO deliveries (entry_id, target, state, idempotency_key, post_id) "
        "VALUES (1, 'brand', 'published', 'k', '9')"
    )
    conn.close()
    with Calendar(path) as cal:
        assert cal.get(1).delivery("brand").post_state == "published"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    conn.close()


def test_a_passed_review_records_the_public_address_and_says_so_in_the_history(
    cal: Calendar, sandbox: Sandbox
) -> None:
    client, platform = reviewing(sandbox)
    entry = cal.add("Public soon", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert pending.post_id is not None
    assert (pending.url, cal.get(entry.id).delivery("douyin").post_url) == (None, None)
    platform.verdicts[pending.post_id] = ("published", "approved")
    (outcome,) = cal.refresh_pending({"douyin": client}, now=NOW + timedelta(minutes=1)).outcomes
    url = sandbox.statuses(account="brand")[-1]["url"]
    assert outcome == Outcome(entry.id, "douyin", "published", post_id=pending.post_id, url=url)
    assert cal.get(entry.id).delivery("douyin").post_url == url
    details = [detail for _, _, detail in cal.history(entry.id)]
    assert f"douyin: {pending.post_id} (pending review: under review)" in details
    assert details[-1] == f"douyin: {pending.post_id} (public: approved)"


def test_a_public_verdict_without_a_reason_reads_plainly(cal: Calendar, sandbox: Sandbox) -> None:
    client, platform = reviewing(sandbox)
    entry = cal.add("Plain verdict", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert pending.post_id is not None
    platform.verdicts[pending.post_id] = ("published", None)
    cal.refresh_pending({"douyin": client}, now=NOW + timedelta(minutes=1))
    assert cal.history(entry.id)[-1][2] == f"douyin: {pending.post_id} (public)"


@pytest.mark.anyio
async def test_an_async_run_reads_pending_posts_and_skips_what_it_cannot_read(
    cal: Calendar, sandbox: Sandbox
) -> None:
    platform = ReviewingMastodon(instance=sandbox.base_url, access_token="brand")
    platform.verdicts = {}
    sync = Client(platform, transport=sandbox.transport(), retry=FAST)
    first = cal.add("Gone", ["gone"], at=NOW)
    second = cal.add("Seen", ["douyin"], at=NOW)
    report = cal.run_due({"gone": sync, "douyin": sync}, now=NOW)
    for outcome in report.pending:
        assert outcome.post_id is not None
        platform.verdicts[outcome.post_id] = ("rejected", "spam")
    later = NOW + cal.policy.review_interval
    async with AsyncClient(platform, transport=sandbox.transport(), retry=FAST) as client:
        again = await cal.arun_due({"douyin": client}, now=later)
    assert [(o.entry_id, o.kind) for o in again.outcomes] == [
        (first.id, "skipped"),
        (second.id, "rejected"),
    ]


def test_a_rejection_reads_with_its_reason_in_the_history(cal: Calendar, sandbox: Sandbox) -> None:
    client, platform = reviewing(sandbox)
    entry = cal.add("Refused later", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert pending.post_id is not None
    platform.verdicts[pending.post_id] = ("rejected", "copyright")
    (outcome,) = cal.refresh_pending({"douyin": client}, now=NOW + timedelta(minutes=1)).outcomes
    url = sandbox.statuses(account="brand")[-1]["url"]
    assert outcome == Outcome(
        entry.id, "douyin", "rejected", post_id=pending.post_id, url=url, error="copyright"
    )
    detail = f"douyin: {pending.post_id} (rejected: copyright)"
    assert cal.history(entry.id)[-1][1:] == ("rejected", detail)


def test_a_verdict_another_worker_recorded_first_is_not_recorded_again(
    cal: Calendar, sandbox: Sandbox
) -> None:
    from socialkit.calendar.dispatch import Dispatcher, wall_clock

    client, platform = reviewing(sandbox)
    entry = cal.add("Raced", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert pending.post_id is not None
    platform.verdicts[pending.post_id] = ("rejected", "spam")
    later = NOW + timedelta(minutes=10)
    clients = {"douyin": client}
    slow = Dispatcher(cal._store, cal.policy, cal.rules, "slow", clients, later, wall_clock)
    (row,) = slow.awaiting_review()
    cal.refresh_pending({"douyin": client}, now=later)  # another worker, first
    slow.reviewed(row, client.get_post(pending.post_id))
    assert slow.report.outcomes == []
    assert [kind for _, kind, _ in cal.history(entry.id)].count("rejected") == 1


def test_a_pending_post_is_read_again_from_exactly_the_review_interval(
    cal: Calendar, sandbox: Sandbox
) -> None:
    client, _ = reviewing(sandbox)
    cal.add("On time", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    assert pending.post_id is not None
    interval = cal.policy.review_interval
    cal.run_due({"douyin": client}, now=NOW + interval - timedelta(seconds=0.5))
    assert reads(sandbox, pending.post_id) == 0
    cal.run_due({"douyin": client}, now=NOW + interval)
    assert reads(sandbox, pending.post_id) == 1
    cal.run_due({"douyin": client}, now=NOW + interval + timedelta(minutes=1))
    assert reads(sandbox, pending.post_id) == 1  # read, still pending: the interval again


def test_a_pending_post_that_cannot_be_read_is_reported_with_why(
    cal: Calendar, sandbox: Sandbox
) -> None:
    client, _ = reviewing(sandbox)
    entry = cal.add("Unreadable", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
    sandbox.fail_next(404, path="/api/v1/statuses/*")
    (outcome,) = cal.refresh_pending({"douyin": client}, now=NOW + timedelta(minutes=1)).outcomes
    assert outcome.error is not None
    assert outcome == Outcome(
        entry.id, "douyin", "skipped", post_id=pending.post_id, error=outcome.error
    )
    assert outcome.error.startswith("the review outcome could not be read: NotFound: ")
    delivery = cal.get(entry.id).delivery("douyin")
    assert (delivery.post_state, delivery.post_state_reason) == ("pending", "under review")


@pytest.mark.anyio
async def test_arefresh_pending_reports_a_post_it_cannot_read(
    cal: Calendar, sandbox: Sandbox
) -> None:
    platform = ReviewingMastodon(instance=sandbox.base_url, access_token="brand")
    platform.verdicts = {}
    sync = Client(platform, transport=sandbox.transport(), retry=FAST)
    entry = cal.add("Async unreadable", ["douyin"], at=NOW)
    (pending,) = cal.run_due({"douyin": sync}, now=NOW).pending
    sandbox.fail_next(404, path="/api/v1/statuses/*")
    async with AsyncClient(platform, transport=sandbox.transport(), retry=FAST) as client:
        report = await cal.arefresh_pending({"douyin": client}, now=NOW + timedelta(minutes=1))
    (outcome,) = report.outcomes
    assert (outcome.entry_id, outcome.kind) == (entry.id, "skipped")
    assert outcome.post_id == pending.post_id
    assert (outcome.error or "").startswith("the review outcome could not be read: NotFound: ")


class Blind(ReviewingMastodon):
    """A platform that publishes but cannot read posts back."""

    capabilities = frozenset(ReviewingMastodon.capabilities) - {Capability.READ_POSTS}


def test_posts_that_cannot_be_read_back_are_reported_and_the_others_read(
    cal: Calendar, sandbox: Sandbox
) -> None:
    client, platform = reviewing(sandbox)
    blind_platform = Blind(instance=sandbox.base_url, access_token="brand")
    blind = Client(blind_platform, transport=sandbox.transport(), retry=FAST)
    first = cal.add("Blind", ["blind", "gone"], at=NOW)
    second = cal.add("Seen", ["douyin"], at=NOW)
    clients = {"blind": blind, "gone": client, "douyin": client}
    report = cal.run_due(clients, now=NOW)
    ids = {(o.entry_id, o.target): o.post_id for o in report.pending}
    for post_id in ids.values():
        assert post_id is not None
        platform.verdicts[post_id] = ("published", None)
    later = cal.refresh_pending({"blind": blind, "douyin": client}, now=NOW + timedelta(minutes=1))
    assert later.outcomes[:2] == [
        Outcome(
            first.id,
            "blind",
            "skipped",
            post_id=ids[(first.id, "blind")],
            error="mastodon cannot read posts to learn the review outcome",
        ),
        Outcome(
            first.id,
            "gone",
            "skipped",
            post_id=ids[(first.id, "gone")],
            error="no client given for this target",
        ),
    ]
    assert [(o.entry_id, o.kind) for o in later.outcomes[2:]] == [(second.id, "published")]


class Rejecting(ReviewingMastodon):
    """A platform that refuses a post as it is published (a moderation verdict at once)."""

    def publish(self, draft: Draft) -> Flow[Post]:
        post = yield from super().publish(draft)
        return post.model_copy(update={"state": "rejected", "state_reason": "banned word"})


def test_a_post_refused_at_publish_is_reported_with_the_reason_a_pending_one_without(
    cal: Calendar, sandbox: Sandbox
) -> None:
    refusing = Rejecting(instance=sandbox.base_url, access_token="brand")
    refusing.verdicts = {}
    client, _ = reviewing(sandbox)
    refused = cal.add("Refused at once", ["strict"], at=NOW)
    waiting = cal.add("Under review", ["douyin"], at=NOW)
    with Client(refusing, transport=sandbox.transport(), retry=FAST) as strict:
        report = cal.run_due({"strict": strict, "douyin": client}, now=NOW)
    assert [(o.entry_id, o.kind, o.error) for o in report.outcomes] == [
        (refused.id, "rejected", "banned word"),
        (waiting.id, "pending", None),
    ]
    assert cal.get(refused.id).delivery("strict").post_state == "rejected"
