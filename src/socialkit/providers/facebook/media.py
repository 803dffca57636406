"""Form and multipart bodies for Page photos and videos.

A photo or video given by URL is fetched by Facebook (``url`` / ``file_url``); a local file
or bytes goes up as the multipart ``source``. Several photos are uploaded unpublished and
attached to one feed post with ``attached_media[i]={"media_fbid": ...}`` (Pages API
"Posts" guide). Large videos need the Resumable Upload API, which socialkit does not drive:
a local video over `VIDEO_UPLOAD_LIMIT` is refused before any request.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ...errors import InvalidContent
from ...models import MediaUpload

__all__ = ["VIDEO_UPLOAD_LIMIT", "attached_media", "check_video_size", "photo", "video"]

VIDEO_UPLOAD_LIMIT = 1 << 30
"""The largest local video sent in one multipart request (1 GiB)."""

Body = tuple[dict[str, Any], dict[str, Any] | None]


def _source(upload: MediaUpload, url_field: str) -> Body:
    if upload.url is not None:
        return {url_field: upload.url}, None
    return {}, {"source": (upload.filename, upload.read(), upload.mime_type)}


def photo(upload: MediaUpload, *, message: str | None = None, published: bool = True) -> Body:
    """``POST /{page-id}/photos``: the photo, its alt text, and the post text when published."""
    data, files = _source(upload, "url")
    data["alt_text_custom"] = upload.alt_text
    if published:
        data["message"] = message or None
    else:
        data["published"] = False
    return data, files


def video(upload: MediaUpload, *, description: str, title: str | None) -> Body:
    """``POST /{page-id}/videos`` on graph-video.facebook.com."""
    data, files = _source(upload, "file_url")
    data.update(description=description or None, title=title)
    return data, files


def attached_media(photo_ids: Sequence[str]) -> dict[str, str]:
    """The ``attached_media[i]`` parameters of a feed post carrying unpublished photos."""
    return {
        f"attached_media[{index}]": json.dumps({"media_fbid": photo_id})
        for index, photo_id in enumerate(photo_ids)
    }


def check_video_size(upload: MediaUpload, platform: str) -> None:
    """Refuse a local video too large for one request, before anything is read or sent."""
    if upload.data is not None:
        size = len(upload.data)
    elif upload.path is not None:
        size = upload.path.stat().st_size
    else:
        return
    if size > VIDEO_UPLOAD_LIMIT:
        raise InvalidContent(
            f"the video is {size} bytes; {platform} takes at most {VIDEO_UPLOAD_LIMIT} bytes "
            "in one upload here. Give its public URL instead (MediaUpload(url=...)): Facebook "
            "fetches it, whatever its size",
            rule="max_video_bytes",
            count=size,
            limit=VIDEO_UPLOAD_LIMIT,
            platform=platform,
        )
