"""The WeChat Official Account provider (微信公众号): articles, comments, messages, statistics.

Wire format from developers.weixin.qq.com (doc/offiaccount/... and doc/service/api/...):
stable_token, material/add_material, media/uploadimg, draft/add, freepublish/submit,
freepublish/get, freepublish/getarticle, freepublish/batchget, freepublish/delete,
comment/open, comment/list, comment/reply/add, comment/reply/delete, comment/delete,
comment/markelect, comment/unmarkelect, message/custom/send, datacube/getusersummary,
getusercumulate, getuserread, getusershare, getarticlesummary, getarticletotaldetail.
"""

from __future__ import annotations

import functools
import html
import json as jsonlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ...errors import InvalidContent, NotFound, ParseError, PermissionDenied, SocialkitError
from ...models import (
    Comment,
    Draft,
    DraftLike,
    MediaUpload,
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
    ReplyTarget,
    Sleep,
    error_for_status,
)
from ...text import TextRules
from . import datacube, parse
from .content import (
    MAX_AUTHOR,
    MAX_CONTENT,
    MAX_DIGEST,
    MAX_TITLE,
    default_title,
    html_to_text,
    image_sources,
    is_wechat_image,
    replace_sources,
    to_html,
)
from .errors import BEIJING, PublishFailed, PublishPending, error_from_body, raise_for_errcode
from .ids import ArticleRef, CommentRef
from .settings import WeChatSettings
from .token import StableToken, shared_token

if TYPE_CHECKING:
    from ...credentials.core import Credential
    from ...steps import Response

__all__ = ["PublishStatus", "WeChat"]

PAGE_SIZE = 20  # freepublish/batchget: 1..20
COMMENT_PAGE = 49  # comment/list: "count >= 50 is refused"
MESSAGE_WINDOW = timedelta(hours=48)
INLINE_TYPES = frozenset({"image/jpeg", "image/png"})  # media/uploadimg: jpg/png, < 1 MB
INLINE_BYTES = 1024 * 1024
COVER_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/bmp"})
COVER_BYTES = 10 * 1024 * 1024
OPTIONS = frozenset(
    {
        "title",
        "author",
        "digest",
        "cover",
        "thumb_media_id",
        "content_source_url",
        "open_comments",
        "fans_only_comments",
    }
)


@attrs.frozen
class PublishStatus:
    """What ``freepublish/get`` says of a publish task."""

    publish_id: str
    status: int
    article_id: str | None
    urls: tuple[str, ...]
    fail_idx: tuple[int, ...]
    raw: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> PublishStatus:
        """Read ``freepublish/get``'s answer."""
        detail = body.get("article_detail") or {}
        items = detail.get("item") or [] if isinstance(detail, Mapping) else []
        return cls(
            publish_id=native_id(body.get("publish_id")),
            status=int(body["publish_status"]),
            article_id=native_id(body["article_id"]) if body.get("article_id") else None,
            urls=tuple(str(i.get("article_url")) for i in items if isinstance(i, Mapping)),
            fail_idx=tuple(int(i) for i in body.get("fail_idx") or []),
            raw=body,
        )


@attrs.frozen
class _Article:
    """A draft checked and turned into draft/add's article fields (all but the cover)."""

    fields: dict[str, Any]
    content: str
    cover: MediaUpload | None
    thumb_media_id: str | None


class WeChat(Platform):
    """A WeChat Official Account (公众号 / 服务号) through the official server API.

    ```python
    client = sk.connect("wechat", app_id="wx...", app_secret="...", cover_media_id="...")
    post = client.publish(Draft(text="<p>新品上线</p>", options={"title": "新品发布"}))
    ```

    Choices worth knowing:

    - **Token**: one `StableToken` per app in the process (``cgi-bin/stable_token``),
      fetched when first needed and shortly before it expires, single-flight; a call
      answered 40001/40014/42001 refreshes it once and is replayed.
    - **Errors** come as ``{"errcode", "errmsg"}`` with HTTP 200: every response from
      the API host is checked in the drivers' per-response hook (`rate_limit`), so the
      drivers see the mapped exception (and refresh on an expired token).
    - **Publishing** an article: the cover (``options["cover"]``, a `MediaUpload`) becomes
      permanent material (``material/add_material``), or ``options["thumb_media_id"]`` /
      the ``cover_media_id`` setting is used; images (the draft's media, and every
      external ``<img>`` of the content) are re-hosted with ``media/uploadimg``;
      ``draft/add`` then ``freepublish/submit``; ``freepublish/get`` is polled with
      sleeps until WeChat publishes (→ `Post` with the article URL) or refuses
      (→ `PublishFailed`, e.g. the originality check), for at most ``publish_wait``
      seconds (→ `PublishPending`). The text is HTML (plain text becomes paragraphs);
      the title is ``options["title"]`` or the first line (≤ 32 characters). Comments
      open with ``options["open_comments"]`` or the setting. A published article
      cannot be edited through the API.
    - **Ids**: a post id is ``<article_id>[/<idx>][@<msg_data_id>]``; comments and
      statistics need the ``msg_data_id``, which WeChat gives only on publish (or as
      datacube's ``<msg_data_id>_<idx>``). A comment id is
      ``<msg_data_id>_<idx>:<user_comment_id>`` (``/reply`` for the account's answer).
    - **Comments**: ``comment/list`` (49 per page), ``reply`` answers a comment
      (``comment/reply/add``; the account cannot comment on its own article),
      ``delete_comment`` deletes a comment or the account's answer. WeChat cannot hide
      a comment: ``hide_comment(id)`` removes it from the featured comments
      (``comment/unmarkelect``, 取消精选) and ``hide_comment(id, hidden=False)`` features
      it (``comment/markelect``, 精选) — on accounts that show only featured comments
      that is showing and hiding; otherwise delete it.
    - **Messages** from followers arrive by push: see `WeChatWebhook`. ``reply`` to such
      a `Mention` (or `send_message`) answers through the customer-service API within
      48 hours of the follower's message.
    - **Statistics** from datacube, split into the windows each API allows; dates are
      Beijing days up to yesterday. ``post_metrics`` looks for the article in
      ``getarticletotaldetail`` (published articles, ``freepublish`` ones included; the
      older ``getarticletotal`` covers mass-sent ones only) over the last
      ``article_lookback`` days.
    """

    name = "wechat"
    Settings = WeChatSettings
    default_base_url = "https://api.weixin.qq.com"
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.READ_POSTS,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.REPLY,
            Capability.MODERATE,
            Capability.POST_METRICS,
            Capability.ACCOUNT_METRICS,
        }
    )
    rules = TextRules(max_length=MAX_CONTENT - 1, max_images=50, max_videos=0, max_bytes=1_000_000)

    publish_poll_first: ClassVar[float] = 2.0
    publish_poll_growth: ClassVar[float] = 1.5
    publish_poll_max: ClassVar[float] = 15.0
    article_lookback: ClassVar[int] = 7

    settings: WeChatSettings

    # -- wiring ------------------------------------------------------------------------------

    @property
    def account_key(self) -> str:
        """The API root and the app: each app has its own quotas."""
        return f"{self.base_url}#{self.settings.app_id}"

    @functools.cached_property
    def credential(self) -> Credential | None:
        """The app's shared `StableToken`."""
        return self.token

    @functools.cached_property
    def token(self) -> StableToken:
        """The app's token, shared by every client of the app in this process."""
        url = self.base_url.rstrip("/") + "/cgi-bin/stable_token"
        token = shared_token(self.settings.app_id, self.settings.app_secret, url)
        if self.settings.access_token is not None:
            token.seed(self.settings.access_token)
        return token

    def error_in_body(self, response: Response) -> SocialkitError | None:
        """WeChat's ``errcode`` errors, which come with HTTP 200 (an expired token among them,
        so the drivers refresh and replay)."""
        if response.request.url.host not in self.trusted_hosts:
            return None
        return error_from_body(_json_object(response), response.status_code)

    def map_error(self, response: Response) -> SocialkitError:
        """An HTTP error: WeChat's ``errcode`` when the body has one, else the status."""
        error = error_from_body(_json_object(response), response.status_code)
        if error is not None:
            return error
        return error_for_status(self.name, response, response.reason_phrase or "WeChat error")

    # -- helpers -----------------------------------------------------------------------------

    def _post(self, path: str, payload: Any, **kwargs: Any) -> Flow[Any]:
        """``POST`` JSON to an API path; the checked JSON answer."""
        response = yield self.call("POST", path, json=payload, **kwargs)
        return raise_for_errcode(self.json(response))

    def _read(self, path: str, payload: Any) -> Flow[Any]:
        """A read through ``POST`` (safe to retry)."""
        return (yield from self._post(path, payload, idempotent=True))

    # -- validation --------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """Length (< 20,000 characters, < 1 MB), images only (JPEG or PNG under 1 MB each).

        Article fields (title, author, digest, cover) are checked at the start of
        `publish`, before any request, since the drivers also validate replies.
        """
        draft = super().validate(draft)
        for upload in draft.media:
            _check_image(upload, INLINE_TYPES, INLINE_BYTES, "inline image")
        return draft

    def _article(self, draft: Draft) -> _Article:
        draft = self.validate(draft)
        options = draft.options
        unknown = sorted(set(options) - OPTIONS)
        if unknown:
            raise InvalidContent(
                f"unknown WeChat draft options: {', '.join(unknown)}",
                rule="options",
                platform=self.name,
            )
        title = str(options.get("title") or default_title(draft.text)).strip()
        author = str(options.get("author") or self.settings.author or "")
        digest = str(options.get("digest") or "")
        if not title:
            raise InvalidContent("an article needs a title", rule="title", platform=self.name)
        for rule, value, limit in (
            ("title_length", title, MAX_TITLE),
            ("author_length", author, MAX_AUTHOR),
            ("digest_length", digest, MAX_DIGEST),
        ):
            if len(value) > limit:
                raise InvalidContent(
                    f"{rule.split('_')[0]} is {len(value)} characters; WeChat allows {limit}",
                    rule=rule,
                    count=len(value),
                    limit=limit,
                    platform=self.name,
                )
        cover = options.get("cover")
        if cover is not None and not isinstance(cover, MediaUpload):
            raise InvalidContent("options['cover'] must be a MediaUpload", rule="cover")
        if cover is not None:
            _check_image(cover, COVER_TYPES, COVER_BYTES, "cover")
        thumb = options.get("thumb_media_id") or self.settings.cover_media_id
        if cover is None and not thumb:
            raise InvalidContent(
                "a WeChat article needs a cover (封面): options['cover'] (a MediaUpload), "
                "options['thumb_media_id'], or the cover_media_id setting",
                rule="cover",
                platform=self.name,
            )
        content = to_html(draft.text)
        if len(content) >= MAX_CONTENT:
            raise InvalidContent(
                f"the article HTML is {len(content)} characters; WeChat takes fewer than "
                f"{MAX_CONTENT}",
                rule="max_length",
                count=len(content),
                limit=MAX_CONTENT - 1,
                platform=self.name,
            )
        fields: dict[str, Any] = {"title": title, "author": author, "digest": digest}
        if options.get("content_source_url"):
            fields["content_source_url"] = str(options["content_source_url"])
        opened = options.get("open_comments", self.settings.open_comments)
        fans = options.get("fans_only_comments", self.settings.fans_only_comments)
        fields["need_open_comment"] = 1 if opened else 0
        fields["only_fans_can_comment"] = 1 if opened and fans else 0
        return _Article(fields, content, cover, None if cover is not None else str(thumb))

    # -- publishing --------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """Cover, inline images, ``draft/add``, ``freepublish/submit``, then poll till published."""
        article = self._article(Draft.of(draft))
        thumb = article.thumb_media_id
        if thumb is None:
            assert article.cover is not None
            thumb = yield from self.upload_cover(article.cover)
        content = yield from self._host_images(article.content, draft.media)
        payload = {**article.fields, "content": content, "thumb_media_id": thumb}
        added = yield from self._post("cgi-bin/draft/add", {"articles": [payload]}, idempotent=True)
        media_id = native_id(added["media_id"])
        submitted = yield from self._post(
            "cgi-bin/freepublish/submit",
            {"media_id": media_id},
            idempotency_key=draft.idempotency_key,
        )
        publish_id = native_id(submitted["publish_id"])
        msg_data_id = submitted.get("msg_data_id")
        status = yield from self._await_publish(publish_id, media_id, draft.idempotency_key)
        if status.article_id is None:
            raise ParseError(
                "freepublish/get said success without an article_id", platform=self.name
            )
        ref = ArticleRef(status.article_id, 1, str(msg_data_id) if msg_data_id else None)
        return Post(
            platform=self.name,
            id=str(ref),
            text=html_to_text(content),
            created_at=datetime.now(UTC),
            url=status.urls[0] if status.urls else None,
            visibility="public",
            raw={**payload, "media_id": media_id, **status.raw},
        )

    def publish_status(self, publish_id: str) -> Flow[PublishStatus]:
        """``freepublish/get``: where a publish task stands."""
        body = yield from self._read("cgi-bin/freepublish/get", {"publish_id": publish_id})
        return PublishStatus.from_json(body)

    def _await_publish(self, publish_id: str, media_id: str, key: str) -> Flow[PublishStatus]:
        waited = 0.0
        delay = self.publish_poll_first
        while True:
            status = yield from self.publish_status(publish_id)
            if status.status == 0:
                return status
            if status.status != 1:
                raise PublishFailed(
                    publish_id=publish_id,
                    publish_status=status.status,
                    fail_idx=status.fail_idx,
                    media_id=media_id,
                )
            if waited + delay > self.settings.publish_wait:
                raise PublishPending(
                    f"WeChat was still publishing task {publish_id} after {waited:g} s; "
                    "check it later with publish_status()",
                    publish_id=publish_id,
                    idempotency_key=key,
                )
            yield Sleep(delay)
            waited += delay
            delay = min(delay * self.publish_poll_growth, self.publish_poll_max)

    def upload_cover(self, upload: MediaUpload) -> Flow[str]:
        """``material/add_material?type=image``: a permanent image (the cover); its media_id."""
        content = yield from self._bytes(upload)
        response = yield self.call(
            "POST",
            "cgi-bin/material/add_material",
            params={"type": "image"},
            files={"media": (upload.filename, content, upload.mime_type)},
            idempotent=True,  # an orphan image in the material library is harmless
        )
        return native_id(raise_for_errcode(self.json(response))["media_id"])

    def upload_image(self, upload: MediaUpload) -> Flow[str]:
        """``media/uploadimg``: an image for article content; its URL on WeChat's host."""
        content = yield from self._bytes(upload)
        response = yield self.call(
            "POST",
            "cgi-bin/media/uploadimg",
            files={"media": (upload.filename, content, upload.mime_type)},
            idempotent=True,
        )
        return str(raise_for_errcode(self.json(response))["url"])

    def _bytes(self, upload: MediaUpload) -> Flow[bytes]:
        if upload.data is None and upload.path is None and upload.url is not None:
            fetched = yield Call("GET", upload.url, authenticated=False, bucket="remote")
            if fetched is None:
                raise ParseError("expected a response, got none", platform=self.name)
            return bytes(fetched.content)
        return bytes(upload.read())

    def _host_images(self, markup: str, uploads: Sequence[MediaUpload]) -> Flow[str]:
        """Re-host every image of the content on WeChat; attached images not in it go last."""
        by_name = {u.filename: u for u in uploads}
        urls: dict[str, str] = {}
        for source in image_sources(markup):
            if is_wechat_image(source):
                continue
            upload = by_name.pop(source, None)
            if upload is None and source.startswith(("https://", "http://")):
                upload = MediaUpload(url=source)
            if upload is not None:
                urls[source] = yield from self.upload_image(upload)
        markup = replace_sources(markup, urls)
        for upload in by_name.values():
            url = yield from self.upload_image(upload)
            markup += f'<p><img src="{html.escape(url)}"/></p>'
        return markup

    # -- reading -----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``freepublish/getarticle``: one article of a publish."""
        ref = ArticleRef.parse(post_id)
        body = yield from self._read(
            "cgi-bin/freepublish/getarticle", {"article_id": ref.require_article()}
        )
        items = body.get("news_item") or []
        if not 1 <= ref.idx <= len(items):
            raise NotFound(f"article {ref} has no item {ref.idx}", platform=self.name)
        return parse.article(items[ref.idx - 1], ref)

    def delete_post(self, post_id: str) -> Flow[None]:
        """``freepublish/delete`` the article (its ``index`` in the publish, from 1)."""
        ref = ArticleRef.parse(post_id)
        yield from self._post(
            "cgi-bin/freepublish/delete",
            {"article_id": ref.require_article(), "index": ref.idx},
            idempotent=True,
        )

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``freepublish/batchget``: the account's published articles, 20 publishes a page."""
        if account is not None:
            raise self.unsupported(
                Capability.READ_POSTS, "WeChat lists only the account's own published articles"
            )
        offset = int(cursor or 0)
        body = yield from self._read(
            "cgi-bin/freepublish/batchget", {"offset": offset, "count": PAGE_SIZE, "no_content": 0}
        )
        entries = [e for e in body.get("item") or [] if isinstance(e, Mapping)]
        items = [post for entry in entries for post in parse.news_items(entry)]
        seen = offset + len(entries)
        more = entries and seen < int(body.get("total_count") or 0)
        return ResultPage(items=items, next_cursor=str(seen) if more else None)

    # -- comments ----------------------------------------------------------------------------

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """``comment/list`` (``type`` 0: featured and not), 49 a page."""
        ref = ArticleRef.parse(post_id)
        begin = int(cursor or 0)
        body = yield from self._read(
            "cgi-bin/comment/list",
            {
                "msg_data_id": int(ref.require_message()),
                "index": ref.idx - 1,
                "begin": begin,
                "count": COMMENT_PAGE,
                "type": 0,
            },
        )
        got = len(body.get("comment") or [])
        more = got and begin + got < int(body.get("total") or 0)
        next_cursor = str(begin + got) if more else None
        return ResultPage(items=parse.comments(body, ref), next_cursor=next_cursor)

    def open_comments(self, post_id: str) -> Flow[None]:
        """``comment/open``: open comments on a published article."""
        ref = ArticleRef.parse(post_id)
        yield from self._post(
            "cgi-bin/comment/open",
            {"msg_data_id": int(ref.require_message()), "index": ref.idx - 1},
            idempotent=True,
        )

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """Answer a comment (``comment/reply/add``) or a follower's message (客服消息)."""
        draft = Draft.of(draft)
        if isinstance(target, Mention):
            return (yield from self._answer_message(target, draft.text))
        if isinstance(target, Post):
            raise self.unsupported(
                Capability.REPLY,
                "an Official Account answers comments; it cannot comment on its own article",
            )
        comment_id = target.id if isinstance(target, Comment) else target
        cref = CommentRef.parse(comment_id)
        if cref.reply:
            raise InvalidContent(
                "answer the comment itself, not the account's reply to it",
                rule="reply_target",
                platform=self.name,
            )
        yield from self._post("cgi-bin/comment/reply/add", {**cref.body, "content": draft.text})
        article = f"{cref.msg_data_id}_{cref.idx}"
        root_id = target.thread_root_id if isinstance(target, Comment) else article
        return Comment(
            platform=self.name,
            id=str(parse.attr_reply(cref)),
            thread_root_id=root_id,
            reply_to_id=str(cref),
            text=draft.text,
            created_at=datetime.now(UTC),
        )

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """Unfeature (``comment/unmarkelect``) or, with ``hidden=False``, feature a comment."""
        cref = CommentRef.parse(comment_id)
        if cref.reply:
            raise InvalidContent("only comments can be featured", rule="reply_target")
        path = "cgi-bin/comment/unmarkelect" if hidden else "cgi-bin/comment/markelect"
        yield from self._post(path, cref.body, idempotent=True)

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``comment/delete`` a comment, or ``comment/reply/delete`` the account's answer."""
        cref = CommentRef.parse(comment_id)
        path = "cgi-bin/comment/reply/delete" if cref.reply else "cgi-bin/comment/delete"
        yield from self._post(path, cref.body, idempotent=True)

    # -- messages ----------------------------------------------------------------------------

    def send_message(self, openid: str, text: str) -> Flow[None]:
        """``message/custom/send`` a text to a follower (within 48 hours of their message)."""
        yield from self._post(
            "cgi-bin/message/custom/send",
            {"touser": openid, "msgtype": "text", "text": {"content": text}},
        )

    def _answer_message(self, mention: Mention, text: str) -> Flow[Comment]:
        if mention.kind != "message" or mention.author is None:
            raise self.unsupported(Capability.REPLY, "only follower messages can be answered")
        sent = mention.created_at
        if sent is not None and datetime.now(UTC) - sent > MESSAGE_WINDOW:
            raise PermissionDenied(
                "WeChat lets an account answer a follower within 48 hours of their message "
                "(客服消息); this one is older",
                platform=self.name,
            )
        yield from self.send_message(mention.author.id, text)
        return Comment(
            platform=self.name,
            id=f"{mention.id}/reply",
            thread_root_id=mention.id,
            reply_to_id=mention.id,
            text=text,
            created_at=datetime.now(UTC),
        )

    # -- statistics --------------------------------------------------------------------------

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """Daily followers, new and lost followers, views, reach, clicks, saves and shares."""
        start, end = datacube.period(since, until)
        metrics: list[Metric] = []
        for api, (days, _) in datacube.ACCOUNT_SOURCES.items():
            rows: list[Mapping[str, Any]] = []
            for first, last in datacube.windows(start, end, days):
                body = yield from self._read(
                    f"datacube/{api}",
                    {"begin_date": first.isoformat(), "end_date": last.isoformat()},
                )
                rows.extend(r for r in body.get("list") or [] if isinstance(r, Mapping))
            metrics.extend(datacube.account_metrics(api, rows, self.settings.app_id))
        return metrics

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """An article's totals from ``getarticletotaldetail`` (reach, shares, likes, hearts,
        comments, saves), which covers published (发表) articles, ``freepublish`` ones
        included: looked up by publish date over the last ``article_lookback`` days."""
        ref = ArticleRef.parse(post_id)
        ref.require_message()
        yesterday = datetime.now(BEIJING).date() - timedelta(days=1)
        for back in range(self.article_lookback):
            day = (yesterday - timedelta(days=back)).isoformat()
            body = yield from self._read(
                "datacube/getarticletotaldetail", {"begin_date": day, "end_date": day}
            )
            for row in body.get("list") or []:
                if isinstance(row, Mapping) and row.get("msgid") == ref.msgid:
                    details = [d for d in row.get("detail_list") or [] if isinstance(d, Mapping)]
                    if not details:
                        break
                    last = max(details, key=lambda d: str(d.get("stat_date")))
                    stat_day = date.fromisoformat(str(last["stat_date"]))
                    return datacube.article_metrics(
                        last, post_id, per="lifetime", day=stat_day, names=datacube.PUBLISHED_FIELDS
                    )
        raise NotFound(
            f"no datacube statistics for article {ref.msgid} published in the last "
            f"{self.article_lookback} days (statistics come a day later, up to yesterday)",
            platform=self.name,
        )

    def article_summary(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """``getarticlesummary`` day by day: every article's daily figures (subject: msgid)."""
        start, end = datacube.period(since, until)
        metrics: list[Metric] = []
        for first, _ in datacube.windows(start, end, 1):
            body = yield from self._read(
                "datacube/getarticlesummary",
                {"begin_date": first.isoformat(), "end_date": first.isoformat()},
            )
            for row in body.get("list") or []:
                if isinstance(row, Mapping):
                    metrics.extend(
                        datacube.article_metrics(row, str(row["msgid"]), per="day", day=first)
                    )
        return metrics

    # -- what the API cannot do --------------------------------------------------------------

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """Unsupported: a published article cannot be edited through the API."""
        raise self.unsupported(
            Capability.EDIT, "a published WeChat article cannot be edited through the API"
        )

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """Unsupported: follower messages are pushed to the server URL; use `WeChatWebhook`."""
        raise self.unsupported(
            Capability.MENTIONS,
            "WeChat pushes follower messages to your server URL; read them with WeChatWebhook",
        )

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """Unsupported: the Official Account API has no search."""
        raise self.unsupported(Capability.SEARCH, "the Official Account API has no search")

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """Unsupported: an account cannot like through the API."""
        raise self.unsupported(Capability.REACT, "the Official Account API has no reactions")

    def repost(self, post_id: str) -> Flow[None]:
        """Unsupported: an account cannot share through the API."""
        raise self.unsupported(Capability.REPOST, "the Official Account API cannot repost")


def _check_image(upload: MediaUpload, types: frozenset[str], limit: int, what: str) -> None:
    if upload.kind not in ("image", "gif") or upload.mime_type not in types:
        kinds = ", ".join(sorted(t.split("/")[1].upper() for t in types))
        raise InvalidContent(
            f"a WeChat {what} must be {kinds}, not {upload.mime_type}",
            rule="media_type",
            platform="wechat",
        )
    size = len(upload.data) if upload.data is not None else None
    if size is None and upload.path is not None and upload.path.is_file():
        size = upload.path.stat().st_size
    if size is not None and size >= limit:
        raise InvalidContent(
            f"the {what} is {size} bytes; WeChat takes less than {limit}",
            rule="media_size",
            count=size,
            limit=limit,
            platform="wechat",
        )


def _json_object(response: Response) -> Mapping[str, Any] | None:
    """The response's JSON object, when it is one (WeChat sometimes says text/plain)."""
    kind = response.headers.get("content-type", "")
    if "json" not in kind and "text" not in kind:
        return None
    content = response.content.lstrip()
    if not content.startswith(b"{"):
        return None
    try:
        body = jsonlib.loads(content)
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, Mapping) else None
