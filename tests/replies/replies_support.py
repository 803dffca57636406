"""Helpers shared by the replies tests."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from socialkit.client import Client
from socialkit.http import RetryPolicy
from socialkit.models import Account, Comment, Mention
from socialkit.providers.mastodon import Mastodon
from socialkit.replies import InboxItem, Stage
from socialkit.testing import Sandbox

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.005)
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class NoKeyMastodon(Mastodon):
    """Mastodon as a platform that ignores idempotency keys would be."""

    honours_idempotency_key = False


def no_key_client(sandbox: Sandbox) -> Client:
    """A client whose platform does not honour idempotency keys, on ``sandbox``."""
    platform = NoKeyMastodon(instance=sandbox.base_url, access_token="brand")
    return Client(platform, transport=sandbox.transport(), retry=FAST)


def brand_replies(sandbox: Sandbox) -> Counter[str]:
    """How many replies the brand posted to each status id."""
    return Counter(
        s["in_reply_to_id"] for s in sandbox.statuses(account="brand") if s["in_reply_to_id"]
    )


def calls(sandbox: Sandbox, since: int = 0) -> list[str]:
    """``"METHOD /path"`` of every request from index ``since`` on."""
    return [f"{r.method} {r.path}" for r in sandbox.requests[since:]]


def posts_sent(sandbox: Sandbox) -> int:
    """How many POST /api/v1/statuses the sandbox received."""
    return sum(1 for r in sandbox.requests if r.method == "POST" and r.path == "/api/v1/statuses")


def make_item(
    key: str = "mastodon:1",
    text: str = "hello",
    *,
    handle: str = "alice",
    platform: str = "mastodon",
    language: str = "en",
    sentiment: float = 0.0,
    kind: str = "mention",
    thread_root_id: str | None = None,
    created_at: datetime = T0,
    replied_after: timedelta | None = None,
    stage: Stage = Stage.NEW,
    display_name: str | None = None,
) -> InboxItem:
    """A hand-built inbox item (no network)."""
    author = Account(platform=platform, id=f"id-{handle}", handle=handle, display_name=display_name)
    native = key.split(":")[-1]
    target: Comment | Mention
    if kind == "comment":
        target = Comment(
            platform=platform,
            id=native,
            thread_root_id=thread_root_id or "p1",
            author=author,
            text=text,
        )
    else:
        target = Mention(platform=platform, id=native, kind="mention", author=author, text=text)
    return InboxItem(
        key=key,
        platform=platform,
        account="brand",
        sources=frozenset({"comment" if kind == "comment" else "mention"}),
        kind=kind,
        target=target,
        text=text,
        author=author,
        created_at=created_at,
        url=f"https://example.social/@{handle}/{native}",
        thread_root_id=thread_root_id,
        language=language,
        sentiment=sentiment,
        stage=stage,
        fetched_at=created_at,
        updated_at=created_at,
        replied_at=created_at + replied_after if replied_after is not None else None,
    )
