"""What the task-engine adapters share: a periodic sweep that queues one job per key.

The calendar (`socialkit.calendar.engines`) queues a job per due delivery, the inbox
(`socialkit.replies.engines`) a job per account. Either way the engine only decides
*when* a worker looks: each job re-claims its row (or its account) in the store, so a
duplicate, late or redelivered job does nothing, and the engine's retries are off.
A sweep returns how many jobs it queued; a job returns what it did, as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["Job", "Keys"]

Keys = Callable[[], Sequence[int | str]]
"""Lists what is due now: the key of each job to queue."""

Job = Callable[[int | str], str]
"""Does the work of one key and says what it did."""
