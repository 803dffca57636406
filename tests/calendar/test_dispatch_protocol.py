"""The dispatcher's exactly-once decisions, in-process, with one clock for the calendar
and the sandbox (the crash tests run the same protocol in subprocesses, where these
decisions are invisible to coverage)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
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


# --- the run's clock -----------------------------------------------------------------------------


def test_without_a_fixed_time_a_run_reads_its_clock(
    cal: Calendar, no_key: Client, clock: Clock
) -> None:
    cal.add("On the clock", ["brand"], at=NOW + timedelta(minutes=1))
    live = Dispatcher(cal._store, cal.policy, cal.rules, "me", {"brand": no_key}, None, clock)
    assert kinds(run_sync(live)) == []  # not yet due by the clock
    clock.advance(timedelta(minutes=1))
    live = Dispatcher(cal._store, cal.policy, cal.rules, "me", {"brand": no_key}, None, clock)
    assert kinds(run_sync(live)) == ["published"]


def test_a_paused_calendar_makes_no_clients_and_reports_no_skipped_target(
    cal: Calendar, clock: Clock
) -> None:
    made: list[str] = []

    def factory(target: str) -> Client:
        made.append(target)
        raise AssertionError("no client is made while paused")

    cal.add("Held", ["brand", "nowhere"], at=NOW)
    cal.pause("crisis", now=clock.now())
    report = run_sync(dispatcher(cal, factory, clock))
    assert (report.paused, report.outcomes, made) == ("crisis", [], [])


def test_a_run_remembers_the_platform_of_each_target_for_the_rules(
    cal: Calendar, no_key: Client, clock: Clock
) -> None:
    from socialkit.calendar.rules import Rules

    cal.set_rules(Rules(min_gap_for={"mastodon": timedelta(hours=1)}))
    cal.add("First", ["brand"], at=NOW)
    run(cal, no_key, clock)
    (violation,) = cal.check(["brand"], NOW + timedelta(minutes=30))
    assert violation.rule == "min_gap"


# --- the rules at claim time ---------------------------------------------------------------------


def test_a_delivery_the_rules_hold_back_is_deferred_and_the_next_one_claimed(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    from socialkit.calendar.rules import Rules

    cal.set_rules(Rules(min_gap_for={"mastodon": timedelta(hours=1)}))
    cal.add("Earlier", ["brand"], at=NOW - timedelta(minutes=10))
    run_sync(dispatcher(cal, {"brand": no_key}, Clock(NOW - timedelta(minutes=10))))
    held = cal.add("Too soon", ["brand"], at=NOW, force=True)
    other = cal.add("Elsewhere", ["other"], at=NOW)
    report = run_sync(dispatcher(cal, {"brand": no_key, "other": no_key}, clock))
    until = NOW + timedelta(minutes=50)
    assert report.outcomes[0] == Outcome(held.id, "brand", "deferred", until=until)
    assert [(o.entry_id, o.kind) for o in report.outcomes[1:]] == [(other.id, "published")]
    assert cal.get(held.id).delivery("brand").due == until
    clock.advance(timedelta(minutes=49))
    assert kinds(run(cal, no_key, clock)) == []
    clock.advance(timedelta(minutes=1))
    assert kinds(run(cal, no_key, clock)) == ["published"]
    assert brand_texts(sandbox) == ["Earlier", "Elsewhere", "Too soon"]


def test_a_reclaimed_attempt_is_not_held_back_by_the_rules(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    from socialkit.calendar.rules import Rules

    cal.add("Earlier", ["brand"], at=NOW - timedelta(minutes=10))
    run_sync(dispatcher(cal, {"brand": no_key}, Clock(NOW - timedelta(minutes=10))))
    entry = cal.add("Crashed", ["brand"], at=NOW)
    crashed = dispatcher(cal, {"brand": no_key}, clock, owner="crashed")
    assert crashed.claim(crashed.start()) is not None  # then the worker dies
    cal.set_rules(Rules(min_gap=timedelta(hours=1)))  # the attempt may already be out
    clock.advance(POLICY.lease)
    assert kinds(run(cal, no_key, clock)) == ["published"]  # searched, not found, sent
    assert cal.get(entry.id).state is State.PUBLISHED


# --- leases --------------------------------------------------------------------------------------


def test_an_ordinary_claim_holds_a_lease_that_another_worker_takes_over_when_it_expires(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    entry = cal.add("Claimed", ["brand"], at=NOW)
    crashed = dispatcher(cal, {"brand": no_key}, clock, owner="crashed")
    claim = crashed.claim(crashed.start())
    assert claim is not None
    assert not claim.uncertain  # the attempt was noted with the claim
    clock.advance(POLICY.lease - timedelta(seconds=1))
    assert kinds(run(cal, no_key, clock)) == []  # still held
    clock.advance(timedelta(seconds=1))
    assert kinds(run(cal, no_key, clock)) == ["published"]
    assert searches(sandbox) == 1  # the crashed attempt was looked for first
    assert cal.get(entry.id).delivery("brand").attempts == 2


def test_a_renewed_lease_is_taken_over_once_it_expires(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    cal.add("Renewed", ["brand"], at=NOW)
    run(cal, no_key, clock)
    clock.advance(timedelta(minutes=5))
    mine = dispatcher(cal, {"brand": no_key}, clock)
    claim = mine.claim(mine.start())
    assert claim is not None
    clock.advance(timedelta(seconds=20))
    assert mine.begin(claim)  # renewed from now, then the worker dies
    clock.advance(POLICY.lease - timedelta(seconds=1))
    other = dispatcher(cal, {"brand": no_key}, clock, owner="other")
    assert other.claim(other.start()) is None
    clock.advance(timedelta(seconds=1))
    assert kinds(run(cal, no_key, clock)) == ["reconciled"]
    assert brand_texts(sandbox) == ["Renewed"]


def test_a_worker_that_lost_its_lease_leaves_the_delivery_alone_for_the_rest_of_its_run(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    contended = cal.add("Contended", ["brand"], at=NOW)
    run(cal, no_key, clock)
    clock.advance(timedelta(minutes=5))
    plain = cal.add("Plain", ["brand"], at=clock.now())
    slow = dispatcher(cal, {"brand": no_key}, clock)
    claim = slow.claim(slow.start())
    assert claim is not None
    assert claim.entry.id == contended.id
    clock.advance(timedelta(minutes=1))
    crashed = dispatcher(cal, {"brand": no_key}, clock, owner="crashed")
    taken = crashed.claim(crashed.start())  # takes it over, then dies
    assert taken is not None
    assert taken.entry.id == contended.id
    clock.advance(timedelta(minutes=1))
    assert not slow.begin(claim)
    after = slow.claim(slow.start())  # expired again, but not for this run: the next one
    assert after is not None
    assert after.entry.id == plain.id
    assert kinds(run(cal, no_key, clock)) == ["reconciled"]  # a fresh run takes it
    assert brand_texts(sandbox) == ["Contended"]


# --- what a failed attempt leaves behind ---------------------------------------------------------


def test_a_retry_records_the_error_and_the_platform_and_reports_when(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.fail_next(503, path="/api/v1/statuses")
    entry = cal.add("Again", ["brand"], at=NOW)
    (outcome,) = run(cal, no_key, clock).outcomes
    delivery = cal.get(entry.id).delivery("brand")
    assert delivery.error is not None
    assert delivery.error.startswith("PublishUncertain: ")
    assert outcome == Outcome(
        entry.id, "brand", "retrying", error=delivery.error, until=NOW + POLICY.delay(1)
    )
    assert (delivery.platform, delivery.due) == ("mastodon", NOW + POLICY.delay(1))


def test_a_failure_for_good_is_in_the_report_and_the_history(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.fail_next(422, path="/api/v1/statuses")
    entry = cal.add("Refused", ["brand"], at=NOW)
    (outcome,) = run(cal, no_key, clock).outcomes
    delivery = cal.get(entry.id).delivery("brand")
    assert delivery.error is not None
    assert delivery.error.startswith("InvalidContent: ")
    assert outcome == Outcome(entry.id, "brand", "failed", error=delivery.error)
    assert delivery.platform == "mastodon"
    assert ("failure", f"brand: {delivery.error}") in [(k, d) for _, k, d in cal.history(entry.id)]


def test_a_rate_limited_attempt_is_not_uncertain_so_it_is_not_searched_for(
    cal: Calendar, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.fail_next(429, path="/api/v1/statuses")
    cal.add("Limited", ["brand"], at=NOW)
    platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
    with Client(platform, transport=sandbox.transport(), retry=FAST, rate_limit="raise") as c:
        assert kinds(run(cal, c, clock)) == ["retrying"]
    clock.advance(timedelta(hours=1))
    with Client(platform, transport=sandbox.transport(), retry=FAST) as later:
        assert kinds(run(cal, later, clock)) == ["published"]
    assert searches(sandbox) == 0


def test_a_published_delivery_records_when_and_where(
    cal: Calendar, no_key: Client, clock: Clock
) -> None:
    entry = cal.add("Recorded", ["brand"], at=NOW)
    clock.advance(timedelta(minutes=3))
    (outcome,) = run(cal, no_key, clock).outcomes
    delivery = cal.get(entry.id).delivery("brand")
    assert (delivery.published_at, delivery.platform) == (clock.now(), "mastodon")
    assert (outcome.kind, outcome.post_id, outcome.error) == ("published", delivery.post_id, None)


# --- the search for a lost attempt, in both loops ------------------------------------------------


def either(kind: str, cal: Calendar, sandbox: Sandbox, clock: Clock) -> DispatchReport:
    """One run of the sync or the async dispatcher with a client that sends no key."""
    import anyio

    platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
    if kind == "sync":
        with Client(platform, transport=sandbox.transport(), retry=FAST) as client:
            return run_sync(dispatcher(cal, {"brand": client}, clock))

    async def dispatch() -> DispatchReport:
        async with AsyncClient(platform, transport=sandbox.transport(), retry=FAST) as client:
            return await run_async(dispatcher(cal, {"brand": client}, clock))

    return anyio.run(dispatch)


LOOPS = pytest.mark.parametrize("loop", ["sync", "async"])


def lose_then_post_older(
    cal: Calendar, sandbox: Sandbox, clock: Clock, runs: list[int], loop: str
) -> None:
    """Lose the answer to "Lost" at NOW; then, newer in the listing than it, runs of posts
    dated a day earlier (boosts show like that), split by one post of now."""
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    cal.add("Lost", ["brand"], at=NOW)
    assert kinds(either(loop, cal, sandbox, clock)) == ["retrying"]
    platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
    with Client(platform, transport=sandbox.transport(), retry=FAST) as client:
        for n, count in enumerate(runs):
            if n:
                client.publish(f"Now {n}")
            sandbox._clock = Clock(NOW - timedelta(days=1)).now
            for i in range(count):
                client.publish(f"Old {n}.{i}")
            sandbox._clock = clock.now
    clock.advance(timedelta(minutes=5))


@LOOPS
def test_a_run_of_19_older_posts_does_not_end_the_search(
    cal: Calendar, sandbox: Sandbox, clock: Clock, loop: str
) -> None:
    lose_then_post_older(cal, sandbox, clock, [19], loop)
    assert kinds(either(loop, cal, sandbox, clock)) == ["reconciled"]
    assert brand_texts(sandbox).count("Lost") == 1


@LOOPS
def test_a_run_of_20_older_posts_ends_the_search(
    cal: Calendar, sandbox: Sandbox, clock: Clock, loop: str
) -> None:
    lose_then_post_older(cal, sandbox, clock, [20], loop)
    # the bound of the search: what lies behind 20 older posts is not looked at
    assert kinds(either(loop, cal, sandbox, clock)) == ["published"]
    assert brand_texts(sandbox).count("Lost") == 2


def test_a_newer_post_starts_the_run_of_older_posts_again(
    cal: Calendar, sandbox: Sandbox, clock: Clock
) -> None:
    lose_then_post_older(cal, sandbox, clock, [19, 10], "sync")  # listed: 10, now, 19, lost
    assert kinds(either("sync", cal, sandbox, clock)) == ["reconciled"]
    assert brand_texts(sandbox).count("Lost") == 1


@LOOPS
def test_the_search_reads_at_most_reconcile_scan_posts(
    tmp_path: Path, sandbox: Sandbox, clock: Clock, loop: str
) -> None:
    with Calendar(tmp_path / "short.db", policy=attrs.evolve(POLICY, reconcile_scan=5)) as short:
        sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
        short.add("Lost", ["brand"], at=NOW)
        either(loop, short, sandbox, clock)
        clock.advance(timedelta(minutes=5))
        assert kinds(either(loop, short, sandbox, clock)) == ["reconciled"]
    (listing,) = [r for r in sandbox.requests if r.method == "GET" and "/statuses" in r.path]
    assert ("limit", "5") in listing.query


@LOOPS
def test_a_search_that_breaks_off_leaves_the_outcome_unknown(
    cal: Calendar, sandbox: Sandbox, clock: Clock, loop: str
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    entry = cal.add("Hello, cycling", ["brand"], at=NOW)
    either(loop, cal, sandbox, clock)
    me = sandbox.statuses(account="brand")[-1]["account"]["id"]
    for n in range(3):  # empty pages whose next link alternates between two cursors
        cycle = f'<{sandbox.base_url}/api/v1/accounts/{me}/statuses?max_id={n % 2}>; rel="next"'
        sandbox.answer_next(200, b"[]", headers={"Link": cycle}, path="/api/v1/accounts/*/statuses")
    clock.advance(timedelta(minutes=5))
    (outcome,) = either(loop, cal, sandbox, clock).outcomes
    assert outcome.kind == "retrying"
    assert outcome.error is not None
    assert outcome.error.startswith("PublishUncertain: [mastodon] the account's recent posts")
    assert outcome.error.endswith(": the lost attempt may be among them; not publishing again")
    assert cal.get(entry.id).delivery("brand").error == outcome.error
    assert brand_texts(sandbox) == ["Hello, cycling"]


@LOOPS
def test_an_uncertain_delivery_that_cannot_be_searched_fails_naming_the_platform(
    cal: Calendar, sandbox: Sandbox, clock: Clock, loop: str
) -> None:
    import anyio

    platform = WriteOnly(instance=sandbox.base_url, access_token="brand")
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    entry = cal.add("Once", ["brand"], at=NOW)

    def dispatch() -> DispatchReport:
        if loop == "sync":
            with Client(platform, transport=sandbox.transport(), retry=FAST) as client:
                return run_sync(dispatcher(cal, {"brand": client}, clock))

        async def go() -> DispatchReport:
            async with AsyncClient(platform, transport=sandbox.transport(), retry=FAST) as c:
                return await run_async(dispatcher(cal, {"brand": c}, clock))

        return anyio.run(go)

    dispatch()
    clock.advance(timedelta(minutes=5))
    (outcome,) = dispatch().outcomes
    error = cal.get(entry.id).delivery("brand").error
    assert outcome == Outcome(entry.id, "brand", "failed", error=error)
    assert error == (
        "Unsupported: [mastodon] the outcome of an earlier attempt is unknown and mastodon "
        "cannot list the account's posts to check; publish by hand if it is not there"
    )


def test_an_async_publish_is_reported_published_with_its_error_on_failure(
    cal: Calendar, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.fail_next(422, path="/api/v1/statuses")
    refused = cal.add("Refused", ["brand"], at=NOW)
    report = either("async", cal, sandbox, clock)
    error = cal.get(refused.id).delivery("brand").error or ""
    assert error.startswith("InvalidContent: ")
    assert report.outcomes == [Outcome(refused.id, "brand", "failed", error=error)]
    cal.add("Fine", ["brand"], at=NOW)
    assert kinds(either("async", cal, sandbox, clock)) == ["published"]


def test_a_variant_for_the_target_is_what_is_sent_and_searched_for(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    cal.add("Main text", ["brand"], at=NOW, variants={"brand": "For the brand account"})
    assert kinds(run(cal, no_key, clock)) == ["retrying"]
    clock.advance(timedelta(minutes=5))
    assert kinds(run(cal, no_key, clock)) == ["reconciled"]
    assert brand_texts(sandbox) == ["For the brand account"]


def test_a_post_exactly_the_clock_skew_before_the_attempt_is_still_a_candidate(
    cal: Calendar, no_key: Client, sandbox: Sandbox, clock: Clock
) -> None:
    sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    cal.add("Edge", ["brand"], at=NOW)
    sandbox._clock = Clock(NOW - POLICY.clock_skew).now  # the platform's clock, behind
    assert kinds(run(cal, no_key, clock)) == ["retrying"]
    sandbox._clock = clock.now
    clock.advance(timedelta(minutes=5))
    assert kinds(run(cal, no_key, clock)) == ["reconciled"]
    assert brand_texts(sandbox) == ["Edge"]


class Tracking(AsyncClient):
    """An async client that counts the publishes in flight at once, as the platform sees.

    A publish waits (up to three seconds) for ``expect`` publishes to be in flight together
    before it goes on, so the peak does not depend on how fast the store's claims run
    in their threads: a run that allows fewer at once never reaches ``expect``, one
    that allows more goes past it.
    """

    in_flight = 0
    most = 0
    expect = 1
    reached = False

    async def publish(self, *args: Any, **kwargs: Any) -> Any:
        import anyio

        cls = type(self)
        cls.in_flight += 1
        cls.most = max(cls.most, cls.in_flight)
        cls.reached = cls.reached or cls.in_flight >= cls.expect
        try:
            with anyio.move_on_after(3.0):
                while not cls.reached:
                    await anyio.sleep(0.005)
            await anyio.sleep(0.01)
            return await super().publish(*args, **kwargs)
        finally:
            cls.in_flight -= 1


@pytest.mark.parametrize(("concurrency", "most"), [(None, 4), (1, 1), (0, 1)])
def test_an_async_run_has_at_most_concurrency_publishes_in_flight(
    cal: Calendar, sandbox: Sandbox, clock: Clock, concurrency: int | None, most: int
) -> None:
    import anyio

    for n in range(6):
        cal.add(f"Post {n}", ["brand"], at=NOW)

    class Counted(Tracking):
        expect = most

    async def dispatch() -> DispatchReport:
        platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
        async with Counted(platform, transport=sandbox.transport(), retry=FAST) as client:
            d = dispatcher(cal, {"brand": client}, clock)
            if concurrency is None:
                return await run_async(d)
            return await run_async(d, concurrency=concurrency)

    assert len(anyio.run(dispatch).published) == 6
    assert Counted.most == most
