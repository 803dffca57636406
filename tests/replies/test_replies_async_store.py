"""The inbox's async paths keep the event loop free: each store transaction runs in a
worker thread, so a slow disk (or a database across the network) never stalls the loop."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
import pytest
from replies_support import brand_replies, posts_sent

from socialkit.client import AsyncClient
from socialkit.replies import Bot, Inbox, InboxStore
from socialkit.replies.items import detect_language
from socialkit.testing import Sandbox

SLOW = 0.8  # seconds one store statement takes (the loop may stall up to half of it under load)
T = TypeVar("T")


@pytest.fixture(autouse=True, scope="module")
def _languages_loaded() -> None:
    """lingua loads its models at the first text (~2 s, holding the GIL, so in any thread
    it stalls the loop): load them before the clock starts, as `Bot.arun` does."""
    detect_language("are you open today?")


def slow_once(store: InboxStore, monkeypatch: pytest.MonkeyPatch, *starts: str) -> list[str]:
    """Make the first statement starting with each of ``starts`` take `SLOW` seconds, as a
    busy disk or a database across the network would; returns the threads they ran on."""
    db = store.database
    run = db.x
    waiting = list(starts)
    threads: list[str] = []

    def x(tx: Any, sql: str, params: Any = ()) -> Any:
        for start in waiting:
            if sql.startswith(start):
                waiting.remove(start)
                threads.append(threading.current_thread().name)
                time.sleep(SLOW)
                break
        return run(tx, sql, params)

    monkeypatch.setattr(db, "x", x)
    return threads


async def ticking(work: Callable[[], Awaitable[T]]) -> tuple[T, float, float]:
    """Run ``work`` beside a 5 ms ticker: ``(its result, how long it took, the ticker's
    longest gap)``."""
    gaps: list[float] = []

    async def tick() -> None:
        last = time.perf_counter()
        while True:
            await anyio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async with anyio.create_task_group() as group:
        group.start_soon(tick)
        started = time.perf_counter()
        result = await work()
        took = time.perf_counter() - started
        group.cancel_scope.cancel()
    return result, took, max(gaps)


@pytest.mark.anyio
async def test_a_slow_store_does_not_stall_the_loop_during_a_refresh(
    async_client: AsyncClient, sandbox: Sandbox, store: InboxStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox([async_client], store, backfill=100)
    # one statement inside the refresh job (its cursors), one after it (storing the items)
    threads = slow_once(store, monkeypatch, "SELECT name, value FROM cursors", "INSERT INTO items")

    report, took, gap = await ticking(inbox.arefresh)

    assert len(report.new) == 6
    assert took >= 2 * SLOW  # the store was slow twice...
    assert gap < SLOW / 2  # ...and the loop kept ticking meanwhile,
    assert len(threads) == 2  # for both ran in worker threads
    assert threading.main_thread().name not in threads
    await async_client.aclose()


@pytest.mark.anyio
async def test_a_slow_store_does_not_stall_the_loop_during_a_send(
    async_client: AsyncClient, sandbox: Sandbox, store: InboxStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox([async_client], store, backfill=100)
    await inbox.arefresh()
    item = next(i for i in inbox.items() if "Canada" in i.text)
    inbox.draft_reply(item, "Slow but once", by="sam", approve_as="lee")
    threads = slow_once(store, monkeypatch, "UPDATE items SET lease_owner")  # the claim

    report, took, gap = await ticking(inbox.asend)

    assert [i.key for i in report.sent] == [item.key]
    assert brand_replies(sandbox)[item.post_id] == 1
    assert took >= SLOW
    assert gap < SLOW / 2
    assert threads
    assert threading.main_thread().name not in threads
    await async_client.aclose()


@pytest.mark.anyio
async def test_an_async_send_still_marks_the_reply_sending_before_its_request(
    async_client: AsyncClient, sandbox: Sandbox, store: InboxStore
) -> None:
    inbox = Inbox([async_client], store, backfill=100)
    await inbox.arefresh()
    item = next(i for i in inbox.items() if "Canada" in i.text)
    inbox.draft_reply(item, "In order", by="sam", approve_as="lee")
    seen: list[str | None] = []
    reply = async_client.reply

    async def recording_reply(*args: Any, **kwargs: Any) -> Any:
        seen.append(store.get(item.key).send_state)  # what the ledger says as the request goes
        return await reply(*args, **kwargs)

    async_client.reply = recording_reply  # type: ignore[method-assign]

    report = await inbox.asend()

    assert seen == ["sending"]
    assert [i.key for i in report.sent] == [item.key]
    assert posts_sent(sandbox) == 1
    await async_client.aclose()


@pytest.mark.anyio
async def test_a_slow_store_does_not_stall_the_loop_during_a_bot_round(
    async_client: AsyncClient, sandbox: Sandbox, store: InboxStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = Bot(async_client, store)

    @bot.on_mention("hours")
    def hours(item: Any) -> str:
        return "10:00-18:00"

    await bot.arun_once()  # the first round starts from now
    sandbox.simulate_mention("what are your hours?", author="dora")
    # the bot's own reads (its new items) and the handlers' answers being recorded
    threads = slow_once(
        store, monkeypatch, "SELECT * FROM items WHERE status IN", "INSERT INTO events"
    )

    report, took, gap = await ticking(bot.arun_once)

    assert [i.handle for i in report.answered] == ["dora"]
    assert report.sent is not None
    assert len(report.sent.sent) == 1
    assert took >= 2 * SLOW
    assert gap < SLOW / 2
    assert len(threads) == 2
    assert threading.main_thread().name not in threads
    await async_client.aclose()
