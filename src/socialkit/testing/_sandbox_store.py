"""Sandbox state: accounts, statuses, media and notifications, and the operations on them.

The store knows nothing about HTTP: the API layer and the ``simulate_*`` helpers both
call these methods, with the time passed in, so seeding is deterministic. Not
thread-safe by itself; the sandbox holds its lock around every call.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta

import attrs

from ._sandbox_text import MAX_CHARACTERS, countable_length, entities

__all__ = ["Account", "Media", "Notification", "Poll", "SandboxError", "Status", "Store"]

VISIBILITIES = ("public", "unlisted", "private", "direct")
MAX_MEDIA = 4
POLL_MAX_OPTIONS = 4
POLL_OPTION_CHARS = 50
POLL_MIN_EXPIRATION = 300
POLL_MAX_EXPIRATION = 2_629_746
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SandboxError(Exception):
    """A request the sandbox refuses: answered as ``{"error": message}`` with ``status``.

    The Python helpers (``simulate_*``) raise it too.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found() -> SandboxError:
    """Mastodon's 404."""
    return SandboxError(404, "Record not found")


@attrs.define(eq=False)
class Account:
    """A local user."""

    id: str
    username: str
    display_name: str
    created_at: datetime
    note: str = ""
    followers_count: int = 0
    following_count: int = 0
    bot: bool = False


@attrs.define(eq=False)
class Media:
    """An uploaded attachment; ``pending_polls`` GETs still answer 206 before it is ready."""

    id: str
    account_id: str
    kind: str
    mime: str
    data: bytes = attrs.field(repr=False)
    description: str | None
    focus: tuple[float, float] | None
    pending_polls: int
    created_at: datetime
    status_id: str | None = None

    @property
    def processed(self) -> bool:
        """Whether processing has finished (the URL is known)."""
        return self.pending_polls <= 0

    @property
    def file_key(self) -> str:
        """The stable hex name of the stored file."""
        return hashlib.sha256(f"{self.id}:{len(self.data)}".encode()).hexdigest()[:16]


@attrs.define(eq=False)
class Poll:
    """A poll attached to a status."""

    id: str
    options: list[str]
    expires_at: datetime
    multiple: bool = False
    hide_totals: bool = False


@attrs.define(eq=False)
class Status:
    """A status, or a reblog wrapper when ``reblog_of_id`` is set."""

    id: str
    account_id: str
    text: str
    created_at: datetime
    visibility: str = "public"
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = "en"
    in_reply_to_id: str | None = None
    in_reply_to_account_id: str | None = None
    reblog_of_id: str | None = None
    media_ids: list[str] = attrs.Factory(list)
    poll: Poll | None = None
    edited_at: datetime | None = None
    mention_ids: list[str] = attrs.Factory(list)
    tags: list[str] = attrs.Factory(list)
    favourited_by: list[str] = attrs.Factory(list)
    reblogs: dict[str, str] = attrs.Factory(dict)  # account id -> wrapper status id


@attrs.define(eq=False)
class Notification:
    """A notification for ``account_id`` caused by ``from_account_id``."""

    id: str
    account_id: str
    type: str
    from_account_id: str
    status_id: str | None
    created_at: datetime


@attrs.frozen
class Draft:
    """What a client asked to post or edit, already parsed from the request."""

    text: str = ""
    media_ids: tuple[str, ...] = ()
    in_reply_to_id: str | None = None
    visibility: str | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    poll_options: tuple[str, ...] = ()
    poll_expires_in: int | None = None
    poll_multiple: bool = False
    poll_hide_totals: bool = False


def sanitize_username(raw: str) -> str:
    """Turn a token or name into a valid username (letters, digits, underscore; max 30)."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", raw).strip("_")[:30]


class Store:
    """All sandbox state and the operations Mastodon performs on it."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.accounts: dict[str, Account] = {}
        self.statuses: dict[str, Status] = {}  # insertion order is id order
        self.media: dict[str, Media] = {}
        self.notifications: dict[str, Notification] = {}
        self._usernames: dict[str, str] = {}
        self._tokens: dict[str, str] = {}
        self._children: dict[str, list[str]] = {}
        self._by_account: dict[str, list[str]] = {}
        self._idempotency: dict[tuple[str, str], str] = {}
        self._last_status_id = 0
        self._serial = 0
        self.listener: Callable[[str, Status | Notification], None] | None = None
        """Told of every new notification and status change (the streaming hub)."""

    def _emit(self, kind: str, subject: Status | Notification) -> None:
        if self.listener is not None:
            self.listener(kind, subject)

    # -- ids and accounts -------------------------------------------------------------

    def _next_serial(self) -> str:
        self._serial += 1
        return str(self._serial)

    def _status_id(self, at: datetime) -> str:
        """Snowflake-like id (milliseconds << 16), strictly increasing."""
        ms = int((at - _EPOCH).total_seconds() * 1000)
        self._last_status_id = max(ms << 16, self._last_status_id + 1)
        return str(self._last_status_id)

    def create_account(
        self,
        username: str,
        at: datetime,
        *,
        display_name: str | None = None,
        note: str = "",
        followers: int = 0,
        following: int = 0,
    ) -> Account:
        """Create a local account; like Mastodon, ``created_at`` is rounded to midnight."""
        if username.lower() in self._usernames:
            raise SandboxError(422, "Validation failed: Username has already been taken")
        acc = Account(
            id=str(len(self.accounts) + 1),
            username=username,
            display_name=display_name if display_name is not None else username,
            created_at=at.replace(hour=0, minute=0, second=0, microsecond=0),
            note=note,
            followers_count=followers,
            following_count=following,
        )
        self.accounts[acc.id] = acc
        self._usernames[username.lower()] = acc.id
        return acc

    def by_username(self, username: str) -> Account | None:
        """The local account with this username (case-insensitive)."""
        acc_id = self._usernames.get(username.lower())
        return self.accounts[acc_id] if acc_id else None

    def ensure_account(self, username: str, at: datetime) -> Account:
        """The account named ``username``, created when missing."""
        return self.by_username(username) or self.create_account(username, at)

    def account_for_token(self, token: str, at: datetime) -> Account | None:
        """The user behind a bearer token; an unknown token creates its account."""
        acc_id = self._tokens.get(token)
        if acc_id:
            return self.accounts[acc_id]
        username = sanitize_username(token)
        if not username:
            return None
        acc = self.ensure_account(username, at)
        self._tokens[token] = acc.id
        return acc

    def account(self, account_id: str) -> Account:
        """The account with this id, or 404."""
        acc = self.accounts.get(account_id)
        if acc is None:
            raise not_found()
        return acc

    def statuses_by(self, account_id: str) -> list[str]:
        """Ids of the account's live statuses (reblogs included), oldest first."""
        return self._by_account.get(account_id, [])

    def statuses_count(self, account_id: str) -> int:
        """How many live statuses (reblogs included) the account has."""
        return len(self.statuses_by(account_id))

    def last_status_at(self, account_id: str) -> datetime | None:
        """When the account last posted."""
        ids = self.statuses_by(account_id)
        return self.statuses[ids[-1]].created_at if ids else None

    def _insert(self, status: Status) -> None:
        self.statuses[status.id] = status
        self._by_account.setdefault(status.account_id, []).append(status.id)
        if status.in_reply_to_id:
            self._children.setdefault(status.in_reply_to_id, []).append(status.id)

    # -- visibility -------------------------------------------------------------------

    def visible(self, status: Status, viewer: Account | None) -> bool:
        """Whether ``viewer`` may see ``status`` (private/direct: author and mentioned only)."""
        if status.visibility in ("public", "unlisted"):
            return True
        return viewer is not None and (
            viewer.id == status.account_id or viewer.id in status.mention_ids
        )

    def status(self, status_id: str, viewer: Account | None) -> Status:
        """A status the viewer may see, or 404."""
        st = self.statuses.get(status_id)
        if st is None or not self.visible(st, viewer):
            raise not_found()
        return st

    def replies_count(self, status_id: str) -> int:
        """Live direct replies."""
        return len(self._children.get(status_id, ()))

    def ancestors(self, status: Status, viewer: Account | None) -> list[Status]:
        """Parents of a status, root first."""
        chain: list[Status] = []
        parent_id = status.in_reply_to_id
        while parent_id and parent_id in self.statuses:
            parent = self.statuses[parent_id]
            if not self.visible(parent, viewer):
                break
            chain.append(parent)
            parent_id = parent.in_reply_to_id
        return chain[::-1]

    def descendants(self, status: Status, viewer: Account | None) -> Iterator[Status]:
        """Replies of every depth, depth-first in thread order."""
        stack = list(reversed(self._children.get(status.id, [])))
        while stack:
            child = self.statuses[stack.pop()]
            if self.visible(child, viewer):
                yield child
                stack.extend(reversed(self._children.get(child.id, [])))

    # -- posting ----------------------------------------------------------------------

    def _validate(self, author: Account, draft: Draft, current: Status | None) -> list[Media]:
        """Check a draft as Mastodon does; answer the media to attach."""
        if draft.visibility is not None and draft.visibility not in VISIBILITIES:
            raise SandboxError(422, f"'{draft.visibility}' is not a valid visibility")
        if len(draft.media_ids) > MAX_MEDIA:
            raise SandboxError(422, f"Cannot attach more than {MAX_MEDIA} files")
        media: list[Media] = []
        missing: list[str] = []
        for media_id in draft.media_ids:
            item = self.media.get(media_id)
            attached_elsewhere = item is not None and item.status_id not in (
                None,
                current.id if current else None,
            )
            if item is None or item.account_id != author.id or attached_elsewhere:
                missing.append(media_id)
            else:
                media.append(item)
        if missing:
            raise SandboxError(
                422, f"Validation failed: Media attachments {', '.join(missing)} not found"
            )
        if any(not m.processed for m in media):
            raise SandboxError(
                422, "Cannot attach files that have not finished processing. Try again in a moment!"
            )
        if len(media) > 1 and any(m.kind in ("video", "gifv", "audio") for m in media):
            raise SandboxError(422, "Cannot attach a video to a post that already contains images")
        if draft.poll_options and media:
            raise SandboxError(422, "Cannot attach both files and a poll")
        if not draft.text.strip() and not media:
            raise SandboxError(422, "Validation failed: Text can't be blank")
        if countable_length(draft.text, draft.spoiler_text) > MAX_CHARACTERS:
            raise SandboxError(
                422, f"Validation failed: Text character limit of {MAX_CHARACTERS} exceeded"
            )
        if draft.poll_options or draft.poll_expires_in is not None:
            self._validate_poll(draft)
        return media

    @staticmethod
    def _validate_poll(draft: Draft) -> None:
        if len(draft.poll_options) < 2:
            raise SandboxError(422, "Validation failed: Poll must have at least 2 options")
        if len(draft.poll_options) > POLL_MAX_OPTIONS:
            raise SandboxError(
                422, f"Validation failed: Poll can't contain more than {POLL_MAX_OPTIONS} items"
            )
        if any(len(o) > POLL_OPTION_CHARS for o in draft.poll_options):
            raise SandboxError(
                422,
                f"Validation failed: Poll options can't contain items longer than "
                f"{POLL_OPTION_CHARS} characters",
            )
        expires = draft.poll_expires_in
        if expires is None or not POLL_MIN_EXPIRATION <= expires <= POLL_MAX_EXPIRATION:
            raise SandboxError(422, "Validation failed: Poll duration is out of range")

    def _mentions(self, text: str, author: Account) -> list[str]:
        ids: list[str] = []
        for ent in entities(text):
            if ent.kind != "mention" or ent.domain not in (None, self.domain):
                continue
            acc = self.by_username(ent.value)
            if acc and acc.id not in ids:
                ids.append(acc.id)
        return ids

    @staticmethod
    def _tags(text: str) -> list[str]:
        tags: list[str] = []
        for ent in entities(text):
            if ent.kind == "tag" and ent.value.lower() not in tags:
                tags.append(ent.value.lower())
        return tags

    def post(
        self, author: Account, draft: Draft, at: datetime, *, idempotency_key: str | None = None
    ) -> Status:
        """Create a status; a repeated idempotency key answers the first status."""
        if idempotency_key is not None:
            first = self._idempotency.get((author.id, idempotency_key))
            if first is not None and first in self.statuses:
                return self.statuses[first]
        parent: Status | None = None
        if draft.in_reply_to_id is not None:
            parent = self.statuses.get(draft.in_reply_to_id)
            if parent is None or not self.visible(parent, author) or parent.reblog_of_id:
                raise SandboxError(
                    404, "The post you are trying to reply to does not appear to exist."
                )
        media = self._validate(author, draft, None)
        status = Status(
            id=self._status_id(at),
            account_id=author.id,
            text=draft.text,
            created_at=at,
            visibility=draft.visibility or "public",
            spoiler_text=draft.spoiler_text,
            sensitive=draft.sensitive or bool(draft.spoiler_text),
            language=draft.language or "en",
            in_reply_to_id=parent.id if parent else None,
            in_reply_to_account_id=parent.account_id if parent else None,
            media_ids=[m.id for m in media],
            mention_ids=self._mentions(draft.text, author),
            tags=self._tags(draft.text),
        )
        if (
            parent
            and parent.account_id != author.id
            and parent.account_id not in status.mention_ids
        ):
            status.mention_ids.insert(0, parent.account_id)
        if draft.poll_options:
            status.poll = Poll(
                id=self._next_serial(),
                options=list(draft.poll_options),
                expires_at=at + timedelta(seconds=draft.poll_expires_in or 0),
                multiple=draft.poll_multiple,
                hide_totals=draft.poll_hide_totals,
            )
        for m in media:
            m.status_id = status.id
        self._insert(status)
        self._emit("update", status)
        for acc_id in status.mention_ids:
            self._notify(acc_id, "mention", author.id, status.id, at)
        if idempotency_key is not None:
            self._idempotency[(author.id, idempotency_key)] = status.id
        return status

    def edit(self, author: Account, status_id: str, draft: Draft, at: datetime) -> Status:
        """Edit one's own status; sets ``edited_at`` and notifies new mentions and boosters."""
        status = self.statuses.get(status_id)
        if status is None or status.account_id != author.id or status.reblog_of_id:
            raise not_found()
        media = self._validate(author, draft, status)
        for media_id in status.media_ids:
            if media_id in self.media and media_id not in draft.media_ids:
                self.media[media_id].status_id = None
        for m in media:
            m.status_id = status.id
        old_mentions = set(status.mention_ids)
        status.text = draft.text
        status.spoiler_text = draft.spoiler_text
        status.sensitive = draft.sensitive or bool(draft.spoiler_text)
        status.language = draft.language or status.language
        status.media_ids = [m.id for m in media]
        status.mention_ids = self._mentions(draft.text, author)
        replied_to = status.in_reply_to_account_id
        if replied_to and replied_to != author.id and replied_to not in status.mention_ids:
            status.mention_ids.insert(0, replied_to)
        status.tags = self._tags(draft.text)
        status.edited_at = at
        for acc_id in status.mention_ids:
            if acc_id not in old_mentions:
                self._notify(acc_id, "mention", author.id, status.id, at)
        for acc_id in status.reblogs:
            self._notify(acc_id, "update", author.id, status.id, at)
        self._emit("status.update", status)
        return status

    def delete(self, author: Account, status_id: str) -> Status:
        """Delete one's own status (and its reblogs and notifications); answer it."""
        status = self.statuses.get(status_id)
        if status is None or status.account_id != author.id:
            raise not_found()
        self._remove(status)
        return status

    def _remove(self, status: Status) -> None:
        for wrapper_id in list(status.reblogs.values()):
            if wrapper_id in self.statuses:
                self._remove(self.statuses[wrapper_id])
        if status.reblog_of_id and status.reblog_of_id in self.statuses:
            self.statuses[status.reblog_of_id].reblogs.pop(status.account_id, None)
        if status.in_reply_to_id in self._children:
            self._children[status.in_reply_to_id].remove(status.id)
        for media_id in status.media_ids:
            if media_id in self.media:
                self.media[media_id].status_id = None
        del self.statuses[status.id]
        self._emit("delete", status)
        self._by_account[status.account_id].remove(status.id)
        self._drop_notifications(status_id=status.id)
        if status.reblog_of_id:
            self._drop_notifications(
                status_id=status.reblog_of_id, type_="reblog", from_id=status.account_id
            )

    # -- favourites and reblogs ---------------------------------------------------------

    def _target(self, status_id: str, viewer: Account) -> Status:
        status = self.status(status_id, viewer)
        if status.reblog_of_id:
            return self.status(status.reblog_of_id, viewer)
        return status

    def favourite(self, actor: Account, status_id: str, at: datetime) -> Status:
        """Favourite a status (idempotent); notifies its author."""
        status = self._target(status_id, actor)
        if actor.id not in status.favourited_by:
            status.favourited_by.append(actor.id)
            self._notify(status.account_id, "favourite", actor.id, status.id, at)
        return status

    def unfavourite(self, actor: Account, status_id: str) -> Status:
        """Remove a favourite and its notification."""
        status = self._target(status_id, actor)
        if actor.id in status.favourited_by:
            status.favourited_by.remove(actor.id)
            self._drop_notifications(status_id=status.id, type_="favourite", from_id=actor.id)
        return status

    def reblog(
        self, actor: Account, status_id: str, at: datetime, visibility: str | None
    ) -> Status:
        """Boost a status; answers the wrapper. Private and direct posts cannot be boosted."""
        status = self._target(status_id, actor)
        if status.visibility in ("private", "direct"):
            raise SandboxError(403, "This action is not allowed")
        if actor.id in status.reblogs:
            return self.statuses[status.reblogs[actor.id]]
        wrapper = Status(
            id=self._status_id(at),
            account_id=actor.id,
            text="",
            created_at=at,
            visibility=visibility if visibility in ("public", "unlisted") else "public",
            language=None,
            reblog_of_id=status.id,
        )
        self._insert(wrapper)
        status.reblogs[actor.id] = wrapper.id
        self._notify(status.account_id, "reblog", actor.id, status.id, at)
        return wrapper

    def unreblog(self, actor: Account, status_id: str) -> Status:
        """Undo a boost; answers the original status."""
        status = self._target(status_id, actor)
        wrapper_id = status.reblogs.get(actor.id)
        if wrapper_id and wrapper_id in self.statuses:
            self._remove(self.statuses[wrapper_id])
        return status

    # -- media ------------------------------------------------------------------------

    def add_media(
        self,
        owner: Account,
        *,
        mime: str,
        data: bytes,
        description: str | None,
        focus: tuple[float, float] | None,
        pending_polls: int,
        at: datetime,
    ) -> Media:
        """Store an upload; images are ready at once, other kinds after ``pending_polls``."""
        major = mime.split("/", 1)[0]
        kind = "gifv" if mime == "image/gif" else {"image": "image"}.get(major, major)
        item = Media(
            id=self._status_id(at),
            account_id=owner.id,
            kind=kind,
            mime=mime,
            data=data,
            description=description,
            focus=focus,
            pending_polls=0 if kind == "image" else pending_polls,
            created_at=at,
        )
        self.media[item.id] = item
        return item

    # -- notifications ----------------------------------------------------------------

    def _notify(
        self, recipient_id: str, type_: str, from_id: str, status_id: str | None, at: datetime
    ) -> None:
        if recipient_id == from_id:
            return
        note = Notification(self._next_serial(), recipient_id, type_, from_id, status_id, at)
        self.notifications[note.id] = note
        self._emit("notification", note)

    def _drop_notifications(
        self, *, status_id: str, type_: str | None = None, from_id: str | None = None
    ) -> None:
        for note in list(self.notifications.values()):
            if note.status_id != status_id:
                continue
            if (type_ is None or note.type == type_) and (
                from_id is None or note.from_account_id == from_id
            ):
                del self.notifications[note.id]

    def notifications_for(self, account: Account) -> Iterable[Notification]:
        """The account's notifications, oldest first."""
        return (n for n in self.notifications.values() if n.account_id == account.id)
