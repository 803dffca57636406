"""The typed events that streams (`AsyncClient.watch()`) and webhook receivers yield.

An event is a hint, not a ledger entry: every push channel delivers at least once and
loses events during outages. Handle an event idempotently by its ``key`` (the
platform's id of the object or of the delivery), then commit its ``checkpoint`` where
there is one; a backfill by REST fills what the channel lost.

Every event carries ``platform``, ``key``, ``received_at``, ``account_id`` (the account
the event was delivered for, where the channel says), ``checkpoint`` and ``raw`` (the
platform's payload; not in repr, not in equality). The subclasses add the unified
record where there is one (`Mention`, `Comment`, `Post`). ``kind`` tells them apart,
so ``EVENT_ADAPTER.validate_json(event.model_dump_json())`` gives the event back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from ..models import Account, Comment, Mention, NativeId, Post, Text, UTCDateTime

__all__ = [
    "EVENT_ADAPTER",
    "AnyEvent",
    "CommentAction",
    "CommentEvent",
    "Event",
    "MentionEvent",
    "PostEvent",
    "PostStatus",
    "ReactionEvent",
]

CommentAction = Literal["created", "edited", "deleted", "hidden", "unhidden"]
"""What happened to a comment."""

PostStatus = Literal["created", "edited", "deleted", "published", "publicly_available", "failed"]
"""What happened to a post: ``created``/``edited``/``deleted`` as seen in a timeline or
feed; ``published``, ``publicly_available`` and ``failed`` end an asynchronous publish
(TikTok's post status webhooks)."""


def _now() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    """What every event carries.

    Attributes:
        platform: the platform's name (``"mastodon"``, ``"facebook"``, ...).
        key: the platform's id for de-duplication: the object's id, or the delivery's
            event id where the platform gives one. Two events with the same
            ``(platform, kind, key)`` are the same hint.
        received_at: when socialkit received it (UTC).
        account_id: the platform's id of the account the event was delivered for (the
            Page, the Instagram or Threads user, the X user, ...), where known.
        checkpoint: an opaque position to commit after handling the event (streams);
            ``None`` where the channel has none (webhooks).
        raw: the platform's payload for this event (not in repr, not in equality).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    platform: str
    key: NativeId
    received_at: UTCDateTime = Field(default_factory=_now)
    account_id: NativeId | None = None
    checkpoint: str | None = None
    raw: Mapping[str, Any] | None = Field(default=None, repr=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine = {k: v for k, v in self.__dict__.items() if k != "raw"}
        theirs = {k: v for k, v in other.__dict__.items() if k != "raw"}
        return mine == theirs

    def __hash__(self) -> int:
        return hash((self.kind, self.platform, self.key))


class MentionEvent(Event):
    """The account was mentioned, replied to, quoted, tagged or messaged."""

    kind: Literal["mention"] = "mention"
    mention: Mention


class CommentEvent(Event):
    """A comment under one of the account's posts was created, edited, deleted or hidden.

    For a deletion the comment may carry only its ids.
    """

    kind: Literal["comment"] = "comment"
    comment: Comment
    action: CommentAction = "created"


class ReactionEvent(Event):
    """Someone reacted to (liked, ...) or took back a reaction on a post or comment.

    Attributes:
        post_id: the id of the post or comment reacted to.
        reaction: the reaction, lower case (``"like"``, ``"love"``, ``"haha"``, ...).
        author: who reacted, where the platform says.
        removed: ``True`` when the reaction was taken back.
    """

    kind: Literal["reaction"] = "reaction"
    post_id: NativeId
    reaction: Text = "like"
    author: Account | None = None
    removed: bool = False


class PostEvent(Event):
    """A post was created, edited or deleted, or an asynchronous publish ended.

    Attributes:
        status: what happened (see `PostStatus`).
        post: the post, where the payload carries it.
        post_id: the post's id, where known (for TikTok, the public post id, which
            first appears with ``publicly_available``).
        publish_id: the platform's id of the publish job (TikTok's ``publish_id``).
        reason: why a publish failed, as the platform says it.
    """

    kind: Literal["post"] = "post"
    status: PostStatus
    post: Post | None = None
    post_id: NativeId | None = None
    publish_id: NativeId | None = None
    reason: Text | None = None


AnyEvent = Annotated[
    MentionEvent | CommentEvent | ReactionEvent | PostEvent, Field(discriminator="kind")
]
"""Any of the event types, told apart by ``kind``."""

EVENT_ADAPTER: TypeAdapter[MentionEvent | CommentEvent | ReactionEvent | PostEvent] = (
    TypeAdapter(AnyEvent)
)
"""Validates any event from a dict or JSON: ``EVENT_ADAPTER.validate_json(text)``."""
