"""A bot on a loopback sandbox (a real port) fed hostile answers keeps running and answers
the next good mention, exactly once (issue 16). A test clock makes days pass at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from socialkit.client import Client
from socialkit.http import RATE_LIMITS, Limits, RetryPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.replies import Bot, InboxItem
from socialkit.testing import FakeClock, Sandbox

DEEP = b"[" * 100_000 + b"]" * 100_000
FAR = "Fri, 31 Dec 9999 23:59:59 GMT"
NOTIFICATIONS = "/api/v1/notifications"

HOSTILE: dict[str, dict[str, object]] = {
    "deeply nested body": {"status": 200, "body": DEEP},
    "deeply nested error body": {"status": 500, "body": DEEP},
    "garbage": {"status": 200, "body": b"<html>proxy error"},
    "huge retry-after": {"status": 429, "body": b"{}", "headers": {"Retry-After": "1e400"}},
    "retry-after in year 9999": {"status": 429, "body": b"{}", "headers": {"Retry-After": FAR}},
    "reset in year 9999": {
        "status": 200,
        "body": b"[]",
        "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999-12-31T00:00:00Z"},
    },
    "cycling link": {
        "status": 200,
        "body": b"[]",
        "headers": {"Link": '</api/v1/notifications?max_id=1>; rel="next"'},
        "times": 50,
    },
}


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, str]]:
    RATE_LIMITS.clear()
    sandbox = Sandbox(seed=False)
    with sandbox.serve() as url:
        yield sandbox, url
    RATE_LIMITS.clear()


def _replies(sandbox: Sandbox) -> int:
    return sum(1 for s in sandbox.statuses(account="brand") if s["in_reply_to_id"])


def _bot(url: str, clock: FakeClock) -> Bot:
    platform = Mastodon(instance=url, access_token="brand")
    retry = RetryPolicy(attempts=2, backoff=0.01, max_backoff=0.02)
    client = Client(platform, retry=retry, clock=clock, limits=Limits(deadline=10.0))
    bot = Bot(client, backfill=100, lease=timedelta(seconds=5))

    @bot.on_mention()
    def thanks(item: InboxItem) -> str:
        return f"Thanks {item.handle}!"

    return bot


def _run_until_answered(bot: Bot, sandbox: Sandbox, clock: FakeClock, wanted: int) -> None:
    until = clock.now() + timedelta(days=3)
    bot.run(poll=60, stop=lambda: _replies(sandbox) >= wanted or clock.now() > until)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_bot_fed_a_hostile_answer_answers_the_next_good_mention(
    served: tuple[Sandbox, str], name: str
) -> None:
    sandbox, url = served
    clock = FakeClock()
    bot = _bot(url, clock)
    hostile = dict(HOSTILE[name])
    sandbox.answer_next(
        int(hostile["status"]),  # type: ignore[call-overload]
        hostile["body"],  # type: ignore[arg-type]
        headers=hostile.get("headers"),  # type: ignore[arg-type]
        times=int(hostile.get("times", 1)),  # type: ignore[call-overload]
        path=NOTIFICATIONS,
    )
    sandbox.simulate_mention("@brand are you open today?")

    _run_until_answered(bot, sandbox, clock, 1)

    assert _replies(sandbox) == 1
    assert clock.now() - FakeClock().now() <= timedelta(days=1, hours=1)  # a day at most


def test_a_bot_whose_reply_answer_is_garbage_never_answers_twice(
    served: tuple[Sandbox, str],
) -> None:
    sandbox, url = served
    clock = FakeClock()
    bot = _bot(url, clock)
    sandbox.answer_next(200, b"<html>oops", path="/api/v1/statuses", after_processing=True)
    sandbox.simulate_mention("@brand hello?")

    _run_until_answered(bot, sandbox, clock, 1)
    bot.run(poll=60, stop=lambda: clock.now() > FakeClock().now() + timedelta(hours=3))

    assert _replies(sandbox) == 1
