"""Helpers shared by the calendar tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socialkit.calendar import Policy
from socialkit.client import Client
from socialkit.http import RetryPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)
NOW = datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(hours=1)
FAST_POLICY = Policy(backoff=timedelta(seconds=10), lease=timedelta(seconds=30))


class NoKeyMastodon(Mastodon):
    """Mastodon as a platform that ignores idempotency keys would be (no header sent)."""

    honours_idempotency_key = False


def no_key_client(sandbox: Sandbox) -> Client:
    """A client whose platform does not honour idempotency keys, on ``sandbox``."""
    platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
    return Client(platform, transport=sandbox.transport(), retry=FAST)


def brand_texts(sandbox: Sandbox) -> list[str]:
    """The plain texts of the brand's statuses, oldest first."""
    from socialkit.providers.mastodon import html_to_text

    return [html_to_text(s["content"]) for s in sandbox.statuses(account="brand")]


def status_posts(sandbox: Sandbox) -> list[str]:
    """The ``status`` of every POST /api/v1/statuses the sandbox received."""
    return [
        r.json["status"]
        for r in sandbox.requests
        if r.method == "POST" and r.path == "/api/v1/statuses"
    ]
