"""The parameters of Instagram media containers (``POST /{ig-user-id}/media``).

One image: ``image_url`` (+ ``alt_text``); one video: a reel, ``media_type=REELS`` +
``video_url``; several: each item a container with ``is_carousel_item=true`` (videos as
``media_type=VIDEO``), then ``media_type=CAROUSEL`` with the ``children`` ids. The caption and
the draft's options go on the container that is published.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...models import Draft, MediaUpload

__all__ = ["OPTIONS", "carousel", "item", "single"]

OPTIONS = frozenset({"location_id", "share_to_feed", "cover_url", "thumb_offset"})
"""Draft options passed to the published container as they are."""


def item(upload: MediaUpload, *, carousel: bool = False) -> dict[str, Any]:
    """The container of one image or video, alone or as a carousel item."""
    if upload.kind == "video":
        params: dict[str, Any] = {
            "media_type": "VIDEO" if carousel else "REELS",
            "video_url": upload.url,
        }
    else:
        params = {"image_url": upload.url, "alt_text": upload.alt_text}
    if carousel:
        params["is_carousel_item"] = True
    return params


def _published(draft: Draft) -> dict[str, Any]:
    return {"caption": draft.text or None, **{k: draft.options[k] for k in sorted(draft.options)}}


def single(draft: Draft) -> dict[str, Any]:
    """The container of a one-item post."""
    return item(draft.media[0]) | _published(draft)


def carousel(draft: Draft, children: Sequence[str]) -> dict[str, Any]:
    """The carousel container over the item containers ``children``."""
    return {"media_type": "CAROUSEL", "children": ",".join(children)} | _published(draft)
