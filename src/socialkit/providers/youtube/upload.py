"""Publishing a video: ``videos.insert`` through the resumable upload protocol, the
thumbnail, and the processing status.

1. ``POST {upload}/videos?uploadType=resumable&part=snippet,status`` with the video
   resource as JSON and ``X-Upload-Content-Length`` / ``X-Upload-Content-Type``; the
   ``Location`` of the answer is the upload session.
2. ``PUT`` the bytes to the session in chunks (multiples of 256 KiB) with
   ``Content-Range: bytes first-last/total``. ``308 Resume Incomplete`` with
   ``Range: bytes=0-N`` says what arrived; the last chunk is answered with the video.
3. After an interruption (connection lost, 5xx), an empty ``PUT`` with
   ``Content-Range: bytes */total`` asks how much arrived, and the upload resumes from
   that offset: bytes the server acknowledged are never sent again.
4. ``POST {upload}/thumbnails/set?videoId=...`` with the image (simple upload).
5. ``GET /youtube/v3/videos?part=processingDetails,status&id=...`` until processed.

References: https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol,
https://developers.google.com/youtube/v3/docs/videos/insert,
https://developers.google.com/youtube/v3/docs/thumbnails/set
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...errors import InvalidContent, PublishUncertain, SocialkitError, TransportError
from ...models import Draft, MediaUpload
from ...platform import Call, Flow, Platform, Sleep
from ...uploads import ChunkedUpload, ProgressCallback, offset_from_range
from . import parse
from .settings import CHUNK_MULTIPLE, YouTubeSettings

if TYPE_CHECKING:
    from ...steps import Response

__all__ = [
    "MAX_STALLS",
    "PRIVACY",
    "PRIVATE_NOTE",
    "privacy_of",
    "send_chunks",
    "set_thumbnail",
    "start_session",
    "video_resource",
    "wait_for_processing",
]

logger = logging.getLogger("socialkit")

PRIVACY = ("private", "unlisted", "public")
MAX_STALLS = 5
"""Interruptions in a row, with no new byte acknowledged, before the upload gives up."""
PRIVATE_NOTE = (
    "YouTube kept this video private although {wanted} was asked: videos uploaded "
    "through an API project that has not passed YouTube's API compliance audit are "
    "restricted to private viewing. Request the audit for the Google Cloud project, "
    "then change the visibility (edit_post with visibility) or in YouTube Studio."
)
"""``Post.raw["privacy_note"]`` when a non-private upload came back private."""
_DONE = frozenset({"processed", "failed", "rejected", "deleted"})
_JSON = {"Content-Type": "application/json; charset=UTF-8"}


def privacy_of(draft: Draft, settings: YouTubeSettings) -> str:
    """The ``privacyStatus`` asked for: ``options["privacy_status"]``, else the draft's
    visibility, else the setting. A scheduled video (``publish_at``) is private until then."""
    wanted = draft.options.get("privacy_status") or draft.visibility or settings.privacy_status
    if wanted not in PRIVACY:
        raise InvalidContent(
            f"youtube: privacy status {wanted!r} is not one of {', '.join(PRIVACY)}",
            rule="privacy_status",
            platform="youtube",
        )
    return "private" if draft.options.get("publish_at") else str(wanted)


def _rfc3339(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidContent("youtube: publish_at needs a time zone", rule="publish_at",
                                 platform="youtube")
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(value)


def video_resource(draft: Draft, settings: YouTubeSettings) -> dict[str, Any]:
    """The ``snippet`` and ``status`` of a new video, from a draft.

    The first line of the text is the title and the rest the description, unless
    ``options["title"]`` gives the title (then the whole text is the description).
    Options: ``tags``, ``category_id``, ``privacy_status``, ``publish_at`` (a timezone-aware
    datetime or RFC 3339 string), ``made_for_kids``, ``contains_synthetic_media``,
    ``embeddable``, ``license``, ``public_stats_viewable``.
    """
    options = draft.options
    if options.get("title"):
        title, description = str(options["title"]), draft.text.strip()
    else:
        title, description = parse.split_text(draft.text)
    snippet: dict[str, Any] = {
        "title": title,
        "description": description,
        "categoryId": str(options.get("category_id") or settings.category_id),
    }
    if options.get("tags"):
        snippet["tags"] = [str(tag) for tag in options["tags"]]
    if draft.language:
        snippet["defaultLanguage"] = draft.language
    status: dict[str, Any] = {"privacyStatus": privacy_of(draft, settings)}
    if options.get("publish_at"):
        status["publishAt"] = _rfc3339(options["publish_at"])
    names = {
        "made_for_kids": "selfDeclaredMadeForKids",
        "contains_synthetic_media": "containsSyntheticMedia",
        "embeddable": "embeddable",
        "license": "license",
        "public_stats_viewable": "publicStatsViewable",
    }
    status.update({field: options[key] for key, field in names.items() if key in options})
    return {"snippet": snippet, "status": status}


def start_session(
    platform: Platform, settings: YouTubeSettings, draft: Draft, size: int, mime_type: str
) -> Flow[str]:
    """Initiate a resumable ``videos.insert``; return the upload session URL."""
    params: dict[str, Any] = {"uploadType": "resumable", "part": "snippet,status"}
    if "notify_subscribers" in draft.options:
        params["notifySubscribers"] = str(bool(draft.options["notify_subscribers"])).lower()
    response = yield Call(
        "POST",
        f"{settings.upload_url}/videos",
        params=params,
        json=video_resource(draft, settings),
        headers={
            **_JSON,
            "X-Upload-Content-Length": str(size),
            "X-Upload-Content-Type": mime_type,
        },
        idempotent=True,  # a session holds nothing until bytes arrive; a lost answer is re-asked
    )
    assert response is not None
    session = response.headers.get("location")
    if not session:
        raise PublishUncertain(
            "YouTube opened no upload session (no Location header)", platform="youtube",
            idempotency_key=draft.idempotency_key,
        )
    return str(session)


def _query_offset(session: str, upload: ChunkedUpload) -> Flow[Response]:
    """Ask the session how many bytes arrived (an empty PUT, ``bytes */total``)."""
    response = yield Call(
        "PUT",
        session,
        content=b"",
        headers={"Content-Range": upload.status_range()},
        idempotent=True,  # a question: asking twice changes nothing
        bucket="upload",
    )
    assert response is not None
    return response


def send_chunks(
    platform: Platform,
    session: str,
    content: bytes,
    settings: YouTubeSettings,
    *,
    progress: ProgressCallback | None = None,
    idempotency_key: str | None = None,
) -> Flow[Mapping[str, Any]]:
    """Send ``content`` to an upload session in chunks, resuming after interruptions from
    the offset the server acknowledged; return the video resource of the final answer."""
    upload = ChunkedUpload(
        total=len(content), chunk_size=settings.chunk_size, multiple=CHUNK_MULTIPLE,
        progress=progress,
    )
    stalls = 0
    while (span := upload.next_range()) is not None:
        first, last = span
        before = upload.offset
        try:
            response = yield Call(
                "PUT",
                session,
                content=content[first : last + 1],
                headers={"Content-Range": upload.content_range(span)},
                # never replayed whole by the driver: after a failure the flow asks the
                # server what arrived and sends only the rest
                idempotent=False,
                bucket="upload",
            )
        except (PublishUncertain, TransportError):
            try:
                response = yield from _query_offset(session, upload)
            except SocialkitError as error:
                if last + 1 < upload.total:
                    raise  # the video cannot exist before its last byte arrives
                raise PublishUncertain(
                    "the last chunk of the YouTube upload was sent but its answer was lost, "
                    "and the session could not be asked: the video may exist",
                    platform="youtube",
                    idempotency_key=idempotency_key,
                ) from error
        assert response is not None
        if response.status_code in (200, 201):
            upload.finish()
            return dict(platform.json(response))
        upload.acknowledge(offset_from_range(response.headers.get("range")))
        stalls = 0 if upload.offset > before else stalls + 1
        if stalls >= MAX_STALLS:
            raise PublishUncertain(
                f"the YouTube upload made no progress after {MAX_STALLS} interruptions "
                f"({upload.offset} of {upload.total} bytes arrived)",
                platform="youtube",
                idempotency_key=idempotency_key,
            )
        logger.debug("youtube upload: %d of %d bytes", upload.offset, upload.total)
    # every byte was acknowledged with a 308 but no video came back: ask once more
    response = yield from _query_offset(session, upload)
    if response.status_code in (200, 201):
        return dict(platform.json(response))
    raise PublishUncertain(
        "YouTube holds every byte of the upload but did not answer with the video",
        platform="youtube",
        idempotency_key=idempotency_key,
    )


def set_thumbnail(
    platform: Platform, settings: YouTubeSettings, video_id: str, image: MediaUpload
) -> Flow[None]:
    """``thumbnails.set``: a JPEG or PNG up to 2 MB (the channel must be verified)."""
    yield Call(
        "POST",
        f"{settings.upload_url}/thumbnails/set",
        params={"videoId": video_id, "uploadType": "media"},
        content=image.read(),
        headers={"Content-Type": image.mime_type},
        idempotent=True,  # setting the same image twice leaves one thumbnail
    )


def wait_for_processing(
    platform: Platform, settings: YouTubeSettings, video_id: str
) -> Flow[Mapping[str, Any] | None]:
    """Poll ``processingDetails`` and ``status`` until YouTube finished with the upload;
    the last resource seen (``None`` when the timeout is 0 or the video vanished)."""
    waited = 0.0
    latest: Mapping[str, Any] | None = None
    while waited <= settings.processing_timeout and settings.processing_timeout > 0:
        response = yield platform.call(
            "GET", "/youtube/v3/videos",
            params={"part": "processingDetails,status", "id": video_id},
        )
        found = parse.items(platform.json(response))
        if not found:
            return latest
        latest = found[0]
        status = (latest.get("status") or {}).get("uploadStatus")
        processing = (latest.get("processingDetails") or {}).get("processingStatus")
        if status in _DONE or processing in ("succeeded", "failed", "terminated"):
            return latest
        yield Sleep(settings.poll_interval)
        waited += settings.poll_interval
    return latest
