"""Inbox items: one comment or mention to answer, its reply target and its status.

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
    "Status",
    "detect_language",
    "item_key",
]

Priority = Literal["low", "normal", "high", "urgent"]
"""How urgent an inbox item is."""
PRIORITIES: Final[tuple[Priority, ...]] = ("low", "normal", "high", "urgent")
"""Priorities, lowest first."""

Source = Literal["comment", "mention"]


class Status(enum.StrEnum):
    """Where an item is in the reply workflow."""

    NEW = "new"
    TRIAGED = "triaged"
    DRAFTED = "drafted"
    APPROVED = "approved"
    REPLIED = "replied"
    IGNORED = "ignored"
    ESCALATED = "escalated"


TRANSITIONS: Final[Mapping[Status, frozenset[Status]]] = {
    Status.NEW: frozenset({Status.TRIAGED, Status.IGNORED, Status.ESCALATED}),
    Status.TRIAGED: frozenset({Status.DRAFTED, Status.IGNORED, Status.ESCALATED}),
    Status.DRAFTED: frozenset({Status.DRAFTED, Status.APPROVED, Status.IGNORED, Status.ESCALATED}),
    Status.APPROVED: frozenset({Status.REPLIED, Status.DRAFTED, Status.ESCALATED}),
    Status.ESCALATED: frozenset({Status.TRIAGED, Status.DRAFTED, Status.IGNORED}),
    Status.IGNORED: frozenset({Status.TRIAGED}),
    Status.REPLIED: frozenset(),
}
"""Which status may follow which. ``replied`` is final."""


class InvalidTransition(SocialkitError):
    """An item cannot move from its status to the one asked for.

    Attributes:
        key: The item. ``current``, ``wanted``: the two statuses.
    """

    def __init__(self, key: str, current: Status, wanted: Status, why: str = "") -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (it is final)"
        detail = why or f"{current} may become {allowed}"
        super().__init__(f"item {key}: cannot go from {current} to {wanted}: {detail}")
        self.key = key
        self.current = current
        self.wanted = wanted


def item_key(record: Comment | Mention) -> str:
    """The item's identity: the platform and the status (comment, post) carrying the text.

    A reply to the brand's post arrives as a comment *and* as a mention
    notification; both name the same status, so both give the same key.
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
        key: ``platform:status-id`` (see `item_key`).
        platform: The platform name. ``account``: the inbox account it arrived on.
        sources: ``{"comment"}``, ``{"mention"}`` or both (a reply seen both ways).
        kind: ``"comment"``, or the mention's kind (``mention``, ``reply``, ``quote``, ...).
        target: The original `Comment` or `Mention`: what a reply answers.
        text, author, created_at, url: The message's.
        post_id: The brand's post a comment is under (``None`` for a plain mention).
        language: Detected language (``"en"``, ``"zh"``, ...). ``sentiment``: -1..1.
        status, priority, labels, assignee: The workflow state.
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
    post_id: str | None
    language: str
    sentiment: float
    status: Status
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
    def status_id(self) -> str:
        """The id of the status (comment, post) that carries the message."""
        if isinstance(self.target, Mention):
            return self.target.post_id or self.target.id
        return self.target.id

    @property
    def thread(self) -> tuple[str, str]:
        """``(root post id, id being answered)``: where to look for our reply."""
        if isinstance(self.target, Comment):
            return self.target.post_id, self.target.id
        return self.status_id, self.status_id
