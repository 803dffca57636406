"""The YouTube provider: videos, comments, moderation, search, ratings and metrics.

Built against the YouTube Data API v3 and YouTube Analytics API v2 discovery documents
(``youtube/v3``, ``youtubeAnalytics/v2``) and their reference:
https://developers.google.com/youtube/v3/docs and
https://developers.google.com/youtube/analytics/reference. Every method costs quota
units (see `quota`); what the API cannot do raises `Unsupported` with why.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from ...credentials.core import Credential
from ...errors import InvalidContent, NotFound, RateLimited, SocialkitError
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
    Budget,
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
from ...text import TextRules, count_utf8
from ...uploads import ProgressCallback
from . import parse
from .auth import credential_for
from .errors import map_error
from .quota import PACIFIC, QUOTAS, QuotaTally, method_of, next_reset
from .settings import YouTubeSettings
from .upload import (
    PRIVATE_NOTE,
    privacy_of,
    send_chunks,
    set_thumbnail,
    start_session,
    video_resource,
    wait_for_processing,
)

if TYPE_CHECKING:
    from ...steps import Response

__all__ = ["MODERATION_STATUSES", "UNSUPPORTED", "YouTube"]

logger = logging.getLogger("socialkit")

API = "/youtube/v3"
TITLE_LENGTH = 100
DESCRIPTION_BYTES = 5000
THUMBNAIL_BYTES = 2 * 1024 * 1024
PAGE_SIZE = 50  # videos.list, playlistItems.list and search.list return at most 50
COMMENT_PAGE = 100  # commentThreads.list and comments.list return at most 100
MODERATION_STATUSES = ("heldForReview", "published", "rejected")
"""What ``comments.setModerationStatus`` can set."""
ANALYTICS_METRICS = "views,estimatedMinutesWatched,likes,subscribersGained"
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_WRITABLE_SNIPPET = ("title", "description", "tags", "categoryId", "defaultLanguage",
                     "defaultAudioLanguage")
_WRITABLE_STATUS = ("privacyStatus", "embeddable", "license", "publicStatsViewable",
                    "publishAt", "selfDeclaredMadeForKids", "containsSyntheticMedia")

_COMMUNITY = (
    "YouTube's Data API publishes videos only: community posts (text and images) have no API"
)
UNSUPPORTED = {
    Capability.PUBLISH_TEXT: _COMMUNITY,
    Capability.PUBLISH_IMAGE: _COMMUNITY,
    Capability.PUBLISH_THREAD: _COMMUNITY,
    Capability.MENTIONS: "the YouTube Data API reports no mentions of a channel",
    Capability.REPOST: "YouTube has no reposts, and the API cannot share a video",
}
"""Why each capability YouTube lacks is missing."""


class YouTube(Platform):
    """A YouTube channel.

    ```python
    client = sk.connect("youtube", profile="brand")        # after: socialkit auth login youtube
    video = sk.MediaUpload(path="launch.mp4")
    post = client.publish(sk.Draft(text="Launch day\\nWhat we built", media=(video,),
                                   visibility="public", options={"tags": ["launch"]}))
    ```

    A draft's first line is the video's title and the rest its description (or
    ``options["title"]`` is the title and the whole text the description); an image
    attached with the video becomes its thumbnail. Other options are listed in
    `video_resource`. A public or unlisted upload that YouTube kept private (an
    unaudited API project) carries ``post.raw["privacy_note"]``.
    """

    name = "youtube"
    longest_believed_reset = 25 * 3600.0  # the quota resets at midnight Pacific, by our clock
    Settings: ClassVar[type[PlatformSettings]] = YouTubeSettings
    default_base_url = "https://www.googleapis.com"
    unsupported_reasons = UNSUPPORTED
    capabilities = frozenset({
        Capability.PUBLISH_VIDEO,
        Capability.READ_POSTS,
        Capability.EDIT,
        Capability.DELETE,
        Capability.READ_COMMENTS,
        Capability.REPLY,
        Capability.MODERATE,
        Capability.SEARCH,
        Capability.POST_METRICS,
        Capability.ACCOUNT_METRICS,
        Capability.REACT,
    })
    rules = TextRules(
        max_length=TITLE_LENGTH + 1 + DESCRIPTION_BYTES,
        max_images=1,
        max_videos=1,
        mixed_media=True,
    )

    settings: YouTubeSettings

    def __init__(self, settings: PlatformSettings | None = None, /, **values: Any) -> None:
        super().__init__(settings, **values)
        self._channel_id: str | None = None

    # -- wiring ----------------------------------------------------------------------------

    @functools.cached_property
    def credential(self) -> Credential | None:
        """The Google token, refreshable when ``refresh_token`` and ``client_id`` are set."""
        return credential_for(self.settings)

    @functools.cached_property
    def trusted_hosts(self) -> frozenset[str]:
        """The Data API, upload and Analytics hosts receive the token."""
        urls = (self.base_url, self.settings.upload_url, self.settings.analytics_url)
        return frozenset(host for url in urls if (host := urlsplit(url).hostname))

    @property
    def account_key(self) -> str:
        """The project whose quota is spent: the OAuth client id, else a non-reversible
        fingerprint of the token."""
        if self.settings.client_id:
            return f"{self.base_url}|{self.settings.client_id}"
        seed = self.settings.access_token.get_secret_value().encode()
        digest = hashlib.blake2b(seed, digest_size=8, person=b"socialkit-yt").hexdigest()
        return f"{self.base_url}|{digest}"

    @property
    def quota(self) -> QuotaTally:
        """Today's quota tally of this project (shared by its clients in the process)."""
        return QUOTAS.tally(self.account_key)

    def pool_of(self, method: str) -> str:
        """The daily quota bucket a Data API method draws on."""
        return self.settings.quota_pools.get(method, "default")

    def quota_remaining(self) -> dict[str, int]:
        """Units left today in each quota bucket, by this process's count (the calendar asks
        before scheduling). YouTube's own count covers every client of the project."""
        return {
            pool: max(0, budget - self.quota.used(pool))
            for pool, budget in self.settings.daily_quota.items()
        }

    def publish_budget(self, draft: Draft) -> list[Budget]:
        """The quota a publish of ``draft`` spends per bucket (``videos.insert``, and
        ``thumbnails.set`` with a thumbnail) against what is left today; the processing
        checks (one unit each) are not counted. A draft without a video costs nothing
        (publishing it is `Unsupported`)."""
        if not any(m.kind == "video" for m in draft.media):
            return []
        methods = ["videos.insert"]
        if any(m.kind == "image" for m in draft.media):
            methods.append("thumbnails.set")
        costs: dict[str, int] = {}
        for method in methods:
            pool = self.pool_of(method)
            costs[pool] = costs.get(pool, 0) + self.settings.quota_costs.get(method, 1)
        left, reset = self.quota_remaining(), next_reset()
        return [Budget(pool, cost, left.get(pool, 0), reset) for pool, cost in costs.items()]

    def call(self, method: str, url: str, **kwargs: Any) -> Call:
        """A `Call` in the rate-limit bucket of the quota pool its Data API method uses."""
        name = method_of(method, urlsplit(url).path)
        if name is not None:
            kwargs.setdefault("bucket", self.pool_of(name))
        return super().call(method, url, **kwargs)

    def rate_limit(self, response: Response) -> RateLimitInfo | None:
        """Spend the request's quota cost (invalid requests cost too) and report its pool."""
        request = response.request
        name = method_of(request.method, request.url.path)
        if name is None:
            return None
        pool = self.pool_of(name)
        self.quota.spend(pool, self.settings.quota_costs.get(name, 1))
        return self.quota.info(pool, self.settings.daily_quota[pool])

    def map_error(self, response: Response) -> SocialkitError:
        """Google's ``errors[].reason`` → our exceptions; ``quotaExceeded`` empties the pool."""
        error = map_error(response)
        if isinstance(error, RateLimited) and error.code == "quotaExceeded":
            request = response.request
            name = method_of(request.method, request.url.path)
            pool = self.pool_of(name) if name else "default"
            self.quota.exhaust(pool, self.settings.daily_quota[pool])
        return error

    # -- validation ------------------------------------------------------------------------

    def validate(self, draft: DraftLike) -> Draft:
        """Title (first line, or ``options["title"]``) of 1 to 100 characters without ``<``
        or ``>``, description up to 5,000 bytes, one video and at most one JPEG/PNG
        thumbnail up to 2 MB, a known privacy status. A draft without media passes (for
        edits); `publish` needs the video."""
        draft = Draft.of(draft)
        resource = video_resource(draft, self.settings)
        title = resource["snippet"]["title"]
        description = resource["snippet"]["description"]
        if not title:
            raise self._invalid("title", "a YouTube video needs a title (the first line)")
        if len(title) > TITLE_LENGTH:
            raise InvalidContent(
                f"the title is {len(title)} characters long; the limit is {TITLE_LENGTH}",
                rule="max_length", count=len(title), limit=TITLE_LENGTH, platform=self.name,
            )
        if count_utf8(description) > DESCRIPTION_BYTES:
            raise InvalidContent(
                f"the description is {count_utf8(description)} bytes; the limit is "
                f"{DESCRIPTION_BYTES}",
                rule="max_bytes", count=count_utf8(description), limit=DESCRIPTION_BYTES,
                platform=self.name,
            )
        if any(c in title + description for c in "<>"):
            raise self._invalid("angle_brackets", "YouTube refuses < and > in titles and "
                                "descriptions")
        kinds = [m.kind for m in draft.media]
        if draft.media and "video" not in kinds:
            raise self.unsupported(Capability.PUBLISH_IMAGE)
        if draft.media and (kinds.count("video") != 1 or len(kinds) > 2
                            or set(kinds) - {"video", "image"}):
            raise self._invalid("media", "a YouTube post is one video, and optionally one "
                                "image as its thumbnail")
        for image in (m for m in draft.media if m.kind == "image"):
            if image.mime_type not in ("image/jpeg", "image/png"):
                raise self._invalid("thumbnail_type", "a thumbnail is a JPEG or PNG image")
            if image.url is None and len(image.read()) > THUMBNAIL_BYTES:
                raise self._invalid("thumbnail_size", "a thumbnail is at most 2 MB")
        if draft.reply_to_id:
            raise self._invalid("reply_to_id", "a YouTube video cannot answer a post; use reply()")
        return draft

    def _invalid(self, rule: str, message: str) -> InvalidContent:
        return InvalidContent(message, rule=rule, platform=self.name)

    # -- the channel -----------------------------------------------------------------------

    def _channel(self, params: Mapping[str, Any]) -> Flow[Mapping[str, Any]]:
        response = yield self.call("GET", f"{API}/channels", params=params)
        found = parse.items(self.json(response))
        if not found:
            raise NotFound("YouTube has no such channel", platform=self.name)
        return found[0]

    def me(self) -> Flow[Account]:
        """``channels.list`` (``part=snippet,statistics``, ``mine=true``)."""
        channel = yield from self._channel({"part": "snippet,statistics", "mine": "true"})
        self._channel_id = native_id(channel["id"])
        return parse.account(channel)

    def _my_channel_id(self) -> Flow[str]:
        if self._channel_id is None:
            channel = yield from self._channel({"part": "id", "mine": "true"})
            self._channel_id = native_id(channel["id"])
        return self._channel_id

    # -- publishing ------------------------------------------------------------------------

    def publish(self, draft: Draft) -> Flow[Post]:
        """Upload the draft's video (resumable, in chunks), set the thumbnail, wait for
        processing. Text or images alone are `Unsupported` (community posts have no API)."""
        return (yield from self.upload_video(draft))

    def upload_video(
        self, draft: Draft, progress: ProgressCallback | None = None
    ) -> Flow[Post]:
        """`publish` with a ``progress(acknowledged_bytes, total_bytes)`` callback."""
        videos = [m for m in draft.media if m.kind == "video"]
        if not videos:
            raise self.unsupported(
                Capability.PUBLISH_IMAGE if draft.media else Capability.PUBLISH_TEXT
            )
        video = videos[0]
        if video.url is not None:
            raise self._invalid("media_source", "YouTube uploads bytes: give a path or data, "
                                "not a URL")
        content = video.read()
        session = yield from start_session(
            self, self.settings, draft, len(content), video.mime_type
        )
        uploaded = yield from send_chunks(
            self, session, content, self.settings,
            progress=progress, idempotency_key=draft.idempotency_key,
        )
        video_id = native_id(uploaded["id"])
        raw: dict[str, Any] = dict(uploaded)
        for image in (m for m in draft.media if m.kind == "image"):
            try:
                yield from set_thumbnail(self, self.settings, video_id, image)
            except SocialkitError as error:  # the video is up; say what failed
                logger.warning("youtube: the thumbnail of %s was not set: %s", video_id, error)
                raw["thumbnail_error"] = str(error)
        try:
            state = yield from wait_for_processing(self, self.settings, video_id)
        except SocialkitError as error:  # the video is up: report it, never upload it twice
            logger.warning("youtube: the processing of %s was not checked: %s", video_id, error)
            raw["processing_error"] = str(error)
            state = None
        if state is not None:
            raw.update({k: state[k] for k in ("status", "processingDetails") if k in state})
            status = state.get("status") or {}
            if status.get("uploadStatus") in ("failed", "rejected"):
                why = status.get("failureReason") or status.get("rejectionReason") or "unknown"
                raise InvalidContent(
                    f"YouTube {status['uploadStatus']} video {video_id}: {why}",
                    rule=str(why), platform=self.name,
                )
        wanted = privacy_of(draft, self.settings)
        got = (raw.get("status") or {}).get("privacyStatus")
        if wanted != "private" and got == "private":
            raw["privacy_note"] = PRIVATE_NOTE.format(wanted=wanted)
            logger.warning("youtube: video %s was kept private: the API project is not "
                           "audited", video_id)
        return parse.post(raw)

    # -- reading ---------------------------------------------------------------------------

    def _videos(self, ids: list[str], part: str) -> Flow[list[Mapping[str, Any]]]:
        if not ids:
            return []
        response = yield self.call(
            "GET", f"{API}/videos", params={"part": part, "id": ",".join(ids)}
        )
        return parse.items(self.json(response))

    def _video(self, video_id: str, part: str) -> Flow[Mapping[str, Any]]:
        found = yield from self._videos([video_id], part)
        if not found:
            raise NotFound(f"YouTube has no video {video_id}", platform=self.name,
                           code="videoNotFound")
        return found[0]

    def get_post(self, post_id: str) -> Flow[Post]:
        """``videos.list`` (``part=snippet,status,statistics``)."""
        return parse.post((yield from self._video(post_id, "snippet,status,statistics")))

    def posts(
        self, account: str | None, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of a channel's uploads (the authenticated one by default; else a channel
        id or ``@handle``): ``channels.list`` for the uploads playlist, then
        ``playlistItems.list`` and ``videos.list`` for the videos."""
        if cursor:
            playlist, _, token = cursor.partition(":")
        else:
            params: dict[str, Any] = {"part": "contentDetails"}
            if account is None:
                params["mine"] = "true"
            elif account.startswith("@"):
                params["forHandle"] = account
            else:
                params["id"] = account
            channel = yield from self._channel(params)
            playlist = str(channel["contentDetails"]["relatedPlaylists"]["uploads"])
            token = ""
        params = {"part": "contentDetails", "playlistId": playlist,
                  "maxResults": page_limit(limit, PAGE_SIZE)}
        if token:
            params["pageToken"] = token
        response = yield self.call("GET", f"{API}/playlistItems", params=params)
        body = self.json(response)
        ids = [str(item["contentDetails"]["videoId"]) for item in parse.items(body)]
        videos = yield from self._videos(ids, "snippet,status,statistics")
        by_id = {str(v["id"]): v for v in videos}
        next_token = body.get("nextPageToken")
        return ResultPage(
            items=[parse.post(by_id[i]) for i in ids if i in by_id],
            next_cursor=f"{playlist}:{next_token}" if next_token else None,
        )

    def search(
        self, query: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Post]:
        """A page of ``search.list`` (``type=video``, ``part=snippet``)."""
        params: dict[str, Any] = {"part": "snippet", "q": query, "type": "video",
                                  "maxResults": page_limit(limit, PAGE_SIZE)}
        if cursor:
            params["pageToken"] = cursor
        response = yield self.call("GET", f"{API}/search", params=params)
        body = self.json(response)
        found = [
            parse.post({**item, "id": item["id"]["videoId"]})
            for item in parse.items(body)
            if isinstance(item.get("id"), Mapping) and item["id"].get("videoId")
        ]
        return ResultPage(items=found, next_cursor=body.get("nextPageToken"))

    # -- editing ---------------------------------------------------------------------------

    def edit_post(self, post_id: str, draft: Draft) -> Flow[Post]:
        """``videos.update`` replaces every field of the parts it sends, so the video is
        read first (``snippet,status``) and the draft merged into it: the title and
        description always, tags, category, privacy and the other options when given."""
        current = yield from self._video(post_id, "snippet,status")
        snippet = {k: v for k, v in (current.get("snippet") or {}).items()
                   if k in _WRITABLE_SNIPPET}
        status = {k: v for k, v in (current.get("status") or {}).items()
                  if k in _WRITABLE_STATUS}
        wanted = video_resource(draft, self.settings)
        snippet["title"] = wanted["snippet"]["title"]
        snippet["description"] = wanted["snippet"]["description"]
        for key, field in (("tags", "tags"), ("category_id", "categoryId")):
            if key in draft.options:
                snippet[field] = wanted["snippet"][field]
        if draft.language:
            snippet["defaultLanguage"] = draft.language
        asked_privacy = draft.visibility or draft.options.get("privacy_status") \
            or draft.options.get("publish_at")
        if asked_privacy:
            status["privacyStatus"] = wanted["status"]["privacyStatus"]
        status.update({k: v for k, v in wanted["status"].items() if k != "privacyStatus"})
        if status.get("privacyStatus") != "private":
            status.pop("publishAt", None)  # YouTube takes publishAt on private videos only
        response = yield self.call(
            "PUT", f"{API}/videos", params={"part": "snippet,status"},
            json={"id": post_id, "snippet": snippet, "status": status},
        )
        return parse.post(self.json(response))

    def delete_post(self, post_id: str) -> Flow[None]:
        """``videos.delete``."""
        yield self.call("DELETE", f"{API}/videos", params={"id": post_id})

    # -- comments --------------------------------------------------------------------------

    def comments(
        self, post_id: str, cursor: str | None, limit: int | None = None
    ) -> PageFlow[Comment]:
        """A page of ``commentThreads.list`` (``part=snippet,replies``): each top-level
        comment (its ``parent_id`` is the video) and its replies; where a thread has more
        replies than YouTube included, ``comments.list?parentId=`` brings the rest."""
        params: dict[str, Any] = {
            "part": "snippet,replies", "videoId": post_id, "textFormat": "plainText",
            "maxResults": page_limit(limit, COMMENT_PAGE),
        }
        if cursor:
            params["pageToken"] = cursor
        response = yield self.call("GET", f"{API}/commentThreads", params=params)
        body = self.json(response)
        found: list[Comment] = []
        for thread in parse.items(body):
            comments, more = parse.thread_comments(thread)
            if more:
                top = comments[0]
                comments = [top, *(yield from self._replies(top.id, top.thread_root_id))]
            found += comments
        return ResultPage(items=found, next_cursor=body.get("nextPageToken"))

    def _replies(self, parent_id: str, video_id: str) -> Flow[list[Comment]]:
        replies: list[Comment] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {"part": "snippet", "parentId": parent_id,
                                      "textFormat": "plainText", "maxResults": COMMENT_PAGE}
            if token:
                params["pageToken"] = token
            response = yield self.call("GET", f"{API}/comments", params=params)
            body = self.json(response)
            for item in parse.items(body):
                replies.append(parse.comment(item, top_level=False, video_id=video_id))
            token = body.get("nextPageToken")
            if not token:
                return replies

    def reply(self, target: ReplyTarget, draft: Draft) -> Flow[Comment]:
        """A comment on a video (``commentThreads.insert``; the video's channel is read
        first when the target is a bare id) or a reply to a comment
        (``comments.insert`` with ``snippet.parentId``; YouTube threads are one level deep,
        so an answer to a reply goes to its thread). A string target is a video id when it
        has a video id's shape (11 characters), else a comment id."""
        text = draft.text.strip()
        if not text:
            raise self._invalid("empty", "a YouTube comment needs text")
        if isinstance(target, Comment):
            answered = target.reply_to_id
            top = answered if answered not in (None, target.thread_root_id) else None
            return (yield from self._answer(top or target.id, target.thread_root_id, text))
        if isinstance(target, Mention):
            raise self.unsupported(Capability.MENTIONS)
        target_id = target.id if isinstance(target, Post) else target
        if isinstance(target, Post) or _VIDEO_ID.fullmatch(target_id):
            # the reference requires the channel that owns the video (snippet.channelId)
            if isinstance(target, Post) and target.author is not None:
                channel_id = target.author.id
            else:
                video = yield from self._video(target_id, "snippet")
                channel_id = str((video.get("snippet") or {}).get("channelId") or "")
            body = {"snippet": {"channelId": channel_id, "videoId": target_id,
                                "topLevelComment": {"snippet": {"textOriginal": text}}}}
            response = yield self.call(
                "POST", f"{API}/commentThreads", params={"part": "snippet"}, json=body,
                idempotency_key=draft.idempotency_key,
            )
            created, _ = parse.thread_comments(self.json(response))
            return created[0]
        return (yield from self._answer(target_id, "", text, draft.idempotency_key))

    def _answer(
        self, parent_id: str, video_id: str, text: str, key: str | None = None
    ) -> Flow[Comment]:
        response = yield self.call(
            "POST", f"{API}/comments", params={"part": "snippet"},
            json={"snippet": {"parentId": parent_id, "textOriginal": text}},
            idempotency_key=key,
        )
        created = self.json(response)
        if not video_id and not (created.get("snippet") or {}).get("videoId"):
            # a reply may not name its video: its thread does (commentThreads.list, 1 unit)
            thread = yield self.call(
                "GET", f"{API}/commentThreads", params={"part": "snippet", "id": parent_id}
            )
            found = parse.items(self.json(thread))
            video_id = str((found[0].get("snippet") or {}).get("videoId") or "") if found else ""
        return parse.comment(created, top_level=False, video_id=video_id or None)

    def moderate_comment(
        self, comment_id: str, status: str, *, ban_author: bool = False
    ) -> Flow[None]:
        """``comments.setModerationStatus``: ``heldForReview``, ``published`` or
        ``rejected``; ``ban_author`` (with ``rejected``) also blocks the author's future
        comments on the channel. Only the channel owner can moderate."""
        if status not in MODERATION_STATUSES:
            raise self._invalid("moderation_status",
                                f"{status!r} is not one of {', '.join(MODERATION_STATUSES)}")
        if ban_author and status != "rejected":
            raise self._invalid("ban_author", "YouTube bans authors only with 'rejected'")
        params: dict[str, Any] = {"id": comment_id, "moderationStatus": status}
        if ban_author:
            params["banAuthor"] = "true"
        yield self.call("POST", f"{API}/comments/setModerationStatus", params=params)

    def hide_comment(self, comment_id: str, hidden: bool) -> Flow[None]:
        """YouTube has no "hide": hiding rejects the comment (it leaves public view and
        stays recoverable in YouTube Studio), unhiding publishes it again."""
        return (yield from self.moderate_comment(comment_id,
                                                 "rejected" if hidden else "published"))

    def delete_comment(self, comment_id: str) -> Flow[None]:
        """``comments.delete``: only the account's own comments (others' are refused with
        `PermissionDenied`; reject them with `hide_comment` instead)."""
        yield self.call("DELETE", f"{API}/comments", params={"id": comment_id})

    # -- reactions and metrics -------------------------------------------------------------

    def react(self, post_id: str, kind: str) -> Flow[None]:
        """``videos.rate``: ``like``, ``dislike``, or ``none`` to take a rating back."""
        if kind not in ("like", "dislike", "none"):
            raise self._invalid("reaction", f"YouTube rates like, dislike or none, not {kind!r}")
        yield self.call("POST", f"{API}/videos/rate", params={"id": post_id, "rating": kind})

    def post_metrics(self, post_id: str) -> Flow[list[Metric]]:
        """Lifetime views, likes and comments (``videos.list`` ``part=statistics``)."""
        return parse.post_metrics((yield from self._video(post_id, "statistics")))

    def account_metrics(self, since: datetime | None, until: datetime | None) -> Flow[list[Metric]]:
        """Views, minutes watched, likes and subscribers gained per day, from the YouTube
        Analytics API (``reports.query``, ``ids=channel==MINE``, ``dimensions=day``).
        Days are Pacific Time; the default period is the last 28 days."""
        end = (until or datetime.now(UTC)).astimezone(PACIFIC).date()
        start = (since.astimezone(PACIFIC).date() if since else end - timedelta(days=27))
        channel_id = yield from self._my_channel_id()
        response = yield self.call(
            "GET",
            f"{self.settings.analytics_url}/v2/reports",
            params={
                "ids": "channel==MINE",
                "metrics": ANALYTICS_METRICS,
                "dimensions": "day",
                "startDate": start.isoformat(),
                "endDate": end.isoformat(),
                "sort": "day",
            },
        )
        return parse.account_metrics(channel_id, self.json(response))
