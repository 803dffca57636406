"""The dispatcher's exactly-once decisions, in-process, with one clock for the calendar
and the sandbox (the crash tests run the same protocol in subprocesses, where these
decisions are invisible to coverage)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from calendar_support import FAST, NOW, NoKeyMastodon, brand_texts, status_posts

from socialkit.calendar import Calendar, DeliveryState, Policy, State
from socialkit.calendar.dispatch import Dispatcher, run_async, run_sync
from socialkit.calendar.report import DispatchReport, Outcome
from socialkit.client import AsyncClient, Client
from socialkit.platform import Capability
from socialkit.testing import Sandbox

POLICY = Policy(
    backoff=timedelta(seconds=10),
    lease=timedelta(seconds=30),
    idempotency_window=timedelta(hours=1),
    clock_skew=timedelta(minutes=5),
)


class Clock:
    """The wall clock of the dispatcher and of the sandbox, moved by hand."""

    def __init__(self, start: datetime) -> None:
        self.t = start.timestamp()

    def __call__(self) -> float:
        return self.t

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.t, UTC)

    def advance(self, delta: timedelta) -> None:
        self.t += delta.total_seconds()


class WriteOnly(NoKeyMastodon):
    """A platform that cannot list the account's posts."""

    capabilities = frozenset(Capability) - {Capability.READ_POSTS}


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def sandbox(clock: Clock) -> Sandbox:
    return Sandbox(seed=False, clock=clock.now)


@pytest.fixture
def cal(tmp_path: Path) -> Iterator[Calendar]:
    with Calendar(tmp_path / "calendar.db", policy=POLICY, owner="me") as calendar:
        yield calendar


@pytest.fixture
def keyed(sandbox: Sandbox) -> Iterator[Client]:
    with sandbox.client(retry=FAST) as client:
        yield client


@pytest.fixture
def no_key(sandbox: Sandbox) -> Iterator[Client]:
    platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
    with Client(platform, transport=sandbox.transport(), retry=FAST) as client:
        yield client


def dispatcher(cal: Calendar, clients: Any, clock: Clock, owner: str = "me") -> Dispatcher[Any]:
    return Dispatcher(cal._store, cal.policy, cal.rules, owner, clients, clock.now(), clock)


def run(cal: Calendar, client: Client, clock: Clock, *, limit: int | None = None) -> DispatchReport:
    return run_sync(dispatcher(cal, {"brand": client}, clock), limit=limit)


def kinds(report: DispatchReport) -> list[str]:
    return [o.kind for o in report.outcomes]


def searches(sandbox: Sandbox) -> int:
    """How many times the account's posts were listed."""
    return sum(1 for r in sandbox.requests if r.method == "GET" and "/statuses" in r.path)


def lose_every_response(sandbox: Sandbox) -> None:
    """The post is stored, but the driver's three attempts all time out."""
    sandbox.timeout_next(after_processing=True, times=3, path="/api/v1/statuses")


# --- where keys are honoured: retry with the key inside its window, search after it ---------------


def test_inside_the_key_window_an_uncertain_delivery_is_retried_with_its_key(
    cal: Calendar, keyed: Client, sandbox: Sandbox, clock: Clock
) -> None:
    lose_every_response(sandbox)
    entry = cal.add("Keyed hello", ["brand"], at=NOW)
    assert kinds(run(cal, keyed, clock)) == ["retrying"]
    clock.advance(timedelta(minutes=59))
    report = run(cal, keyed, clock)
    assert kinds(report) == ["published"]
    assert searches(sandbox) == 0
    assert brand_texts(sandbox) == ["Keyed hello"]  # the key answered the first post
    assert cal.get(entry.id).delivery("brand").post_id == report.outcomes[0].post_id


@pytest.mark.parametrize("after", [timedelta(hours=1), timedelta(hours=3)])
def test_from_the_end_of_the_key_window_recent_posts_are_searched_instead(
    cal: Calendar, keyed: Client, sandbox: Sandbox, clock: Clock, after: timedelta
) -> None:
    lose_every_response(sandbox)
    cal.add("Keyed hello", ["brand"], at=NOW)
    run(cal, keyed, clock)
    sent = len(status_posts(sandbox))
    clock.advance(after)
    assert kinds(run(cal, keyed, clock)) == ["reconciled"]
    assert len(status_posts(sandbox)) == sent  # found, so not sent again
    assert searches(sandbox) == 1


def test_a_transport_failure_is_uncertain_so_a_late_retry_searches_first(
    cal: Calendar, keyed: Client, sandbox: Sandbox, clock: Clock
) -> None:
    lose_every_response(sandbox)
    entry = cal.add("Maybe sent", ["brand"], at=NOW)
    first = run(cal, keyed, clock)
    assert "TransportError" in (first.outcomes[0].error or "")
    clock.advance(timedelta(hours=2))
    assert kinds(run(cal, keyed, clock)) == ["reconciled"]
    assert cal.get(entry.id).delivery("brand").attempts == 2


# --- reconciliation: which recent post is the lost attempt ---------------------------------------


def test_an_identical_post_older_than_the_first_attempt_is_not_the_lost_attempt(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    no_key.publish("Good morning!")  # yesterday's post, same words
    clock.advance(timedelta(days=1))
    sandbox.fail_next(503, path="/api/v1/statuses")  # refused: nothing was posted
    entry = cal.add("Good morning!", ["brand"], at=clock.now())
    assert kinds(run(cal, no_key, clock)) == ["retrying"]
    clock.advance(timedelta(minutes=5))
    assert kinds(run(cal, no_key, clock)) == ["published"]
    assert brand_texts(sandbox) == ["Good morning!", "Good morning!"]
    assert cal.get(entry.id).state is State.PUBLISHED


def test_a_post_within_the_clock_skew_before_the_attempt_is_still_a_candidate(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    entry = cal.add("Skewed", ["brand"], at=NOW)
    # The platform's clock runs four minutes behind ours: the post it stores looks older.
    behind = Clock(NOW - timedelta(minutes=4))
    sandbox._clock = behind.now
    assert kinds(run(cal, no_key, clock)) == ["retrying"]
    sandbox._clock = clock.now
    clock.advance(timedelta(minutes=5))
    assert kinds(run(cal, no_key, clock)) == ["reconciled"]
    assert brand_texts(sandbox) == ["Skewed"]
    assert cal.get(entry.id).state is State.PUBLISHED


def test_a_newer_reply_with_the_same_words_does_not_hide_the_lost_attempt(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    entry = cal.add("Thanks everyone", ["brand"], at=NOW)
    assert kinds(run(cal, no_key, clock)) == ["retrying"]
    lost = sandbox.statuses(account="brand")[-1]["id"]
    clock.advance(timedelta(minutes=1))
    other = no_key.publish("Another topic")
    no_key.reply(other, "Thanks everyone")  # newest, same words, but a reply
    clock.advance(timedelta(minutes=5))
    report = run(cal, no_key, clock)
    assert kinds(report) == ["reconciled"]
    assert cal.get(entry.id).delivery("brand").post_id == lost
    assert brand_texts(sandbox).count("Thanks everyone") == 2  # the lost post and the reply


def test_a_post_already_recorded_for_another_entry_is_not_taken_twice(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    lost_entry = cal.add("Same words", ["brand"], at=NOW)
    assert kinds(run(cal, no_key, clock)) == ["retrying"]
    lost = sandbox.statuses(account="brand")[-1]["id"]
    clock.advance(timedelta(seconds=5))  # before the lost delivery's retry is due
    done = cal.add("Same words", ["brand"], at=clock.now())  # a second entry, same text
    assert kinds(run(cal, no_key, clock)) == ["published"]
    clock.advance(timedelta(minutes=5))
    assert kinds(run(cal, no_key, clock)) == ["reconciled"]
    assert cal.get(lost_entry.id).delivery("brand").post_id == lost
    assert cal.get(done.id).delivery("brand").post_id != lost
    assert brand_texts(sandbox).count("Same words") == 2


def test_an_uncertain_delivery_on_a_platform_that_cannot_search_fails_in_the_async_run(
    cal: Calendar, sandbox: Sandbox, clock: Clock
) -> None:
    import anyio

    platform = WriteOnly(instance=sandbox.base_url, access_token="brand")
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    entry = cal.add("Async once", ["brand"], at=NOW)

    async def dispatch() -> DispatchReport:
        async with AsyncClient(platform, transport=sandbox.transport(), retry=FAST) as client:
            return await run_async(dispatcher(cal, {"brand": client}, clock))

    assert kinds(anyio.run(dispatch)) == ["retrying"]
    clock.advance(timedelta(minutes=5))
    assert kinds(anyio.run(dispatch)) == ["failed"]
    error = cal.get(entry.id).delivery("brand").error or ""
    assert "cannot list the account's posts" in error
    assert brand_texts(sandbox) == ["Async once"]


def test_a_failure_for_good_after_an_uncertain_attempt_says_to_check_the_account(
    tmp_path: Path, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    with Calendar(tmp_path / "strict.db", policy=Policy(max_attempts=1)) as strict:
        sandbox.timeout_next(path="/api/v1/statuses")
        entry = strict.add("One go", ["brand"], at=NOW)
        assert kinds(run(strict, no_key, clock)) == ["failed"]
        error = strict.get(entry.id).delivery("brand").error or ""
    assert error.startswith("PublishUncertain: ")
    assert error.endswith(" (the last attempt's outcome is unknown: check the account)")


def test_a_refused_draft_fails_without_the_unknown_outcome_note(
    cal: Calendar, no_key: Client, clock: Clock
) -> None:
    entry = cal.add("x" * 600, ["brand"], at=NOW)
    assert kinds(run(cal, no_key, clock)) == ["failed"]
    assert "unknown" not in (cal.get(entry.id).delivery("brand").error or "")


# --- rescheduling --------------------------------------------------------------------------------


def test_a_rate_limit_reschedules_after_its_retry_after_and_costs_no_attempt(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.fail_next(429, retry_after=3600, path="/api/v1/statuses")
    entry = cal.add("Later", ["brand"], at=NOW)
    report = run(cal, no_key, clock)
    assert kinds(report) == ["retrying"]
    assert report.outcomes[0].until == clock.now() + timedelta(hours=1)
    delivery = cal.get(entry.id).delivery("brand")
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)


def test_a_short_retry_after_still_waits_the_backoff(
    cal: Calendar, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.fail_next(429, retry_after=1, path="/api/v1/statuses")
    cal.add("Later", ["brand"], at=NOW)
    with sandbox.client(retry=FAST, rate_limit="raise") as client:
        report = run(cal, client, clock)
    assert kinds(report) == ["retrying"]
    assert report.outcomes[0].until == clock.now() + POLICY.delay(1)


def test_an_ordinary_attempt_is_counted_when_it_is_claimed(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.fail_next(422, path="/api/v1/statuses")
    entry = cal.add("Refused", ["brand"], at=NOW)
    assert kinds(run(cal, no_key, clock)) == ["failed"]
    assert cal.get(entry.id).delivery("brand").attempts == 1


# --- limits --------------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, 1, 2])
def test_a_sync_run_handles_at_most_limit_deliveries(
    cal: Calendar, no_key: Client, clock: Clock, limit: int
) -> None:
    for n in range(3):
        cal.add(f"Post {n}", ["brand"], at=NOW)
    assert len(run(cal, no_key, clock, limit=limit).published) == limit


@pytest.mark.parametrize("limit", [0, 1, 2])
def test_an_async_run_handles_at_most_limit_deliveries(
    cal: Calendar, sandbox: Sandbox, clock: Clock, limit: int
) -> None:
    import anyio

    for n in range(3):
        cal.add(f"Post {n}", ["brand"], at=NOW)

    async def dispatch() -> DispatchReport:
        async with sandbox.async_client(retry=FAST) as client:
            d = dispatcher(cal, {"brand": client}, clock)
            return await run_async(d, limit=limit, concurrency=2)

    assert len(anyio.run(dispatch).published) == limit
    assert len(status_posts(sandbox)) == limit


# --- leases --------------------------------------------------------------------------------------


def test_renewing_the_lease_before_the_request_keeps_other_workers_out(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    cal.add("Leased", ["brand"], at=NOW)
    run(cal, no_key, clock)
    clock.advance(timedelta(minutes=5))
    mine = dispatcher(cal, {"brand": no_key}, clock)
    claim = mine.claim(mine.start())
    assert claim is not None
    assert claim.uncertain
    clock.advance(timedelta(seconds=20))  # searching took a while, within the lease
    assert mine.begin(claim)
    clock.advance(timedelta(seconds=20))  # past the claim's lease, within the renewed one
    other = dispatcher(cal, {"brand": no_key}, clock, owner="other")
    assert other.claim(other.start()) is None


def test_a_worker_whose_lease_was_taken_backs_off(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    entry = cal.add("Taken", ["brand"], at=NOW)
    run(cal, no_key, clock)
    clock.advance(timedelta(minutes=5))
    slow = dispatcher(cal, {"brand": no_key}, clock)
    claim = slow.claim(slow.start())
    assert claim is not None
    clock.advance(timedelta(minutes=1))  # the lease expired while it searched
    fast = dispatcher(cal, {"brand": no_key}, clock, owner="other")
    assert kinds(run_sync(fast)) == ["reconciled"]
    assert not slow.begin(claim)
    assert slow.claim(slow.start()) is None
    assert cal.get(entry.id).state is State.PUBLISHED


# --- what the report and the audit trail say -----------------------------------------------------


def test_the_report_and_history_name_each_delivery_exactly(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    lost = cal.add("Lost answer", ["brand"], at=NOW)
    plain = cal.add("Plain", ["brand"], at=NOW)
    run(cal, no_key, clock)
    clock.advance(timedelta(minutes=5))
    report = run(cal, no_key, clock)
    posts = {s["content"]: s for s in sandbox.statuses(account="brand")}
    found = posts["<p>Lost answer</p>"]
    assert report.outcomes == [
        Outcome(lost.id, "brand", "reconciled", post_id=found["id"], url=found["url"])
    ]
    lost_events = {what: detail for _, what, detail in cal.history(lost.id)}
    assert lost_events["reconciled"] == f"brand: {found['id']}"
    assert "delivered" not in lost_events
    plain_events = {what: detail for _, what, detail in cal.history(plain.id)}
    assert plain_events["delivered"] == f"brand: {cal.get(plain.id).delivery('brand').post_id}"
    assert "reconciled" not in plain_events


def test_a_target_without_a_client_is_reported_with_why(
    cal: Calendar, no_key: Client, clock: Clock
) -> None:
    entry = cal.add("Hello", ["brand", "nowhere"], at=NOW)
    report = run_sync(dispatcher(cal, {"brand": no_key}, clock))
    assert report.outcomes[0] == Outcome(
        entry.id, "nowhere", "skipped", error="no client given for this target"
    )


def test_a_client_factory_that_fails_is_reported_with_its_error(
    cal: Calendar, clock: Clock
) -> None:
    from socialkit.errors import ConfigError

    def factory(target: str) -> Client:
        raise ConfigError("no token for it")

    entry = cal.add("Hello", ["brand"], at=NOW)
    report = run_sync(dispatcher(cal, factory, clock))
    assert report.outcomes == [
        Outcome(entry.id, "brand", "skipped", error="no client: no token for it")
    ]


def test_a_paused_calendar_reports_why_and_sends_nothing(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    cal.add("Held", ["brand"], at=NOW)
    cal.pause("crisis", now=clock.now())
    report = run(cal, no_key, clock)
    assert (report.paused, report.outcomes) == ("crisis", [])
    assert status_posts(sandbox) == []
