"""The Douyin provider (抖音开放平台): videos and image-text posts, comments, data.

Every call names the user (``?open_id=``) and carries the user token in the
``access-token`` header; errors come with HTTP 200 in ``data.error_code`` (see `.errors`).
A published video is reviewed before it is public, so `publish` returns it *pending*
and `get_post` reads the verdict.

Reference: developer.open-douyin.com, docs/resource/zh-CN/dop/develop/openapi/
video-management/douyin/ (create-video/video-create, create-image-text/create-image-text,
search-video/account-video-list, search-video/video-data) and
interaction-management/comment-management-user/ (comment-list, video-comment-reply),
data-open-service (user fans data) and account-permission/get-account-open-info (获取用户
公开信息, ``POST /oauth/userinfo/``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from ...credentials.douyin import DouyinToken
from ...errors import (
    AuthError,
    InvalidContent,
    NotFound,
    SocialkitError,
    TokenExpired,
    Unsupported,
)
from ...models import Account, Comment, Draft, DraftLike, Mention, Metric, Post, ResultPage
from ...platform import (
    Call,
    Capability,
    Flow,
    PageFlow,
    Platform,
    PlatformSettings,
    ReplyTarget,
)
from ...text import TextRules
from ...uploads import ProgressCallback
from . import parse
from .errors import error_in_body, map_error
from .settings import API, DouyinSettings
from .upload import data_of, upload_image, upload_video

if TYPE_CHECKING:
    from ...credentials.core import Credential
    from ...steps import Response

__all__ = ["UNSUPPORTED", "Douyin"]

CAPTION = 1000  # the longest text of a video (secondary: community clients check 1,000)
MAX_IMAGES = 30
PAGE_SIZE = 20  # video_list: count per page
COMMENT_PAGE = 50  # item/comment/list: count per page
_V1 = "/api/douyin/v1/video"
_DRAFT_OPTIONS = (
    "cover_tsp",
    "custom_cover_image_url",
    "at_users",
    "poi_id",
    "poi_name",
    "micro_app_id",
    "micro_app_title",
    "micro_app_url",
    "article_id",
    "article_title",
    "timeliness_label",
    "timeliness_keyword",
    "game_id",
    "game_content",
)
_IMAGE_OPTIONS = ("at_users", "poi_id", "poi_name", "micro_app_id", "micro_app_title",
                  "micro_app_url")

UNSUPPORTED = {
    Capability.PUBLISH_TEXT: "Douyin posts carry a video or images",
    Capability.PUBLISH_THREAD: "Douyin has no threads",
    Capability.EDIT: "Douyin's OpenAPI has no call that changes a published video",
    Capability.DELETE: (
        "Douyin withdrew the video.delete capability from third-party apps in 2022; "
        "delete the video in the Douyin app"
    ),
    Capability.MODERATE: "Douyin's OpenAPI can pin comments but not hide or delete them",
    Capability.MENTIONS: "Douyin's OpenAPI reports no mentions",
    Capability.SEARCH: "Douyin's OpenAPI has no content search for ordinary apps",
    Capability.REACT: "Douyin's OpenAPI cannot like videos",
    Capability.REPOST: "Douyin's OpenAPI cannot repost videos",
}
"""Why each capability Douyin lacks is missing."""


class Douyin(Platform):
    """A Douyin (抖音) account, through an approved app of the Douyin Open Platform.

    ```python
    client = sk.connect("douyin", access_token="act....", open_id="...")
    ```

    Draft options (``create_video``): ``cover_tsp`` (the second whose frame is the cover),
    ``custom_cover_image_url``, ``at_users`` (open ids; the text names them with @),
    ``poi_id``/``poi_name`` (a place) or ``micro_app_id``/``micro_app_title``/
    ``micro_app_url`` (a mini-app; one kind of anchor per post), ``article_id``,
    ``timeliness_label``/``timeliness_keyword``, ``game_id``/``game_content``.
    Topics are written in the text with ``#``.
    """

    name = "douyin"
    Settings: ClassVar[type[PlatformSettings]] = DouyinSettings
    default_base_url = API
    unsupported_reasons = UNSUPPORTED
    capabilities = frozenset({
        Capability.PUBLISH_VIDEO,
        Capability.PUBLISH_IMAGE,
        Capability.READ_POSTS,
        Capability.READ_COMMENTS,
        Capability.REPLY,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    })
    required_scopes: ClassVar[Mapping[Capability, frozenset[str]]] = {
        Capability.PUBLISH_VIDEO: frozenset({"video.create.bind"}),
        Capability.PUBLISH_IMAGE: frozenset({"video.create.bind"}),
        Capability.READ_POSTS: frozenset({"video.list.bind", "video.data.bind"}),
        Capability.POST_METRICS: frozenset({"video.data.bind"}),
        Capability.READ_COMMENTS: frozenset({"item.comment"}),
        Capability.REPLY: frozenset({"item.comment"}),
        Capability.ACCOUNT_METRICS: frozenset({"data.external.user"}),
    }
    rules = TextRules(max_length=CAPTION, max_images=MAX_IMAGES, max_videos=1)

    settings: DouyinSettings

    # -- wiring ----------------------------------------------------------------------------

    @functools.cached_property
    def credential(self) -> Credential | None:
        """The user token, sent as ``access-token``; refreshable with ``refresh_token``."""
        s = self.settings
        return DouyinToken(
            s.access_token,
            open_id=s.open_id,
            refresh_token=s.refresh_token,
            expires_at=s.expires_at,
            refresh_expires_at=s.refresh_expires_at,
            client_id=s.client_key,
            client_secret=s.client_secret,
            scope=s.scope,
        )

    @property
    def account_key(self) -> str:
        """The API root and the user: Douyin limits each app and user."""
        return f"{self.base_url}|{self.settings.open_id}"

    def map_error(self, response: Response) -> SocialkitError:
        """Douyin's ``error_code`` (or the HTTP status) → our exceptions."""
        return map_error(response)

    def error_in_body(self, response: Response) -> SocialkitError | None:
        """A non-zero ``data.error_code`` / ``extra.error_code`` in an HTTP 200."""
        return error_in_body(response)

    def _query(self, **more: Any) -> dict[str, Any]:
        return {"open_id": self.settings.open_id, **more}

    def _me(self) -> Account:
        open_id = self.settings.open_id
        return Account(platform=self.name, id=open_id, handle=open_id)

    def me(self) -> Flow[Account]:
        """``POST /oauth/userinfo/`` (scope ``user_info``): the user's nickname and avatar.

        The reference puts ``access_token`` and ``open_id`` in a JSON body (its parameter
        table says ``content-type: application/json``; its curl example sends a form), so
        the token is refreshed first when it is about to expire, and the body is built
        again with the new token when Douyin says it expired. The handle is the
        ``open_id``: the API gives no Douyin number (抖音号).
        """
        credential = self.credential
        if not isinstance(credential, DouyinToken) or credential.access_token is None:
            raise AuthError("no Douyin access token: log in first", platform=self.name)
        if credential.expires_soon():
            yield from credential.refresh()
        try:
            response = yield self._userinfo(credential)
        except TokenExpired:  # the driver refreshed it meanwhile: send the new token
            response = yield self._userinfo(credential)
        return parse.account(data_of(self, response), self.settings.open_id)

    def _userinfo(self, credential: DouyinToken) -> Call:
        assert credential.access_token is not None
        body = {"access_token": credential.access_token.get_secret_value(),
                "open_id": self.settings.open_id}
        return self.call("POST", "/oauth/userinfo/", json=body, idempotent=True)

    # -- validation ------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """One video, or 1 to 30 images; the text within 1,000 characters; no replies. A
        draft without media passes (a comment's text); `publish` needs the media."""
        draft = Draft.of(draft)
        kinds = {m.kind for m in draft.media}
        if not kinds:
            self.rules.check(draft, platform=self.name)
            return draft
        if draft.reply_to_id:
            raise InvalidContent("Douyin posts cannot reply to posts", rule="reply_to_id",
                                 platform=self.name)
        if kinds - {"video", "image"} or kinds == {"video", "image"}:
            raise InvalidContent(
                "a Douyin post carries one video, or images (image-text)",
                rule="media_kind", platform=self.name,
            )
        self.require(Capability.PUBLISH_VIDEO if "video" in kinds else Capability.PUBLISH_IMAGE)
        self.rules.check(draft, platform=self.name)
        return draft

    # -- publishing ------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """Upload the video (whole or in parts) and ``create_video``, or upload the images
        and ``create_image_text``. Douyin reviews every post: the result is *pending*
        (only the author sees it) until `get_post` finds it public or rejected."""
        return (yield from self.upload_and_publish(draft))

    def upload_and_publish(
        self, draft: Draft, progress: ProgressCallback | None = None
    ) -> Flow[Post]:
        """`publish` with a ``progress(acknowledged_bytes, total_bytes)`` callback for a
        video."""
        if not draft.media:
            raise self.unsupported(Capability.PUBLISH_TEXT)
        options = draft.options
        if draft.media[0].kind == "video":
            video_id = yield from upload_video(self, self.settings, draft.media[0], progress)
            body: dict[str, Any] = {"video_id": video_id, "text": draft.text}
            body.update({k: options[k] for k in _DRAFT_OPTIONS if k in options})
            path = f"{_V1}/create_video/"
        else:
            images = []
            for image in draft.media:
                images.append((yield from upload_image(self, self.settings, image)))
            body = {"image_list": images, "text": draft.text}
            body.update({k: options[k] for k in _IMAGE_OPTIONS if k in options})
            path = f"{_V1}/create_image_text/"
        response = yield self.call(
            "POST", path, params=self._query(), json=body,
            idempotency_key=draft.idempotency_key, bucket="create",
        )
        data = data_of(self, response)
        return Post(
            platform=self.name,
            id=str(data["item_id"]),
            author=self._me(),
            text=draft.text,
            state="pending",
            state_reason=parse.REVIEW,
            raw=dict(data),
        )

    # -- reading ---------------------------------------------------------------------------

    def _videos(self, item_ids: list[str]) -> Flow[list[Mapping[str, Any]]]:
        response = yield self.call(
            "POST", f"{_V1}/video_data/", params=self._query(), json={"item_ids": item_ids},
            idempotent=True,
        )
        found = data_of(self, response).get("list") or []
        return [v for v in found if isinstance(v, Mapping) and str(v.get("item_id")) in item_ids]

    def _video(self, item_id: str) -> Flow[Mapping[str, Any]]:
        found = yield from self._videos([item_id])
        if not found:
            raise NotFound(f"Douyin has no video {item_id} of this account", platform=self.name)
        return found[0]

    def get_post(self, post_id: str) -> Flow[Post]:
        """``POST /api/douyin/v1/video/video_data/`` with ``item_ids``: one of the account's
        videos, with its review state (``video_status``)."""
        self.require(Capability.READ_POSTS)
        return parse.post((yield from self._video(post_id)), self.settings.open_id)

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``GET /api/douyin/v1/video/video_list/`` (cursor and ``has_more``)."""
        self.require(Capability.READ_POSTS)
        if account not in (None, self.settings.open_id):
            raise Unsupported(
                "Douyin lists the authorized account's videos only",
                platform=self.name, capability=Capability.READ_POSTS.value,
            )
        return self._list(cursor, limit)

    def _list(self, cursor: str | None, limit: int | None) -> PageFlow[Post]:
        count = PAGE_SIZE if limit is None else max(1, min(limit, PAGE_SIZE))
        response = yield self.call(
            "GET", f"{_V1}/video_list/",
            params=self._query(cursor=cursor or "0", count=count),
        )
        data = data_of(self, response)
        videos = [parse.post(v, self.settings.open_id) for v in data.get("list") or []
                  if isinstance(v, Mapping)]
        more = data.get("has_more") is True and data.get("cursor") is not None
        return ResultPage(items=videos, next_cursor=str(data["cursor"]) if more else None)

    # -- comments --------------------------------------------------------------------------

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """A page of ``GET /item/comment/list/`` (scope ``item.comment``), newest first."""
        self.require(Capability.READ_COMMENTS)
        count = COMMENT_PAGE if limit is None else max(1, min(limit, COMMENT_PAGE))
        response = yield self.call(
            "GET", "/item/comment/list/",
            params=self._query(item_id=post_id, sort_type="time", cursor=cursor or "0",
                               count=count),
        )
        data = data_of(self, response)
        found = [parse.comment(c, post_id) for c in data.get("list") or []
                 if isinstance(c, Mapping)]
        more = data.get("has_more") is True and data.get("cursor") is not None
        return ResultPage(items=found, next_cursor=str(data["cursor"]) if more else None)

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """``POST /item/comment/reply/``: a comment under a video, or an answer to a comment
        (``comment_id``)."""
        self.require(Capability.REPLY)
        if not draft.text.strip():
            raise InvalidContent("a Douyin comment needs text", rule="empty",
                                 platform=self.name)
        if isinstance(target, Comment):
            item_id, comment_id = target.thread_root_id, target.id
        elif isinstance(target, Mention):
            if target.post_id is None:
                raise InvalidContent("the mention names no video", rule="reply_to_id",
                                     platform=self.name)
            item_id, comment_id = target.post_id, None
        else:
            item_id, comment_id = (target.id if isinstance(target, Post) else target), None
        body: dict[str, Any] = {"item_id": item_id, "content": draft.text}
        if comment_id is not None:
            body["comment_id"] = comment_id
        response = yield self.call(
            "POST", "/item/comment/reply/", params=self._query(), json=body,
            idempotency_key=draft.idempotency_key,
        )
        data = data_of(self, response)
        return Comment(
            platform=self.name,
            id=str(data["comment_id"]),
            thread_root_id=item_id,
            reply_to_id=comment_id or item_id,
            author=self._me(),
            text=draft.text,
            raw=dict(data),
        )

    # -- metrics ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """The lifetime counts of one video (``video_data``): likes, comments, shares, views,
        forwards, downloads."""
        self.require(Capability.POST_METRICS)
        return parse.post_metrics((yield from self._video(post_id)))

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """Daily followers and new followers from ``GET /data/external/user/fans/`` (scope
        ``data.external.user``). Douyin keeps the last 7, 15 or 30 days only: the shortest
        window that covers ``since`` is asked, and the days outside ``since``/``until``
        are dropped."""
        self.require(Capability.ACCOUNT_METRICS)
        now = datetime.now(UTC)
        days = 30 if since is None else (now - since).days + 1
        window = next((w for w in (7, 15, 30) if days <= w), 30)
        response = yield self.call(
            "GET", "/data/external/user/fans/", params=self._query(date_type=window),
        )
        rows = [r for r in data_of(self, response).get("result_list") or []
                if isinstance(r, Mapping)]
        found = parse.account_metrics(self.settings.open_id, rows)
        return [
            m for m in found
            if m.start is not None and (since is None or m.start >= since - timedelta(days=1))
            and (until is None or m.start < until)
        ]
