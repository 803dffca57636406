"""What the chaos tests share: a pool of worker processes killed and respawned at random,
and the loop that kills one every 100-500 ms until the work is done."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections.abc import Callable
from typing import Any

WORKERS = 5
CRASH_POINTS = "after-response=0.01,before-commit=0.002,after-commit=0.002"


class Pool:
    """Worker processes forked from a fork server, killed and respawned at random."""

    def __init__(self, target: Any, args: tuple[Any, ...], preload: list[str]) -> None:
        """Each worker runs ``target(*args, owner, CRASH_POINTS, ready)``; the fork server
        imports ``preload`` once."""
        self.target, self.args = target, args
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(preload)
        self.alive: list[tuple[Any, Any]] = []
        self.started = 0
        self.killed = 0

    def top_up(self) -> None:
        """Start workers until WORKERS run, and wait until they are at work (so the next
        kill, 100–500 ms later, lands on a worker that is dispatching)."""
        self.alive = [(p, r) for p, r in self.alive if p.is_alive()]
        while len(self.alive) < WORKERS:
            self.started += 1
            ready = self.context.Event()
            process = self.context.Process(
                target=self.target,
                args=(*self.args, f"w{self.started}", CRASH_POINTS, ready),
            )
            process.start()
            self.alive.append((process, ready))
        deadline = time.monotonic() + 30
        for process, ready in self.alive:  # a worker may die at a crash point while starting
            while not ready.wait(0.05) and process.is_alive() and time.monotonic() < deadline:
                pass

    def kill_one(self, rng: random.Random) -> None:
        """SIGKILL a random worker that is at work (set up, dispatching)."""
        working = [p for p, ready in self.alive if p.is_alive() and ready.is_set()]
        if working:
            victim = rng.choice(working)
            try:
                os.kill(victim.pid, signal.SIGKILL)
                self.killed += 1
            except ProcessLookupError:
                pass
            victim.join()

    def stop(self) -> None:
        for process, _ in self.alive:
            if process.is_alive():
                os.kill(process.pid, signal.SIGKILL)
            process.join()


def chaos(
    pool: Pool, left: Callable[[], int], rng: random.Random, beat: Callable[[], None] | None = None
) -> tuple[int, float]:
    """Kill a random worker every 100-500 ms and respawn it, until ``left()`` is 0 (or 15
    minutes passed); returns what is left and the seconds it took. ``beat``, when given,
    is called about once a second (an engine's periodic sweep)."""
    started = time.monotonic()
    last_beat = 0.0
    try:
        pool.top_up()
        deadline = started + 900
        pause = 0.05  # the first kill lands while the workers are at their first items
        while left() and time.monotonic() < deadline:
            if beat is not None and time.monotonic() - last_beat >= 1.0:
                beat()
                last_beat = time.monotonic()
            time.sleep(pause)
            pool.kill_one(rng)
            pool.top_up()
            pause = rng.uniform(0.1, 0.5)
        return left(), time.monotonic() - started
    finally:
        pool.stop()
