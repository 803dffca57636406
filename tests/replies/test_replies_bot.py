"""The bot: handlers, once-only answers, its own posts, backfill and rate limits."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import anyio
import pytest
from replies_support import FAST, brand_replies, posts_sent

from socialkit.client import AsyncClient, Client
from socialkit.http import RATE_LIMITS, RetryPolicy
from socialkit.models import Draft
from socialkit.replies import Bot, InboxItem, InboxStore, Stage
from socialkit.testing import Sandbox


def hours_bot(client: Client | AsyncClient, store: InboxStore | None = None, **kw: object) -> Bot:
    bot = Bot(client, store, **kw)  # type: ignore[arg-type]

    @bot.on_mention(contains=["open", "hours"])
    def hours(item: InboxItem) -> str:
        return "We're open 10:00-18:00."

    return bot


def test_a_matching_mention_is_answered(client: Client, sandbox: Sandbox) -> None:
    bot = hours_bot(client)
    bot.run_once()
    mention = sandbox.simulate_mention("are you open on Sunday?", author="zoe")

    report = bot.run_once()

    assert [i.post_id for i in report.answered] == [mention["id"]]
    assert brand_replies(sandbox)[mention["id"]] == 1
    assert bot.store.get(report.answered[0].key).stage is Stage.REPLIED


def test_an_item_is_never_answered_twice(client: Client, sandbox: Sandbox) -> None:
    bot = hours_bot(client)
    bot.run_once()
    sandbox.simulate_mention("opening hours?", author="zoe")

    for _ in range(3):
        bot.run_once()

    assert posts_sent(sandbox) == 1


def test_nor_twice_across_a_restart(client: Client, sandbox: Sandbox, store: InboxStore) -> None:
    hours_bot(client, store).run_once()
    mention = sandbox.simulate_mention("opening hours?", author="zoe")
    hours_bot(client, store).run_once()

    hours_bot(client, store).run_once()

    assert brand_replies(sandbox)[mention["id"]] == 1


def test_the_bot_never_answers_itself_nor_its_replies(sandbox: Sandbox, client: Client) -> None:
    bot = Bot(client)

    @bot.on_mention()
    def echo(item: InboxItem) -> str:
        return "@brand got it"  # its reply even mentions the account

    bot.run_once()
    client.publish("@brand talking to myself")
    sandbox.simulate_mention("hello", author="zoe")
    rounds = [bot.run_once() for _ in range(3)]

    assert [i.handle for i in rounds[0].answered] == ["zoe"]
    assert rounds[1].new == []
    assert rounds[2].new == []
    assert posts_sent(sandbox) == 2  # the self-mention and one answer


def test_what_was_there_before_the_first_run_is_not_answered(
    client: Client, sandbox: Sandbox
) -> None:
    bot = hours_bot(client)

    report = bot.run_once()

    assert report.new == []
    assert posts_sent(sandbox) == 0


def test_backfill_answers_what_was_there(client: Client, sandbox: Sandbox) -> None:
    bot = Bot(client, backfill=100)

    @bot.on_mention(contains="ship*")
    def shipping(item: InboxItem) -> str:
        return "We ship worldwide."

    report = bot.run_once()

    assert [i.handle for i in report.answered] == ["bob"]


def test_a_handler_returning_none_passes_to_the_next(client: Client, sandbox: Sandbox) -> None:
    bot = Bot(client)
    calls: list[str] = []

    @bot.on_mention()
    def first(item: InboxItem) -> None:
        calls.append("first")

    @bot.on_keyword("refund*")
    def refunds(item: InboxItem) -> Draft:
        calls.append("refunds")
        return Draft(text="DM us your order number, please.")

    bot.run_once()
    sandbox.simulate_mention("I want a refund", author="zoe")
    sandbox.simulate_mention("nice weather", author="ann")
    report = bot.run_once()

    assert calls == ["first", "refunds", "first"]
    assert [i.handle for i in report.answered] == ["zoe"]
    assert [(i.handle, i.stage) for i in report.passed] == [("ann", Stage.TRIAGED)]


def test_a_failing_handler_is_logged_and_skipped(
    client: Client, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    bot = Bot(client)

    @bot.on_mention()
    def broken(item: InboxItem) -> str:
        raise RuntimeError("boom")

    bot.run_once()
    sandbox.simulate_mention("hello", author="zoe")

    report = bot.run_once()

    assert report.answered == []
    assert len(report.passed) == 1
    assert "boom" in caplog.text


def test_comment_handlers_answer_comments(client: Client, sandbox: Sandbox) -> None:
    bot = Bot(client)

    @bot.on_comment(contains="blue")
    def colours(item: InboxItem) -> str:
        return "Blue arrives in May!"

    bot.run_once()
    post = client.publish("New colours are here")
    reply = sandbox.simulate_reply(post.id, "Will there be blue?", author="zoe")

    report = bot.run_once()

    assert [i.post_id for i in report.answered] == [reply["id"]]


def test_a_rate_limit_backs_off_until_the_reset(sandbox: Sandbox) -> None:
    now = [datetime.now(UTC)]
    client = sandbox.client(retry=RetryPolicy(attempts=1, max_retry_after=0.01))
    bot = hours_bot(client, clock=lambda: now[0])
    bot.run_once()
    sandbox.simulate_mention("open today?", author="zoe")
    sandbox.fail_next(429, retry_after=30)

    limited = bot.run_once()
    RATE_LIMITS.clear()  # the driver's own view of the limit: as if 30 s had passed
    requests = len(sandbox.requests)
    waiting = bot.run_once()
    now[0] += timedelta(seconds=31)
    after = bot.run_once()

    assert limited.rate_limited_until is not None
    assert 29 <= (limited.rate_limited_until - now[0] + timedelta(seconds=31)).total_seconds() <= 31
    assert waiting.rate_limited_until == limited.rate_limited_until
    assert len(sandbox.requests) > requests  # only after the reset
    assert [i.handle for i in after.answered] == ["zoe"]


def test_run_stops_when_told(client: Client, sandbox: Sandbox) -> None:
    bot = hours_bot(client)
    stop = threading.Event()
    sandbox.simulate_mention("before start: not answered", author="old")
    thread = threading.Thread(target=bot.run, kwargs={"poll": 0.01, "stop": stop})
    thread.start()
    try:
        while bot.store.cursor("bot.started", "at") is None:
            threading.Event().wait(0.01)
        sandbox.simulate_mention("open now?", author="zoe")
        deadline = datetime.now(UTC) + timedelta(seconds=5)
        while not bot.store.items(Stage.REPLIED) and datetime.now(UTC) < deadline:
            threading.Event().wait(0.01)
    finally:
        stop.set()
        thread.join(timeout=5)

    assert not thread.is_alive()
    assert [i.handle for i in bot.store.items(Stage.REPLIED)] == ["zoe"]


@pytest.mark.anyio
async def test_arun_answers_with_an_async_client(sandbox: Sandbox) -> None:
    async with sandbox.async_client(retry=FAST) as client:
        bot = hours_bot(client)
        await bot.arun_once()
        mention = sandbox.simulate_mention("hours on Monday?", author="zoe")
        stop = anyio.Event()

        async def stopper() -> None:
            while not bot.store.items(Stage.REPLIED):
                await anyio.sleep(0.01)
            stop.set()

        with anyio.fail_after(5):
            async with anyio.create_task_group() as group:
                group.start_soon(stopper)
                await bot.arun(poll=0.01, stop=stop)

    assert brand_replies(sandbox)[mention["id"]] == 1


@pytest.mark.anyio
async def test_an_async_def_handler_answers_under_arun(sandbox: Sandbox) -> None:
    async with sandbox.async_client(retry=FAST) as client:
        bot = Bot(client)

        @bot.on_mention(contains=["hours"])
        async def hours(item: InboxItem) -> str:
            await anyio.sleep(0)  # e.g. a lookup in the shop's own API
            return f"We're open 10:00-18:00, @{item.author.handle if item.author else 'you'}."

        await bot.arun_once()
        mention = sandbox.simulate_mention("opening hours today?", author="zoe")
        report = await bot.arun_once()

    assert [i.post_id for i in report.answered] == [mention["id"]]
    assert brand_replies(sandbox)[mention["id"]] == 1


def test_an_async_def_handler_under_run_is_skipped_and_the_bot_lives(
    client: Client, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    bot = Bot(client)

    @bot.on_mention(contains=["hours"])
    async def hours(item: InboxItem) -> str:
        return "never sent"

    @bot.on_mention(contains=["hours"])
    def fallback(item: InboxItem) -> str:
        return "We're open 10:00-18:00."

    bot.run_once()
    mention = sandbox.simulate_mention("opening hours today?", author="zoe")
    report = bot.run_once()

    assert [i.post_id for i in report.answered] == [mention["id"]]
    assert "needs arun()" in caplog.text
