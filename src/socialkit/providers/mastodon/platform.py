"""The Mastodon provider: every unified operation as a flow over the client API.

Wire format: Mastodon client API 4.x (https://docs.joinmastodon.org/methods/statuses/,
.../methods/media/, .../methods/notifications/, .../methods/search/,
.../methods/accounts/, .../methods/instance/, .../api/rate-limits/); checked
against abraham/mastodon-openapi (Mastodon API 4.7.0).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import quote, unquote, urlsplit

import attrs

from ...errors import (
    AuthError,
    ConfigError,
    InvalidContent,
    NotFound,
    ParseError,
    PlatformError,
    RateLimited,
    SocialkitError,
    TokenExpired,
    Unsupported,
)
from ...models import (
    Account,
    Comment,
    Draft,
    DraftLike,
    MediaUpload,
    Mention,
    Metric,
    Post,
    ResultPage,
    Visibility,
    native_id,
)
from ...platform import (
    Call,
    Capability,
    Flow,
    PageFlow,
    Platform,
    PlatformSettings,
    RateLimitInfo,
    ReplyTarget,
    Sleep,
    page_limit,
)
from ...text import TextRules
from . import parse, software
from .drafts import (
    EDIT_REFUSES,
    check_options,
    content_warning,
    keeps_private,
    reply_target,
    status_body,
    with_mention,
)
from .errors import MediaNotReady
from .limits import DEFAULT_LIMITS, Limits, bucket, header_int, header_time
from .settings import MastodonSettings

if TYPE_CHECKING:
    from ...events.stream import StreamSpec
    from ...events.types import Event
    from ...steps import Response

__all__ = ["Mastodon"]

logger = logging.getLogger("socialkit.mastodon")

PAGE_SIZE = 40  # the most /api/v1/accounts/:id/statuses and /api/v2/search return
NOTIFICATIONS_PAGE = 80  # the most /api/v1/notifications returns

_VERIFY = "/api/v1/accounts/verify_credentials"
_CLOSE = {"Connection": "close"}
_EXPIRED = re.compile(r"\b(expired|revoked)\b", re.IGNORECASE)
_ERROR_CODE = re.compile(r"[a-z][a-z0-9_]*")


def _segment(value: str) -> str:
    """An id as one URL path segment: ``"1/../x"`` can never reach another endpoint."""
    return quote(str(value), safe="")


def _id_key(value: str) -> tuple[int, str]:
    """Order Mastodon ids (decimal strings of growing length) numerically."""
    return (len(value), value) if value.isdigit() else (0, value)


class Mastodon(Platform):
    """Mastodon (and compatible servers) through the client API.

    ```python
    client = sk.connect("mastodon", instance="https://mastodon.social", access_token="...")
    client = sk.connect("mastodon://TOKEN@mastodon.social")
    ```

    Choices worth knowing:

    - **Text limits** come from the instance (``GET /api/v2/instance``:
      ``max_characters``, ``characters_reserved_per_url``, ``max_media_attachments``),
      fetched once per instance per process by the first flow that needs them
      (``publish``, ``reply``, ``edit_post``, ``publish_thread`` check every draft
      against them *before* any upload or post), or explicitly with
      ``client.run(platform.load_rules())``. Until then `validate`, which the drivers
      run before the flow, uses Mastodon's defaults (500 characters, URLs count 23,
      4 attachments), so a longer post on a roomier instance needs the limits loaded
      first, or ``max_characters=`` in the settings (which skips the fetch).
      The content warning counts towards the limit, as on Mastodon.
    - **Content warnings**: `Draft.content_warning` is sent as ``spoiler_text`` and
      read back into `Post.content_warning` (and `Comment.content_warning`).
    - **Options** (`Draft.options`): ``spoiler_text`` (the older spelling of
      ``content_warning``), ``sensitive``, ``poll``
      (``{"options": [...], "expires_in": secs, "multiple": bool, "hide_totals": bool}``),
      ``media_ids`` (attachments already on the server, e.g. to keep a post's media
      when editing), ``quoted_status_id``, ``quote_approval_policy``. Any other key is
      refused with `InvalidContent`, never dropped.
    - **Media** is uploaded with ``POST /api/v2/media`` (alt text as ``description``);
      while the server is still processing it (202, 206 or a null ``url``), the flow
      polls ``GET /api/v1/media/:id`` with growing sleeps, up to ``media_wait`` seconds,
      then raises `MediaNotReady`. A `MediaUpload` by URL is downloaded first (without
      credentials), since Mastodon does not fetch remote files. An upload is retried
      after an ambiguous failure: an orphan attachment is harmless and Mastodon
      deletes unattached media itself.
    - **Publishing** sends the draft's ``idempotency_key`` as ``Idempotency-Key``
      (Mastodon de-duplicates for an hour), so a publish retried after a 5xx or a
      timeout never posts twice. Compatible servers need not honour it (snac2 posts
      twice), so the key is trusted only when the server's version (read once, before
      the first post, from the instance document) is Mastodon's; elsewhere
      (snac2, GoToSocial, Pleroma, Akkoma, unknown) a publish whose answer was lost
      raises `PublishUncertain` instead of being retried (the calendar then
      reconciles it by content). Favourite and boost are idempotent on Mastodon too.
    - **Deleting** raises `Unsupported` on snac2, which has no
      ``DELETE /api/v1/statuses/:id``.
    - **Replies** start with ``@author`` of what they answer, as Mastodon's own apps
      do (mentions are what notify people on Mastodon), unless the text already
      mentions them or the author is the account itself. Only the author is
      mentioned, not everyone in the thread. Unless the draft sets a visibility, a
      reply to a ``private`` or ``direct`` status keeps that visibility, so an answer
      to a direct message is never made public. When the target's author or
      visibility is unknown (a bare id), the status is fetched first.
    - **Moderation**: Mastodon cannot hide a reply, so `Capability.MODERATE` is not
      claimed and ``hide_comment`` raises `Unsupported`; ``delete_comment`` still
      works, for the account's own replies (it deletes the status).
    - **Boosts** in timelines are read as the boosted status (see `parse`).
    - **Pagination** follows the ``Link`` header; the cursor is the ``next`` URL, and
      a link to another host is refused (the token must never leave the instance).
      Without a ``Link`` header (snac), a full page continues with ``max_id`` of its
      last item; a page that holds the ``max_id`` item itself (the server ignored it)
      ends the listing. Pages are as large as the API allows (80 notifications,
      40 statuses) unless the caller's ``limit`` asks for fewer.
      Search pages by ``offset``; a short page is taken as the last.
    - **Mentions** are ``mention`` and ``quote`` notifications: a mention that answers
      one of the account's statuses is a ``reply``. ``since_id`` is a notification id.
      Servers that ignore ``types[]`` (snac) are filtered here; a page with fewer
      mentions than asked does not end the listing.
    - **Events** (`watch()`): the streaming API over server-sent events
      (``/api/v1/streaming/user/notification``, or ``/user`` when ``"post"`` events
      are wanted), on the streaming host the instance names
      (``configuration.urls.streaming``), which then also receives the token. The
      backfill and the checkpoints are notification ids (``/api/v1/notifications?since_id=``).
    """

    name = "mastodon"
    Settings = MastodonSettings
    content_warnings = True
    honours_idempotency_key = True
    keyword_stream = True
    """On the class: Mastodon's API has ``Idempotency-Key``. On a client: whether *this*
    server honours it, ``False`` until its version is known (only Mastodon itself does)."""
    url_host_setting = "instance"
    capabilities = frozenset(Capability) - {Capability.MODERATE}

    media_wait: ClassVar[float] = 60.0
    """The most seconds spent waiting for one uploaded attachment to be processed."""
    media_poll_first: ClassVar[float] = 1.0
    media_poll_growth: ClassVar[float] = 1.5
    media_poll_max: ClassVar[float] = 8.0

    _limits_cache: ClassVar[dict[str, Limits]] = {}
    _software_cache: ClassVar[dict[str, str]] = {}
    """The ``version`` each instance reported ("" when it could not be read)."""
    _streaming_cache: ClassVar[dict[str, str]] = {}
    _limits_lock: ClassVar[threading.Lock] = threading.Lock()

    settings: MastodonSettings

    def __init__(self, settings: PlatformSettings | None = None, /, **values: Any) -> None:
        super().__init__(settings, **values)
        self._me: Account | None = None
        self._limits_known = False
        self.rules = self._use_limits(self._cached_limits(), known=False)
        self._software: str | None = None
        self._trusted: tuple[str | None, frozenset[str]] | None = None
        self.honours_idempotency_key = False
        with self._limits_lock:
            known = self._software_cache.get(self.base_url)
        if known is not None:
            self._use_software(known)

    @classmethod
    def settings_from_url(cls, url: str) -> dict[str, Any]:
        """Settings from ``mastodon://TOKEN@host[:port][?field=value]``.

        ``mastodon://TOKEN@mastodon.social`` → ``{"access_token": "TOKEN",
        "instance": "https://mastodon.social"}``; the token may be percent-encoded,
        and may also come as the password (``mastodon://user:TOKEN@host``).
        """
        values = super().settings_from_url(url)
        password = urlsplit(url).password
        if password:
            values["access_token"] = unquote(password)
        return values

    # -- wiring ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The instance (or the ``base_url`` override)."""
        return self.settings.api_root

    @functools.cached_property
    def account_key(self) -> str:
        """The instance plus a digest of the token: each account has its own rate limits."""
        return f"{self.base_url}#{self.settings.token_digest()}"

    @property
    def trusted_hosts(self) -> frozenset[str]:
        """The instance's host, and its streaming host once the instance has named it."""
        root = self._streaming_cache.get(self.base_url)
        known = self._trusted
        if known is None or known[0] != root:  # read per call: made once per streaming root
            hosts = {urlsplit(self.base_url).hostname}
            if root is not None:
                hosts.add(urlsplit(root).hostname)
            known = self._trusted = (root, frozenset(h for h in hosts if h))
        return known[1]

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        """A `Call` in the rate-limit bucket Mastodon counts it against.

        On a server that closes every connection after its answer without saying so
        (snac2), the call says ``Connection: close``, so no later request is sent on a
        connection the server is closing (a POST lost that way would be uncertain).
        """
        kwargs.setdefault("bucket", bucket(method, urlsplit(url).path))
        if self._software is not None and software.closes_connections(self._software):
            kwargs["headers"] = {**kwargs.get("headers", {}), **_CLOSE}
        return Call(method, url, **kwargs)

    def _instance_call(self, path: str) -> Call:
        # Read before the server is known, so its connection is never reused: the next
        # request may be a POST that must not race a silent close.
        return self.call("GET", path, headers=_CLOSE)

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` (an ISO 8601 time)."""
        headers = response.headers
        said = (
            headers.get("x-ratelimit-limit"),
            headers.get("x-ratelimit-remaining"),
            headers.get("x-ratelimit-reset"),
        )
        # an answer without them (some compatible servers) needs no look at its URL
        if said == (None, None, None) or not self._on_instance(str(response.request.url)):
            return None
        limit, remaining, reset_at = header_int(said[0]), header_int(said[1]), header_time(said[2])
        if limit is None and remaining is None and reset_at is None:
            return None
        request = response.request
        return RateLimitInfo(
            limit=limit,
            remaining=remaining,
            reset_at=reset_at,
            bucket=bucket(request.method, request.url.path),
        )

    def map_error(self, response: Response) -> SocialkitError:
        """Mastodon's ``{"error": ..., "error_description": ...}`` as our exception.

        A 401 that says the token ``expired`` or was ``revoked`` (Doorkeeper's words,
        in the body or the ``WWW-Authenticate`` header) is `TokenExpired`; any other
        401 is `AuthError`, including ``error="invalid_token"`` with "The access token
        is invalid" (a wrong token: no refresh can help). A 422 from
        ``verify_credentials`` (which takes no input) is snac2's answer to an unknown
        token: `AuthError` too. A 429 (rack-attack sends no
        ``Retry-After``) takes its wait from ``X-RateLimit-Reset``.
        """
        error = super().map_error(response)
        body = _json_object(response)
        code = body.get("error")
        if isinstance(code, str) and _ERROR_CODE.fullmatch(code):
            error.code = code
        if response.status_code == 401:
            said = " ".join(
                str(part)
                for part in (
                    body.get("error"),
                    body.get("error_description"),
                    response.headers.get("www-authenticate"),
                )
                if part
            )
            kind = TokenExpired if _EXPIRED.search(said) else AuthError
            if type(error) is not kind:
                return kind(
                    error.message,
                    platform=self.name,
                    status=401,
                    code=error.code,
                    request_id=error.request_id,
                )
        if response.status_code == 422 and response.request.url.path == _VERIFY:
            # verify_credentials takes no input: snac2 answers a token it does not know so.
            return AuthError(
                f"the server refused the token ({error.message})",
                platform=self.name,
                status=422,
                code=error.code,
                request_id=error.request_id,
            )
        if isinstance(error, RateLimited) and error.retry_after is None:
            reset_at = header_time(response.headers.get("x-ratelimit-reset"))
            if reset_at is not None:
                error.reset_at = reset_at
                error.retry_after = max(0.0, (reset_at - datetime.now(UTC)).total_seconds())
        return error

    # -- limits ------------------------------------------------------------------------------

    def load_rules(self) -> Flow[TextRules]:
        """Fetch the instance's limits once (per instance, per process) and use them."""
        if self._limits_known:
            return self.rules
        with self._limits_lock:
            limits = self._limits_cache.get(self.base_url)
        if limits is None:
            limits = yield from self._fetch_limits()
            if limits is not None:
                with self._limits_lock:
                    self._limits_cache[self.base_url] = limits
        self.rules = self._use_limits(limits or DEFAULT_LIMITS, known=True)
        return self.rules

    def _cached_limits(self) -> Limits | None:
        with self._limits_lock:
            return self._limits_cache.get(self.base_url)

    def _use_limits(self, limits: Limits | None, *, known: bool) -> TextRules:
        override = self.settings.max_characters
        if override is not None:
            limits = attrs.evolve(limits or DEFAULT_LIMITS, max_characters=override)
            known = True
        elif limits is not None:
            known = True
        self._limits_known = known
        return (limits or DEFAULT_LIMITS).rules()

    def _fetch_limits(self) -> Flow[Limits | None]:
        try:
            try:
                response = yield self._instance_call("/api/v2/instance")
            except NotFound:  # Mastodon < 4.0 and some compatible servers
                response = yield self._instance_call("/api/v1/instance")
            data = self.json(response)
            max_characters, url_length, max_media = parse.instance_limits(data)
            if self._software is None:
                self._remember_software(data.get("version"))
        except (NotFound, ParseError, PlatformError) as exc:
            logger.warning(
                "%s: could not read the instance's limits (%s); using Mastodon's defaults",
                self.name,
                type(exc).__name__,
            )
            return None
        return Limits(
            max_characters=max_characters or DEFAULT_LIMITS.max_characters,
            url_length=url_length or DEFAULT_LIMITS.url_length,
            max_media=max_media or DEFAULT_LIMITS.max_media,
        )

    # -- server software ---------------------------------------------------------------------

    def learn_software(self) -> Flow[str]:
        """The server's ``version`` (``GET /api/v1/instance``), read once per instance per
        process (the limits fetch reads it too); it decides `honours_idempotency_key`."""
        if self._software is not None:
            return self._software
        with self._limits_lock:
            known = self._software_cache.get(self.base_url)
        if known is None:
            try:
                response = yield self._instance_call("/api/v1/instance")
                known = str(self.json(response).get("version") or "")
            except (NotFound, ParseError, PlatformError, AttributeError) as exc:
                logger.warning(
                    "%s: could not read the server's version (%s); not trusting "
                    "Idempotency-Key",
                    self.name,
                    type(exc).__name__,
                )
                known = ""
        return self._remember_software(known)

    def _remember_software(self, version: Any) -> str:
        text = version if isinstance(version, str) else ""
        with self._limits_lock:
            self._software_cache[self.base_url] = text
        self._use_software(text)
        return text

    def _use_software(self, version: str) -> None:
        self._software = version
        self.honours_idempotency_key = type(
            self
        ).honours_idempotency_key and software.honours_idempotency_key(version)

    # -- validation --------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """Check a draft before any request: options, media, length and media count.

        The limits are the instance's once known (fetched by an earlier flow, cached, or
        ``max_characters`` set), else Mastodon's defaults; the refusal then says how
        to use the instance's own limits.
        """
        draft = self.check_content_warning(Draft.of(draft))
        try:
            self._check(draft, self.rules)
        except InvalidContent as exc:
            if self._limits_known or exc.rule not in ("max_length", "max_images"):
                raise
            raise InvalidContent(
                f"{exc.message} (Mastodon's default; this instance's own limits are not known "
                "yet: run `client.run(client.platform.load_rules())` first, or set "
                "max_characters)",
                rule=exc.rule,
                count=exc.count,
                limit=exc.limit,
                platform=self.name,
            ) from None
        return draft

    def _check(self, draft: Draft, rules: TextRules) -> None:
        check_options(draft, self.name)
        kinds = {m.kind for m in draft.media}
        odd = kinds - {"image", "gif", "video", "audio"}
        if odd:
            raise InvalidContent(
                f"{self.name} cannot attach {', '.join(sorted(str(k) for k in odd))}",
                rule="media_kind",
                platform=self.name,
            )
        if "audio" in kinds and len(draft.media) > 1:
            raise InvalidContent(
                "an audio attachment cannot be combined with other media",
                rule="mixed_media",
                platform=self.name,
            )
        spoiler = content_warning(draft)
        counted = draft.model_copy(update={"text": spoiler + draft.text}) if spoiler else draft
        try:
            rules.check(counted, platform=self.name)
        except InvalidContent as exc:
            if exc.rule != "empty" or not draft.options.get("media_ids"):
                raise

    # -- account -----------------------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """``GET /api/v1/accounts/verify_credentials``."""
        response = yield self.call("GET", "/api/v1/accounts/verify_credentials")
        self._me = parse.account(self.json(response))
        return self._me

    def _whoami(self) -> Flow[Account]:
        if self._me is not None:
            return self._me
        return (yield from self.me())

    def _account_id(self, account: str | None) -> Flow[str]:
        if account is None:
            return (yield from self._whoami()).id
        if account.isdigit():
            return account
        response = yield self.call(
            "GET", "/api/v1/accounts/lookup", params={"acct": account.lstrip("@")}
        )
        return native_id(self.json(response)["id"])

    # -- publishing --------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """Upload the media, then ``POST /api/v1/statuses`` with the draft's idempotency key."""
        draft = Draft.of(draft)
        yield from self.load_rules()
        self._check(draft, self.rules)
        media_ids = yield from self._upload_all(draft.media)
        yield from self.learn_software()  # is a retry with the same key safe?
        response = yield self.call(
            "POST",
            "/api/v1/statuses",
            json=status_body(draft, media_ids, edit=False),
            idempotency_key=draft.idempotency_key,
        )
        return parse.post(self.json(response))

    def publish_thread(self, drafts: Sequence[Draft]) -> Flow[list[Post]]:
        """Publish drafts as a chain of replies, every part checked before the first is sent."""
        self.require(Capability.PUBLISH_THREAD)
        checked = [self.validate(d) for d in drafts]
        return self._thread(checked)

    def _thread(self, drafts: list[Draft]) -> Flow[list[Post]]:
        yield from self.load_rules()
        for draft in drafts:
            self._check(draft, self.rules)
        return (yield from self._publish_chain(drafts))

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """``PUT /api/v1/statuses/:id``: the draft replaces the status's text, media and options.

        Media not in the draft are removed, as on Mastodon; keep attachments with
        ``options={"media_ids": [m.id for m in post.media]}``. A status's visibility,
        reply target and quote cannot change: a draft that sets them is refused.
        """
        draft = Draft.of(draft)
        fixed = [
            name
            for name, value in (
                ("visibility", draft.visibility),
                ("reply_to_id", draft.reply_to_id),
            )
            if value is not None
        ] + sorted(EDIT_REFUSES & draft.options.keys())
        if fixed:
            raise InvalidContent(
                f"{self.name} cannot change {', '.join(fixed)} when editing a status",
                rule="edit",
                platform=self.name,
            )
        yield from self.load_rules()
        self._check(draft, self.rules)
        media_ids = yield from self._upload_all(draft.media)
        response = yield self.call(
            "PUT",
            f"/api/v1/statuses/{_segment(post_id)}",
            json=status_body(draft, media_ids, edit=True),
        )
        return parse.post(self.json(response))

    def delete_post(self, post_id: str) -> Flow[None]:
        """``DELETE /api/v1/statuses/:id``; `Unsupported` on snac2, which lacks it."""
        version = yield from self.learn_software()
        if software.lacks_delete(version):
            raise self.unsupported(
                Capability.DELETE, f"this server ({version}) has no DELETE /api/v1/statuses/:id"
            )
        yield self.call("DELETE", f"/api/v1/statuses/{_segment(post_id)}")

    def _upload_all(self, uploads: Sequence[MediaUpload]) -> Flow[list[str]]:
        ids: list[str] = []
        for upload in uploads:
            ids.append((yield from self.upload_media(upload)))
        return ids

    def upload_media(self, upload: MediaUpload) -> Flow[str]:
        """``POST /api/v2/media``, waiting until the attachment is processed; returns its id."""
        if upload.data is None and upload.path is None and upload.url is not None:
            fetched = yield Call("GET", upload.url, authenticated=False, bucket="remote")
            if fetched is None:
                raise ParseError("expected a response, got none", platform=self.name)
            content = fetched.content
        else:
            content = upload.read()
        response = yield self.call(
            "POST",
            "/api/v2/media",
            files={"file": (upload.filename or "upload", content, upload.mime_type)},
            data={"description": upload.alt_text} if upload.alt_text else None,
            idempotent=True,
        )
        attachment = self.json(response)
        media_id = native_id(attachment["id"])
        if response is not None and (response.status_code == 202 or not attachment.get("url")):
            yield from self._await_media(media_id)
        return media_id

    def _await_media(self, media_id: str) -> Flow[None]:
        waited = 0.0
        delay = self.media_poll_first
        while waited + delay <= self.media_wait:
            yield Sleep(delay)
            waited += delay
            response = yield self.call("GET", f"/api/v1/media/{_segment(media_id)}")
            ready = response is not None and response.status_code == 200
            if ready and self.json(response).get("url"):
                return
            delay = min(delay * self.media_poll_growth, self.media_poll_max)
        raise MediaNotReady(
            f"media {media_id} was still being processed after {waited:g} s; "
            "try publishing again later",
            media_id=media_id,
            platform=self.name,
        )

    # -- reading -----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /api/v1/statuses/:id``."""
        response = yield self.call("GET", f"/api/v1/statuses/{_segment(post_id)}")
        return parse.post(self.json(response))

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``GET /api/v1/accounts/:id/statuses`` (``account``: an id, or ``@user[@host]``
        looked up with ``/api/v1/accounts/lookup``; the authenticated account by default)."""
        if cursor:
            response = yield self._follow(cursor)
        else:
            account_id = yield from self._account_id(account)
            response = yield self.call(
                "GET",
                f"/api/v1/accounts/{_segment(account_id)}/statuses",
                params={"limit": page_limit(limit, PAGE_SIZE)},
            )
        statuses = _array(self.json(response))
        if _ignored_max_id(response, statuses):
            return ResultPage(items=[], next_cursor=None)
        items = [parse.post(status) for status in statuses]
        return ResultPage(items=items, next_cursor=self._next_page(response, statuses))

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """``GET /api/v1/statuses/:id/context``: every descendant, in one page."""
        response = yield self.call("GET", f"/api/v1/statuses/{_segment(post_id)}/context")
        context = self.json(response)
        items = [parse.comment(status, post_id) for status in _array(context["descendants"])]
        return ResultPage(items=items, next_cursor=None)

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """``GET /api/v1/notifications?types[]=mention&types[]=quote``, newest first."""
        me = yield from self._whoami()
        if cursor:
            response = yield self._follow(cursor)
        else:
            params: list[tuple[str, Any]] = [
                ("types[]", "mention"),
                ("types[]", "quote"),
                ("limit", page_limit(limit, NOTIFICATIONS_PAGE)),
            ]
            if since_id:
                params.append(("since_id", since_id))
            response = yield self.call("GET", "/api/v1/notifications", params=params)
        notifications = _array(self.json(response))
        if _ignored_max_id(response, notifications):
            return ResultPage(items=[], next_cursor=None)
        # Some servers (snac) ignore types[]: the page is filtered here, and its size
        # (not the mentions left after filtering) says whether more may follow.
        found = [parse.mention(n, me.id) for n in notifications]
        items = [m for m in found if m is not None]
        next_cursor = self._next_page(response, notifications)
        if since_id:
            # Mastodon's next link drops since_id: stop at the first mention not newer.
            newer = [m for m in items if _id_key(m.id) > _id_key(since_id)]
            if len(newer) < len(items):
                next_cursor = None
            items = newer
        return ResultPage(items=items, next_cursor=next_cursor)

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``GET /api/v2/search?type=statuses``, paged by ``offset``."""
        offset = int(cursor) if cursor else 0
        size = page_limit(limit, PAGE_SIZE)
        response = yield self.call(
            "GET",
            "/api/v2/search",
            params={
                "q": query,
                "type": "statuses",
                "resolve": "false",
                "limit": size,
                "offset": offset,
            },
        )
        statuses = _array(self.json(response)["statuses"])
        items = [parse.post(status) for status in statuses]
        full = len(statuses) >= size
        return ResultPage(items=items, next_cursor=str(offset + len(statuses)) if full else None)

    # -- events ------------------------------------------------------------------------------

    def stream(self, kinds: frozenset[str]) -> Flow[StreamSpec | None]:
        """The user stream over server-sent events, on the instance's streaming host;
        for ``kinds={"keyword"}`` the hashtag stream of ``settings.stream_hashtag``."""
        from ...events.stream import StreamSpec
        from . import streaming  # events load with the first watch(), not with connect()

        tag = self._hashtag(kinds)
        root = yield from self._streaming_root()
        me = yield from self._whoami()
        call = self.call(
            "GET",
            root + streaming.stream_path(kinds),
            params={"tag": tag} if tag else None,
            headers={"Accept": "text/event-stream"},
            bucket="streaming",
        )
        me_id = me.id
        return StreamSpec(
            call, lambda: streaming.MastodonDecoder(kinds, me_id), streaming.HEARTBEAT
        )

    def _streaming_root(self) -> Flow[str]:
        """``configuration.urls.streaming`` of ``/api/v2/instance``, once per instance per
        process; the instance's own origin without one (or without v2)."""
        with self._limits_lock:
            cached = self._streaming_cache.get(self.base_url)
        if cached is not None:
            return cached
        from . import streaming

        root: str | None = None
        try:
            response = yield self.call("GET", "/api/v2/instance")
            body = self.json(response)
            root = streaming.streaming_root(body) if isinstance(body, Mapping) else None
        except (NotFound, ParseError) as exc:
            logger.info("%s: no instance description (%s)", self.name, type(exc).__name__)
        if root is None:
            parts = urlsplit(self.base_url)
            root = f"{parts.scheme}://{parts.netloc}"
        with self._limits_lock:
            self._streaming_cache[self.base_url] = root
        return root

    def backfill(
        self,
        kinds: frozenset[str],
        checkpoint: str | None,
        cursor: str | None,
        limit: int | None = None,
    ) -> PageFlow[Event]:
        """``GET /api/v1/notifications?types[]=...&since_id=checkpoint``, newest first;
        for ``kinds={"keyword"}``, ``GET /api/v1/timelines/tag/:hashtag?since_id=``."""
        from . import streaming

        tag = self._hashtag(kinds)
        if tag:
            page: ResultPage[Event] = yield from self._tag_backfill(tag, checkpoint, cursor, limit)
            return page
        types = streaming.notification_types(kinds)
        if not types:
            return ResultPage(items=[], next_cursor=None)
        me = yield from self._whoami()
        if cursor:
            response = yield self._follow(cursor)
        else:
            params: list[tuple[str, Any]] = [("types[]", t) for t in types]
            params.append(("limit", page_limit(limit, PAGE_SIZE)))
            if checkpoint:
                params.append(("since_id", checkpoint))
            response = yield self.call("GET", "/api/v1/notifications", params=params)
        found = [
            streaming.notification_event(n, me.id, kinds)
            for n in _array(self.json(response))
        ]
        items = [e for e in found if e is not None]
        next_cursor = self._next(response)
        if checkpoint:
            # the next link drops since_id: stop at the first event not newer
            newer = [e for e in items if _id_key(e.checkpoint or "") > _id_key(checkpoint)]
            if len(newer) < len(items):
                next_cursor = None
            items = newer
        return ResultPage(items=items, next_cursor=next_cursor)

    def _hashtag(self, kinds: frozenset[str]) -> str | None:
        """The hashtag a ``"keyword"`` watch follows (``None`` for the other kinds)."""
        if "keyword" not in kinds:
            return None
        tag = (self.settings.stream_hashtag or "").lstrip("#")
        if kinds != {"keyword"} or not tag:
            raise ConfigError(
                "mastodon: watch(kinds={'keyword'}) on its own follows settings.stream_hashtag",
                field="stream_hashtag", platform=self.name,
            )
        return tag

    def _tag_backfill(
        self, tag: str, checkpoint: str | None, cursor: str | None, limit: int | None
    ) -> PageFlow[Event]:
        from . import streaming

        if cursor:
            response = yield self._follow(cursor)
        else:
            params: dict[str, Any] = {"limit": page_limit(limit, PAGE_SIZE)}
            if checkpoint:
                params["since_id"] = checkpoint
            response = yield self.call(
                "GET", f"/api/v1/timelines/tag/{_segment(tag)}", params=params
            )
        items: list[Event] = [streaming.keyword_event(s) for s in _array(self.json(response))]
        next_cursor = self._next(response)
        if checkpoint:
            newer = [e for e in items if _id_key(e.checkpoint or "") > _id_key(checkpoint)]
            if len(newer) < len(items):
                next_cursor = None
            items = newer
        return ResultPage(items=items, next_cursor=next_cursor)

    # -- conversation ------------------------------------------------------------------------

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """Post a reply (``in_reply_to_id``) that mentions the author it answers."""
        draft = Draft.of(draft)
        parent_id, root_id, author, visibility = reply_target(target, self.name)
        if author is None or visibility is None:
            response = yield self.call("GET", f"/api/v1/statuses/{_segment(parent_id)}")
            parent = parse.post(self.json(response))
            author, visibility = parent.author, parent.visibility
        me = yield from self._whoami()
        update: dict[str, Any] = {
            "text": with_mention(draft.text, author, me),
            "reply_to_id": parent_id,
        }
        if draft.visibility is None and keeps_private(visibility):
            update["visibility"] = cast(Visibility, visibility)
        post = yield from self.publish(draft.model_copy(update=update))
        return Comment.from_post(post, thread_root_id=root_id, reply_to_id=parent_id)

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """Delete one of the account's own replies (``DELETE /api/v1/statuses/:id``).

        Works although `Capability.MODERATE` is not claimed: Mastodon can delete
        one's own statuses but cannot hide anyone's reply.
        """
        yield from self.delete_post(comment_id)

    # -- metrics and reactions ---------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """The status's public counts: likes, shares (boosts), comments, quotes."""
        response = yield self.call("GET", f"/api/v1/statuses/{_segment(post_id)}")
        return parse.post_metrics(self.json(response))

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """A snapshot of followers, following and posts; Mastodon keeps no history, so
        ``since`` and ``until`` cannot select a period."""
        response = yield self.call("GET", "/api/v1/accounts/verify_credentials")
        data = self.json(response)
        self._me = parse.account(data)
        return parse.account_metrics(data)

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """``like`` → ``POST /api/v1/statuses/:id/favourite``; Mastodon has no other reaction."""
        if kind != "like":
            raise Unsupported(
                f"{self.name} has no {kind!r} reaction; only 'like' (favourite)",
                platform=self.name,
                capability=Capability.REACT.value,
            )
        yield self.call("POST", f"/api/v1/statuses/{_segment(post_id)}/favourite", idempotent=True)

    def repost(self, post_id: str) -> Flow[None]:
        """``POST /api/v1/statuses/:id/reblog`` (boost)."""
        yield self.call("POST", f"/api/v1/statuses/{_segment(post_id)}/reblog", idempotent=True)

    # -- pagination --------------------------------------------------------------------------

    @functools.cached_property
    def _origin(self) -> tuple[str, str]:
        mine = urlsplit(self.base_url)
        return mine.scheme, mine.netloc.lower()

    def _on_instance(self, url: str) -> bool:
        theirs = urlsplit(url)
        return self._origin == (theirs.scheme, theirs.netloc.lower())

    def _next(self, response: Response | None) -> str | None:
        if response is None:
            return None
        link = response.links.get("next", {}).get("url")
        if not link:
            return None
        url = str(response.request.url.join(link))
        if not self._on_instance(url):
            raise ParseError(
                f"pagination link leads off {self.base_url}; not following it",
                platform=self.name,
            )
        return url

    def _next_page(
        self, response: Response | None, page: Sequence[Mapping[str, Any]]
    ) -> str | None:
        """The ``Link`` header's next page; without one, a full page continues with
        ``max_id`` of its last item (servers such as snac send no ``Link``)."""
        link = self._next(response)
        if link or response is None or not page:
            return link
        asked = response.request.url.params.get("limit", "")
        if not asked.isdigit() or len(page) < int(asked):
            return None
        return str(response.request.url.copy_set_param("max_id", str(page[-1]["id"])))

    def _follow(self, cursor: str) -> Call:
        if not self._on_instance(cursor):
            raise ConfigError(
                f"cursor is not a URL on {self.base_url}", field="cursor", platform=self.name
            )
        return self.call("GET", cursor)


# -- helpers ---------------------------------------------------------------------------------


def _array(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise ParseError("expected a JSON array", platform="mastodon")
    return value


def _ignored_max_id(response: Response | None, page: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the server ignored ``max_id``: the page holds the item it names, so it
    repeats an earlier page (snac's account statuses); the listing ends there."""
    if response is None:
        return False
    max_id = response.request.url.params.get("max_id")
    return bool(max_id) and any(str(item.get("id")) == max_id for item in page)


def _json_object(response: Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, Mapping) else {}
