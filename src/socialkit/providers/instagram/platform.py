"""The Instagram provider: a professional account's media, comments, tags and insights.

Wire format: Instagram Platform, Graph API v25.0 (developers.facebook.com/docs/instagram-
platform: content publishing, comment moderation, mentions, hashtag search, insights; the
IG User, IG Media, IG Comment, IG Container and IG Hashtag references; mentions per
https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/mentions
and the IG User ``mentions``, ``mentioned_media`` and ``mentioned_comment`` references),
field names checked against the IGUser, IGMedia, IGComment, ShadowIGHashtag and
ShadowIGMediaBuilder (the container: ``status_code``, ``status``) node specs (and the
Instagram-Login variants) of facebook/facebook-business-sdk-codegen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from ...errors import InvalidContent, ParseError
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
    native_id,
)
from ...platform import Capability, Flow, PageFlow, PlatformSettings, ReplyTarget
from ..meta.containers import FAILED_STATES, ContainerAPI, ContainerPlatform
from ..meta.errors import ContainerTimeout
from ..meta.paging import until_seen
from ..meta.parse import data
from ..meta.replies import ReplyIds, replied, reply_ids
from ..meta.rules import check_options
from . import caption, containers, fields, parse
from .settings import InstagramSettings

__all__ = ["CONTAINER", "Instagram"]

CONTAINER = "container:"
"""The prefix of a pending post's id: the media container Instagram still processes."""

_FACEBOOK_LOGIN = frozenset(
    {
        Capability.PUBLISH_IMAGE,
        Capability.PUBLISH_VIDEO,
        Capability.READ_POSTS,
        Capability.DELETE,
        Capability.READ_COMMENTS,
        Capability.REPLY,
        Capability.MODERATE,
        Capability.MENTIONS,
        Capability.SEARCH,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    }
)
_INSTAGRAM_LOGIN = _FACEBOOK_LOGIN - {Capability.DELETE, Capability.SEARCH}
_NEEDS_FACEBOOK_LOGIN = "needs the Instagram API with Facebook Login (login='facebook')"
_TAGS_UNANSWERABLE = (
    "the Instagram API cannot comment on media the account is tagged in (Meta: "
    "\"Commenting on photos in which you were tagged is not supported\"); only @mentions in "
    "captions and comments can be answered"
)


def _nested(node: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The object a field expansion of the IG user returned."""
    found = node.get(name)
    if not isinstance(found, Mapping):
        raise ParseError(f"Instagram answered without {name}", platform="instagram")
    return found


class Instagram(ContainerPlatform):
    """An Instagram professional account through the Instagram Platform API.

    ```python
    client = sk.connect("instagram", user_id="17841400000000000", access_token="EAAB...")
    client.publish(sk.Draft(text="New in store", media=(sk.MediaUpload(url=PHOTO_URL),)))
    ```

    Choices worth knowing:

    - **Publishing** checks ``content_publishing_limit`` first (100 posts per rolling
      24 hours) and raises `RateLimited` without publishing when it is used; then creates
      the container(s), polls them until ``FINISHED`` and calls ``media_publish``. One
      image is a feed post, one video a reel, several items a carousel (up to 10).
      Instagram fetches media by URL: a local file or bytes is `InvalidContent`. Every post
      needs media, so text alone raises `Unsupported`.
    - **Login**: ``login="instagram"`` (graph.instagram.com) cannot delete media nor search
      hashtags; the instance's `capabilities` say so.
    - **Comments** come with their replies (one level, as on Instagram); replying to a
      reply answers its top-level comment. A bare id given to `reply` is a media id.
    - **Mentions**: `mentions` lists the media the account is tagged in (``/tags``,
      ``kind="tag"``), which the API cannot comment on ("Commenting on photos in which you
      were tagged is not supported"): `reply` to one raises `Unsupported`. @mentions in
      captions and comments cannot be listed: an Instagram ``mentions`` webhook delivers
      their ids, and `mentioned` turns them into a `Mention` (``kind="mention"``) that
      `reply` answers through ``/{ig-user-id}/mentions``.
    - **Search** is hashtag search (``ig_hashtag_search`` → ``recent_media``): one hashtag
      per query, at most 30 distinct hashtags per 7 days, results without authors.
    """

    name = "instagram"
    Settings = InstagramSettings
    rules = caption.RULES
    capabilities = _FACEBOOK_LOGIN
    containers = ContainerAPI(
        create="media",
        publish="media_publish",
        quota="content_publishing_limit",
        status="status_code",
        detail="status",
    )
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.PUBLISH_TEXT: "every Instagram post needs an image or a video",
        Capability.PUBLISH_THREAD: "Instagram has no threads",
        Capability.EDIT: "the Instagram API cannot change a post after publishing",
        Capability.REACT: "the Instagram API cannot like media",
        Capability.REPOST: "the Instagram API cannot repost",
        Capability.DELETE: f"deleting media {_NEEDS_FACEBOOK_LOGIN}",
        Capability.SEARCH: f"hashtag search {_NEEDS_FACEBOOK_LOGIN}",
    }

    settings: InstagramSettings

    def __init__(self, settings: PlatformSettings | None = None, /, **values: Any) -> None:
        super().__init__(settings, **values)
        if self.settings.login == "instagram":
            self.capabilities = _INSTAGRAM_LOGIN  # type: ignore[misc]  # narrower per login

    @property
    def api_host(self) -> str:
        """graph.facebook.com, or graph.instagram.com with Instagram Login."""
        return "graph.instagram.com" if self.settings.login == "instagram" else self.host

    @property
    def owner_id(self) -> str:
        """The IG user id."""
        return self.settings.user_id

    def validate(self, draft: DraftLike) -> Draft:
        """Caption rules (also for comments), options, media kinds and URLs. A draft without
        media passes, as a comment; `publish` refuses it."""
        draft = self.check_content_warning(Draft.of(draft))
        if {m.kind for m in draft.media} - {"image", "video"}:
            raise InvalidContent(
                "Instagram posts carry images and videos only",
                rule="media_kind",
                platform=self.name,
            )
        self.rules.check(draft, platform=self.name)
        caption.check_caption(draft, self.name)
        check_options(draft, containers.OPTIONS, platform=self.name)
        self.require_urls(draft)
        return draft

    # -- containers -------------------------------------------------------------------------

    def container(self, draft: Draft) -> dict[str, Any]:
        """An image post or a reel."""
        return containers.single(draft)

    def carousel_item(self, upload: MediaUpload) -> dict[str, Any]:
        """An item of a carousel."""
        return containers.item(upload, carousel=True)

    def carousel(self, draft: Draft, children: list[str]) -> dict[str, Any]:
        """The carousel over its items."""
        return containers.carousel(draft, children)

    # -- account and publishing -------------------------------------------------------------

    def me(self) -> Flow[Account]:
        """``GET /{ig-user-id}``."""
        return self.read(self.owner_id, fields.USER, parse.account)

    def publish(self, draft: Draft) -> Flow[Post]:
        """Quota check, container(s), processing, ``media_publish``."""
        draft = self.validate(draft)
        if not draft.media:
            raise self.unsupported(Capability.PUBLISH_TEXT)
        if draft.reply_to_id:
            raise InvalidContent(
                "an Instagram post cannot answer another; use reply() to comment",
                rule="reply_to_id",
                platform=self.name,
            )
        container = yield from self.build_container(draft)
        try:
            yield from self.await_container(container)
        except ContainerTimeout as late:  # still IN_PROGRESS: pending, get_post finishes it
            return Post(
                platform=self.name, id=CONTAINER + container, text=draft.text, state="pending",
                state_reason=f"processing (IN_PROGRESS after {late.waited:g} s); get_post "
                "publishes it once FINISHED",
                raw={"container_id": container},
            )
        media_id = yield from self.publish_container(container, draft)
        return Post(platform=self.name, id=media_id, text=draft.text)

    def delete_post(self, post_id: str) -> Flow[None]:
        """``DELETE /{ig-media-id}`` (Facebook Login only)."""
        self.require(Capability.DELETE)
        yield self.delete(post_id)

    # -- reading ----------------------------------------------------------------------------

    def get_post(self, post_id: str) -> Flow[Post]:
        """``GET /{ig-media-id}``.

        A pending post's id (``container:<id>``, what `publish` returns while Instagram
        still processes the media) is read with ``GET /{container-id}?fields=status_code,
        status``: ``IN_PROGRESS`` stays pending; ``ERROR``/``EXPIRED`` is rejected with
        Meta's ``status`` as the reason; ``FINISHED`` is published now (``media_publish``)
        and the new media is returned.
        """
        if post_id.startswith(CONTAINER):
            return (yield from self._container_post(post_id))
        return (yield from self.read(post_id, fields.MEDIA, parse.post))

    def _container_post(self, post_id: str) -> Flow[Post]:
        container = post_id.removeprefix(CONTAINER)
        status, detail = yield from self.container_state(container)
        if status == "FINISHED":
            media_id = yield from self.publish_container(container, idempotency_key=post_id)
            return (yield from self.read(media_id, fields.MEDIA, parse.post))
        raw = {"container_id": container, "status_code": status, "status": detail}
        if status in FAILED_STATES:
            return Post(platform=self.name, id=post_id, state="rejected",
                        state_reason=f"{status}: {detail or 'no reason given'}", raw=raw)
        if status == "PUBLISHED":  # an earlier media_publish went through, its answer lost
            return Post(platform=self.name, id=post_id, state="published", raw=raw)
        return Post(platform=self.name, id=post_id, state="pending",
                    state_reason=f"processing ({status})", raw=raw)

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """``GET /{ig-user-id}/media``, newest first."""
        return self.read_edge(
            account or self.owner_id,
            "media",
            fields=fields.MEDIA,
            convert=parse.post,
            cursor=cursor,
        )

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """``GET /{ig-media-id}/comments`` with each comment's replies after it."""
        threads = yield from self.read_edge(
            post_id,
            "comments",
            fields=fields.COMMENTS,
            convert=lambda data: parse.comment_thread(data, post_id),
            cursor=cursor,
        )
        items = [comment for thread in threads.items for comment in thread]
        return ResultPage(items=items, next_cursor=threads.next_cursor)

    def mentions(
        self, since_id: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Mention]:
        """``GET /{ig-user-id}/tags``: media the account is tagged in, newest first."""
        page = yield from self.read_edge(
            self.owner_id, "tags", fields=fields.TAGGED, convert=parse.mention, cursor=cursor
        )
        return until_seen(page, since_id)

    def mentioned(self, media_id: str, comment_id: str | None = None) -> Flow[Mention]:
        """An @mention of the account from the ids an Instagram ``mentions`` webhook
        delivers: ``media_id`` alone for a caption, with ``comment_id`` for a comment.
        ``GET /{ig-user-id}?fields=mentioned_media.media_id(…){…}`` or
        ``mentioned_comment.comment_id(…){…}``; the `Mention` can be answered with `reply`.

        ```python
        mention = client.run(client.platform.mentioned(value["media_id"], value.get("comment_id")))
        client.reply(mention, "Thanks!")
        ```
        """
        if comment_id is None:
            selection = f"mentioned_media.media_id({media_id}){{{fields.MENTIONED_MEDIA}}}"
            node = yield from self.read(self.owner_id, selection, dict)
            return parse.caption_mention(_nested(node, "mentioned_media"))
        selection = f"mentioned_comment.comment_id({comment_id}){{{fields.MENTIONED_COMMENT}}}"
        node = yield from self.read(self.owner_id, selection, dict)
        return parse.comment_mention(_nested(node, "mentioned_comment"), media_id)

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """Recent media with a hashtag (``#`` optional); checked before any request."""
        self.require(Capability.SEARCH)
        tag = query.strip().lstrip("#")
        if not tag or not tag.replace("_", "").isalnum():
            raise InvalidContent(
                f"Instagram searches one hashtag at a time, not {query!r}",
                rule="hashtag",
                platform=self.name,
            )
        return self._hashtag_media(tag, cursor)

    def _hashtag_media(self, tag: str, cursor: str | None) -> PageFlow[Post]:
        if cursor:
            hashtag_id, _, after = cursor.partition("|")
        else:
            response = yield self.get("ig_hashtag_search", user_id=self.owner_id, q=tag)
            found = data(self.json(response), lambda item: native_id(item["id"]), self.name)
            if not found:
                return ResultPage(items=[], next_cursor=None)
            hashtag_id, after = found[0], ""
        page = yield from self.read_edge(
            hashtag_id,
            "recent_media",
            fields=fields.HASHTAG_MEDIA,
            convert=parse.post,
            cursor=after,
            user_id=self.owner_id,
        )
        following = f"{hashtag_id}|{page.next_cursor}" if page.next_cursor else None
        return ResultPage(items=page.items, next_cursor=following)

    # -- conversation -----------------------------------------------------------------------

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """A comment on media (``/{ig-media-id}/comments``), a reply to a comment
        (``/{ig-comment-id}/replies``), or an answer to an @mention (``/{ig-user-id}/mentions``
        with ``media_id``, and ``comment_id`` for a mention in a comment). A tag (media the
        account is tagged in) cannot be answered: `Unsupported`, before any request."""
        if isinstance(target, Mention) and target.kind == "tag":
            raise self.unsupported(Capability.REPLY, _TAGS_UNANSWERABLE)
        draft = self.validate(draft)
        if draft.media:
            raise InvalidContent(
                "Instagram comments are text only", rule="media", platform=self.name
            )
        form: dict[str, str] = {"message": draft.text}
        if isinstance(target, Comment):
            answered = target.reply_to_id
            top = answered if answered not in (None, target.thread_root_id) else target.id
            ids, path = ReplyIds(str(top), target.thread_root_id), (str(top), "replies")
        elif isinstance(target, Mention):
            media_id = target.thread_root_id or target.post_id or target.id
            ids, path = ReplyIds(target.id, media_id), (self.owner_id, "mentions")
            form["media_id"] = media_id
            if target.id != media_id:  # a mention in a comment: the comment's id
                form["comment_id"] = target.id
        else:
            ids = reply_ids(target)
            path = (ids.parent, "comments")
        response = yield self.post(*path, data=form, idempotency_key=draft.idempotency_key)
        return replied(self.name, str(self.json(response)["id"]), ids, draft)

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """``POST /{ig-comment-id}`` with ``hide``."""
        yield self.post(comment_id, data={"hide": hidden}, idempotent=True)

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``DELETE /{ig-comment-id}``."""
        yield self.delete(comment_id)

    # -- insights ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """``GET /{ig-media-id}/insights``: reach, likes, comments, shares, saves, views,
        total interactions (as ``engagements``)."""
        return self.insights(post_id, fields.MEDIA_METRICS, "post")

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """Daily reach and new followers, totals of views, profile views, engaged accounts and
        interactions over the range, and a snapshot of followers, following and posts.

        Instagram takes at most 30 days a request: a longer range is read in 30-day windows,
        and the totals come one per window (each with its window's ``start``/``end``: reach
        and engaged accounts count people, so windows do not add up to the range)."""
        series = yield from self.insights(
            self.owner_id,
            fields.ACCOUNT_SERIES,
            "account",
            since=since,
            until=until,
            period="day",
            longest=fields.ACCOUNT_RANGE,
        )
        totals = yield from self.insights(
            self.owner_id,
            fields.ACCOUNT_TOTALS,
            "account",
            since=since,
            until=until,
            period="day",
            metric_type="total_value",
            longest=fields.ACCOUNT_RANGE,
        )
        user = yield from self.read(self.owner_id, ",".join(fields.ACCOUNT_SNAPSHOT), dict)
        return [*series, *totals, *self._snapshot(user)]

    def _snapshot(self, user: Mapping[str, Any]) -> list[Metric]:
        return [
            Metric(
                platform=self.name,
                subject="account",
                subject_id=self.owner_id,
                name=name,
                value=user.get(native),
                period="lifetime",
                native_name=native,
            )
            for native, name in fields.ACCOUNT_SNAPSHOT.items()
        ]
