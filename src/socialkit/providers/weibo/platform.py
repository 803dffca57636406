"""The Weibo provider: the open API v2 (``https://api.weibo.com/2/...``) as flows.

Wire format from the official wiki (https://open.weibo.com/wiki/微博API):
2/statuses/share, 2/statuses/show, 2/statuses/user_timeline, 2/statuses/count,
2/statuses/mentions, 2/comments/show, 2/comments/create, 2/comments/reply,
2/comments/destroy, 2/comments/mentions, 2/users/show, 2/account/get_uid,
2/account/rate_limit_status, Oauth2/get_token_info, Error_code.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from ...errors import InvalidContent, ParseError, SocialkitError
from ...models import Account, Comment, Draft, DraftLike, Mention, Metric, Post, ResultPage
from ...platform import (
    Call,
    Capability,
    Flow,
    PageFlow,
    Platform,
    PlatformSettings,
    RateLimitInfo,
    ReplyTarget,
)
from . import parse
from .auth import TOKEN_INFO_URL, TokenInfo, WeiboToken
from .content import (
    WEIBO_RULES,
    check_picture,
    check_rip,
    check_share,
    known_options,
)
from .errors import error_from_body, map_weibo_error
from .limits import BUDGETS, STATUS_PATH, Budgets, RateLimitStatus, parse_status
from .mentions import MentionCursor, merge
from .settings import WeiboSettings

if TYPE_CHECKING:
    from ...credentials.core import Credential
    from ...steps import Response

__all__ = ["Weibo"]

PAGE_SIZE = 50
COUNT_BATCH = 100  # 2/statuses/count.json takes at most 100 ids
OPTIONS = frozenset({"rip"})


class Weibo(Platform):
    """Sina Weibo through the open API v2, for an ordinary (普通) app.

    ```python
    client = sk.connect("weibo", access_token="...", client_ip="211.156.0.1",
                        share_domain="brand.example.com")
    client.publish("新品上线 https://brand.example.com/launch")
    ```

    Choices worth knowing:

    - **Publishing** goes through ``2/statuses/share.json``, the one status-writing
      endpoint Weibo leaves ordinary apps. Before any request the draft must link to a
      page under the app's secure domain (``share_domain``, 安全域名), carry no
      ``#话题#`` topic, and have the user's real, public IP as ``rip`` (``client_ip``,
      or ``Draft(options={"rip": ...})`` per user). `validate` checks the length rule
      and ``rip`` (which comments need too); the share rules run at the start of the
      publish flow, because the drivers also validate reply drafts, which need no link.
      One JPEG/GIF/PNG picture under 5 MB may be attached (sent as multipart ``pic``).
    - **Length**: 140 Chinese characters; half-width characters count half, a link
      counts as its t.cn short link (see `count_weibo`).
    - **Replies**: to a post → ``2/comments/create.json``; to a comment →
      ``2/comments/reply.json`` (Weibo prefixes 回复@name:); to a mention → the status
      or comment it is; a bare id is taken as a status id.
    - **Mentions** merge ``2/statuses/mentions.json`` and ``2/comments/mentions.json``,
      de-duplicated, newest first across pages; ``since_id`` is a mention id (Weibo's
      ``since_id``). A status mention's ``post_id`` is itself; a comment mention's is
      the comment, and its ``thread_root_id`` the status it is under.
    - **Rate limits**: Weibo sends no headers. With ``track_rate_limit`` (the default),
      the first flow of each hour reads ``2/account/rate_limit_status.json`` (which
      costs no budget), and every later call counts one down in the shared state, so
      the drivers wait or raise `RateLimited` before Weibo refuses (10022–10024).
      ``client.run(platform.rate_limit_status())`` reads it explicitly.
    - **Ids** stay exact strings (``idstr``); ids above 2**53 never pass through a float.
    - **Unsupported** for ordinary apps: deleting, editing or reposting statuses,
      reactions, search, hiding comments, videos (see ``docs/platforms/weibo.md``).
    """

    name = "weibo"
    Settings = WeiboSettings
    default_base_url = "https://api.weibo.com"
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.READ_POSTS,
            Capability.READ_COMMENTS,
            Capability.REPLY,
            Capability.MENTIONS,
            Capability.POST_METRICS,
            Capability.ACCOUNT_METRICS,
        }
    )
    rules = WEIBO_RULES
    budgets: ClassVar[Budgets] = BUDGETS

    settings: WeiboSettings

    def __init__(self, settings: PlatformSettings | None = None, /, **values: Any) -> None:
        super().__init__(settings, **values)
        self._uid: str | None = None

    # -- wiring ------------------------------------------------------------------------------

    @property
    def account_key(self) -> str:
        """The API root plus a digest of the token: each user has an hourly budget."""
        return f"{self.base_url}#{self.settings.token_digest()}"

    @functools.cached_property
    def credential(self) -> Credential | None:
        """The token, as the ``access_token`` query parameter."""
        return WeiboToken(self.settings.access_token)

    def map_error(self, response: Response) -> SocialkitError:
        """Weibo's ``error_code`` mapped (see `errors`), else the HTTP status."""
        return map_weibo_error(response)

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """The hourly budget: read from ``rate_limit_status``, counted down on other calls."""
        url = response.request.url
        if url.host != urlsplit(self.base_url).hostname or not self.settings.track_rate_limit:
            return None
        if url.path == STATUS_PATH:
            if response.status_code != 200:
                return None
            try:
                info = parse_status(response.json()).info()
            except (ValueError, AttributeError, RecursionError):
                return None
            self.budgets.set(self.account_key, info)
            return info
        return self.budgets.spend(self.account_key)

    # -- helpers -----------------------------------------------------------------------------

    def _json(self, response: Response | None) -> Any:
        body = self.json(response)
        if isinstance(body, Mapping) and "error_code" in body:
            error = error_from_body(body, response.status_code if response else None)
            if error is not None:
                raise error
        return body

    def _request(self, method: str, path: str, **kwargs: Any) -> Flow[Any]:
        """One API call after making sure the hour's budget is known; its checked JSON."""
        if self.settings.track_rate_limit and not self.budgets.fresh(self.account_key):
            yield from self.rate_limit_status()
        response = yield self.call(method, path, **kwargs)
        return self._json(response)

    def _rip(self, draft: Draft) -> str:
        return check_rip(draft.options.get("rip") or self.settings.client_ip, self.name)

    # -- rate limits and tokens --------------------------------------------------------------

    def rate_limit_status(self) -> Flow[RateLimitStatus]:
        """``GET 2/account/rate_limit_status.json``; records the hour's budget (free of charge)."""
        response = yield self.call("GET", "2/account/rate_limit_status.json")
        status = parse_status(self._json(response))
        self.budgets.set(self.account_key, status.info())
        return status

    def token_info(self) -> Flow[TokenInfo]:
        """``POST oauth2/get_token_info``: the token's user, app, scope and expiry."""
        response = yield Call(
            "POST",
            TOKEN_INFO_URL,
            data={"access_token": self.settings.access_token.get_secret_value()},
            authenticated=False,
            idempotent=True,
            bucket="oauth",
        )
        return TokenInfo.from_json(self._json(response))

    # -- validation --------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """Length (140 Chinese characters), one JPEG/GIF/PNG under 5 MB, known options, ``rip``.

        The share rules (secure-domain link, no ``#话题#``) are checked by `check_share`
        at the start of `publish`, before any request.
        """
        draft = super().validate(draft)
        known_options(draft.options, OPTIONS, self.name)
        for upload in draft.media:
            check_picture(upload, self.name)
        self._rip(draft)
        return draft

    def check_share(self, draft: DraftLike) -> Draft:
        """Every rule a share must pass: `validate`, the secure-domain link, no ``#话题#``."""
        draft = self.validate(draft)
        check_share(draft, self.settings.share_domain, self.name)
        return draft

    # -- account -----------------------------------------------------------------------------

    def _my_uid(self) -> Flow[str]:
        if self._uid is None:
            body = yield from self._request("GET", "2/account/get_uid.json")
            self._uid = parse.item_id(body, "uid")
        return self._uid

    def me(self) -> Flow[Account]:
        """``2/account/get_uid.json`` then ``2/users/show.json``."""
        uid = yield from self._my_uid()
        body = yield from self._request("GET", "2/users/show.json", params={"uid": uid})
        return parse.account(body)

    # -- publishing --------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """``POST 2/statuses/share.json`` (multipart with ``pic`` when a picture is attached)."""
        draft = self.check_share(draft)
        rip = self._rip(draft)
        form = {"status": draft.text, "rip": rip}
        files = None
        if draft.media:
            upload = draft.media[0]
            content = yield from self._picture_bytes(upload)
            files = {"pic": (upload.filename, content, upload.mime_type)}
        body = yield from self._request("POST", "2/statuses/share.json", data=form, files=files)
        return parse.post(body)

    def _picture_bytes(self, upload: Any) -> Flow[bytes]:
        if upload.data is None and upload.path is None and upload.url is not None:
            fetched = yield Call("GET", upload.url, authenticated=False, bucket="remote")
            if fetched is None:
                raise ParseError("expected a response, got none", platform=self.name)
            return bytes(fetched.content)
        return bytes(upload.read())

    # -- reading -----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET 2/statuses/show.json?id=``."""
        body = yield from self._request("GET", "2/statuses/show.json", params={"id": post_id})
        return parse.post(body)

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``GET 2/statuses/user_timeline.json`` (Weibo returns only the authorized user's own
        statuses); ``account`` is a uid or a screen name, the token's user by default."""
        params: dict[str, Any] = {"count": PAGE_SIZE}
        if account:
            params["uid" if account.isdigit() else "screen_name"] = account.lstrip("@")
        if cursor:
            params["max_id"] = cursor
        body = yield from self._request("GET", "2/statuses/user_timeline.json", params=params)
        items = [parse.post(s) for s in _list(body, "statuses")]
        return ResultPage(items=items, next_cursor=_next(body, items))

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """``GET 2/comments/show.json?id=`` paged by ``max_id``, newest first."""
        params: dict[str, Any] = {"id": post_id, "count": PAGE_SIZE}
        if cursor:
            params["max_id"] = cursor
        body = yield from self._request("GET", "2/comments/show.json", params=params)
        items = [parse.comment(c, post_id) for c in _list(body, "comments")]
        return ResultPage(items=items, next_cursor=_next(body, items))

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """Statuses and comments that @ the account, merged newest first (see `mentions`)."""
        state = MentionCursor.decode(cursor)
        statuses = comments = None
        s_more = c_more = False
        if not state.statuses_done:
            body = yield from self._request(
                "GET", "2/statuses/mentions.json", params=_page(state.statuses, since_id)
            )
            statuses = [parse.status_mention(s) for s in _list(body, "statuses")]
            s_more = _has_more(body, statuses)
        if not state.comments_done:
            body = yield from self._request(
                "GET", "2/comments/mentions.json", params=_page(state.comments, since_id)
            )
            comments = [parse.comment_mention(c) for c in _list(body, "comments")]
            c_more = _has_more(body, comments)
        items, after = merge(statuses, comments, s_more, c_more)
        return ResultPage(items=items, next_cursor=after.encode())

    # -- conversation ------------------------------------------------------------------------

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """A comment on a post (``comments/create``) or an answer to one (``comments/reply``)."""
        draft = Draft.of(draft)
        rip = self._rip(draft)
        status_id, comment_id = _reply_target(target)
        form: dict[str, Any] = {"comment": draft.text, "id": status_id, "rip": rip}
        if comment_id is None:
            body = yield from self._request("POST", "2/comments/create.json", data=form)
        else:
            form["cid"] = comment_id
            body = yield from self._request("POST", "2/comments/reply.json", data=form)
        made = parse.comment(body, status_id)
        if comment_id is not None and made.reply_to_id != comment_id:
            made = made.model_copy(update={"reply_to_id": comment_id})
        return made

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``POST 2/comments/destroy.json?cid=``: the account's own comments, or any comment
        under its statuses. Works although `Capability.MODERATE` (hiding) is not claimed."""
        yield from self._request("POST", "2/comments/destroy.json", data={"cid": comment_id})

    # -- metrics -----------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """``GET 2/statuses/count.json?ids=``: shares (reposts), comments, likes (attitudes)."""
        found = yield from self.posts_metrics([post_id])
        return found

    def posts_metrics(self, post_ids: Sequence[str]) -> Flow[list[Metric]]:
        """The counts of many statuses, 100 ids per ``2/statuses/count.json`` call."""
        metrics: list[Metric] = []
        ids = list(dict.fromkeys(post_ids))
        for start in range(0, len(ids), COUNT_BATCH):
            batch = ids[start : start + COUNT_BATCH]
            body = yield from self._request(
                "GET", "2/statuses/count.json", params={"ids": ",".join(batch)}
            )
            if not isinstance(body, list):
                raise ParseError("expected a JSON array from statuses/count", platform=self.name)
            for item in body:
                metrics.extend(parse.count_metrics(item))
        return metrics

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """A snapshot from ``2/users/show.json``: followers, following, posts (Weibo keeps no
        history for ordinary apps, so ``since``/``until`` cannot select a period)."""
        uid = yield from self._my_uid()
        body = yield from self._request("GET", "2/users/show.json", params={"uid": uid})
        return parse.user_metrics(body)

    # -- what ordinary apps cannot do --------------------------------------------------------

    def delete_post(self, post_id: str) -> Flow[None]:
        """Unsupported: ordinary apps write statuses only through ``statuses/share``."""
        raise self.unsupported(
            Capability.DELETE,
            "Weibo's open API leaves ordinary apps only statuses/share for statuses; "
            "delete it on weibo.com",
        )

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """Unsupported: Weibo's open API cannot edit a status."""
        raise self.unsupported(Capability.EDIT, "Weibo's open API cannot edit a status")

    def repost(self, post_id: str) -> Flow[None]:
        """Unsupported: ``statuses/repost`` is closed to ordinary apps."""
        raise self.unsupported(
            Capability.REPOST, "statuses/repost is closed to ordinary apps (only statuses/share)"
        )

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """Unsupported: Weibo's like (attitudes) API is not open to ordinary apps."""
        raise self.unsupported(Capability.REACT, "the attitudes API is not open to ordinary apps")

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """Unsupported: Weibo's search API is a commercial (商业) interface."""
        raise self.unsupported(
            Capability.SEARCH, "search is a commercial Weibo API (c.api.weibo.com), not open"
        )

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """Unsupported: Weibo cannot hide a comment; `delete_comment` removes it."""
        raise self.unsupported(
            Capability.MODERATE, "Weibo cannot hide a comment; delete_comment removes it"
        )


# -- helpers ---------------------------------------------------------------------------------


def _list(body: Any, key: str) -> list[Mapping[str, Any]]:
    items = body.get(key) if isinstance(body, Mapping) else None
    if not isinstance(items, list):
        raise ParseError(f"expected a list under {key!r}", platform="weibo")
    return [item for item in items if isinstance(item, Mapping)]


def _next(body: Mapping[str, Any], items: Sequence[Post | Comment]) -> str | None:
    """The next ``max_id``: Weibo's ``next_cursor`` when it gives one (0 at the end)."""
    cursor = body.get("next_cursor")
    if not items or isinstance(cursor, bool) or not isinstance(cursor, int | str):
        return None
    text = str(cursor)
    return text if text.isdigit() and int(text) > 0 else None


def _has_more(body: Mapping[str, Any], items: Sequence[Mention]) -> bool:
    return bool(items) and _next(body, items) is not None  # type: ignore[arg-type]


def _page(max_id: str | None, since_id: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"count": PAGE_SIZE}
    if max_id:
        params["max_id"] = max_id
    if since_id:
        params["since_id"] = since_id
    return params


def _reply_target(target: ReplyTarget) -> tuple[str, str | None]:
    """(status id, comment id or None) of what a reply answers."""
    if isinstance(target, str):
        return target, None
    if isinstance(target, Post):
        return target.id, None
    if isinstance(target, Comment):
        return target.thread_root_id, target.id
    if isinstance(target, Mention):
        carrier = target.post_id or target.id
        if target.thread_root_id is None or target.thread_root_id == carrier:
            return carrier, None
        return target.thread_root_id, carrier
    raise InvalidContent(f"cannot reply to {type(target).__name__}", platform="weibo")
