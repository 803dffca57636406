"""`FakeClock`: time that moves only when the code under test sleeps (or the test says so).

```python
clock = FakeClock()
client = sk.connect("sandbox://", clock=clock)   # drivers, paginators, bots read it
bot = Bot(client)
bot.run(poll=60, stop=lambda: clock.now() > start + timedelta(days=7))  # a week, in a second
```
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import anyio

__all__ = ["FakeClock"]


class FakeClock:
    """A `socialkit.clock.Clock` whose sleeps return at once and move its time forward.

    Attributes:
        slept: Every sleep asked for, in order (seconds).
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self._monotonic = 1000.0
        self._lock = threading.Lock()
        self.slept: list[float] = []

    def now(self) -> datetime:
        """The fake current time, aware UTC."""
        return self._now

    def monotonic(self) -> float:
        """The fake monotonic time."""
        return self._monotonic

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` without recording a sleep."""
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._monotonic += seconds

    def sleep(self, seconds: float) -> None:
        """Record the sleep and move time forward; returns at once."""
        self.slept.append(seconds)
        self.advance(max(0.0, seconds))

    async def asleep(self, seconds: float) -> None:
        """`sleep`, letting other tasks run once."""
        self.sleep(seconds)
        await anyio.sleep(0)

    def __repr__(self) -> str:
        return f"FakeClock({self._now.isoformat()})"
