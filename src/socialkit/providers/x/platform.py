"""The X provider: every unified operation as a flow over the X API v2."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from ...credentials.core import Credential
from ...errors import (
    ConfigError,
    NotFound,
    ParseError,
    PermissionDenied,
    PlatformError,
    SocialkitError,
)
from ...models import (
    Account,
    Comment,
    Draft,
    DraftLike,
    Mention,
    Metric,
    Post,
    ResultPage,
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
    page_limit,
)
from ...text import TextRules, count_x
from . import parse
from .auth import credential_for
from .content import check_draft, create_body
from .errors import FIELD_UNAUTHORIZED, map_error, raise_for_problems, rate_limit_info
from .media import UploadPolicy, upload_media
from .settings import AuthMode, XSettings
from .wire import (
    METRIC_FIELDS,
    PRIVATE_METRIC_FIELDS,
    bucket_for,
    post_url,
    tweet_params,
    user_params,
)

if TYPE_CHECKING:
    from ...events.stream import StreamSpec
    from ...events.types import Event
    from ...steps import Response

__all__ = ["X"]

_PAGE_SIZE = 100
# max_results bounds, from the X API v2 OpenAPI: timelines 5-100, recent search 10-100.
_TIMELINE_MIN = 5
_SEARCH_MIN = 10
_ID = re.compile(r"[0-9]{1,19}")
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")


class X(Platform):
    """X (formerly Twitter) through the X API v2.

    ```python
    client = sk.connect("x", access_token="...")            # OAuth 2.0 user context
    client = sk.connect("x", consumer_key="...", consumer_secret="...",
                        token="...", token_secret="...")   # OAuth 1.0a user context
    client = sk.connect("x", bearer_token="...")            # app-only: read and search
    ```

    Platform-specific draft options: ``poll`` (``{"options": [...], "duration_minutes": N}``),
    ``reply_settings`` and ``quote_tweet_id``.
    """

    name = "x"
    Settings: ClassVar[type[PlatformSettings]] = XSettings
    default_base_url = "https://api.x.com"
    capabilities = frozenset(Capability)
    honours_idempotency_key = False
    keyword_stream = True

    settings: XSettings

    def __init__(self, settings: PlatformSettings) -> None:
        if not isinstance(settings, XSettings):
            settings = XSettings.model_validate(dict(settings))
        super().__init__(settings)
        self.rules = TextRules(
            max_length=settings.max_length,
            count=count_x,
            max_images=4,
            max_videos=1,
            mixed_media=False,
            unit="weighted characters",
        )
        self.upload_policy = UploadPolicy(chunk_size=settings.upload_chunk_size)
        self._me: Account | None = None
        self._user_ids: dict[str, str] = {}

    # -- wiring ----------------------------------------------------------------------------

    @functools.cached_property
    def credential(self) -> Credential | None:
        """The credential of the configured auth mode."""
        return credential_for(self.settings)

    @property
    def account_key(self) -> str:
        """The auth mode and the account id when known, else a non-reversible fingerprint of
        the credential (app-only limits are the app's, user-context ones the user's)."""
        settings = self.settings
        if settings.user_id:
            return f"{settings.auth_mode.value}:{settings.user_id}"
        secret = settings.bearer_token or settings.token or settings.access_token
        seed = secret.get_secret_value() if secret is not None else ""
        digest = hashlib.blake2b(seed.encode(), digest_size=8, person=b"socialkit-x").hexdigest()
        return f"{settings.auth_mode.value}:{digest}"

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        """A `Call` in the rate-limit bucket of its endpoint family."""
        kwargs.setdefault("bucket", bucket_for(method, urlsplit(url).path))
        return super().call(method, url, **kwargs)

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """``x-rate-limit-*`` (and the daily ``x-user-limit-24hour-*`` caps)."""
        return rate_limit_info(response)

    def map_error(self, response: Response) -> SocialkitError:
        """X's problem details → our exceptions; a 401 on an OAuth 2.0 user token is
        `TokenExpired`, so a refreshable token refreshes once."""
        return map_error(response, user_token_expires=self.settings.auth_mode is AuthMode.OAUTH2)

    def _body(self, response: Response | None) -> Mapping[str, Any]:
        body = self.json(response)
        if not isinstance(body, Mapping):
            raise ParseError("X answered with a JSON body that is not an object", platform="x")
        raise_for_problems(body)
        return body

    def _get(self, url: str, params: Mapping[str, str]) -> Flow[Mapping[str, Any]]:
        response = yield self.call("GET", url, params=dict(params))
        return self._body(response)

    def _require_user_context(self, action: str) -> None:
        if self.settings.auth_mode is AuthMode.APP_ONLY:
            raise PermissionDenied(
                f"X app-only bearer tokens can read and search but cannot {action}; use "
                "access_token (OAuth 2.0 user context) or consumer_key, consumer_secret, "
                "token and token_secret (OAuth 1.0a)",
                platform=self.name,
            )

    # -- validation ------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """The common rules (weighted length by `count_x`, at most 4 images or 1 video),
        then X's own: one GIF alone, supported types and sizes, and poll limits."""
        draft = super().validate(draft)
        check_draft(draft)
        return draft

    # -- the account -----------------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """The authenticated account (``/2/users/me``); its id is kept for later calls."""
        if self.settings.auth_mode is AuthMode.APP_ONLY:
            if not self.settings.user_id:
                raise ConfigError(
                    "x: an app-only bearer token has no account of its own; set user_id",
                    field="user_id",
                    platform=self.name,
                )
            body = yield from self._get(f"/2/users/{self.settings.user_id}", user_params())
        else:
            body = yield from self._get("/2/users/me", user_params())
        self._me = parse.account(body["data"])
        return self._me

    def _me_id(self) -> Flow[str]:
        if self.settings.user_id:
            return self.settings.user_id
        if self._me is None:
            yield from self.me()
        assert self._me is not None
        return self._me.id

    def _user_id(self, account: str | None) -> Flow[str]:
        """The numeric id of ``account`` (an id, a handle or ``@handle``; ours by default)."""
        if account is None:
            return (yield from self._me_id())
        if _ID.fullmatch(account):
            return account
        handle = account.removeprefix("@")
        if not _HANDLE.fullmatch(handle):
            raise NotFound(f"{account!r} is not an X handle", platform=self.name)
        if handle.lower() not in self._user_ids:
            body = yield from self._get(f"/2/users/by/username/{handle}", user_params())
            self._user_ids[handle.lower()] = native_id(body["data"]["id"])
        return self._user_ids[handle.lower()]

    # -- publishing ------------------------------------------------------------------------

    def _create(self, draft: Draft, extra: Mapping[str, Any]) -> Flow[Post]:
        media_ids = []
        for upload in draft.media:
            media_ids.append((yield from upload_media(self, upload, self.upload_policy)))
        response = yield self.call(
            "POST",
            "/2/tweets",
            json={**create_body(draft, media_ids), **extra},
            idempotency_key=draft.idempotency_key,
        )
        data = self._body(response)["data"]
        me = self._me
        return Post(
            platform=self.name,
            id=native_id(data["id"]),
            author=me,
            text=str(data.get("text", draft.text)),
            url=post_url(native_id(data["id"]), me.handle if me else None),
            reply_to_id=draft.reply_to_id,
            raw=data,
        )

    def publish(self, draft: Draft) -> Flow[Post]:
        """``POST /2/tweets`` with the text, reply, uploaded media and poll."""
        self._require_user_context("publish")
        return (yield from self._create(draft, {}))

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """An edit (``edit_options.previous_post_id``): X gives the edited post a new id.
        Only for accounts X lets edit (paid), within its edit window."""
        self._require_user_context("edit posts")
        edit = {"edit_options": {"previous_post_id": _id(post_id)}}
        return (yield from self._create(draft, edit))

    def delete_post(self, post_id: str) -> Flow[None]:
        """``DELETE /2/tweets/:id``."""
        self._require_user_context("delete posts")
        response = yield self.call("DELETE", f"/2/tweets/{_id(post_id)}")
        if self._body(response)["data"].get("deleted") is not True:
            raise PlatformError(f"X did not delete post {post_id}", platform=self.name)

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """A reply post to ``target``, returned as a comment in its conversation."""
        parent, root = (_id(part) for part in _target(target))
        post = yield from self.publish(draft.model_copy(update={"reply_to_id": parent}))
        return Comment.from_post(post, thread_root_id=root, reply_to_id=parent)

    # -- reading ---------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /2/tweets/:id`` with its author and media expanded."""
        body = yield from self._get(f"/2/tweets/{_id(post_id)}", tweet_params())
        return parse.post(body["data"], parse.Includes.of(body))

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``GET /2/users/:id/tweets`` (ours, or ``account``: an id or a handle)."""
        user_id = yield from self._user_id(account)
        params = {**tweet_params(), "max_results": _max_results(limit, _TIMELINE_MIN)}
        if cursor:
            params["pagination_token"] = cursor
        body = yield from self._get(f"/2/users/{user_id}/tweets", params)
        includes = parse.Includes.of(body)
        return parse.page(body, (parse.post(d, includes) for d in parse.items(body)))

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """Replies in the post's conversation, by recent search ``conversation_id:<id>``
        (the last 7 days; ``post_id`` must be the conversation's first post)."""
        params = {
            **tweet_params(),
            "query": f"conversation_id:{_id(post_id)}",
            "max_results": _max_results(limit, _SEARCH_MIN),
        }
        if cursor:
            params["next_token"] = cursor
        body = yield from self._get("/2/tweets/search/recent", params)
        includes = parse.Includes.of(body)
        replies = (d for d in parse.items(body) if str(d.get("id")) != post_id)
        return parse.page(body, (parse.comment(d, post_id, includes) for d in replies))

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """``PUT /2/tweets/:id/hidden`` (only replies to our own posts can be hidden)."""
        self._require_user_context("hide replies")
        response = yield self.call(
            "PUT", f"/2/tweets/{_id(comment_id)}/hidden", json={"hidden": hidden}
        )
        if self._body(response)["data"].get("hidden") is not hidden:
            raise PlatformError(f"X did not change reply {comment_id}", platform=self.name)

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """Delete one of our own replies (X lets no one delete other people's replies)."""
        yield from self.delete_post(comment_id)

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """A page of ``GET /2/users/:id/mentions``, newer than mention id ``since_id``."""
        me_id = yield from self._me_id()
        params = {**tweet_params(), "max_results": _max_results(limit, _TIMELINE_MIN)}
        if since_id:
            params["since_id"] = since_id
        if cursor:
            params["pagination_token"] = cursor
        body = yield from self._get(f"/2/users/{me_id}/mentions", params)
        includes = parse.Includes.of(body)
        return parse.page(body, (parse.mention(d, me_id, includes) for d in parse.items(body)))

    def search(self, query: str, cursor: str | None, limit: int | None = None) -> PageFlow[Post]:
        """A page of ``GET /2/tweets/search/recent`` (X's query syntax; the last 7 days)."""
        params = {**tweet_params(), "query": query, "max_results": _max_results(limit, _SEARCH_MIN)}
        if cursor:
            params["next_token"] = cursor
        body = yield from self._get("/2/tweets/search/recent", params)
        includes = parse.Includes.of(body)
        return parse.page(body, (parse.post(d, includes) for d in parse.items(body)))

    # -- the filtered stream -----------------------------------------------------------------

    def stream(self, kinds: frozenset[str]) -> Flow[StreamSpec | None]:
        """``kinds={"keyword"}``: the filtered stream (posts matching the app's rules, see
        `set_stream_rules`), with ``backfill_minutes`` from the settings; other kinds are
        polled. Needs the app-only bearer token.

        Raises:
            ConfigError: ``"keyword"`` is asked for together with other kinds.
        """
        from ...events.stream import StreamSpec
        from . import stream as x_stream  # events load with the first watch()

        if "keyword" not in kinds:
            return None
        if kinds != {"keyword"}:
            raise ConfigError(
                "x: watch the filtered stream on its own: watch(kinds={'keyword'})",
                field="kinds", platform=self.name,
            )
        params: dict[str, Any] = tweet_params()
        if self.settings.stream_backfill_minutes:
            params["backfill_minutes"] = self.settings.stream_backfill_minutes
        call = self.call("GET", x_stream.STREAM, params=params, bucket="stream")
        return StreamSpec(call, x_stream.decoder, x_stream.HEARTBEAT)
        yield  # pragma: no cover - makes this a generator

    def backfill(
        self,
        kinds: frozenset[str],
        checkpoint: str | None,
        cursor: str | None,
        limit: int | None = None,
    ) -> PageFlow[Event]:
        """Mentions as every platform backfills them; the filtered stream has no REST
        backfill (``backfill_minutes`` is its catch-up), so ``"keyword"`` reads nothing."""
        if "keyword" in kinds:
            return ResultPage(items=[], next_cursor=None)
        page: ResultPage[Event] = yield from super().backfill(kinds, checkpoint, cursor, limit)
        return page

    def stream_rules(self) -> Flow[dict[str, str]]:
        """The filtered stream's rules, ``{id: value}`` (``GET .../stream/rules``)."""
        from . import stream as x_stream

        body = yield from self._get(x_stream.RULES, {})
        return {
            str(rule["id"]): str(rule["value"])
            for rule in body.get("data") or []
            if isinstance(rule, Mapping) and "id" in rule
        }

    def set_stream_rules(self, rules: Mapping[str, str]) -> Flow[dict[str, str]]:
        """Make the app's rules exactly ``rules`` (``{tag: value}``, X's query syntax):
        rules not wanted are deleted by id, missing ones added; the rules now, ``{id:
        value}``.

        Raises:
            SocialkitError: X refused a rule (with X's reason, e.g. a syntax error).
        """
        from . import stream as x_stream

        current = yield from self.stream_rules()
        wanted = set(rules.values())
        stale = [rule_id for rule_id, value in current.items() if value not in wanted]
        if stale:
            response = yield self.call("POST", x_stream.RULES, json={"delete": {"ids": stale}})
            self._body(response)  # raises the errors X reports with a 200
        missing = [(tag, value) for tag, value in rules.items() if value not in current.values()]
        if missing:
            body = {"add": [{"value": value, "tag": tag} for tag, value in missing]}
            response = yield self.call("POST", x_stream.RULES, json=body)
            self._body(response)
        found: dict[str, str] = yield from self.stream_rules()
        return found

    # -- metrics ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """Public metrics, plus non-public and organic ones where the token may see them
        (user context, our own posts, younger than 30 days); public only otherwise."""
        url = f"/2/tweets/{_id(post_id)}"
        public = {"tweet.fields": ",".join(METRIC_FIELDS)}
        if self.settings.auth_mode is AuthMode.APP_ONLY:
            body = yield from self._get(url, public)
            return parse.post_metrics(body["data"])
        private = {"tweet.fields": ",".join((*METRIC_FIELDS, *PRIVATE_METRIC_FIELDS))}
        try:
            body = yield from self._get(url, private)
        except PermissionDenied as error:
            if error.code not in FIELD_UNAUTHORIZED:
                raise
            body = yield from self._get(url, public)
        return parse.post_metrics(body["data"])

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """A snapshot of the account's ``public_metrics`` (X keeps no history to query)."""
        account = yield from self.me()
        assert account.raw is not None
        return parse.account_metrics(account.raw)

    # -- engagement ------------------------------------------------------------------------

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """Like a post (``POST /2/users/:id/likes``); X has no other reactions."""
        if kind != "like":
            raise self.unsupported(Capability.REACT, f"X has likes only, not {kind!r}")
        self._require_user_context("like posts")
        body = {"tweet_id": _id(post_id)}
        me_id = yield from self._me_id()
        response = yield self.call("POST", f"/2/users/{me_id}/likes", json=body, idempotent=True)
        self._body(response)

    def repost(self, post_id: str) -> Flow[None]:
        """Repost (``POST /2/users/:id/retweets``)."""
        self._require_user_context("repost")
        body = {"tweet_id": _id(post_id)}
        me_id = yield from self._me_id()
        response = yield self.call("POST", f"/2/users/{me_id}/retweets", json=body, idempotent=True)
        self._body(response)


def _id(value: str) -> str:
    """``value`` when it is an X id (1 to 19 digits); no other id can exist on X."""
    if not _ID.fullmatch(value):
        raise NotFound(f"{value!r} is not an X id", platform="x")
    return value


def _target(target: ReplyTarget) -> tuple[str, str]:
    """(the post to answer, the first post of its conversation) for a reply target."""
    if isinstance(target, Post):
        return target.id, target.thread_root_id or target.id
    if isinstance(target, Comment):
        return target.id, target.thread_root_id
    if isinstance(target, Mention):
        answered = target.post_id or target.id
        root = target.raw.get("conversation_id") if target.raw else None
        return answered, str(root or answered)
    return target, target


def _max_results(limit: int | None, minimum: int) -> str:
    """``max_results`` for a listing: as few as the caller wants, within X's bounds."""
    return str(page_limit(limit, _PAGE_SIZE, minimum))
