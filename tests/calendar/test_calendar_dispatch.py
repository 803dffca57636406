"""The dispatcher against the sandbox, through the real drivers, sync and async."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from calendar_support import FAST, FAST_POLICY, NOW, brand_texts, no_key_client, status_posts

from socialkit.calendar import Calendar, DeliveryState, Policy, State
from socialkit.client import AsyncClient, Client
from socialkit.testing import Sandbox


def test_due_entry_is_published_and_its_post_id_recorded(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    entry = cal.add("Hello from the calendar", ["brand"], at=NOW - timedelta(minutes=5))
    report = cal.run_due({"brand": client}, now=NOW)
    (outcome,) = report.published
    published = cal.get(entry.id)
    assert published.state is State.PUBLISHED
    assert published.delivery("brand").post_id == outcome.post_id
    assert sandbox.statuses(account="brand")[-1]["id"] == outcome.post_id
    assert published.delivery("brand").post_url == sandbox.statuses(account="brand")[-1]["url"]


def test_entry_not_yet_due_is_left_alone(cal: Calendar, client: Client, sandbox: Sandbox) -> None:
    cal.add("Later", ["brand"], at=NOW + timedelta(minutes=1))
    assert str(cal.run_due({"brand": client}, now=NOW)) == "nothing due"
    assert status_posts(sandbox) == []


def test_second_run_publishes_nothing_again(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    cal.add("Once", ["brand"], at=NOW)
    cal.run_due({"brand": client}, now=NOW)
    cal.run_due({"brand": client}, now=NOW + timedelta(days=1))
    assert status_posts(sandbox) == ["Once"]


def test_each_target_gets_its_own_idempotency_key_reused_on_retry(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    other = sandbox.client("other", retry=FAST)
    sandbox.fail_next(503, path="/api/v1/statuses", times=3)  # the driver's 3 attempts
    entry = cal.add("Hello", ["brand", "other"], at=NOW)
    first = cal.run_due({"brand": client, "other": other}, now=NOW)
    assert len(first.retrying) == 1
    cal.run_due({"brand": client, "other": other}, now=NOW + timedelta(minutes=5))
    keys = [
        (r.headers["authorization"], r.headers["idempotency-key"])
        for r in sandbox.requests
        if r.path == "/api/v1/statuses" and r.method == "POST"
    ]
    stored = {d.target: d.idempotency_key for d in cal.get(entry.id).deliveries}
    assert stored["brand"] != stored["other"]
    assert {key for _, key in keys} == set(stored.values())
    assert len(keys) == 5  # 3 failed + 1 retried + 1 for the other target
    assert cal.get(entry.id).state is State.PUBLISHED


def test_failures_back_off_then_fail_with_the_error_recorded(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    sandbox.fail_next(503, path="/api/v1/statuses", times=100)
    entry = cal.add("Hello", ["brand"], at=NOW)
    policy = cal.policy
    now = NOW
    dues = []
    for _ in range(policy.max_attempts):
        report = cal.run_due({"brand": client}, now=now)
        if report.retrying:
            assert report.retrying[0].until is not None
            dues.append(report.retrying[0].until - now)
            now = report.retrying[0].until
    assert dues == [policy.delay(n) for n in range(1, policy.max_attempts)]
    failed = cal.get(entry.id)
    assert failed.state is State.FAILED
    assert failed.delivery("brand").attempts == policy.max_attempts
    assert "503" in (failed.delivery("brand").error or "")


def test_invalid_content_fails_at_once(cal: Calendar, client: Client) -> None:
    entry = cal.add("x" * 600, ["brand"], at=NOW)
    report = cal.run_due({"brand": client}, now=NOW)
    assert [o.kind for o in report.outcomes] == ["failed"]
    assert "InvalidContent" in (cal.get(entry.id).delivery("brand").error or "")


def test_failed_entry_can_be_retried(cal: Calendar, client: Client, sandbox: Sandbox) -> None:
    sandbox.fail_next(422, path="/api/v1/statuses")
    entry = cal.add("Hello", ["brand"], at=NOW)
    cal.run_due({"brand": client}, now=NOW)
    assert cal.retry(entry.id, now=NOW).state is State.SCHEDULED
    cal.run_due({"brand": client}, now=NOW)
    assert cal.get(entry.id).state is State.PUBLISHED
    assert status_posts(sandbox) == ["Hello", "Hello"]  # the first one was refused (422)
    assert brand_texts(sandbox).count("Hello") == 1


def test_variant_is_sent_to_its_platform(cal: Calendar, client: Client, sandbox: Sandbox) -> None:
    cal.add("The long version", ["brand"], at=NOW, variants={"mastodon": "The toot version"})
    cal.run_due({"brand": client}, now=NOW)
    assert status_posts(sandbox) == ["The toot version"]


def test_target_without_a_client_is_skipped_and_kept(cal: Calendar, client: Client) -> None:
    entry = cal.add("Hello", ["brand", "nowhere"], at=NOW)
    report = cal.run_due({"brand": client}, now=NOW)
    assert [(o.target, o.kind) for o in report.outcomes] == [
        ("nowhere", "skipped"),
        ("brand", "published"),
    ]
    assert cal.get(entry.id).delivery("nowhere").state is DeliveryState.PENDING
    assert cal.get(entry.id).state is State.PUBLISHING


def test_factory_clients_are_made_per_target_and_closed(cal: Calendar, sandbox: Sandbox) -> None:
    made: list[Client] = []

    def factory(target: str) -> Client:
        made.append(sandbox.client(target, retry=FAST))
        return made[-1]

    cal.add("Hello", ["brand", "other"], at=NOW)
    report = cal.run_due(factory, now=NOW)
    assert len(report.published) == 2
    assert [c.platform.settings.access_token.get_secret_value() for c in made] == [
        "brand",
        "other",
    ]
    assert all(c._http.is_closed for c in made)


def test_lost_response_is_retried_with_the_same_key_where_keys_are_honoured(
    cal: Calendar, client: Client, sandbox: Sandbox
) -> None:
    sandbox.timeout_next(after_processing=True, times=1)
    cal.add("Hello", ["brand"], at=NOW)
    cal.run_due({"brand": client}, now=NOW)
    assert len(status_posts(sandbox)) == 2
    assert brand_texts(sandbox).count("Hello") == 1


def test_uncertain_publish_is_reconciled_from_recent_posts(cal: Calendar, sandbox: Sandbox) -> None:
    no_key = no_key_client(sandbox)
    no_key.platform.rules  # noqa: B018 - limits load on the first publish; nothing to do here
    sandbox.timeout_next(after_processing=True)  # posted, but the answer is lost
    entry = cal.add("Hello, reconciled", ["brand"], at=NOW)
    first = cal.run_due({"brand": no_key}, now=NOW)
    assert [o.kind for o in first.outcomes] == ["retrying"]
    assert "PublishUncertain" in (first.outcomes[0].error or "")
    second = cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))
    assert [o.kind for o in second.outcomes] == ["reconciled"]
    assert brand_texts(sandbox).count("Hello, reconciled") == 1
    assert (
        cal.get(entry.id).delivery("brand").post_id == sandbox.statuses(account="brand")[-1]["id"]
    )


def test_uncertain_publish_that_did_not_happen_is_sent_again(
    cal: Calendar, sandbox: Sandbox
) -> None:
    no_key = no_key_client(sandbox)
    sandbox.fail_next(503, path="/api/v1/statuses")  # refused before anything was stored
    entry = cal.add("Hello again", ["brand"], at=NOW)
    cal.run_due({"brand": no_key}, now=NOW)
    report = cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))
    assert [o.kind for o in report.outcomes] == ["published"]
    assert brand_texts(sandbox).count("Hello again") == 1
    assert cal.get(entry.id).state is State.PUBLISHED


def test_expired_lease_of_a_crashed_worker_is_reclaimed_and_reconciled(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    no_key = no_key_client(sandbox)
    path = tmp_path / "c.db"
    crashed = Calendar(path, lease=timedelta(seconds=0.05), owner="crashed")
    entry = crashed.add("Posted just before the crash", ["brand"], at=NOW)
    # The crashed worker claimed the delivery and its post went out; then it died.
    with crashed._store.write() as conn:
        assert crashed._store.claim(conn, 1, "crashed", NOW.timestamp(), 0, 0)
        crashed._store.start_attempt(conn, 1, "crashed", NOW.timestamp(), 0)
    no_key.publish("Posted just before the crash")
    survivor = Calendar(path, owner="survivor", policy=FAST_POLICY)
    report = survivor.run_due({"brand": no_key}, now=NOW)
    assert [o.kind for o in report.outcomes] == ["reconciled"]
    assert brand_texts(sandbox).count("Posted just before the crash") == 1
    assert survivor.get(entry.id).state is State.PUBLISHED


def test_live_lease_is_not_taken_by_another_worker(tmp_path: Path, client: Client) -> None:
    path = tmp_path / "c.db"
    busy = Calendar(path, owner="busy")
    entry = busy.add("Hello", ["brand"], at=NOW)
    with busy._store.write() as conn:
        lease_until = time.time() + 3600  # leases run on the wall clock
        assert busy._store.claim(conn, 1, "busy", NOW.timestamp(), 0, lease_until)
    other = Calendar(path, owner="other")
    assert other.run_due({"brand": client}, now=NOW).outcomes == []
    assert other.get(entry.id).delivery("brand").state is DeliveryState.PUBLISHING


def test_platform_that_cannot_list_posts_fails_rather_than_risk_a_second_post(
    cal: Calendar, sandbox: Sandbox
) -> None:
    from calendar_support import NoKeyMastodon

    from socialkit.platform import Capability

    class WriteOnly(NoKeyMastodon):
        capabilities = frozenset(Capability) - {Capability.READ_POSTS}

    platform = WriteOnly(instance=sandbox.base_url, access_token="brand")
    no_key = Client(platform, transport=sandbox.transport(), retry=FAST)
    sandbox.timeout_next(after_processing=True)
    entry = cal.add("Hello", ["brand"], at=NOW)
    cal.run_due({"brand": no_key}, now=NOW)
    report = cal.run_due({"brand": no_key}, now=NOW + timedelta(minutes=5))
    assert [o.kind for o in report.outcomes] == ["failed"]
    assert "cannot list" in (cal.get(entry.id).delivery("brand").error or "")
    assert brand_texts(sandbox).count("Hello") == 1


def test_two_workers_in_threads_never_publish_an_entry_twice(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    path = tmp_path / "c.db"
    with Calendar(path) as setup:
        for n in range(20):
            setup.add(f"Post number {n}", ["brand"], at=NOW)
    sandbox.latency = 0.002

    def work(owner: str) -> None:
        with Calendar(path, owner=owner) as mine, sandbox.client(retry=FAST) as brand:
            mine.run_due({"brand": brand}, now=NOW)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [t for t in brand_texts(sandbox) if t.startswith("Post number")]
    assert sorted(texts) == sorted(f"Post number {n}" for n in range(20))
    assert len(status_posts(sandbox)) == 20


@pytest.mark.anyio
async def test_async_dispatcher_publishes_due_entries_exactly_once(
    cal: Calendar, async_client: AsyncClient, sandbox: Sandbox
) -> None:
    entries = [cal.add(f"Async {n}", ["brand"], at=NOW) for n in range(6)]
    sandbox.timeout_next(after_processing=True)
    async with async_client:
        report = await cal.arun_due({"brand": async_client}, now=NOW, concurrency=3)
    assert len(report.published) == 6
    assert sorted(t for t in brand_texts(sandbox) if t.startswith("Async")) == [
        f"Async {n}" for n in range(6)
    ]
    assert {cal.get(e.id).state for e in entries} == {State.PUBLISHED}


@pytest.mark.anyio
async def test_async_dispatcher_reconciles_an_uncertain_publish(
    cal: Calendar, sandbox: Sandbox
) -> None:
    from calendar_support import NoKeyMastodon

    platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
    async with AsyncClient(platform, transport=sandbox.transport(), retry=FAST) as no_key:
        sandbox.timeout_next(after_processing=True)
        entry = cal.add("Async reconciled", ["brand"], at=NOW)
        await cal.arun_due({"brand": no_key}, now=NOW)
        report = await cal.arun_due({"brand": no_key}, now=NOW + timedelta(minutes=5))
    assert [o.kind for o in report.outcomes] == ["reconciled"]
    assert brand_texts(sandbox).count("Async reconciled") == 1
    assert cal.get(entry.id).state is State.PUBLISHED


def test_policy_rejects_unknown_on_resume() -> None:
    from socialkit import ConfigError

    with pytest.raises(ConfigError, match="on_resume"):
        Policy(on_resume="later")  # type: ignore[arg-type]
