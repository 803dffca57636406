"""Media upload through X's v2 chunked endpoints, resumable segment by segment.

INITIALIZE (type, size, category) → APPEND each segment (multipart ``media`` +
``segment_index``) → FINALIZE → poll ``processing_info`` (``GET /2/media/upload?
command=STATUS``) with `Sleep` steps until ``succeeded`` → optional alt text through
``POST /2/media/metadata``.

Re-sending a segment under the same index replaces it, so APPEND is idempotent: the
driver retries a failed segment, and when it gives up the flow resumes from that
segment (never from the start of the file), through the shared `socialkit.uploads`
helper (`ChunkedUpload` cuts the segments, `send_parts` sends them from index 0 and
re-sends one that failed in transit or with a 5xx). INITIALIZE and FINALIZE are
retried too: a repeat leaves at most an unused upload session behind, never a second
post. Reference: https://docs.x.com/x-api/media/quickstart/media-upload-chunked
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ...errors import InvalidContent, PlatformError
from ...models import MediaUpload, native_id
from ...platform import Call, Flow, Platform, Sleep
from ...uploads import ChunkedUpload, ProgressCallback, chunk_size_within, send_parts, transient

__all__ = ["CATEGORIES", "MAX_BYTES", "MEDIA_TYPES", "UploadPolicy", "upload_media"]

CATEGORIES = {"image": "tweet_image", "gif": "tweet_gif", "video": "tweet_video"}
"""``media_category`` per media kind."""

MEDIA_TYPES = frozenset({
    "image/jpeg", "image/pjpeg", "image/png", "image/gif", "image/webp", "image/bmp",
    "image/tiff", "video/mp4", "video/webm", "video/mp2t", "video/quicktime",
})
"""The ``media_type`` values INITIALIZE accepts for post media."""

MAX_BYTES = {"image": 5 * 1024 * 1024, "gif": 15 * 1024 * 1024, "video": 512 * 1024 * 1024}
"""X's size limit per media kind."""

MAX_SEGMENT = 5 * 1024 * 1024
"""The largest APPEND segment."""
MAX_SEGMENTS = 1000
"""``segment_index`` runs from 0 to 999."""

@attrs.frozen
class UploadPolicy:
    """How uploads are cut and resumed.

    Attributes:
        chunk_size: Bytes per APPEND segment (X accepts up to 5 MB and 1000 segments: a
            file that would need more gets larger ones).
        resumes: How many times the flow re-sends a segment after the driver gave up on it.
        resume_delay: Seconds to wait before a resume, times the failures of the segment
            so far.
        max_processing_wait: The most seconds spent waiting for X to process a video or GIF.
    """

    chunk_size: int = 4 * 1024 * 1024
    resumes: int = 3
    resume_delay: float = 2.0
    max_processing_wait: float = 600.0


def _data(platform: Platform, response: Any) -> Mapping[str, Any]:
    body = platform.json(response)
    data = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(data, Mapping):
        raise PlatformError("X answered a media upload step without data", platform="x")
    return data


def _processing(
    platform: Platform, media_id: str, data: Mapping[str, Any], policy: UploadPolicy
) -> Flow[None]:
    waited = 0.0
    while True:
        info = data.get("processing_info")
        state = info.get("state") if isinstance(info, Mapping) else "succeeded"
        if state == "succeeded":
            return
        if state == "failed":
            assert isinstance(info, Mapping)
            problem = info.get("error")
            why = problem.get("message") if isinstance(problem, Mapping) else None
            raise InvalidContent(
                f"X could not process media {media_id}: {why or 'processing failed'}",
                rule="media_processing",
                platform="x",
            )
        assert isinstance(info, Mapping)
        delay = float(info.get("check_after_secs") or 1)
        if waited + delay > policy.max_processing_wait:
            raise PlatformError(
                f"X was still processing media {media_id} after {waited:.0f} s", platform="x"
            )
        yield Sleep(delay)
        waited += delay
        response = yield platform.call(
            "GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id}
        )
        data = _data(platform, response)


def upload_media(
    platform: Platform,
    upload: MediaUpload,
    policy: UploadPolicy,
    progress: ProgressCallback | None = None,
) -> Flow[str]:
    """Upload one file and return its ``media_id``, ready to attach to a post;
    ``progress(acknowledged_bytes, total_bytes)`` is called as segments arrive."""
    content = upload.read()
    response = yield platform.call(
        "POST",
        "/2/media/upload/initialize",
        json={
            "media_type": upload.mime_type,
            "total_bytes": len(content),
            "media_category": CATEGORIES[upload.kind],
        },
        idempotent=True,
    )
    media_id = native_id(_data(platform, response)["id"])

    def append(index: int, span: tuple[int, int]) -> Call:
        return platform.call(
            "POST",
            f"/2/media/upload/{media_id}/append",
            data={"segment_index": str(index)},
            files={"media": (upload.filename, content[span[0] : span[1] + 1],
                             "application/octet-stream")},
            idempotent=True,
        )

    fewest = -(-len(content) // MAX_SEGMENTS) or 1  # the smallest size within 1000 segments
    size = chunk_size_within(policy.chunk_size, minimum=fewest, maximum=MAX_SEGMENT)
    parts = ChunkedUpload(total=len(content), chunk_size=size, progress=progress)
    yield from send_parts(parts, append, retries=policy.resumes, pause=policy.resume_delay,
                          first=0, resend=transient)
    response = yield platform.call(
        "POST", f"/2/media/upload/{media_id}/finalize", idempotent=True
    )
    yield from _processing(platform, media_id, _data(platform, response), policy)
    if upload.alt_text:
        yield platform.call(
            "POST",
            "/2/media/metadata",
            json={"id": media_id, "metadata": {"alt_text": {"text": upload.alt_text}}},
            idempotent=True,
        )
    return media_id
