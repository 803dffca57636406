"""The typed events: what `watch()` yields (and webhook receivers parse into).

Each event carries the ``platform``, the unified record it is about, a ``key``
(the platform's object id, for de-duplication: the same object seen by a stream
and by a backfill gives the same key), the time it was received, the
platform's payload as ``raw``, and, from `watch()`, the ``checkpoint`` to commit
once the event is handled (a later `watch(checkpoint=...)` backfills from it).

These are records, like `socialkit.models`: this module imports only the models.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Account, Mention, Post, UTCDateTime

__all__ = ["Event", "EventKind", "MentionEvent", "PostEvent", "ReactionEvent"]

EventKind = Literal["mention", "reaction", "post"]
"""What `watch(kinds=...)` selects: mentions (replies, quotes), reactions to the
account's posts (likes, shares), and the account's timeline (posts created, edited,
deleted)."""


class Event(BaseModel):
    """Something that happened on a platform, as a hint to act on idempotently.

    ``key`` identifies the object (``"mastodon:notification:42"``): handle each key
    once. ``checkpoint`` (set by `watch()`) is what to store after handling, in the
    same transaction as the handler's own writes where there is one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: str
    key: str
    received_at: UTCDateTime = Field(default_factory=lambda: datetime.now(UTC))
    checkpoint: str | None = None
    source: Literal["stream", "backfill", "poll", "webhook"] = "stream"
    raw: Mapping[str, Any] | None = Field(default=None, repr=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        drop = {"raw", "received_at", "source", "checkpoint"}
        mine = {k: v for k, v in self.__dict__.items() if k not in drop}
        theirs = {k: v for k, v in other.__dict__.items() if k not in drop}
        return mine == theirs

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.key))


class MentionEvent(Event):
    """The account was mentioned, replied to or quoted; ``mention`` is the unified record."""

    mention: Mention


class ReactionEvent(Event):
    """Someone reacted to one of the account's posts (``reaction``: ``"like"``, ``"share"``)."""

    reaction: str
    post_id: str | None = None
    actor: Account | None = None


class PostEvent(Event):
    """A post in the account's timeline was ``created``, ``edited`` or ``deleted``.

    ``post`` is ``None`` for a deletion (the platform sends only the id).
    """

    action: Literal["created", "edited", "deleted"]
    post_id: str
    post: Post | None = None
