"""A post's embed: images through ``uploadBlob``, a video through the video service, or a
link card. Every file is read and checked before the first upload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...models import Draft, MediaUpload
from ...platform import Call, Flow
from . import drafts, records, video, xrpc
from ._api import BlueskyAPI
from .dimensions import image_size, video_size
from .records import ImageBlob

__all__ = ["blob", "embed", "read"]

UPLOAD_BLOB = "com.atproto.repo.uploadBlob"


def read(upload: MediaUpload) -> Flow[bytes]:
    """A media file's bytes; a URL is downloaded first (without our credentials)."""
    if upload.url is None:
        return upload.read()
    response = yield Call("GET", upload.url, authenticated=False, bucket="download")
    assert response is not None
    return response.content


def blob(bsky: BlueskyAPI, data: bytes, mime_type: str) -> Flow[Mapping[str, Any]]:
    """``com.atproto.repo.uploadBlob``: the raw bytes with their Content-Type → a blob ref."""
    response = yield Call(
        "POST", xrpc.path(UPLOAD_BLOB), content=data, headers={"Content-Type": mime_type},
        idempotent=True,  # blobs are content-addressed: sending twice stores one
        bucket=xrpc.bucket(UPLOAD_BLOB),
    )
    ref: Mapping[str, Any] = bsky.json(response)["blob"]
    return ref


def embed(bsky: BlueskyAPI, draft: Draft) -> Flow[dict[str, Any] | None]:
    """The ``embed`` of the post ``draft`` makes, uploading what it needs."""
    card = draft.options.get("link_card")
    if card is not None:
        return (yield from _link_card(bsky, card))
    if not draft.media:
        return None
    files = []
    for upload in draft.media:
        data = yield from read(upload)
        drafts.check_media(upload, data)
        files.append((upload, data))
    if draft.media[0].kind == "video":
        upload, data = files[0]
        ref = yield from _video(bsky, upload, data)
        return records.video_embed(ref, upload.alt_text, video_size(data))
    images = []
    for upload, data in files:
        ref = yield from blob(bsky, data, upload.mime_type)
        images.append(ImageBlob(ref, upload.alt_text or "", image_size(data)))
    return records.images_embed(images)


def _link_card(bsky: BlueskyAPI, card: Mapping[str, Any]) -> Flow[dict[str, Any]]:
    thumb = card.get("thumb")
    thumb_ref = None
    if isinstance(thumb, MediaUpload):
        data = yield from read(thumb)
        drafts.check_size(thumb, drafts.MAX_THUMB_BYTES, "max_thumb_bytes", data)
        thumb_ref = yield from blob(bsky, data, thumb.mime_type)
    return records.external_embed(card, thumb_ref)


def _video(bsky: BlueskyAPI, upload: MediaUpload, data: bytes) -> Flow[Mapping[str, Any]]:
    did = yield from bsky.account_did()
    return (yield from video.process(
        data, filename=upload.filename, did=did, pds=bsky.session.endpoint,
        video_service=bsky.settings.video_service, platform=bsky.name, wait=bsky.video_wait,
    ))
