"""TikTok's Content Posting API (Direct Post): creator info, init, chunked upload, status.

1. ``POST /v2/post/publish/creator_info/query/``: the privacy levels the creator may use,
   the longest video, and whether comments, duets and stitches are off. The draft is
   checked against it before anything is sent.
2. ``POST /v2/post/publish/video/init/`` with ``post_info`` and ``source_info``
   (``FILE_UPLOAD``: ``video_size``, ``chunk_size``, ``total_chunk_count``; or
   ``PULL_FROM_URL``: ``video_url``), or ``POST /v2/post/publish/content/init/`` for photos
   (``media_type: PHOTO``, ``PULL_FROM_URL`` only).
3. Each chunk is PUT to ``upload_url`` with ``Content-Range: bytes first-last/total`` and
   ``Content-Type``; the upload host gets no token (none is documented). The chunks go
   through the shared `socialkit.uploads` helper: a chunk that failed in transit or with
   a 5xx (after the driver's retries) is sent again, never the chunks before it, and
   ``progress(acknowledged_bytes, total_bytes)`` is told as chunks arrive.
4. ``POST /v2/post/publish/status/fetch/`` is polled until ``PUBLISH_COMPLETE`` or
   ``FAILED``, within ``publish_timeout``.

References: https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info,
https://developers.tiktok.com/doc/content-posting-api-reference-direct-post,
https://developers.tiktok.com/doc/content-posting-api-reference-photo-post,
https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide,
https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ...errors import InvalidContent, ParseError, PublishUncertain
from ...models import Draft, native_id
from ...platform import Call, Flow, Platform, Sleep
from ...uploads import ChunkedUpload, ProgressCallback, send_parts, transient
from .errors import error_for
from .mp4 import duration_seconds
from .settings import TikTokSettings

__all__ = [
    "MAX_CHUNK",
    "MAX_LAST_CHUNK",
    "MIN_CHUNK",
    "VISIBILITY",
    "Creator",
    "chunk_ranges",
    "creator_info",
    "privacy_level",
    "publish_photos",
    "publish_video",
    "wait_for_publish",
]

VISIBILITY = {"public": "PUBLIC_TO_EVERYONE", "private": "SELF_ONLY"}
"""`Draft.visibility` → ``privacy_level`` (``options["privacy_level"]`` names any other)."""

MAX_CHUNKS = 1000
_MB = 1024 * 1024
MIN_CHUNK = 5 * _MB
"""The smallest chunk (a whole video under it goes as one chunk of its own size)."""
MAX_CHUNK = 64 * _MB
"""The largest chunk but the last."""
MAX_LAST_CHUNK = 128 * _MB
"""The largest last chunk (it takes the trailing bytes)."""
_JSON = {"Content-Type": "application/json; charset=UTF-8"}
_VIDEO_OPTIONS = (
    "video_cover_timestamp_ms", "brand_content_toggle", "brand_organic_toggle", "is_aigc",
)
_PHOTO_OPTIONS = ("brand_content_toggle", "brand_organic_toggle", "auto_add_music")


@attrs.frozen
class Creator:
    """What ``creator_info/query`` says the creator may post."""

    username: str | None
    nickname: str | None
    privacy_level_options: tuple[str, ...]
    max_video_post_duration_sec: int | None
    comment_disabled: bool
    duet_disabled: bool
    stitch_disabled: bool

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Creator:
        """From the ``data`` of the answer."""
        limit = data.get("max_video_post_duration_sec")
        return cls(
            username=data.get("creator_username"),
            nickname=data.get("creator_nickname"),
            privacy_level_options=tuple(str(o) for o in data.get("privacy_level_options") or ()),
            max_video_post_duration_sec=int(limit) if isinstance(limit, int) else None,
            comment_disabled=bool(data.get("comment_disabled")),
            duet_disabled=bool(data.get("duet_disabled")),
            stitch_disabled=bool(data.get("stitch_disabled")),
        )


def data_of(platform: Platform, response: Any) -> Mapping[str, Any]:
    """The ``data`` object of an answer (errors were raised by the driver already)."""
    body = platform.json(response)
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(data, Mapping):
        raise ParseError("TikTok answered without a data object", platform="tiktok")
    return data


def creator_info(platform: Platform) -> Flow[Creator]:
    """``POST /v2/post/publish/creator_info/query/``."""
    response = yield platform.call(
        "POST", "/v2/post/publish/creator_info/query/", headers=_JSON, idempotent=True
    )
    return Creator.of(data_of(platform, response))


def privacy_level(draft: Draft, settings: TikTokSettings, creator: Creator) -> str:
    """The draft's privacy level, which the creator must be allowed to use."""
    wanted = (
        draft.options.get("privacy_level")
        or VISIBILITY.get(draft.visibility or "")
        or settings.privacy_level
    )
    allowed = ", ".join(creator.privacy_level_options) or "none"
    if not wanted:
        raise InvalidContent(
            f"tiktok: choose who sees the post (Draft.visibility or options['privacy_level']): "
            f"this creator may use {allowed}",
            rule="privacy_level",
            platform="tiktok",
        )
    if wanted not in creator.privacy_level_options:
        raise InvalidContent(
            f"tiktok: this creator cannot post with privacy level {wanted}; allowed: {allowed}",
            rule="privacy_level",
            platform="tiktok",
        )
    return str(wanted)


def _check_duration(content: bytes | None, draft: Draft, creator: Creator) -> None:
    limit = creator.max_video_post_duration_sec
    if limit is None:
        return
    known = draft.options.get("duration_sec")
    seconds = float(known) if known is not None else (
        duration_seconds(content) if content is not None else None
    )
    if seconds is not None and seconds > limit:
        raise InvalidContent(
            f"tiktok: the video lasts {seconds:.0f} s; this creator may post up to {limit} s",
            rule="max_duration",
            count=int(seconds),
            limit=limit,
            platform="tiktok",
        )


def chunk_ranges(size: int, chunk_size: int) -> list[tuple[int, int]]:
    """Inclusive byte ranges of a ``size``-byte video, by the media transfer guide's rules.

    ``size // chunk`` chunks of ``chunk`` bytes, the last one also taking the trailing bytes
    (so it is under twice a chunk, at most 128 MB). Every chunk is 5 to 64 MB, except a video
    under 5 MB, which goes whole. ``chunk`` is ``chunk_size`` unless a rule needs another:
    a video up to ``chunk_size`` (and at most 64 MB) goes whole; one over 64 MB goes in at
    least two chunks (halves when ``chunk_size`` would give one); one that would need more
    than 1000 chunks gets larger ones.
    """
    if size <= 0:
        raise InvalidContent("tiktok: the video is empty", rule="empty_media", platform="tiktok")
    if size <= min(chunk_size, MAX_CHUNK):
        return [(0, size - 1)]
    chunk = min(chunk_size, MAX_CHUNK)
    if size > MAX_CHUNK:  # never one chunk over 64 MB: at least two, halves at most
        chunk = min(chunk, size // 2)
    chunk = max(chunk, size // (MAX_CHUNKS + 1) + 1)
    if chunk > MAX_CHUNK:
        raise InvalidContent(
            f"tiktok: {size} bytes do not fit in {MAX_CHUNKS} chunks of at most {MAX_CHUNK} bytes",
            rule="max_chunks",
            platform="tiktok",
        )
    count = size // chunk
    ranges = [(i * chunk, (i + 1) * chunk - 1) for i in range(count - 1)]
    return [*ranges, ((count - 1) * chunk, size - 1)]


def _video_post_info(draft: Draft, level: str, creator: Creator) -> dict[str, Any]:
    options = draft.options
    info: dict[str, Any] = {
        "title": draft.text,
        "privacy_level": level,
        "disable_duet": creator.duet_disabled or bool(options.get("disable_duet", False)),
        "disable_comment": creator.comment_disabled or bool(options.get("disable_comment", False)),
        "disable_stitch": creator.stitch_disabled or bool(options.get("disable_stitch", False)),
    }
    info.update({k: options[k] for k in _VIDEO_OPTIONS if k in options})
    return info


def publish_video(
    platform: Platform,
    draft: Draft,
    settings: TikTokSettings,
    creator: Creator,
    progress: ProgressCallback | None = None,
) -> Flow[tuple[str, str]]:
    """Init a direct post of the draft's video and send its bytes (resuming a failed
    chunk, telling ``progress``); return the ``publish_id`` and the privacy level used."""
    upload = draft.media[0]
    level = privacy_level(draft, settings, creator)
    content = upload.read() if upload.url is None else None
    _check_duration(content, draft, creator)
    if content is None:
        source: dict[str, Any] = {"source": "PULL_FROM_URL", "video_url": upload.url}
        ranges: list[tuple[int, int]] = []
    else:
        ranges = chunk_ranges(len(content), settings.chunk_size)
        source = {
            "source": "FILE_UPLOAD",
            "video_size": len(content),
            "chunk_size": ranges[0][1] + 1,
            "total_chunk_count": len(ranges),
        }
    response = yield platform.call(
        "POST",
        "/v2/post/publish/video/init/",
        json={"post_info": _video_post_info(draft, level, creator), "source_info": source},
        headers=_JSON,
        idempotency_key=draft.idempotency_key,
    )
    data = data_of(platform, response)
    if content is not None:
        chunks = ChunkedUpload(
            total=len(content), chunk_size=ranges[0][1] + 1, progress=progress,
            last_takes_rest=True,
        )
        url = str(data["upload_url"])

        def put(_: int, span: tuple[int, int]) -> Call:
            assert content is not None
            return Call(
                "PUT",
                url,
                content=content[span[0] : span[1] + 1],
                headers={
                    "Content-Range": chunks.content_range(span),
                    "Content-Type": upload.mime_type,
                },
                authenticated=False,
                idempotent=True,
            )

        yield from send_parts(chunks, put, retries=settings.chunk_resumes,
                              pause=settings.chunk_resume_delay, resend=transient)
    return native_id(data["publish_id"]), level


def publish_photos(
    platform: Platform, draft: Draft, settings: TikTokSettings, creator: Creator
) -> Flow[tuple[str, str]]:
    """Init a direct photo post pulled from the draft's image URLs; return the
    ``publish_id`` and the privacy level used."""
    options = draft.options
    level = privacy_level(draft, settings, creator)
    info: dict[str, Any] = {
        "description": draft.text,
        "privacy_level": level,
        "disable_comment": creator.comment_disabled or bool(options.get("disable_comment", False)),
    }
    if options.get("title"):
        info["title"] = str(options["title"])
    info.update({k: options[k] for k in _PHOTO_OPTIONS if k in options})
    body = {
        "post_info": info,
        "source_info": {
            "source": "PULL_FROM_URL",
            "photo_cover_index": int(options.get("photo_cover_index", 0)),
            "photo_images": [str(m.url) for m in draft.media],
        },
        "post_mode": "DIRECT_POST",
        "media_type": "PHOTO",
    }
    response = yield platform.call(
        "POST", "/v2/post/publish/content/init/", json=body, headers=_JSON,
        idempotency_key=draft.idempotency_key,
    )
    return native_id(data_of(platform, response)["publish_id"]), level


def wait_for_publish(
    platform: Platform,
    publish_id: str,
    settings: TikTokSettings,
    *,
    public: bool,
    idempotency_key: str | None = None,
) -> Flow[Mapping[str, Any]]:
    """Poll the status until TikTok finishes (and, for a public post, names its id)."""
    waited = 0.0
    completed_at: float | None = None
    interval = settings.poll_interval
    while True:
        response = yield platform.call(
            "POST",
            "/v2/post/publish/status/fetch/",
            json={"publish_id": publish_id},
            headers=_JSON,
            idempotent=True,
        )
        data = data_of(platform, response)
        status = data.get("status")
        if status == "FAILED":
            reason = str(data.get("fail_reason") or "unknown")
            raise error_for(
                reason, f"TikTok could not publish {publish_id}: {reason}",
                status=None, request_id=None,
            )
        out_of_time = waited + interval > settings.publish_timeout
        if status in ("PUBLISH_COMPLETE", "SEND_TO_USER_INBOX"):
            completed_at = waited if completed_at is None else completed_at
            named = bool(data.get("publicaly_available_post_id"))
            moderated = waited - completed_at + interval > settings.moderation_wait
            if named or not public or moderated or out_of_time:
                return data
        elif out_of_time:
            raise PublishUncertain(
                f"TikTok was still processing {publish_id} ({status}) after {waited:.0f} s; "
                "check it later with TikTok.publish_status(publish_id)",
                platform="tiktok",
                idempotency_key=idempotency_key,
            )
        yield Sleep(interval)
        waited += interval
