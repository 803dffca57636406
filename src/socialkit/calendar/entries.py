"""Calendar entries: what to publish, where, when, and where each one is in its life.

An entry moves through a state machine; a move the table does not allow raises
`IllegalTransition`::

    draft ──approve──▶ approved ──schedule──▶ scheduled ──dispatch──▶ publishing
      ▲  ◀──reject──────┘ ◀──unschedule────────┘                      │
      └──────────reject───────────────────────┘               published / failed
    (draft, approved, scheduled, failed) ──cancel──▶ cancelled        failed ──retry──▶ scheduled

Each target of an entry is a `Delivery` with its own state, idempotency key
(made once, reused on every attempt) and, once published, its post id.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

from .._records import Record
from ..errors import ConfigError, SocialkitError
from ..models import Draft, DraftLike, MediaUpload, PostState
from ..text import find_urls

__all__ = [
    "Approval",
    "Delivery",
    "DeliveryState",
    "Entry",
    "IllegalTransition",
    "Rejection",
    "State",
    "check_target",
    "fingerprint",
]


class State(enum.StrEnum):
    """Where an entry is in its life."""

    DRAFT = "draft"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        """Whether the entry can never change again (published or cancelled)."""
        return self in (State.PUBLISHED, State.CANCELLED)


TRANSITIONS: Mapping[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.APPROVED, State.CANCELLED}),
    State.APPROVED: frozenset({State.DRAFT, State.SCHEDULED, State.CANCELLED}),
    State.SCHEDULED: frozenset({State.DRAFT, State.APPROVED, State.PUBLISHING, State.CANCELLED}),
    State.PUBLISHING: frozenset({State.PUBLISHED, State.FAILED}),
    State.FAILED: frozenset({State.SCHEDULED, State.CANCELLED}),
    State.PUBLISHED: frozenset(),
    State.CANCELLED: frozenset(),
}
"""The moves an entry may make, from each state."""


class IllegalTransition(SocialkitError):
    """An entry was asked to move to a state it cannot reach from where it is."""

    def __init__(self, entry_id: int, current: State, wanted: State) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (final)"
        super().__init__(
            f"entry {entry_id} is {current.value}; it cannot become {wanted.value} "
            f"(from {current.value}: {allowed})"
        )
        self.entry_id = entry_id
        self.current = current
        self.wanted = wanted


def check_transition(entry_id: int, current: State, wanted: State) -> None:
    """Raise `IllegalTransition` unless ``current → wanted`` is in `TRANSITIONS`."""
    if wanted not in TRANSITIONS[current]:
        raise IllegalTransition(entry_id, current, wanted)


class DeliveryState(enum.StrEnum):
    """Where one target of an entry is."""

    PENDING = "pending"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    MISSED = "missed"
    CANCELLED = "cancelled"


def settled_state(current: State, deliveries: Iterable[DeliveryState], attempted: bool) -> State:
    """The state an entry being dispatched is in, given its deliveries.

    All published: published. Some still open: publishing once any was tried,
    else as it was. All ended otherwise: failed if any failed or some were
    published but others missed; cancelled if every one was missed or cancelled.
    """
    if current not in (State.SCHEDULED, State.PUBLISHING):
        return current
    states = list(deliveries)
    if states and all(s is DeliveryState.PUBLISHED for s in states):
        return State.PUBLISHED
    if any(s in (DeliveryState.PENDING, DeliveryState.PUBLISHING) for s in states):
        return State.PUBLISHING if attempted else current
    if any(s in (DeliveryState.FAILED, DeliveryState.PUBLISHED) for s in states):
        return State.FAILED
    return State.CANCELLED


@attrs.frozen
class Approval(Record):
    """Who approved an entry, and when."""

    by: str
    at: datetime


@attrs.frozen
class Rejection(Record):
    """Who sent an entry back to draft, when, and why."""

    by: str
    at: datetime
    comment: str


@attrs.frozen
class Delivery(Record):
    """One target of an entry: its state, attempts, idempotency key and result.

    A published delivery's ``post_state`` is the platform's verdict on the post
    (see [`Post.state`][socialkit.models.Post]): ``"pending"`` while it is reviewed
    or processed, later ``"published"`` or ``"rejected"`` (``post_state_reason``
    says why). Either way the delivery stays published: it is never sent again.
    """

    target: str
    state: DeliveryState
    idempotency_key: str = attrs.field(repr=False)
    attempts: int = 0
    due: datetime | None = None
    platform: str | None = None
    post_id: str | None = None
    post_url: str | None = None
    published_at: datetime | None = None
    error: str | None = None
    post_state: PostState = "published"
    post_state_reason: str | None = None


@attrs.frozen
class Entry(Record):
    """A draft planned for some targets at a time, with its approvals and deliveries.

    ``at`` is aware, in the entry's time zone ``tz``; ``None`` while unplanned.
    ``variants`` maps a platform or target name to the draft sent there instead
    (a target's variant wins over its platform's).
    """

    id: int
    draft: Draft
    targets: tuple[str, ...]
    at: datetime | None
    tz: str
    state: State
    variants: Mapping[str, Draft] = attrs.field(factory=dict)
    tags: tuple[str, ...] = ()
    campaign: str | None = None
    approvals_required: int = 0
    approvals: tuple[Approval, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    slot_id: int | None = None
    note: str | None = None

    @property
    def text(self) -> str:
        """The main draft's text."""
        return self.draft.text

    @property
    def approved_by(self) -> tuple[str, ...]:
        """The names of those who approved, in order."""
        return tuple(a.by for a in self.approvals)

    @property
    def needs_approvals(self) -> int:
        """How many more approvals the entry needs."""
        return max(0, self.approvals_required - len(self.approvals))

    @property
    def rejection(self) -> Rejection | None:
        """The latest rejection, if any."""
        return self.rejections[-1] if self.rejections else None

    def delivery(self, target: str) -> Delivery:
        """The delivery of ``target``."""
        for delivery in self.deliveries:
            if delivery.target == target:
                return delivery
        raise KeyError(target)

    @property
    def post_ids(self) -> dict[str, str]:
        """The published post id of each target that has one."""
        return {d.target: d.post_id for d in self.deliveries if d.post_id}

    def draft_for(self, target: str, platform: str | None) -> Draft:
        """The draft sent to ``target`` on ``platform`` (a variant, or the main draft)."""
        for key in (target, platform):
            if key is not None and key in self.variants:
                return self.variants[key]
        return self.draft


# -- targets ------------------------------------------------------------------------------------

_SECRET_KEYS = frozenset(
    {
        "access_token",
        "token",
        "refresh_token",
        "client_secret",
        "app_secret",
        "app_password",
        "secret",
        "password",
        "api_key",
        "key",
        "bearer_token",
        "consumer_secret",
        "token_secret",
    }
)


def check_target(target: str) -> str:
    """A target as stored: a profile name (``"brand"``), a platform name, or a
    connection URL without credentials (``"sandbox://"``, ``"mastodon://mastodon.social"``).

    Raises:
        ConfigError: the target carries a credential (``mastodon://TOKEN@host``,
            ``?access_token=...``). Secrets never go into the calendar file: keep
            them in a login profile or ``SOCIALKIT_<PLATFORM>_<FIELD>`` variables.
    """
    name = target.strip()
    if not name:
        raise ConfigError("a target must not be empty", field="targets")
    if "://" in name:
        parts = urlsplit(name)
        keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
        if parts.username or parts.password or keys & _SECRET_KEYS:
            scheme = parts.scheme or "the"
            raise ConfigError(
                f"a {scheme} target carries a credential; the calendar never stores secrets. "
                f"Use a profile name or set SOCIALKIT_{scheme.upper()}_ACCESS_TOKEN",
                field="targets",
            )
    return name


def check_targets(targets: Iterable[str] | str) -> tuple[str, ...]:
    """Every target checked with `check_target`, duplicates dropped, order kept."""
    if isinstance(targets, str):
        targets = (targets,)
    checked = tuple(dict.fromkeys(check_target(t) for t in targets))
    if not checked:
        raise ConfigError("an entry needs at least one target", field="targets")
    return checked


def platform_of(target: str) -> str | None:
    """The platform a connection target names (``"mastodon://host"`` → ``"mastodon"``)."""
    if "://" in target:
        return target.split("://", 1)[0].lower()
    return None


# -- fingerprints -------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def fingerprint(text: str) -> str:
    """A digest of a post's text that survives how platforms render it.

    Unicode is NFC-normalised and case-folded, links are dropped (platforms
    shorten and rewrite them) and whitespace is collapsed. Used to recognise a
    post that may have been published by an attempt whose answer was lost.
    """
    text = unicodedata.normalize("NFC", text)
    for start, end in reversed(find_urls(text)):
        text = text[:start] + " " + text[end:]
    normal = _SPACE.sub(" ", text).strip().casefold()
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


# -- drafts as JSON -----------------------------------------------------------------------------


def draft_to_json(draft: Draft) -> dict[str, Any]:
    """A draft as JSON-ready data (media bytes in base64)."""
    media = []
    for upload in draft.media:
        item = upload.model_dump(exclude={"data", "path"})
        if upload.data is not None:
            item["data_b64"] = base64.b64encode(upload.data).decode()
        if upload.path is not None:
            item["path"] = str(upload.path)
        media.append(item)
    data = draft.model_dump(exclude={"media", "options"})
    data["media"] = media
    data["options"] = dict(draft.options)
    try:
        json.dumps(data)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"draft options must be JSON data to be stored: {exc}") from None
    return data


def draft_from_json(data: Mapping[str, Any]) -> Draft:
    """The draft `draft_to_json` stored."""
    media = []
    for item in data.get("media", ()):
        fields = dict(item)
        if "data_b64" in fields:
            fields["data"] = base64.b64decode(fields.pop("data_b64"))
        if fields.get("path") is not None:
            fields["path"] = Path(fields["path"])
        media.append(MediaUpload.model_validate(fields))
    return Draft.model_validate({**data, "media": tuple(media)})


def as_draft(value: DraftLike) -> Draft:
    """A str or Draft as a Draft."""
    return Draft.of(value)
