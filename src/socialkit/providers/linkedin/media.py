"""Media for LinkedIn posts: the Images API and the Videos API.

Images: ``POST /rest/images?action=initializeUpload`` (``initializeUploadRequest.owner``)
returns an ``uploadUrl`` and the ``urn:li:image:…``; the bytes are PUT to the upload URL.
LinkedIn's Images API page says that upload call "requires a valid OAuth token in the
'Authorization' header", so the token goes with it, but only when the URL is on a LinkedIn
host the platform trusts (`LinkedIn.trusted_hosts`); any other host gets no credential.

Videos: ``POST /rest/videos?action=initializeUpload`` (``owner``, ``fileSizeBytes``) returns
``uploadInstructions`` (byte ranges, each with its own URL); each range is PUT without the
token (the Videos API page: the upload URL "doesn't accept an OAuth token"), each answer's
``ETag`` is kept in order, ``action=finalizeUpload`` sends them as ``uploadedPartIds``, and
``GET /rest/videos/{urn}`` is polled until ``AVAILABLE``.

References: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
and https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ...errors import InvalidContent, ParseError, PermissionDenied, PlatformError
from ...models import MediaUpload
from ...platform import Call, Flow, Platform, Sleep
from .urns import encode

__all__ = ["MediaPolicy", "upload_image", "upload_video"]

_OCTET = {"Content-Type": "application/octet-stream"}


@attrs.frozen
class MediaPolicy:
    """How long to wait for LinkedIn to process a video, and how often to look."""

    poll_interval: float = 5.0
    max_processing_wait: float = 600.0


def _value(platform: Platform, response: Any) -> Mapping[str, Any]:
    body = platform.json(response)
    value = body.get("value") if isinstance(body, Mapping) else None
    if not isinstance(value, Mapping):
        raise ParseError("LinkedIn answered an upload step without a value", platform="linkedin")
    return value


def upload_image(platform: Platform, upload: MediaUpload, owner: str) -> Flow[str]:
    """Upload one image (or GIF) owned by ``owner``; return its ``urn:li:image:…``."""
    content = upload.read()
    response = yield platform.call(
        "POST",
        "/rest/images?action=initializeUpload",
        json={"initializeUploadRequest": {"owner": owner}},
        idempotent=True,  # a repeat leaves an unused image behind, never a post
    )
    value = _value(platform, response)
    yield Call("PUT", str(value["uploadUrl"]), content=content, headers=_OCTET)
    return str(value["image"])


def upload_video(
    platform: Platform, upload: MediaUpload, owner: str, policy: MediaPolicy
) -> Flow[str]:
    """Upload one video owned by ``owner`` part by part; return its ``urn:li:video:…``."""
    content = upload.read()
    response = yield platform.call(
        "POST",
        "/rest/videos?action=initializeUpload",
        json={
            "initializeUploadRequest": {
                "owner": owner,
                "fileSizeBytes": len(content),
                "uploadCaptions": False,
                "uploadThumbnail": False,
            }
        },
        idempotent=True,
    )
    value = _value(platform, response)
    video = str(value["video"])
    etags: list[str] = []
    for part in value["uploadInstructions"]:
        first, last = int(part["firstByte"]), int(part["lastByte"])
        sent = yield Call(
            "PUT",
            str(part["uploadUrl"]),
            content=content[first : last + 1],
            headers=_OCTET,
            authenticated=False,
        )
        etag = sent.headers.get("etag") if sent is not None else None
        if not etag:
            raise ParseError(
                f"LinkedIn answered video part {first}-{last} without an ETag", platform="linkedin"
            )
        etags.append(etag)
    yield platform.call(
        "POST",
        "/rest/videos?action=finalizeUpload",
        json={
            "finalizeUploadRequest": {
                "video": video,
                "uploadToken": str(value.get("uploadToken") or ""),
                "uploadedPartIds": etags,
            }
        },
        idempotent=True,
    )
    yield from _processed(platform, video, policy)
    return video


def _processed(platform: Platform, video: str, policy: MediaPolicy) -> Flow[None]:
    """Poll the video until ``AVAILABLE``; a token that may not read videos skips the wait."""
    waited = 0.0
    while True:
        try:
            response = yield platform.call("GET", f"/rest/videos/{encode(video)}")
        except PermissionDenied:
            return  # w_member_social alone cannot read assets back; post and let LinkedIn wait
        body = platform.json(response)
        status = body.get("status") if isinstance(body, Mapping) else None
        if status == "AVAILABLE":
            return
        if status == "PROCESSING_FAILED":
            why = body.get("processingFailureReason") or "processing failed"
            raise InvalidContent(
                f"LinkedIn could not process video {video}: {why}",
                rule="media_processing",
                platform="linkedin",
            )
        if waited + policy.poll_interval > policy.max_processing_wait:
            raise PlatformError(
                f"LinkedIn was still processing video {video} after {waited:.0f} s",
                platform="linkedin",
            )
        yield Sleep(policy.poll_interval)
        waited += policy.poll_interval
