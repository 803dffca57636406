"""The provider interface: a `Platform` turns each operation into a flow.

A flow is a generator that yields steps (`Call`: one HTTP exchange, `Sleep`:
wait) and returns a typed result. A provider never does I/O itself; the
drivers ([`Client`][socialkit.Client], [`AsyncClient`][socialkit.AsyncClient]) run its flows.

```python
def get_post(self, post_id: str) -> Flow[Post]:
    response = yield self.call("GET", f"/api/v1/statuses/{post_id}")
    return self.to_post(self.json(response))
```
"""

from __future__ import annotations

import difflib
import enum
import functools
import json as jsonlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

import attrs
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError
from pydantic_core import from_json

from ._records import Record
from .clock import delay_from
from .credentials.core import BearerToken, Credential
from .errors import (
    AuthError,
    ConfigError,
    InvalidContent,
    NotFound,
    ParseError,
    PermissionDenied,
    PlatformError,
    RateLimited,
    SocialkitError,
    TokenExpired,
    Unsupported,
)
from .models import Account, Comment, Draft, DraftLike, Mention, Metric, Post, ResultPage
from .steps import Call, Flow, Response, Sleep, Step
from .text import TextRules

if TYPE_CHECKING:
    from .events.stream import StreamSpec
    from .events.types import Event

__all__ = [
    "LOOPBACK_HOSTS",
    "Budget",
    "Call",
    "Capability",
    "Flow",
    "PageFlow",
    "Platform",
    "PlatformSettings",
    "RateLimitInfo",
    "ReplyTarget",
    "Sleep",
    "Step",
    "TextRules",
    "default_scheme",
    "is_loopback",
    "page_limit",
    "target_origin",
    "token_expired",
    "with_scheme",
]

T = TypeVar("T")


class Capability(enum.StrEnum):
    """What a platform can do. `Platform.capabilities` lists the ones that work."""

    PUBLISH_TEXT = "publish_text"
    PUBLISH_IMAGE = "publish_image"
    PUBLISH_VIDEO = "publish_video"
    PUBLISH_THREAD = "publish_thread"
    READ_POSTS = "read_posts"
    EDIT = "edit"
    DELETE = "delete"
    READ_COMMENTS = "read_comments"
    REPLY = "reply"
    MODERATE = "moderate"
    MENTIONS = "mentions"
    SEARCH = "search"
    POST_METRICS = "post_metrics"
    ACCOUNT_METRICS = "account_metrics"
    REACT = "react"
    REPOST = "repost"


PageFlow: TypeAlias = Flow["ResultPage[T]"]
"""A flow that returns one page of a listing."""
ReplyTarget: TypeAlias = Post | Comment | Mention | str
"""What `reply` answers: a record, or the id of a post."""


@attrs.frozen
class RateLimitInfo(Record):
    """What a response said about the rate limit of the call's bucket (``Call.bucket``)."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None
    bucket: str = "default"
    """Informational; the state is recorded under the bucket of the call that got the response."""


@attrs.frozen
class Budget(Record):
    """A budget the platform counts (YouTube's daily quota units): what one publish costs
    from ``bucket``, what is left, and when the budget is full again."""

    bucket: str
    cost: int
    remaining: int
    reset_at: datetime

    @property
    def enough(self) -> bool:
        """Whether what is left covers the cost."""
        return self.remaining >= self.cost

    def __str__(self) -> str:
        return (
            f"{self.remaining} unit(s) left in {self.bucket!r}, the publish needs {self.cost}; "
            f"it resets at {self.reset_at.isoformat()}"
        )


class PlatformSettings(BaseModel):
    """Settings every platform accepts. Providers subclass it with their own fields.

    Secrets are ``SecretStr``: they never show in repr, logs or errors.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    access_token: SecretStr | None = None
    base_url: str | None = None



def _loads(body: bytes) -> Any:
    """``json.loads(body)``, decoded by pydantic-core's JSON reader (twice as fast) when it can.

    Where the two differ, the standard library decides: a document pydantic-core refuses (a
    lone surrogate escape, a byte-order mark, an integer of hundreds of digits, nesting
    past its depth limit) is read again by ``json.loads``, which accepts it or raises its
    own error. What both accept, they read the same.
    """
    try:
        return from_json(body, cache_strings="keys")  # no cache of values kept alive
    except ValueError:
        return jsonlib.loads(body)


class Platform:
    """Base class of every provider.

    Subclasses set ``name``, ``capabilities``, ``Settings`` and ``rules``, and
    override the operations they support with generator methods (flows). An
    operation that is not overridden raises
    [`Unsupported`][socialkit.errors.Unsupported] when it is called, before
    any request.
    """

    name: ClassVar[str] = "platform"
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    Settings: ClassVar[type[PlatformSettings]] = PlatformSettings
    default_base_url: ClassVar[str] = ""
    honours_idempotency_key: bool = False
    """True when the platform de-duplicates on an idempotency key, so publishes can be retried.

    A class attribute for most platforms; a provider whose servers differ (Mastodon-API
    servers) sets it per instance once it knows the server."""

    keyword_stream: ClassVar[bool] = False
    """True when `watch(kinds={"keyword"})` streams posts matching rules kept on the
    platform (X's filtered stream); elsewhere that kind is `Unsupported`."""

    content_warnings: ClassVar[bool] = False
    """True when the platform can show `Draft.content_warning` over a post."""

    unsupported_reasons: ClassVar[Mapping[Capability, str]] = {}
    """Why the platform's API lacks each missing capability, for `Unsupported` messages."""
    required_scopes: ClassVar[Mapping[Capability, frozenset[str]]] = {}
    """The OAuth scopes (or approved permissions) each capability needs. A capability
    whose scopes the connected account did not grant is left out of
    `granted_capabilities` and refused by `require`, naming the missing ones."""
    url_host_setting: ClassVar[str] = "base_url"
    """The setting that the host of a ``platform://token@host`` target fills."""
    longest_believed_reset: ClassVar[float] = 3600.0
    """The furthest ahead (seconds) a rate-limit reset is believed and kept in the shared
    state: a broken clock or a hostile header cannot lock an account out for longer. A
    platform whose own arithmetic gives daily resets (YouTube's quota) raises it."""

    rules: TextRules = TextRules(max_length=500)

    def __init__(self, settings: PlatformSettings | None = None, /, **values: Any) -> None:
        """Configure from a settings object or from keyword settings.

        Either way the settings are validated against `Settings`: a missing or
        wrong one is a [`ConfigError`][socialkit.errors.ConfigError] naming it.
        """
        if settings is not None and values:
            raise TypeError("pass either a settings object or keyword settings, not both")
        if not isinstance(settings, type(self).Settings):
            given = values if settings is None else _set_fields(settings)
            settings = settings_for(type(self), given)
        self.settings = settings

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @classmethod
    def settings_from_url(cls, url: str) -> dict[str, Any]:
        """Settings carried by a ``platform://token@host/path?field=value`` target.

        The host becomes ``https://host``, or ``http://host`` on loopback
        (``127.0.0.1``, ``localhost``, ``::1``); ``platform+http://`` or
        ``platform+https://`` says which explicitly (see `target_origin`).
        """
        parts = urlsplit(url)
        values: dict[str, Any] = dict(parse_qsl(parts.query))
        if parts.username:
            values["access_token"] = unquote(parts.username)
        try:
            parts.port  # noqa: B018 (reading it validates it)
        except ValueError:  # out of range or not a number; the message quotes no secret
            raise ConfigError(
                "the port in the target URL is not a valid port (1-65535)",
                field=cls.url_host_setting,
                platform=cls.name,
            ) from None
        if parts.hostname:
            values[cls.url_host_setting] = target_origin(url) + parts.path.rstrip("/")
        return values

    # -- wiring used by the drivers ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API root that relative call URLs are joined to."""
        return self.settings.base_url or self.default_base_url

    @functools.cached_property
    def trusted_hosts(self) -> frozenset[str]:
        """Hosts that receive the credential. Calls to any other host go without it.

        The base URL's host by default; platforms with upload or auth hosts add theirs.
        """
        host = urlsplit(self.base_url).hostname
        return frozenset({host}) if host else frozenset()

    @property
    def account_key(self) -> str:
        """Identifies the account for rate-limit state shared within the process."""
        return self.base_url

    @functools.cached_property
    def credential(self) -> Credential | None:
        """What the driver attaches to authenticated calls (a bearer token by default)."""
        token = self.settings.access_token
        return BearerToken(token) if token is not None else None

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """Read the response's rate-limit headers. The base class reads none."""
        return None

    def map_error(self, response: Response) -> SocialkitError:
        """Turn an error response into the matching exception."""
        message, code = self.error_details(response)
        return error_for_status(self.name, response, message, code=code)

    def error_in_body(self, response: Response) -> SocialkitError | None:
        """An error reported inside a successful HTTP response, or ``None``.

        Some platforms answer errors with HTTP 200 (WeChat's ``errcode``). An error
        returned here is handled like a mapped HTTP error: retried when transient,
        and a `TokenExpired` refreshes the credential and replays the call.
        """
        return None

    def error_details(self, response: Response) -> tuple[str, str | None]:
        """The platform's own words for an error response and its error code, if any.

        Reads the common JSON shapes (``{"error": ...}``, OAuth's ``error`` +
        ``error_description``, ``message``, ``detail``); falls back to the status phrase.
        """
        fallback = response.reason_phrase or f"HTTP {response.status_code}"
        try:
            body = response.json()
        except (ValueError, RecursionError):
            return fallback, None
        if not isinstance(body, Mapping):
            return fallback, None
        texts = [body.get(k) for k in ("error_description", "error", "message", "detail", "title")]
        message = next((t for t in texts if isinstance(t, str) and t), fallback)
        code = body.get("error") if isinstance(body.get("error_description"), str) else None
        return message, code if isinstance(code, str) else None

    # -- helpers for flows -----------------------------------------------------------------

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        """Build a [`Call`][socialkit.platform.Call]; a shorthand for flows."""
        return Call(method, url, **kwargs)

    def json(self, response: Response | None) -> Any:
        """The response's JSON body, or [`ParseError`][socialkit.errors.ParseError]."""
        if response is None:
            raise ParseError("expected a response, got none", platform=self.name)
        try:
            return _loads(response.content)
        except (ValueError, RecursionError) as exc:
            raise ParseError(
                f"malformed JSON from {response.request.method} {response.request.url.path}",
                platform=self.name,
                status=response.status_code,
            ) from exc

    def unsupported(
        self, capability: Capability, detail: str = "", *, operation: str | None = None
    ) -> Unsupported:
        """The error for an operation this platform's API cannot do, with the reason;
        ``operation`` names the method called (the drivers fill it in for flows)."""
        detail = detail or self.unsupported_reasons.get(capability, "")
        why = f": {detail}" if detail else ""
        return Unsupported(
            f"{capability.value} is not supported{why}",
            platform=self.name,
            capability=capability.value,
            operation=operation,
        )

    def granted_scopes(self) -> frozenset[str] | None:
        """The scopes the connected account granted, or ``None`` when unknown.

        Read from the credential's ``scope`` (the token response's, kept by
        [`OAuth2Token`][socialkit.auth.OAuth2Token]; space- or comma-separated).
        Unknown scopes count as granted: the platform then says what is missing.
        """
        scope = getattr(self.credential, "scope", None)
        if not isinstance(scope, str):
            return None
        return frozenset(part for part in scope.replace(",", " ").split() if part)

    def missing_scopes(self, capability: Capability) -> frozenset[str]:
        """The scopes ``capability`` needs that the account is known not to have granted."""
        needed = self.required_scopes.get(capability)
        if not needed:  # nothing to check: the credential is not even looked at
            return frozenset()
        granted = self.granted_scopes()
        return frozenset() if granted is None else needed - granted

    @property
    def granted_capabilities(self) -> frozenset[Capability]:
        """`capabilities` less those whose scopes the connected account did not grant."""
        if not self.required_scopes:
            return self.capabilities
        return frozenset(c for c in self.capabilities if not self.missing_scopes(c))

    def require(self, capability: Capability) -> None:
        """Raise `Unsupported` unless ``capability`` is in `capabilities` and its scopes
        (`required_scopes`) were granted; the message names the missing permission."""
        if capability not in self.capabilities:
            raise self.unsupported(capability)
        missing = self.missing_scopes(capability)
        if missing:
            raise Unsupported(
                f"{self.name} cannot {capability.value} for this account: it did not grant "
                f"the permission {', '.join(sorted(missing))}; log in again asking for it",
                platform=self.name,
                capability=capability.value,
            )

    def publish_budget(self, draft: Draft) -> list[Budget]:
        """What publishing ``draft`` would cost from each budget the platform counts, and
        what is left (the calendar defers a publish it cannot afford until the reset).
        Empty where the platform has no such budget."""
        return []

    def validate(self, draft: DraftLike) -> Draft:
        """Check a draft against the text rules and capabilities; return it as a Draft
        (with its content warning put in the text, where its fallback asks for that)."""
        draft = self.check_content_warning(Draft.of(draft))
        kinds = {m.kind for m in draft.media}
        if not kinds:  # text alone; a caption on media needs no PUBLISH_TEXT
            self.require(Capability.PUBLISH_TEXT)
        if kinds & {"image", "gif"}:
            self.require(Capability.PUBLISH_IMAGE)
        if "video" in kinds:
            self.require(Capability.PUBLISH_VIDEO)
        if kinds - {"image", "gif", "video"}:
            raise InvalidContent(
                f"{self.name} cannot attach {', '.join(sorted(kinds - {'image', 'gif', 'video'}))}",
                rule="media_kind",
                platform=self.name,
            )
        self.rules.check(draft, platform=self.name)
        return draft

    def check_content_warning(self, draft: Draft) -> Draft:
        """The draft as this platform can carry its `Draft.content_warning`.

        Unchanged where the platform has content warnings (`content_warnings`) or the
        draft has none; with ``content_warning_fallback="prefix"``, the warning moves
        into the text (``"CW: <warning>"`` on its own line); otherwise `InvalidContent`.
        """
        warning = draft.content_warning
        if warning is None or self.content_warnings:
            return draft
        if draft.content_warning_fallback == "prefix":
            text = f"CW: {warning}\n\n{draft.text}" if draft.text else f"CW: {warning}"
            return draft.model_copy(update={"text": text, "content_warning": None})
        raise InvalidContent(
            f"{self.name} cannot show a content warning; set "
            'content_warning_fallback="prefix" to put it in the text instead',
            rule="content_warning",
            platform=self.name,
        )

    # -- the unified operations ------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """The authenticated account."""
        raise Unsupported(f"{self.name} cannot describe the current account", platform=self.name)

    def publish(self, draft: Draft) -> Flow[Post]:
        """Publish a draft (text, media, reply) and return the post."""
        raise self.unsupported(Capability.PUBLISH_TEXT, operation="publish")

    def publish_thread(self, drafts: Sequence[Draft]) -> Flow[list[Post]]:
        """Publish drafts as a chain of replies; all are validated before the first is sent."""
        self.require(Capability.PUBLISH_THREAD)
        return self._publish_chain([self.validate(d) for d in drafts])

    def _publish_chain(self, drafts: Iterable[Draft]) -> Flow[list[Post]]:
        posts: list[Post] = []
        for draft in drafts:
            part = draft.model_copy(update={"reply_to_id": posts[-1].id}) if posts else draft
            posts.append((yield from self.publish(part)))
        return posts

    def get_post(self, post_id: str) -> Flow[Post]:
        """One post by id."""
        raise self.unsupported(Capability.READ_POSTS, operation="get_post")

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """Replace a post's content."""
        raise self.unsupported(Capability.EDIT, operation="edit_post")

    def delete_post(self, post_id: str) -> Flow[None]:
        """Delete a post."""
        raise self.unsupported(Capability.DELETE, operation="delete_post")

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of an account's posts (the authenticated one by default).

        Every listing takes the ``cursor`` of the page to read (``None``: the first)
        and ``limit``, a hint: the most items the caller still wants, so a platform
        can ask for a smaller page (``None``: all of them).
        """
        raise self.unsupported(Capability.READ_POSTS, operation="posts")

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """A page of the comments under a post, each with its ``parent_id``."""
        raise self.unsupported(Capability.READ_COMMENTS, operation="comments")

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """Answer a post, comment or mention."""
        raise self.unsupported(Capability.REPLY, operation="reply")

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """Hide or unhide a comment."""
        raise self.unsupported(Capability.MODERATE, operation="hide_comment")

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """Delete a comment."""
        raise self.unsupported(Capability.MODERATE, operation="delete_comment")

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """A page of the ways the account was reached, newest first, after mention ``since_id``."""
        raise self.unsupported(Capability.MENTIONS, operation="mentions")

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of posts matching a query."""
        raise self.unsupported(Capability.SEARCH, operation="search")

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """The metrics of one post."""
        raise self.unsupported(Capability.POST_METRICS, operation="post_metrics")

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """The account's metrics for a period (or a snapshot where the platform has no history)."""
        raise self.unsupported(Capability.ACCOUNT_METRICS, operation="account_metrics")

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """React to a post (``"like"`` everywhere; other kinds where the platform has them)."""
        raise self.unsupported(Capability.REACT, operation="react")

    def repost(self, post_id: str) -> Flow[None]:
        """Repost (boost, retweet, share) a post."""
        raise self.unsupported(Capability.REPOST, operation="repost")

    # -- events (`watch()`) ------------------------------------------------------------------

    def stream(self, kinds: frozenset[str]) -> Flow[StreamSpec | None]:
        """The stream that delivers ``kinds`` as they happen, or ``None`` when the
        platform has none (`watch()` then polls `backfill`). A flow, so it may look
        up where the stream is (a streaming host) first. The base class has none."""
        return None
        yield  # pragma: no cover - makes this a generator

    def backfill(
        self,
        kinds: frozenset[str],
        checkpoint: str | None,
        cursor: str | None,
        limit: int | None = None,
    ) -> PageFlow[Event]:
        """A page of the events of ``kinds`` after ``checkpoint``, newest first, each
        carrying its own checkpoint: what `watch()` reads on every (re)connect.

        The base class reads `mentions` (``since_id`` = the checkpoint, a mention id) for
        ``"mention"`` and nothing for the other kinds.
        """
        from .events.types import MentionEvent

        if "mention" not in kinds or Capability.MENTIONS not in self.capabilities:
            return ResultPage(items=[], next_cursor=None)
        page = yield from self.mentions(checkpoint, cursor, limit)
        items = [
            MentionEvent(platform=self.name, key=m.id, checkpoint=m.id, mention=m, raw=m.raw)
            for m in page.items
        ]
        return ResultPage(items=items, next_cursor=page.next_cursor)


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
"""Host names that mean this machine: plain HTTP is allowed to them, and is their default."""


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (``localhost``, ``127.0.0.1``, ``::1``)."""
    return bool(host) and str(host).lower() in LOOPBACK_HOSTS


def default_scheme(host: str | None) -> str:
    """``http`` for a loopback host (local test servers speak plain HTTP), else ``https``."""
    return "http" if is_loopback(host) else "https"


def with_scheme(value: str) -> str:
    """A host (``"mastodon.social"``, ``"127.0.0.1:8001"``) with its default scheme
    (`default_scheme`); a value with a scheme is returned as it is."""
    value = value.strip()
    if "://" in value:
        return value
    return f"{default_scheme(urlsplit('//' + value).hostname)}://{value}"


def target_origin(target: str) -> str:
    """``scheme://host[:port]`` of a ``platform[+http|+https]://user@host:port`` target.

    ``+http``/``+https`` after the platform name choose the scheme; without one it is
    `default_scheme` of the host (``http`` on loopback only).
    """
    parts = urlsplit(target)
    if not parts.hostname:
        raise ValueError(f"{target.split('://', 1)[0]}:// target has no host")
    _, _, explicit = parts.scheme.partition("+")
    scheme = explicit.lower() if explicit in ("http", "https") else default_scheme(parts.hostname)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def page_limit(limit: int | None, maximum: int, minimum: int = 1) -> int:
    """The page size to ask for: the caller's ``limit`` hint, within the platform's bounds."""
    return maximum if limit is None else max(minimum, min(limit, maximum))


def settings_for(cls: type[Platform], values: Mapping[str, Any]) -> PlatformSettings:
    """Validate ``values`` against ``cls.Settings``, naming any field at fault (never its value)."""
    try:
        return cls.Settings.model_validate(dict(values))
    except ValidationError as exc:
        problems = []
        fields = []
        known = list(cls.Settings.model_fields)
        for error in exc.errors(include_input=False, include_url=False):
            field = ".".join(str(part) for part in error["loc"]) or "settings"
            fields.append(field)
            if error["type"] == "extra_forbidden":
                problems.append(f"{field}: {unknown_setting(field, known)}")
                continue
            env = f"SOCIALKIT_{cls.name.upper()}_{field.upper()}"
            hint = f" (or set {env})" if error["type"] == "missing" else ""
            problems.append(f"{field}: {error['msg'].lower()}{hint}")
        raise ConfigError(
            "invalid settings: " + "; ".join(problems),
            field=fields[0] if fields else None,
            platform=cls.name,
        ) from None


def unknown_setting(name: str, known: Iterable[str]) -> str:
    """What to say of a setting nobody takes: the closest known name, else the known ones."""
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1)
    return f"no such setting; did you mean {close[0]!r}?" if close else (
        "no such setting; the settings are " + ", ".join(names)
    )


def _set_fields(settings: PlatformSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.model_fields_set}


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), bounded by
    `socialkit.clock.delay_from`: never negative, never past a day, ``None`` when garbage."""
    return delay_from(value, "retry_after", now=now)


_DESCRIPTION = re.compile(r'error_description="([^"]*)"', re.IGNORECASE)
_EXPIRED_WORDS = re.compile(r"\b(expired?|revoked)\b", re.IGNORECASE)


def token_expired(www_authenticate: str) -> bool:
    """Whether a ``WWW-Authenticate`` challenge says the token expired or was revoked.

    RFC 6750's ``invalid_token`` covers expired, revoked *and* wrong tokens, so the
    ``error_description`` decides: "The access token is invalid" (Mastodon's words for a
    wrong token) is not an expiry, "The access token expired" is. Without a
    description, ``invalid_token`` is taken as an expiry (a refresh is worth a try).
    """
    if "invalid_token" not in www_authenticate:
        return False
    described = _DESCRIPTION.search(www_authenticate)
    return described is None or bool(_EXPIRED_WORDS.search(described.group(1)))


def error_for_status(
    platform: str, response: Response, message: str, *, code: str | int | None = None
) -> SocialkitError:
    """The exception class that fits an HTTP error status, filled with the response's details."""
    status = response.status_code
    request_id = response.headers.get("x-request-id")
    context: dict[str, Any] = {
        "platform": platform,
        "status": status,
        "code": code,
        "request_id": request_id,
    }
    if status == 401 and token_expired(response.headers.get("www-authenticate", "")):
        return TokenExpired(message, **context)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return RateLimited(message, retry_after=retry_after, **context)
    kinds: dict[int, type[SocialkitError]] = {
        401: AuthError,
        403: PermissionDenied,
        404: NotFound,
        410: NotFound,
        413: InvalidContent,
        422: InvalidContent,
    }
    return kinds.get(status, PlatformError)(message, **context)
