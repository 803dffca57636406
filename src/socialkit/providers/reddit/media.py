"""Media for image, video and gallery posts: an upload lease, then the file to its bucket.

``POST /api/media/asset.json`` (``filepath``, ``mimetype``) answers with a lease:
``args.action`` (a scheme-less URL of Reddit's S3-style upload bucket) and ``args.fields``
(``[{"name", "value"}]``, the form fields the bucket checks), and ``asset`` (its
``asset_id`` and a ``websocket_url`` that reports processing). The file then goes in a
multipart form POST to ``https:{action}`` with those fields and ``file`` last, without
Reddit's credentials (the bucket is not a Reddit API host). The media's URL is
``https:{action}/{key}``; galleries refer to the ``asset_id`` instead.

Reference: https://www.reddit.com/dev/api (``/api/submit`` kinds ``image`` and ``video``,
``/api/submit_gallery_post.json``); the lease endpoint is undocumented there and follows
the shape the mature clients (PRAW's ``Subreddit._upload_media``) rely on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ...errors import InvalidContent, ParseError
from ...models import MediaUpload
from ...platform import Call

if TYPE_CHECKING:
    from ...platform import Flow, Platform

__all__ = ["Asset", "upload"]

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})


@attrs.frozen
class Asset:
    """An uploaded file: its URL (for ``/api/submit``) and id (for galleries)."""

    url: str
    asset_id: str | None
    websocket_url: str | None = None


def _lease(body: object) -> tuple[str, dict[str, str], Mapping[str, Any]]:
    if not isinstance(body, Mapping) or not isinstance(body.get("args"), Mapping):
        raise ParseError("Reddit answered /api/media/asset.json without a lease",
                         platform="reddit")
    args = body["args"]
    action = args.get("action")
    fields = args.get("fields")
    if not isinstance(action, str) or not action or not isinstance(fields, Sequence):
        raise ParseError("Reddit's upload lease has no action or fields", platform="reddit")
    form = {
        str(f["name"]): str(f["value"])
        for f in fields
        if isinstance(f, Mapping) and "name" in f and "value" in f
    }
    if "key" not in form:
        raise ParseError("Reddit's upload lease has no key", platform="reddit")
    url = action if action.startswith("https://") else "https:" + action
    if not url.startswith("https://"):
        raise ParseError("Reddit's upload lease points to a non-HTTPS address",
                         platform="reddit")
    asset = body.get("asset") if isinstance(body.get("asset"), Mapping) else {}
    assert isinstance(asset, Mapping)
    return url.rstrip("/"), form, asset


def check(media: MediaUpload) -> None:
    """Refuse what Reddit cannot take: URL-only media, unknown types."""
    if media.data is None and media.path is None:
        raise InvalidContent(
            "Reddit posts media uploaded to its own bucket; give the file (path or data), "
            "or post the address as a link with options={'url': ...}",
            rule="media_source", platform="reddit",
        )
    if media.mime_type not in IMAGE_TYPES | VIDEO_TYPES:
        raise InvalidContent(
            f"Reddit takes JPEG, PNG and GIF images and MP4 and MOV videos, not "
            f"{media.mime_type}", rule="media_type", platform="reddit",
        )


def upload(platform: Platform, media: MediaUpload) -> Flow[Asset]:
    """Lease an upload, send the file to the bucket, and return the asset."""
    response = yield platform.call(
        "POST",
        "/api/media/asset.json",
        data={"filepath": media.filename, "mimetype": media.mime_type},
    )
    url, form, asset = _lease(platform.json(response))
    yield Call(
        "POST",
        url,
        data=form,
        files={"file": (media.filename, media.read(), media.mime_type)},
        authenticated=False,  # the bucket is not Reddit's API: no token goes there
        idempotent=True,  # the same key is overwritten by a second attempt
        bucket="upload",
    )
    websocket = asset.get("websocket_url")
    return Asset(
        url=f"{url}/{form['key']}",
        asset_id=str(asset["asset_id"]) if asset.get("asset_id") else None,
        websocket_url=str(websocket) if isinstance(websocket, str) else None,
    )
