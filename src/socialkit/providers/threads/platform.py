"""The Threads provider: a profile's posts, replies, mentions, search and insights.

Wire format: Threads API v1.0 on graph.threads.net (developers.facebook.com/docs/threads:
posts, reply management, insights, keyword search, mentions, troubleshooting), requests and
example responses checked against Meta's official Postman collection (fbsamples/threads_api).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from ...models import Account, Comment, Draft, DraftLike, MediaUpload, Mention, Metric, Post
from ...platform import Capability, Flow, PageFlow, ReplyTarget
from ..meta.containers import ContainerAPI, ContainerPlatform
from ..meta.paging import until_seen
from ..meta.replies import replied, reply_ids
from ..meta.rules import check_options
from . import fields, parse
from .settings import ThreadsSettings
from .text import RULES, check_links

__all__ = ["Threads"]

_OPTIONS = frozenset({"reply_control", "quote_post_id", "topic_tag", "link_attachment"})


class Threads(ContainerPlatform):
    """A Threads profile through the Threads API.

    ```python
    client = sk.connect("threads", user_id="1234567890", access_token="THAA...")
    client.publish_thread(["1/ A long story", "2/ continues here"])
    ```

    Choices worth knowing:

    - **Publishing** checks ``threads_publishing_limit`` first (250 posts and 1,000 replies
      per rolling 24 hours; a thread is checked once for all its parts) and raises
      `RateLimited` without publishing when it is used; then creates the container(s),
      polls ``status`` until ``FINISHED`` and calls ``threads_publish``. Media is fetched by
      Threads from public URLs; a carousel holds 2 to 20 items.
    - **Text** counts 500 with each emoji counting its UTF-8 bytes (`count_threads`), and
      at most 5 distinct links.
    - **Options**: ``reply_control``, ``quote_post_id``, ``topic_tag``, ``link_attachment``.
    - **Metrics**: ``reposts`` are ``shares``; Threads' own ``shares`` are ``sends``;
      ``replies`` are ``comments``; the account's ``views`` are ``profile_views``.
    - **Comments** are the whole conversation under a post, each reply with its parent.
    - **Moderation** hides replies (``manage_reply``); ``delete_comment`` deletes only the
      profile's own replies.
    """

    name = "threads"
    Settings = ThreadsSettings
    host = "graph.threads.net"
    rules = RULES
    capabilities = frozenset(Capability) - {Capability.EDIT, Capability.REACT}
    containers = ContainerAPI(
        create="threads",
        publish="threads_publish",
        quota="threads_publishing_limit",
        status="status",
        detail="error_message",
    )
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.EDIT: "the Threads API cannot edit a published post",
        Capability.REACT: "the Threads API has no endpoint to like a post",
    }

    settings: ThreadsSettings

    @property
    def owner_id(self) -> str:
        """The Threads user id."""
        return self.settings.user_id

    def validate(self, draft: DraftLike) -> Draft:
        """The base checks, plus links, media count, options and media URLs."""
        draft = super().validate(draft)
        check_links(draft, self.name)
        check_options(draft, _OPTIONS, platform=self.name)
        self.require_urls(draft)
        return draft

    # -- containers -------------------------------------------------------------------------

    def _base(self, draft: Draft) -> dict[str, Any]:
        return {
            "text": draft.text or None,
            "reply_to_id": draft.reply_to_id,
            **{key: draft.options[key] for key in sorted(draft.options)},
        }

    def container(self, draft: Draft) -> dict[str, Any]:
        """A text post, or one image or video with its text."""
        if not draft.media:
            return {"media_type": "TEXT", **self._base(draft)}
        return self._item(draft.media[0]) | self._base(draft)

    def carousel_item(self, upload: MediaUpload) -> dict[str, Any]:
        """An image or video of a carousel."""
        return self._item(upload) | {"is_carousel_item": True}

    def carousel(self, draft: Draft, children: list[str]) -> dict[str, Any]:
        """The carousel over its items."""
        return {"media_type": "CAROUSEL", "children": ",".join(children), **self._base(draft)}

    def _item(self, upload: MediaUpload) -> dict[str, Any]:
        media_type = "VIDEO" if upload.kind == "video" else "IMAGE"
        return {
            "media_type": media_type,
            f"{media_type.lower()}_url": upload.url,
            "alt_text": upload.alt_text,
        }

    # -- account and publishing -------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """``GET /{user-id}``."""
        return self.read(self.owner_id, fields.PROFILE, parse.account)

    def publish(self, draft: Draft) -> Flow[Post]:
        """Quota check (posts, or replies for a draft with ``reply_to_id``), container(s),
        processing, ``threads_publish``."""
        draft = self.validate(draft)
        media_id = yield from self.publish_draft(draft, quota="reply_" if draft.reply_to_id else "")
        return self._published(media_id, draft)

    def publish_thread(self, drafts: Sequence[Draft]) -> Flow[list[Post]]:
        """A chain of replies; every part is checked, and the quotas for all of them, first."""
        self.require(Capability.PUBLISH_THREAD)
        return self._thread([self.validate(draft) for draft in drafts])

    def _thread(self, drafts: list[Draft]) -> Flow[list[Post]]:
        replies = len(drafts) - 1 + (1 if drafts and drafts[0].reply_to_id else 0)
        if replies < len(drafts):
            yield from self.check_quota()
        if replies:
            yield from self.check_quota("reply_", needed=replies)
        posts: list[Post] = []
        for draft in drafts:
            part = draft.model_copy(update={"reply_to_id": posts[-1].id}) if posts else draft
            media_id = yield from self.publish_draft(part, quota=None)
            posts.append(self._published(media_id, part))
        return posts

    def _published(self, media_id: str, draft: Draft) -> Post:
        return Post(platform=self.name, id=media_id, text=draft.text, reply_to_id=draft.reply_to_id)

    def delete_post(self, post_id: str) -> Flow[None]:
        """``DELETE /{media-id}``."""
        yield self.delete(post_id)

    def repost(self, post_id: str) -> Flow[None]:
        """``POST /{media-id}/repost``."""
        yield self.post(post_id, "repost")

    # -- reading ----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /{media-id}``."""
        return self.read(post_id, fields.POST, parse.post)

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``GET /{user-id}/threads``, newest first."""
        return self.read_edge(
            account or self.owner_id,
            "threads",
            fields=fields.POST,
            convert=parse.post,
            cursor=cursor,
        )

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """``GET /{media-id}/conversation``: every reply under the post, oldest first."""
        return self.read_edge(
            post_id,
            "conversation",
            fields=fields.REPLY,
            convert=lambda data: parse.comment(data, post_id),
            cursor=cursor,
            reverse=False,
            limit=None,
        )

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """``GET /{user-id}/mentions``, newest first."""
        page = yield from self.read_edge(
            self.owner_id, "mentions", fields=fields.POST, convert=parse.mention, cursor=cursor
        )
        return until_seen(page, since_id)

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``GET /keyword_search?search_type=RECENT``: public posts with the keyword."""
        return self.read_edge(
            "keyword_search",
            fields=fields.POST,
            convert=parse.post,
            cursor=cursor,
            q=query,
            search_type="RECENT",
        )

    # -- conversation -----------------------------------------------------------------------

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """A reply (``reply_to_id``) to a post or a reply, published like a post."""
        ids = reply_ids(target)
        part = self.validate(draft).model_copy(update={"reply_to_id": ids.parent})
        media_id = yield from self.publish_draft(part, quota="reply_")
        return replied(self.name, media_id, ids, part)

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """``POST /{reply-id}/manage_reply`` with ``hide``."""
        yield self.post(comment_id, "manage_reply", data={"hide": hidden}, idempotent=True)

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``DELETE /{reply-id}``: only the profile's own replies can be deleted."""
        yield self.delete(comment_id)

    # -- insights ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """``GET /{media-id}/insights``: views, likes, replies, reposts, quotes, shares."""
        return self.insights(post_id, fields.POST_METRICS, "post")

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """``GET /{user-id}/threads_insights``: profile views per day and totals of likes,
        replies, reposts, quotes, clicks and followers over the range. Threads has no user
        insights before 2024-04-13: an earlier ``since`` starts there (logged at WARNING,
        and the totals' ``start`` says so); a range that ends before it reads nothing."""
        return self.insights(
            self.owner_id,
            fields.ACCOUNT_METRICS,
            "account",
            edge="threads_insights",
            since=since,
            until=until,
            earliest=fields.INSIGHTS_SINCE,
        )
