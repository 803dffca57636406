"""How the dispatcher claims, retries and reconciles: `Policy`, and worker ids."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import Literal

import attrs

from .._records import Record
from ..errors import ConfigError

__all__ = ["Policy", "default_owner"]


def default_owner() -> str:
    """A worker id unique to this process: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@attrs.frozen
class Policy(Record):
    """How the dispatcher claims, retries and reconciles.

    Attributes:
        lease: How long a claim is held; it must outlast one publish with the
            client's own retries (after it, another worker may reclaim).
        max_attempts: Attempts per delivery before it fails.
        backoff: The wait after the first failed attempt; it doubles each time.
        max_backoff: The longest wait between attempts.
        idempotency_window: How long a platform remembers an idempotency key
            (Mastodon: one hour); after it, reconciliation searches recent posts.
        reconcile_scan: The most recent posts searched for a lost publish; the search
            stops earlier at the first post older than the first attempt.
        clock_skew: Slack when comparing a post's time with the first attempt.
        on_resume: After a pause, ``"publish"`` what was held back, or ``"skip"``
            it (reported as missed) unless it is less than ``grace`` late.
        grace: See ``on_resume``.
        review_interval: How often a post the platform still reviews or processes
            (published, ``pending``) is read again by `run_due` to learn whether it
            became public or was rejected.
    """

    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    idempotency_window: timedelta = timedelta(hours=1)
    reconcile_scan: int = 500
    clock_skew: timedelta = timedelta(minutes=5)
    on_resume: Literal["publish", "skip"] = "publish"
    grace: timedelta = timedelta(minutes=15)
    review_interval: timedelta = timedelta(minutes=5)

    def __attrs_post_init__(self) -> None:
        if self.on_resume not in ("publish", "skip"):
            raise ConfigError(
                f"on_resume must be 'publish' or 'skip', not {self.on_resume!r}",
                field="on_resume",
            )
        if self.max_attempts < 1:
            raise ConfigError("max_attempts must be at least 1", field="max_attempts")

    def delay(self, attempts: int) -> timedelta:
        """The backoff after ``attempts`` failed attempts."""
        return min(self.backoff * (1 << max(0, attempts - 1)), self.max_backoff)
