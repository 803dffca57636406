"""The TikTok provider: Direct Post of videos and photos, and the creator's videos and stats.

Built from developers.tiktok.com: the Content Posting API (Query Creator Info, Direct Post,
Photo Post, Media Transfer Guide, Get Post Status) and the Display API
(``/v2/user/info/``, ``/v2/video/list/``, ``/v2/video/query/``; reference pages
tiktok-api-v2-get-user-info, tiktok-api-v2-video-list, tiktok-api-v2-video-query).
What ordinary apps cannot do through TikTok's public APIs raises `Unsupported` with why.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from ...credentials.core import Credential
from ...errors import InvalidContent, NotFound, SocialkitError, Unsupported
from ...models import Account, Draft, DraftLike, Metric, Post, ResultPage
from ...platform import Call, Capability, Flow, PageFlow, Platform, PlatformSettings
from ...text import TextRules, count_utf16
from ...uploads import ProgressCallback
from . import parse
from .auth import credential_for
from .errors import error_in_body, map_error
from .posting import (
    VISIBILITY,
    creator_info,
    data_of,
    publish_photos,
    publish_video,
    wait_for_publish,
)
from .settings import PRIVACY_LEVELS, TikTokSettings

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["UNSUPPORTED", "TikTok"]

VIDEO_CAPTION = 2200
PHOTO_DESCRIPTION = 4000
PHOTO_TITLE = 90
MAX_PHOTOS = 35
PHOTO_TYPES = frozenset({"image/jpeg", "image/webp"})
PAGE_SIZE = 20  # the most /v2/video/list/ returns at once

_COMMENTS = (
    "TikTok's public APIs give ordinary apps no comments: they are in the Research API "
    "(approved researchers only) and the TikTok API for Business (business accounts)"
)
UNSUPPORTED = {
    Capability.PUBLISH_TEXT: "TikTok has no text-only posts; attach a video or photos",
    Capability.PUBLISH_THREAD: "TikTok has no threads",
    Capability.EDIT: "the Content Posting API cannot change a published post",
    Capability.DELETE: "no public TikTok API deletes a post",
    Capability.READ_COMMENTS: _COMMENTS,
    Capability.REPLY: _COMMENTS,
    Capability.MODERATE: _COMMENTS,
    Capability.MENTIONS: "no public TikTok API reports mentions to ordinary apps",
    Capability.SEARCH: "video search is in the Research API, for approved researchers only",
    Capability.REACT: "no public TikTok API likes videos",
    Capability.REPOST: "no public TikTok API reposts videos",
}
"""Why each capability TikTok lacks is missing."""


class TikTok(Platform):
    """A TikTok creator account.

    ```python
    client = sk.connect("tiktok", access_token="act....")
    ```

    Draft options: ``privacy_level`` (a TikTok value; else `Draft.visibility` ``public`` /
    ``private``, else the ``privacy_level`` setting), ``disable_comment``, ``disable_duet``,
    ``disable_stitch``, ``video_cover_timestamp_ms``, ``brand_content_toggle``,
    ``brand_organic_toggle``, ``is_aigc``, ``duration_sec`` (for a video pulled from a URL),
    and for photos ``title``, ``photo_cover_index``, ``auto_add_music``.
    """

    name = "tiktok"
    Settings: ClassVar[type[PlatformSettings]] = TikTokSettings
    default_base_url = "https://open.tiktokapis.com"
    unsupported_reasons = UNSUPPORTED
    capabilities = frozenset({
        Capability.PUBLISH_VIDEO,
        Capability.PUBLISH_IMAGE,
        Capability.READ_POSTS,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
    })
    # https://developers.tiktok.com/doc/tiktok-api-scopes
    required_scopes: ClassVar[Mapping[Capability, frozenset[str]]] = {
        Capability.PUBLISH_VIDEO: frozenset({"video.publish"}),
        Capability.PUBLISH_IMAGE: frozenset({"video.publish"}),
        Capability.READ_POSTS: frozenset({"video.list"}),
        Capability.POST_METRICS: frozenset({"video.list"}),
        Capability.ACCOUNT_METRICS: frozenset({"user.info.stats"}),
    }
    rules = TextRules(
        max_length=VIDEO_CAPTION,
        count=count_utf16,
        max_images=MAX_PHOTOS,
        max_videos=1,
        unit="UTF-16 code units",
    )

    settings: TikTokSettings

    def __init__(self, settings: PlatformSettings) -> None:
        if not isinstance(settings, TikTokSettings):
            settings = TikTokSettings.model_validate(dict(settings))
        super().__init__(settings)

    # -- wiring ----------------------------------------------------------------------------

    @functools.cached_property
    def credential(self) -> Credential | None:
        """The user token, refreshable when ``refresh_token`` and the app's keys are set."""
        return credential_for(self.settings)

    @property
    def account_key(self) -> str:
        """A non-reversible fingerprint of the token: TikTok limits each user token."""
        seed = self.settings.access_token.get_secret_value().encode()
        digest = hashlib.blake2b(seed, digest_size=8, person=b"socialkit-tt").hexdigest()
        return f"{self.base_url}|{digest}"

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        """A `Call` in the rate-limit bucket of its endpoint (TikTok limits each one)."""
        kwargs.setdefault("bucket", urlsplit(url).path.strip("/") or "default")
        return super().call(method, url, **kwargs)

    def map_error(self, response: Response) -> SocialkitError:
        """TikTok's ``error.code`` (or an OAuth error) → our exceptions."""
        return map_error(response)

    def error_in_body(self, response: Response) -> SocialkitError | None:
        """An ``error.code`` other than ``ok`` in a 2xx answer."""
        return error_in_body(response)

    # -- validation ------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """One video, or up to 35 photos from URLs; caption length (2,200 UTF-16 units for
        a video, 4,000 for photos); privacy level names. Text alone is `Unsupported`."""
        draft = self.check_content_warning(Draft.of(draft))
        media = draft.media
        if not media:
            raise self.unsupported(Capability.PUBLISH_TEXT)
        kinds = {m.kind for m in media}
        if kinds - {"image", "video"}:
            raise self._invalid("media_kind", "TikTok posts carry one video or JPEG/WebP photos")
        self.require(Capability.PUBLISH_VIDEO if "video" in kinds else Capability.PUBLISH_IMAGE)
        if draft.reply_to_id:
            raise self._invalid("reply_to_id", "TikTok posts cannot reply to posts")
        if "video" in kinds:
            if len(media) > 1:
                raise self._invalid("max_videos", "a TikTok post carries exactly one video")
            self._check_length(draft.text, VIDEO_CAPTION, "caption")
        else:
            if len(media) > MAX_PHOTOS:
                raise self._invalid("max_images", f"at most {MAX_PHOTOS} photos per post")
            if any(m.mime_type not in PHOTO_TYPES for m in media):
                raise self._invalid("media_type", "TikTok photos are JPEG or WebP (no PNG)")
            if any(m.url is None for m in media):
                raise self._invalid(
                    "media_source",
                    "TikTok pulls photos from URLs on a domain verified for the app; "
                    "give MediaUpload(url=...)",
                )
            self._check_length(draft.text, PHOTO_DESCRIPTION, "description")
            self._check_length(str(draft.options.get("title") or ""), PHOTO_TITLE, "title")
        if draft.visibility and draft.visibility not in VISIBILITY:
            raise self._invalid(
                "visibility", f"TikTok has no {draft.visibility!r} visibility; use public or "
                "private, or options['privacy_level']",
            )
        level = draft.options.get("privacy_level")
        if level is not None and level not in PRIVACY_LEVELS:
            raise self._invalid("privacy_level", f"{level!r} is not one of {PRIVACY_LEVELS}")
        return draft

    def _invalid(self, rule: str, message: str) -> InvalidContent:
        return InvalidContent(message, rule=rule, platform=self.name)

    def _check_length(self, text: str, limit: int, what: str) -> None:
        count = count_utf16(text)
        if count > limit:
            raise InvalidContent(
                f"the {what} is {count} UTF-16 code units long; the limit is {limit}",
                rule="max_length" if what != "title" else "max_title_length",
                count=count,
                limit=limit,
                platform=self.name,
            )

    # -- the account -----------------------------------------------------------------------

    def _user(self, fields: tuple[str, ...]) -> Flow[Mapping[str, Any]]:
        response = yield self.call("GET", "/v2/user/info/", params={"fields": ",".join(fields)})
        user = data_of(self, response).get("user")
        if not isinstance(user, Mapping):
            raise NotFound("TikTok answered without a user", platform=self.name)
        return user

    def me(self) -> Flow[Account]:
        """``GET /v2/user/info/`` (scopes ``user.info.basic``, ``user.info.profile``,
        ``user.info.stats``)."""
        return parse.account((yield from self._user(parse.USER_FIELDS)))

    # -- publishing ------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """Creator info first (the draft is checked against it), then a Direct Post of the
        video (uploaded in chunks, or pulled from a URL) or photos, then the status is
        polled until TikTok publishes it. A public post's id comes once moderation passed;
        until then (and for private posts) the returned post's id is the ``publish_id``."""
        return (yield from self.upload_video(draft))

    def upload_video(self, draft: Draft, progress: ProgressCallback | None = None
                     ) -> Flow[Post]:
        """`publish` with a ``progress(acknowledged_bytes, total_bytes)`` callback for the
        chunks of an uploaded video."""
        creator = yield from creator_info(self)
        if draft.media[0].kind == "video":
            sent = yield from publish_video(self, draft, self.settings, creator, progress)
        else:
            sent = yield from publish_photos(self, draft, self.settings, creator)
        publish_id, level = sent
        status = yield from wait_for_publish(
            self,
            publish_id,
            self.settings,
            public=level != "SELF_ONLY",
            idempotency_key=draft.idempotency_key,
        )
        ids = status.get("publicaly_available_post_id") or []
        post_id = str(ids[0]) if ids else publish_id
        visibility = {v: k for k, v in VISIBILITY.items()}.get(level, level.lower())
        # A public post TikTok has not named yet is still being moderated.
        waiting = not ids and level != "SELF_ONLY"
        return Post(
            platform=self.name,
            id=post_id,
            author=Account(
                platform=self.name,
                id=creator.username or "me",
                handle=creator.username or "me",
                display_name=creator.nickname,
            ),
            text=draft.text,
            url=parse.video_url(post_id, creator.username) if ids else None,
            visibility=visibility,
            state="pending" if waiting else "published",
            state_reason="moderation" if waiting else None,
            raw={"publish_id": publish_id, **status},
        )

    def publish_status(self, publish_id: str) -> Flow[Mapping[str, Any]]:
        """One ``POST /v2/post/publish/status/fetch/``: the raw status of a post in progress."""
        response = yield self.call(
            "POST", "/v2/post/publish/status/fetch/", json={"publish_id": publish_id},
            idempotent=True,
        )
        return data_of(self, response)

    # -- reading ---------------------------------------------------------------------------

    def _query(self, video_id: str, fields: tuple[str, ...]) -> Flow[Mapping[str, Any]]:
        if not video_id.isdigit():
            raise NotFound(f"{video_id!r} is not a TikTok video id", platform=self.name)
        response = yield self.call(
            "POST",
            "/v2/video/query/",
            params={"fields": ",".join(fields)},
            json={"filters": {"video_ids": [video_id]}},
            idempotent=True,
        )
        videos = data_of(self, response).get("videos") or []
        found = [v for v in videos if isinstance(v, Mapping) and str(v.get("id")) == video_id]
        if not found:
            raise NotFound(f"TikTok has no video {video_id} of this user", platform=self.name)
        return found[0]

    def get_post(self, post_id: str) -> Flow[Post]:
        """``POST /v2/video/query/`` with ``filters.video_ids`` (the user's own videos).

        A ``publish_id`` (what `publish` returns before moderation named the post) is
        read with `publish_status`: ``FAILED`` is a rejected post (``state_reason`` is
        the ``fail_reason``), a named post is read by its id, anything else is pending.
        """
        self.require(Capability.READ_POSTS)
        if "~" in post_id:  # publish ids look like "v_pub_file~v2-1.123456789"
            return (yield from self._publishing(post_id))
        return parse.post((yield from self._query(post_id, parse.VIDEO_FIELDS)))

    def _publishing(self, publish_id: str) -> Flow[Post]:
        status = yield from self.publish_status(publish_id)
        ids = status.get("publicaly_available_post_id") or []
        if ids:
            return parse.post((yield from self._query(str(ids[0]), parse.VIDEO_FIELDS)))
        failed = status.get("status") == "FAILED"
        return Post(
            platform=self.name,
            id=publish_id,
            state="rejected" if failed else "pending",
            state_reason=str(status.get("fail_reason") or "unknown")
            if failed
            else "moderation",
            raw={"publish_id": publish_id, **status},
        )

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``POST /v2/video/list/``: the authorized user's public videos."""
        self.require(Capability.READ_POSTS)
        if account is not None:
            raise Unsupported(
                "TikTok's Display API lists the authorized user's videos only",
                platform=self.name,
                capability=Capability.READ_POSTS.value,
            )
        return self._list(cursor)

    def _list(self, cursor: str | None) -> PageFlow[Post]:
        body: dict[str, Any] = {"max_count": PAGE_SIZE}
        if cursor:
            body["cursor"] = int(cursor)
        response = yield self.call(
            "POST",
            "/v2/video/list/",
            params={"fields": ",".join(parse.VIDEO_FIELDS)},
            json=body,
            idempotent=True,
        )
        data = data_of(self, response)
        videos = [parse.post(v) for v in data.get("videos") or [] if isinstance(v, Mapping)]
        more = data.get("has_more") is True and data.get("cursor") is not None
        return ResultPage(items=videos, next_cursor=str(data["cursor"]) if more else None)

    # -- metrics ---------------------------------------------------------------------------

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """Likes, comments, shares and views of one of the user's videos (lifetime)."""
        self.require(Capability.POST_METRICS)
        fields = ("id", *parse.POST_METRICS)
        return parse.post_metrics((yield from self._query(post_id, fields)))

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """A snapshot from ``/v2/user/info/`` (``user.info.stats``): followers, following,
        likes received, videos. TikTok keeps no history to query; ``since``/``until`` are
        ignored."""
        self.require(Capability.ACCOUNT_METRICS)
        user = yield from self._user(("open_id", *parse.ACCOUNT_METRICS))
        return parse.account_metrics(user)
