"""A bot killed with SIGKILL and restarted answers every mention exactly once.

The bot runs in a subprocess (``sys.executable bot_worker.py``) against a sandbox
served on a loopback port with some latency, so kills land mid-round: after a
sync, between the ledger write and the POST, or after the POST before the
reply was recorded. Each restart reconciles what the dead process left. The
sandbox also answers some calls with 503, loses the answers of some replies after
posting them, drips some answers a byte at a time (the bot's call deadline ends
them) and leads some listings into a cycle of empty pages.
"""

from __future__ import annotations

import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from socialkit.testing import Sandbox

WORKER = Path(__file__).with_name("bot_worker.py")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _start(db: Path, url: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, str(WORKER), str(db), url], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    if not select.select([process.stdout], [], [], 20)[0]:  # its first round hangs
        process.kill()
        process.wait()
        raise AssertionError("the bot's first round did not end")
    assert process.stdout.readline().strip() == "ready"
    return process


def _answered(sandbox: Sandbox) -> Counter[str]:
    return Counter(
        s["in_reply_to_id"] for s in sandbox.statuses(account="brand") if s["in_reply_to_id"]
    )


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _add_faults(sandbox: Sandbox, rng: random.Random, *, first: bool) -> None:
    """Some of: 503s, a reply posted but its answer lost, a dripping answer (always in the
    first round), a notification listing or thread whose next cursor cycles."""
    if rng.random() < 0.5:
        sandbox.fail_next(503, times=rng.randint(1, 2))
    if rng.random() < 0.5:
        sandbox.timeout_next(after_processing=True, path="/api/v1/statuses")
    if first or rng.random() < 0.5:
        path = rng.choice(["/api/v1/statuses", "/api/v1/notifications", None])
        sandbox.drip_next(interval=0.05, path="/api/v1/statuses" if first else path)
    if first or rng.random() < 0.5:
        sandbox.cycle_next(path="/api/v1/notifications")


def test_every_mention_is_answered_exactly_once_across_kills(tmp_path: Path) -> None:
    rng = random.Random(20250303)
    sandbox = Sandbox(seed=False, latency=0.004)
    db = tmp_path / "bot.db"
    mentions: list[str] = []
    kills = 0
    with sandbox.serve() as url:
        for round_ in range(3):
            bot = _start(db, url)
            for n in range(8):
                status = sandbox.simulate_mention(f"hello {round_}-{n}", author=f"fan{round_}x{n}")
                mentions.append(status["id"])
                if n == 2:
                    _add_faults(sandbox, rng, first=round_ == 0)
                time.sleep(rng.uniform(0, 0.02))
            goal = len(mentions) - rng.randint(1, 4)
            _wait_until(lambda n=goal: sum(_answered(sandbox).values()) >= n, timeout=10)
            time.sleep(rng.uniform(0, 0.03))
            bot.send_signal(signal.SIGKILL)
            bot.wait()
            kills += 1
        # one more mention, whose reply's answer drips: the call deadline ends it, and the
        # next round finds the reply posted
        mentions.append(sandbox.simulate_mention("hello last", author="fan_last")["id"])
        sandbox.drip_next(interval=0.05, path="/api/v1/statuses")
        final = _start(db, url)
        try:
            everyone = _wait_until(lambda: set(_answered(sandbox)) >= set(mentions), timeout=15)
            time.sleep(0.3)  # more rounds: nothing may be answered twice
        finally:
            final.send_signal(signal.SIGKILL)
            final.wait()

    answered = _answered(sandbox)
    assert everyone, f"unanswered: {set(mentions) - set(answered)}"
    assert sandbox.faults_served["drip"] >= 1
    assert sandbox.faults_served["cycle page"] >= 2
    assert kills == 3
    assert {status: answered[status] for status in mentions} == dict.fromkeys(mentions, 1)
    assert sum(answered.values()) == len(mentions) == 25
