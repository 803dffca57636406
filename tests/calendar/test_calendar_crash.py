"""Exactly once across crashes: dispatcher processes SIGKILLed at random points and restarted.

Each scenario publishes 50 due entries to a sandbox served on a loopback port (5 ms
latency) while the sandbox answers some publishes with 503, loses the answers of
others after storing the post, drips some answers a byte at a time (the workers' call
deadline ends them) and leads some listings (the reconciliation scan) into a cycle of
empty pages. Workers are killed at random moments (seeded) and
restarted; at the end the brand has exactly 50 new posts, none twice, and every entry
is published with its post id.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from calendar_worker import process_main

from socialkit.calendar import Calendar, State
from socialkit.providers.mastodon import html_to_text
from socialkit.testing import Sandbox

PRELOAD = ["socialkit.calendar", "socialkit.client", "socialkit.providers.mastodon"]
ENTRIES = 50
MAX_ROUNDS = 25


class Workers:
    """Dispatcher processes on one calendar file.

    They are forked from a multiprocessing fork server (a fresh ``sys.executable``
    interpreter that has imported socialkit once), so a restart takes milliseconds
    and the kill lands while the dispatcher is working, not while it is importing.
    """

    def __init__(self, db: Path, url: str, mode: str) -> None:
        self.db, self.url, self.mode = db, url, mode
        self.context = multiprocessing.get_context("forkserver")
        # Python 3.11's fork server ignores sys.path when preloading: name installed modules.
        self.context.set_forkserver_preload(PRELOAD)
        self.alive: list[Any] = []
        self.started = 0
        self.killed = 0

    def top_up(self, count: int) -> None:
        """Start workers until ``count`` run, and wait until each is ready."""
        self.alive = [p for p in self.alive if p.is_alive()]
        while len(self.alive) < count:
            self.started += 1
            ready = self.context.Event()
            process = self.context.Process(
                target=process_main,
                args=(str(self.db), self.url, f"worker-{self.started}", self.mode, ready),
            )
            process.start()
            assert ready.wait(timeout=30), "worker did not start"
            self.alive.append(process)

    def kill_some(self, rng: random.Random) -> None:
        """SIGKILL a random, non-empty subset of the running workers."""
        running = [p for p in self.alive if p.is_alive()]
        for process in rng.sample(running, rng.randint(1, len(running))) if running else []:
            try:
                os.kill(process.pid, signal.SIGKILL)
            except ProcessLookupError:  # it finished its work and exited meanwhile
                continue
            finally:
                process.join()
            self.killed += 1

    def finish(self, timeout: float) -> None:
        """Wait for every worker to exit on its own."""
        deadline = time.monotonic() + timeout
        for process in self.alive:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            assert process.exitcode == 0


def publishes(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.method == "POST")


def unfinished(db: Path) -> int:
    with Calendar(db) as cal:
        return len(cal.entries(state=[State.SCHEDULED, State.PUBLISHING]))


def add_slow_faults(sandbox: Sandbox, rng: random.Random, *, first: bool) -> None:
    """Sometimes (always in the first round) a publish or a listing answered a byte at a
    time, and a listing (the reconciliation scan) whose next cursor cycles between two
    empty pages."""
    if first or rng.random() < 0.3:
        path = rng.choice(["/api/v1/statuses", "/api/v1/accounts/*/statuses", None])
        sandbox.drip_next(interval=0.05, path="/api/v1/statuses" if first else path)
    if first or rng.random() < 0.3:
        sandbox.cycle_next(path="/api/v1/accounts/*/statuses", times=rng.randint(1, 3))


def run_crash_scenario(tmp_path: Path, *, workers: int, mode: str, seed: int) -> None:
    rng = random.Random(seed)
    sandbox = Sandbox(latency=0.005)
    seeded = {s["id"] for s in sandbox.statuses(account="brand")}
    db = tmp_path / "crash.db"
    due = datetime.now(UTC) - timedelta(minutes=1)
    texts = [f"Crash-test post {n:02d} of {ENTRIES}: exactly once, please." for n in range(ENTRIES)]
    with Calendar(db) as cal:
        for text in texts:
            cal.add(text, ["brand"], at=due)

    with sandbox.serve() as url:
        pool = Workers(db, url, mode)
        rounds = 0
        while (left := unfinished(db)) and rounds < MAX_ROUNDS:
            rounds += 1
            # Kill at a random point: a few publish requests into the round (counted
            # from before the restart, as survivors keep working), then a random few
            # milliseconds more, inside a request or between two.
            wanted = publishes(sandbox) + min(left, rng.randint(1, 5))
            pool.top_up(workers)
            if rng.random() < 0.5:
                sandbox.fail_next(503, path="/api/v1/statuses", times=rng.randint(1, 3))
            if rng.random() < 0.5:
                sandbox.timeout_next(after_processing=True)
            add_slow_faults(sandbox, rng, first=rounds == 1)
            deadline = time.monotonic() + 3
            while publishes(sandbox) < wanted and time.monotonic() < deadline:
                time.sleep(0.001)
            # the first round's dripping publish cost its worker a 0.4 s deadline, not minutes
            assert rounds > 1 or publishes(sandbox) >= wanted, "a dripping answer stalled"
            time.sleep(rng.uniform(0, 0.015))
            pool.kill_some(rng)
        pool.top_up(workers)
        pool.finish(timeout=20)

    new = [s for s in sandbox.statuses(account="brand") if s["id"] not in seeded]
    assert pool.killed >= 3
    assert sandbox.faults_served["drip"] >= 1
    if mode == "nokey":  # only a platform without idempotency keys makes them scan
        assert sandbox.faults_served["cycle page"] >= 2
    assert len(new) == ENTRIES
    assert sorted(html_to_text(s["content"]) for s in new) == sorted(texts)
    with Calendar(db) as cal:
        entries = cal.entries()
    assert {e.state for e in entries} == {State.PUBLISHED}
    post_ids = [e.delivery("brand").post_id for e in entries]
    assert sorted(post_ids) == sorted(s["id"] for s in new)  # type: ignore[type-var]
    by_id = {s["id"]: html_to_text(s["content"]) for s in new}
    assert all(by_id[e.delivery("brand").post_id] == e.text for e in entries)  # type: ignore[index]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_and_restarted_dispatcher_publishes_each_entry_exactly_once(
    tmp_path: Path,
) -> None:
    run_crash_scenario(tmp_path, workers=1, mode="keys", seed=20250331)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_two_dispatchers_on_one_file_killed_at_random_publish_each_entry_once(
    tmp_path: Path,
) -> None:
    run_crash_scenario(tmp_path, workers=2, mode="keys", seed=7)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_crashes_without_idempotency_keys_are_reconciled_from_recent_posts(
    tmp_path: Path,
) -> None:
    run_crash_scenario(tmp_path, workers=2, mode="nokey", seed=99)
