"""Inbox items: one comment or mention to answer, its reply target and its stage.

```
new → triaged → drafted → approved → replied
  ↘        ↘         ↘  (ignored | escalated)
```

`TRANSITIONS` is the whole state machine; anything else raises
`InvalidTransition`. An item keeps its reply target (the original `Comment` or
`Mention`, ``raw`` included, so a reply to a private message stays private).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Final, Literal

import attrs

from .._records import Record
from ..errors import SocialkitError
from ..models import Account, Comment, Draft, Mention
from ..monitoring.language import detect_language as _detect

__all__ = [
    "PRIORITIES",
    "TRANSITIONS",
    "InboxItem",
    "InvalidTransition",
    "Priority",
    "Source",
    "Stage",
    "detect_language",
    "item_key",
]

Priority = Literal["low", "normal", "high", "urgent"]
"""How urgent an inbox item is."""
PRIORITIES: Final[tuple[Priority, ...]] = ("low", "normal", "high", "urgent")
"""Priorities, lowest first."""

Source = Literal["comment", "mention"]


class Stage(enum.StrEnum):
    """Where an item is in the reply workflow (not a platform's status: that is a post)."""

    NEW = "new"
    TRIAGED = "triaged"
    DRAFTED = "drafted"
    APPROVED = "approved"
    REPLIED = "replied"
    IGNORED = "ignored"
    ESCALATED = "escalated"


TRANSITIONS: Final[Mapping[Stage, frozenset[Stage]]] = {
    Stage.NEW: frozenset({Stage.TRIAGED, Stage.IGNORED, Stage.ESCALATED}),
    Stage.TRIAGED: frozenset({Stage.DRAFTED, Stage.IGNORED, Stage.ESCALATED}),
    Stage.DRAFTED: frozenset({Stage.DRAFTED, Stage.APPROVED, Stage.IGNORED, Stage.ESCALATED}),
    Stage.APPROVED: frozenset({Stage.REPLIED, Stage.DRAFTED, Stage.ESCALATED}),
    Stage.ESCALATED: frozenset({Stage.TRIAGED, Stage.DRAFTED, Stage.IGNORED}),
    Stage.IGNORED: frozenset({Stage.TRIAGED}),
    Stage.REPLIED: frozenset(),
}
"""Which stage may follow which. ``replied`` is final."""


class InvalidTransition(SocialkitError):
    """An item cannot move from its stage to the one asked for.

    Attributes:
        key: The item. ``current``, ``wanted``: the two stages.
    """

    def __init__(self, key: str, current: Stage, wanted: Stage, why: str = "") -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (it is final)"
        detail = why or f"{current} may become {allowed}"
        super().__init__(f"item {key}: cannot go from {current} to {wanted}: {detail}")
        self.key = key
        self.current = current
        self.wanted = wanted


def item_key(record: Comment | Mention) -> str:
    """The item's identity: the platform and the id of the post (or comment) carrying the text.

    A reply to the brand's post arrives as a comment *and* as a mention
    notification; both name the same post, so both give the same key.
    """
    if isinstance(record, Mention):
        if record.post_id:
            return f"{record.platform}:{record.post_id}"
        return f"{record.platform}:mention:{record.id}"
    return f"{record.platform}:{record.id}"


def detect_language(text: str, hint: str | None = None) -> str:
    """A best guess of the language of ``text``: script first, then the text, then the tag.

    Japanese (kana), Korean (Hangul) and Chinese (Han) are told by their script,
    since platforms often tag every post with the user's default language. Other
    text goes to `socialkit.monitoring.default_detector` (lingua when the ``lingua``
    extra is installed, else function words), then ``hint`` (the platform's
    language tag), then ``"en"``.
    """
    return _detect(text, hint)


@attrs.frozen
class InboxItem(Record):
    """One thing to answer, as the inbox stores it.

    Attributes:
        key: ``platform:post-id`` (see `item_key`).
        platform: The platform name. ``account``: the inbox account it arrived on.
        sources: ``{"comment"}``, ``{"mention"}`` or both (a reply seen both ways).
        kind: ``"comment"``, or the mention's kind (``mention``, ``reply``, ``quote``, ...).
        target: The original `Comment` or `Mention`: what a reply answers.
        text, author, created_at, url: The message's.
        thread_root_id: The brand's post a comment is under (``None`` for a plain mention).
        language: Detected language (``"en"``, ``"zh"``, ...). ``sentiment``: -1..1.
        stage, priority, labels, assignee: The workflow state.
        draft: The reply waiting to go (its idempotency key fixed once drafted).
        drafted_by, approved_by: Who did it.
        reply_id, replied_at: The sent reply.
        send_state: ``None``, ``"sending"`` (claimed, outcome unknown until reconciled),
            ``"sent"`` or ``"failed"``.
        error: The last error while triaging or sending.
        fetched_at, updated_at: Bookkeeping (UTC).
    """

    key: str
    platform: str
    account: str
    sources: frozenset[str]
    kind: str
    target: Comment | Mention = attrs.field(repr=False)
    text: str
    author: Account | None
    created_at: datetime | None
    url: str | None
    thread_root_id: str | None
    language: str
    sentiment: float
    stage: Stage
    fetched_at: datetime
    updated_at: datetime
    priority: Priority = "normal"
    labels: tuple[str, ...] = ()
    assignee: str | None = None
    draft: Draft | None = attrs.field(default=None, repr=False)
    drafted_by: str | None = None
    approved_by: str | None = None
    reply_id: str | None = None
    replied_at: datetime | None = None
    send_state: str | None = None
    error: str | None = None

    @property
    def handle(self) -> str | None:
        """The author's handle, without ``@``."""
        return self.author.handle.lstrip("@") if self.author else None

    @property
    def post_id(self) -> str:
        """The id of the post (or comment) that carries the message: the one to answer."""
        if isinstance(self.target, Mention):
            return self.target.post_id or self.target.id
        return self.target.id

    @property
    def thread(self) -> tuple[str, str]:
        """``(root post id, id being answered)``: where to look for our reply."""
        if isinstance(self.target, Comment):
            return self.target.thread_root_id, self.target.id
        return self.post_id, self.post_id
