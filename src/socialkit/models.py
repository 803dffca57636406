"""The records every platform maps to: frozen pydantic models.

Every record carries ``platform`` and the platform's native string ``id``.
Datetimes are timezone-aware UTC. ``raw`` keeps the platform's payload as an
escape hatch; it is left out of repr and equality.
"""

from __future__ import annotations

import math
import mimetypes
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from . import _html

__all__ = [
    "Account",
    "Comment",
    "Draft",
    "DraftLike",
    "Media",
    "MediaKind",
    "MediaUpload",
    "Mention",
    "MentionKind",
    "Metric",
    "NativeId",
    "Post",
    "PostState",
    "ResultPage",
    "Text",
    "Visibility",
    "clean_text",
    "native_id",
    "optional_id",
]

T = TypeVar("T")


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UTCDateTime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A timezone-aware datetime, normalised to UTC. Naive datetimes are refused."""


def clean_text(value: str) -> str:
    """``value`` with lone UTF-16 surrogates replaced by U+FFFD (a paired one is joined).

    JSON may escape half a character (``"\\udc00"``); such a string cannot be encoded
    as UTF-8, so it could not be stored, logged or sent. Every text field of the
    models goes through this.
    """
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def native_id(value: object) -> str:
    """A platform's id as a string: a non-empty string, or an integer (many APIs send those).

    Raises:
        ValueError: ``value`` is ``None``, a bool, a float, a container or empty; the
            drivers report it as `ParseError`.
    """
    if isinstance(value, str):
        if value:
            return clean_text(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"an id must be a non-empty string or an integer, not {_kind(value)}")


def optional_id(value: object) -> str | None:
    """`native_id`, where a missing id (``None``) is allowed."""
    return None if value is None else native_id(value)


def _kind(value: object) -> str:
    return "an empty string" if value == "" else type(value).__name__


Text = Annotated[str, AfterValidator(clean_text)]
"""A string whose lone surrogates are replaced (see `clean_text`)."""

NativeId = Annotated[str, BeforeValidator(native_id)]
"""A platform's id: a non-empty string, or an integer turned into one (see `native_id`)."""

MediaKind = Literal["image", "video", "gif", "audio", "document", "other"]
"""The kind of a media attachment."""
MentionKind = Literal["mention", "reply", "quote", "tag", "keyword", "message"]
"""How the account was reached: mention, reply, quote, tag, keyword match or direct message."""
Visibility = Literal["public", "unlisted", "private", "direct"]
"""Who can see a post."""
PostState = Literal["published", "pending", "rejected"]
"""Where a post is after publishing: live, waiting (review, processing), or refused."""


class _Model(BaseModel):
    # built on first use, not at import: `connect` needs none of the records
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class _Record(_Model):
    """A record read from a platform; ``raw`` is not part of its identity.

    ``model_dump()`` and ``model_dump_json()`` leave ``raw`` out (it can be many
    times the record's size); ``context={"raw": True}`` keeps it. Either way the
    result reads back with ``model_validate`` / ``model_validate_json``.
    """

    platform: str
    id: NativeId
    raw: Mapping[str, Any] | None = Field(default=None, repr=False)

    @model_serializer(mode="wrap")
    def _serialize(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        data = handler(self)
        if isinstance(data, dict) and not (info.context or {}).get("raw"):
            data.pop("raw", None)
        return data

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine = {k: v for k, v in self.__dict__.items() if k != "raw"}
        theirs = {k: v for k, v in other.__dict__.items() if k != "raw"}
        return mine == theirs

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.platform, self.id))

    def _repr_html_(self) -> str:
        """How a notebook shows the record: escaped HTML."""
        return _html.record_html(self)


class Account(_Record):
    """A user, page or organisation on a platform."""

    handle: Text
    display_name: Text | None = None
    url: Text | None = None
    avatar_url: Text | None = None
    followers: int | None = None

    def _repr_html_(self) -> str:
        """How a notebook shows the account: a card of escaped HTML."""
        return _html.account_html(self)


class Media(_Model):
    """A media attachment of a published post."""

    kind: MediaKind
    url: Text | None = None
    id: NativeId | None = None
    preview_url: Text | None = None
    alt_text: Text | None = None


class Post(_Record):
    """A published post (status, tweet, skeet, page post, media object, ...).

    ``reply_to_id`` is the post it answers directly and ``thread_root_id`` the first
    post of its conversation; ``reply_to_id`` is ``None`` for a post that answers nothing.

    ``metrics`` holds the public counts that came with the payload, under
    normalised names: ``likes``, ``shares`` (reposts, boosts, retweets),
    ``comments``, ``quotes``, ``views``.

    ``state`` says whether the post is live. Most platforms publish at once
    (``"published"``, the default). Some first review or process what was sent
    (Douyin and Bilibili review every video, TikTok moderates, YouTube processes,
    Instagram builds a container): the post then exists but is ``"pending"``, and
    later becomes ``"published"`` or ``"rejected"``; `get_post` reads the state
    again. ``state_reason`` is the platform's word for a pending or rejected state
    (``"under review"``, a rejection reason). The state describes the platform's
    verdict on a post that *was* sent: a pending post must never be sent again, and
    a rejected one is an outcome, not a failure to retry.
    """

    author: Account | None = None
    text: Text = ""
    created_at: UTCDateTime | None = None
    url: Text | None = None
    reply_to_id: NativeId | None = None
    thread_root_id: NativeId | None = None
    media: tuple[Media, ...] = ()
    metrics: Mapping[str, int] = Field(default_factory=dict)
    visibility: Text | None = None
    content_warning: Text | None = None
    """The warning shown over the text until the reader opens it (Mastodon's
    ``spoiler_text``); ``None`` when there is none."""
    state: PostState = "published"
    state_reason: Text | None = None

    def _repr_html_(self) -> str:
        """How a notebook shows the post: a card of escaped HTML."""
        return _html.post_html(self)


class Comment(_Record):
    """A reply or comment under a post.

    ``thread_root_id`` is the post the conversation hangs under; ``reply_to_id`` is the
    post or comment this one answers directly (the root itself for a top-level comment).
    """

    thread_root_id: NativeId
    reply_to_id: NativeId | None = None
    author: Account | None = None
    text: Text = ""
    created_at: UTCDateTime | None = None
    url: Text | None = None
    hidden: bool = False
    content_warning: Text | None = None
    """The warning shown over the text, as on `Post`."""


    @classmethod
    def from_post(
        cls, post: Post, *, thread_root_id: str, reply_to_id: str | None
    ) -> Comment:
        """A post that answers another, seen as a comment in that conversation."""
        return cls(
            platform=post.platform,
            id=post.id,
            thread_root_id=thread_root_id,
            reply_to_id=reply_to_id,
            author=post.author,
            text=post.text,
            created_at=post.created_at,
            url=post.url,
            content_warning=post.content_warning,
            raw=post.raw,
        )

    def _repr_html_(self) -> str:
        """How a notebook shows the comment: a card of escaped HTML."""
        return _html.comment_html(self)


class Mention(_Record):
    """A way the brand was reached: a mention, reply, quote, tag, keyword match or message.

    ``id`` is the platform's id of the notification (or of the post, where there is none);
    ``post_id`` is the post (or comment) that carries the mention, the one to answer;
    ``thread_root_id`` is the post a carrying comment sits under, where the platform says.
    """

    kind: MentionKind
    author: Account | None = None
    text: Text = ""
    created_at: UTCDateTime | None = None
    url: Text | None = None
    post_id: NativeId | None = None
    thread_root_id: NativeId | None = None

    def _repr_html_(self) -> str:
        """How a notebook shows the mention: a card of escaped HTML."""
        return _html.mention_html(self)


def _finite(value: float | None) -> float | None:
    """``value``, or ``None`` for an infinity or a NaN (no count a platform can have)."""
    return value if value is None or math.isfinite(value) else None


class Metric(_Model):
    """One measured number about a post or an account.

    ``name`` is normalised (``impressions``, ``reach``, ``views``, ``likes``,
    ``comments``, ``shares``, ``quotes``, ``saves``, ``clicks``, ``video_views``,
    ``followers``, ``following``, ``profile_views``, ...); ``native_name`` keeps
    the platform's own name. ``value`` is ``None`` when the platform does not
    provide it (null is not zero), or sends no finite number (``Infinity``, ``NaN``).
    """

    platform: str
    subject: Literal["post", "account"]
    subject_id: NativeId
    name: Text
    value: int | Annotated[float, AfterValidator(_finite)] | None
    period: str = "lifetime"
    start: UTCDateTime | None = None
    end: UTCDateTime | None = None
    collected_at: UTCDateTime = Field(default_factory=lambda: datetime.now(UTC))
    native_name: Text | None = None

    def _repr_html_(self) -> str:
        """How a notebook shows the metric: a one-row table."""
        return _html.metric_html(self)


class MediaUpload(_Model):
    """Media to attach to a draft: a local file, bytes in memory, or a public URL.

    ``filename``, ``mime_type`` and ``kind`` are inferred from the file name when not given.
    In JSON, ``data`` is base64.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        ser_json_bytes="base64",
        val_json_bytes="base64",
        defer_build=True,
    )

    path: Path | None = None
    data: bytes | None = Field(default=None, repr=False)
    url: str | None = None
    filename: str = "upload"
    mime_type: str = "application/octet-stream"
    kind: MediaKind = "other"
    alt_text: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _infer(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        sources = [values.get(k) for k in ("path", "data", "url") if values.get(k) is not None]
        if len(sources) != 1:
            raise ValueError("give exactly one of path, data or url")
        url = values.get("url")
        url_path = urlsplit(url).path if isinstance(url, str) else None
        name = str(values.get("filename") or values.get("path") or url_path or "upload")
        filled = dict(values)
        filled.setdefault("filename", Path(name).name)
        mime = filled.get("mime_type") or mimetypes.guess_type(name)[0]
        filled["mime_type"] = mime or "application/octet-stream"
        filled.setdefault("kind", _media_kind(filled["mime_type"]))
        return filled

    def read(self) -> bytes:
        """Return the bytes of a local file or of in-memory data."""
        if self.data is not None:
            return self.data
        if self.path is not None:
            return self.path.read_bytes()
        raise ValueError("a URL upload has no local bytes; the platform fetches it")


def _media_kind(mime_type: str) -> MediaKind:
    if mime_type == "image/gif":
        return "gif"
    major = mime_type.split("/")[0]
    if major == "image":
        return "image"
    if major == "video":
        return "video"
    if major == "audio":
        return "audio"
    return "document" if mime_type == "application/pdf" else "other"


class Draft(_Model):
    """What to publish. A plain ``str`` is accepted wherever a Draft is.

    ``reply_to_id`` makes it an answer to that post (a thread's next part).
    ``idempotency_key`` is generated once per draft and sent where the platform
    honours it, so a retried publish never posts twice. ``options`` carries
    platform-specific fields (``{"sensitive": True}`` on Mastodon, ...).

    ``content_warning`` is shown over the text until the reader opens it (Mastodon's
    ``spoiler_text``). A platform that cannot show one refuses the draft with
    `InvalidContent` rather than drop it, unless ``content_warning_fallback="prefix"``
    lets it put ``"CW: <warning>"`` on a line before the text instead.
    """

    text: Text = ""
    media: tuple[MediaUpload, ...] = ()
    reply_to_id: str | None = None
    visibility: Visibility | None = None
    language: str | None = None
    idempotency_key: str = Field(default_factory=lambda: uuid.uuid4().hex)
    options: Mapping[str, Any] = Field(default_factory=dict)
    content_warning: str | None = None
    content_warning_fallback: Literal["prefix"] | None = None

    @classmethod
    def of(cls, value: DraftLike) -> Draft:
        """Return ``value`` as a Draft (a str becomes its text)."""
        return value if isinstance(value, Draft) else cls(text=value)

    def with_media(self, *media: MediaUpload) -> Draft:
        """A copy with ``media`` attached."""
        return self.model_copy(update={"media": (*self.media, *media)})


DraftLike = Draft | str
"""A draft, or plain text wherever a draft is accepted."""


class ResultPage(BaseModel, Generic[T]):
    """One page of a paginated listing: its items and the cursor of the next page.

    Platforms return these; `Paginator` and `AsyncPaginator` walk them.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    items: Sequence[T]
    next_cursor: str | None = None
