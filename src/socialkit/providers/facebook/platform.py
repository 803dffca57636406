"""The Facebook Pages provider: a Page's posts, comments, tags and insights as flows.

Wire format: Graph API v25.0 (developers.facebook.com/docs/pages-api: posts, comments,
"Page Insights"; graph-api/reference: page/feed, page/photos, page/videos, page/tagged,
post, comment, insights), field names checked against the Page, PagePost and Comment node
specs of facebook/facebook-business-sdk-codegen.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlsplit

from ...errors import InvalidContent, PlatformError
from ...models import Account, Comment, Draft, DraftLike, Mention, Metric, Post, native_id
from ...platform import Capability, Flow, PageFlow, ReplyTarget
from ...text import TextRules
from ..meta.paging import until_seen
from ..meta.platform import GraphPlatform
from ..meta.replies import replied, reply_ids
from ..meta.rules import check_options
from . import fields, media, parse
from .settings import FacebookSettings

__all__ = ["Facebook"]

_OPTIONS = frozenset({"link", "title"})
VIDEO_HOST = "graph-video.facebook.com"


class Facebook(GraphPlatform):
    """A Facebook Page through the Pages API, with a Page access token.

    ```python
    client = sk.connect("facebook", page_id="1234567890", access_token="EAAB...")
    ```

    Choices worth knowing:

    - **Publishing**: text and links go to ``/{page-id}/feed`` (``options={"link": url}``
      for a link preview); one photo to ``/{page-id}/photos``; several photos are uploaded
      unpublished and attached to one feed post; a video goes to ``/{page-id}/videos`` on
      graph-video.facebook.com (``options={"title": ...}``). Media by URL is fetched by
      Facebook; local files go up as multipart, videos up to 1 GiB (give a URL beyond).
      The returned `Post` holds the new id and the text sent (a video's id is the video's):
      read it back with `get_post` for permalink and counts.
    - **Retries**: publishing and commenting are never retried after an ambiguous failure
      (Meta has no idempotency key): you get `PublishUncertain` instead.
    - **Metrics**: ``likes`` counts every reaction (``post_reactions_by_type_total``);
      impressions are ``views`` (``post_media_view``), Meta's replacement since 2025.
    - **Mentions** are the posts the Page is tagged in (``/{page-id}/tagged``).
    """

    name = "facebook"
    Settings = FacebookSettings
    owner_setting = "page_id"
    rules = TextRules(max_length=63206, max_images=2**31, max_videos=1, mixed_media=False)
    capabilities = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.PUBLISH_VIDEO,
            Capability.READ_POSTS,
            Capability.EDIT,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.REPLY,
            Capability.MODERATE,
            Capability.MENTIONS,
            Capability.POST_METRICS,
            Capability.ACCOUNT_METRICS,
        }
    )
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.PUBLISH_THREAD: "a Page post cannot answer another; publish one post",
        Capability.SEARCH: "the Graph API offers no search over posts",
        Capability.REACT: "the Pages API offers no supported way to react as the Page",
        Capability.REPOST: "the Pages API cannot share another post",
    }

    settings: FacebookSettings

    @property
    def owner_id(self) -> str:
        """The Page id."""
        return self.settings.page_id

    @property
    def video_url(self) -> str:
        """Where videos are uploaded: graph-video.facebook.com (or the ``base_url`` setting)."""
        if self.settings.base_url:
            return self.base_url
        return f"https://{VIDEO_HOST}/{self.settings.api_version}"

    @functools.cached_property
    def trusted_hosts(self) -> frozenset[str]:
        """The Graph API host and the video upload host receive the Page token."""
        return super().trusted_hosts | {urlsplit(self.video_url).hostname or VIDEO_HOST}

    def validate(self, draft: DraftLike) -> Draft:
        """The base checks, plus known options and the size of local videos."""
        draft = super().validate(draft)
        check_options(draft, _OPTIONS, platform=self.name)
        if draft.media and "link" in draft.options:
            raise InvalidContent(
                "a Facebook link post cannot carry media", rule="options", platform=self.name
            )
        for upload in draft.media:
            if upload.kind == "video":
                media.check_video_size(upload, self.name)
        return draft

    # -- account and publishing -------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """``GET /{page-id}``."""
        return self.read(self.owner_id, fields.PAGE, parse.account)

    def publish(self, draft: Draft) -> Flow[Post]:
        """Text, link, photo(s) or video, as the Page."""
        draft = self.validate(draft)
        if draft.reply_to_id:
            raise InvalidContent(
                "a Facebook Page post cannot answer another; use reply() to comment",
                rule="reply_to_id",
                platform=self.name,
            )
        key = draft.idempotency_key
        if any(upload.kind == "video" for upload in draft.media):
            data, files = media.video(
                draft.media[0], description=draft.text, title=draft.options.get("title")
            )
            call = self.post(
                self.owner_id,
                "videos",
                data=data,
                files=files,
                idempotency_key=key,
                root=self.video_url,
            )
        elif len(draft.media) == 1:
            data, files = media.photo(draft.media[0], message=draft.text)
            call = self.post(self.owner_id, "photos", data=data, files=files, idempotency_key=key)
        else:
            photo_ids = yield from self._unpublished_photos(draft)
            form = {"message": draft.text or None, "link": draft.options.get("link")}
            data = form | media.attached_media(photo_ids)
            call = self.post(self.owner_id, "feed", data=data, idempotency_key=key)
        created = self.json((yield call))
        return self._published(created.get("post_id") or created["id"], draft)

    def _unpublished_photos(self, draft: Draft) -> Flow[list[str]]:
        """Upload each photo unpublished (safe to retry: an unused one is never shown)."""
        photo_ids: list[str] = []
        for upload in draft.media:
            data, files = media.photo(upload, published=False)
            response = yield self.post(
                self.owner_id, "photos", data=data, files=files, idempotent=True
            )
            photo_ids.append(native_id(self.json(response)["id"]))
        return photo_ids

    def _published(self, post_id: object, draft: Draft) -> Post:
        return Post(platform=self.name, id=native_id(post_id), text=draft.text)

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """``POST /{post-id}`` with the new ``message``; only the text of a post can change."""
        draft = self.validate(draft)
        if draft.media or draft.options:
            raise InvalidContent(
                "only the text of a Facebook post can be edited", rule="edit", platform=self.name
            )
        yield self.post(post_id, data={"message": draft.text}, idempotent=True)
        return self._published(post_id, draft)

    def delete_post(self, post_id: str) -> Flow[None]:
        """``DELETE /{post-id}``."""
        yield self.delete(post_id)

    # -- reading ----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /{post-id}`` with reactions, comments and shares counted."""
        return self.read(post_id, fields.POST, parse.post)

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``GET /{page-id}/posts`` (another Page's id as ``account``), newest first."""
        return self.read_edge(
            account or self.owner_id, "posts", fields=fields.POST, convert=parse.post, cursor=cursor
        )

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """``GET /{post-id}/comments?filter=stream``: comments and replies, oldest first."""
        return self.read_edge(
            post_id,
            "comments",
            fields=fields.COMMENT,
            convert=lambda data: parse.comment(data, post_id),
            cursor=cursor,
            filter="stream",
        )

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """``GET /{page-id}/tagged``: posts the Page is tagged in, newest first."""
        page = yield from self.read_edge(
            self.owner_id, "tagged", fields=fields.TAGGED, convert=parse.mention, cursor=cursor
        )
        return until_seen(page, since_id)

    # -- conversation -----------------------------------------------------------------------

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """``POST /{object-id}/comments``: a comment on a post, or a reply to a comment."""
        draft = self.validate(draft)
        if draft.media:
            raise InvalidContent(
                "socialkit sends Facebook comments as text only", rule="media", platform=self.name
            )
        ids = reply_ids(target)
        response = yield self.post(
            ids.parent,
            "comments",
            data={"message": draft.text},
            idempotency_key=draft.idempotency_key,
        )
        return replied(self.name, native_id(self.json(response)["id"]), ids, draft)

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """``POST /{comment-id}`` with ``is_hidden``."""
        yield self.post(comment_id, data={"is_hidden": hidden}, idempotent=True)

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``DELETE /{comment-id}``."""
        yield self.delete(comment_id)

    # -- webhooks ---------------------------------------------------------------------------

    def subscribe_webhooks(self, fields: Sequence[str] = ("feed", "mention")) -> Flow[None]:
        """``POST /{page-id}/subscribed_apps?subscribed_fields=...``: install the app on the
        Page so that its webhooks (``socialkit.events.MetaReceiver``) receive the Page's
        changes. Needs a Page token with ``pages_manage_metadata``.
        https://developers.facebook.com/docs/pages-api/webhooks-for-pages
        """
        if not fields:
            raise InvalidContent("name at least one webhook field", rule="fields",
                                 platform=self.name)
        response = yield self.post(
            self.owner_id, "subscribed_apps", data={"subscribed_fields": ",".join(fields)},
            idempotent=True,
        )
        if self.json(response).get("success") not in (True, "true"):
            raise PlatformError("the Page did not subscribe the app", platform=self.name)

    def unsubscribe_webhooks(self) -> Flow[None]:
        """``DELETE /{page-id}/subscribed_apps``: stop this app's webhooks for the Page."""
        yield self.delete(self.owner_id, "subscribed_apps")

    def webhook_fields(self, app_id: str) -> Flow[list[str]]:
        """``GET /{page-id}/subscribed_apps``: the fields app ``app_id`` is subscribed to for
        the Page (empty when the app is not installed on it)."""
        response = yield self.get(self.owner_id, "subscribed_apps")
        for app in self.json(response).get("data") or []:
            if isinstance(app, Mapping) and str(app.get("id")) == app_id:
                subscribed = app.get("subscribed_fields")
                return [str(name) for name in subscribed] if isinstance(subscribed, list) else []
        return []

    # -- insights ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """``GET /{post-id}/insights``: views, reach, reactions (as likes) and clicks."""
        return self.insights(post_id, fields.POST_METRICS, "post")

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """``GET /{page-id}/insights?period=day``: views, reach, engagements, followers per day.
        A range over 90 days is read in 90-day windows; one reaching back more than two years
        starts two years ago (logged at WARNING)."""
        return self.insights(
            self.owner_id,
            fields.PAGE_METRICS,
            "account",
            since=since,
            until=until,
            period="day",
            longest=fields.PAGE_INSIGHTS_RANGE,
            earliest=datetime.now(UTC) - fields.PAGE_INSIGHTS_HISTORY,
        )
