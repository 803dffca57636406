"""Douyin video and image uploads: one request for a small video, parts for a large one.

- ``POST /api/douyin/v1/video/upload_video/?open_id=`` (multipart ``video``) →
  ``data.video.video_id``.
- ``POST /api/douyin/v1/video/init_video_part_upload/?open_id=`` → ``data.upload_id``;
  ``POST /api/douyin/v1/video/upload_video_part/?open_id=&upload_id=&part_number=``
  (multipart ``video``, part numbers from 1; parts of 5 to 20 MB, the last smaller);
  ``POST /api/douyin/v1/video/complete_video_part_upload/?open_id=&upload_id=`` →
  ``data.video.video_id``. Parts are required above 128 MB; 4 GB in all.
- ``POST /api/douyin/v1/video/upload_image/?open_id=`` (multipart ``image``) →
  ``data.image.image_id`` (the image field names are confirmed only from a maintained
  open-source client, SKIT.FlurlHttpClient.ByteDance).

A part that fails after the driver's own retries is sent again, after a pause
(`socialkit.uploads.send_parts`): the parts Douyin acknowledged are never sent twice.

Reference: developer.open-douyin.com, docs/resource/zh-CN/dop/develop/openapi/
video-management/douyin/create-video/ (upload-video, video-part-upload-init,
video-part-upload, video-part-upload-complete) and create-image-text/image-upload.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...errors import InvalidContent, PlatformError
from ...models import MediaUpload
from ...platform import Call, Flow, Platform
from ...uploads import ChunkedUpload, ProgressCallback, chunk_size_within, send_parts
from .settings import MAX_PART, MAX_VIDEO, MIN_PART, SINGLE_LIMIT, DouyinSettings

__all__ = ["part_plan", "upload_image", "upload_video"]

_V1 = "/api/douyin/v1/video"


def data_of(platform: Platform, response: Any) -> Mapping[str, Any]:
    """The ``data`` object of an answer (its errors were mapped by the driver)."""
    body = platform.json(response)
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(data, Mapping):
        raise PlatformError("Douyin answered without data", platform=platform.name)
    return data


def part_plan(size: int, settings: DouyinSettings) -> int | None:
    """The part size for a video of ``size`` bytes, or ``None`` to send it whole.

    Whole up to ``part_threshold`` (never above 128 MB); else parts of ``part_size``
    within 5..20 MB.
    """
    if size > MAX_VIDEO:
        raise InvalidContent(
            f"Douyin takes videos of at most 4 GB, this one has {size} bytes",
            rule="max_video_size", limit=MAX_VIDEO, count=size, platform="douyin",
        )
    if size <= min(settings.part_threshold, SINGLE_LIMIT):
        return None
    return chunk_size_within(settings.part_size, minimum=MIN_PART, maximum=MAX_PART)


def _file(upload: MediaUpload, content: bytes, fallback: str) -> dict[str, Any]:
    return {"video": (upload.filename or fallback, content, upload.mime_type)}


def upload_video(
    platform: Platform,
    settings: DouyinSettings,
    upload: MediaUpload,
    progress: ProgressCallback | None = None,
) -> Flow[str]:
    """Upload the video's bytes (whole or in parts); return its ``video_id``."""
    if upload.url is not None:
        raise InvalidContent(
            "Douyin uploads bytes: give a path or data, not a URL",
            rule="media_source", platform=platform.name,
        )
    content = upload.read()
    part = part_plan(len(content), settings)
    query = {"open_id": settings.open_id}
    if part is None:
        response = yield platform.call(
            "POST", f"{_V1}/upload_video/", params=query,
            files=_file(upload, content, "video.mp4"), idempotent=True, bucket="upload",
        )
        if progress is not None:
            progress(len(content), len(content))
        return str(data_of(platform, response)["video"]["video_id"])
    started = yield platform.call(
        "POST", f"{_V1}/init_video_part_upload/", params=query, json={}, idempotent=True,
        bucket="upload",
    )
    upload_id = str(data_of(platform, started)["upload_id"])
    state = ChunkedUpload(total=len(content), chunk_size=part, progress=progress)

    def part_call(number: int, span: tuple[int, int]) -> Call:
        return platform.call(
            "POST", f"{_V1}/upload_video_part/",
            params={**query, "upload_id": upload_id, "part_number": number},
            files=_file(upload, content[span[0] : span[1] + 1], f"part-{number}.mp4"),
            idempotent=True,  # a part sent again replaces itself
            bucket="upload",
        )

    yield from send_parts(state, part_call)
    done = yield platform.call(
        "POST", f"{_V1}/complete_video_part_upload/",
        params={**query, "upload_id": upload_id}, json={}, idempotent=True, bucket="upload",
    )
    state.finish()
    return str(data_of(platform, done)["video"]["video_id"])


def upload_image(platform: Platform, settings: DouyinSettings, image: MediaUpload) -> Flow[str]:
    """Upload one image for an image-text post; return its ``image_id``."""
    if image.url is not None:
        raise InvalidContent(
            "Douyin uploads image bytes: give a path or data, not a URL",
            rule="media_source", platform=platform.name,
        )
    response = yield platform.call(
        "POST", f"{_V1}/upload_image/", params={"open_id": settings.open_id},
        files={"image": (image.filename, image.read(), image.mime_type)},
        idempotent=True, bucket="upload",
    )
    return str(data_of(platform, response)["image"]["image_id"])
