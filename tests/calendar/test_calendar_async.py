"""The async run keeps the event loop free: each store transaction runs in a worker thread."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import anyio
import pytest
from calendar_support import FAST, NOW

from socialkit.calendar import Calendar
from socialkit.client import AsyncClient
from socialkit.testing import Sandbox

SLOW = 0.8  # seconds one store statement takes (the loop may stall up to half of it under load)


def slow_claims(cal: Calendar, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the claim's query (the candidate row) take `SLOW` seconds, as a busy disk or a
    database across the network would; returns the threads it ran on."""
    db = cal._store.db
    run = db.x
    threads: list[str] = []

    def x(tx: Any, sql: str, params: Any = ()) -> Any:
        if sql.startswith("SELECT d.*"):
            threads.append(threading.current_thread().name)
            time.sleep(SLOW)
        return run(tx, sql, params)

    monkeypatch.setattr(db, "x", x)
    return threads


@pytest.mark.anyio
async def test_a_slow_store_call_does_not_stall_the_event_loop(
    cal: Calendar, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    cal.add("Hello while the disk is busy", ["brand"], at=NOW)
    threads = slow_claims(cal, monkeypatch)
    gaps: list[float] = []

    async def tick() -> None:
        last = time.perf_counter()
        while True:
            await anyio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async with sandbox.async_client(retry=FAST) as client, anyio.create_task_group() as group:
        group.start_soon(tick)
        started = time.perf_counter()
        report = await cal.arun_due({"brand": client}, now=NOW, concurrency=1)
        took = time.perf_counter() - started
        group.cancel_scope.cancel()
    assert [o.kind for o in report.outcomes] == ["published"]
    assert took >= SLOW  # the store was slow...
    assert max(gaps) < SLOW / 2  # ...and the loop kept ticking meanwhile,
    assert threads  # for it ran in worker threads
    assert threading.main_thread().name not in threads


@pytest.mark.anyio
async def test_the_async_run_calls_a_client_factory_on_the_event_loop(
    cal: Calendar, sandbox: Sandbox
) -> None:
    cal.add("Hello from a factory", ["brand"], at=NOW)
    made: list[AsyncClient] = []

    def factory(target: str) -> AsyncClient:
        asyncio.get_running_loop()  # raises in a worker thread
        made.append(sandbox.async_client(retry=FAST))
        return made[-1]

    report = await cal.arun_due(factory, now=NOW)
    assert [o.kind for o in report.outcomes] == ["published"]
    assert len(made) == 1
