"""What a draft may hold on Bluesky, checked before any request.

The text limits (300 graphemes, 3,000 bytes) are `Bluesky.rules`; this module checks the
rest: options, visibility, languages, the link card, and each media file's type and size
(the Lexicons' ``maxSize``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...errors import InvalidContent
from ...models import Draft, MediaUpload
from .ids import is_language

__all__ = ["MAX_IMAGE_BYTES", "MAX_THUMB_BYTES", "MAX_VIDEO_BYTES", "OPTIONS", "check",
           "check_media", "check_size"]

PLATFORM = "bluesky"
OPTIONS = frozenset({"link_card", "langs", "quote"})
MAX_IMAGE_BYTES = 2_000_000  # app.bsky.embed.images#image: maxSize
MAX_THUMB_BYTES = 1_000_000  # app.bsky.embed.external#external.thumb: maxSize
MAX_VIDEO_BYTES = 300_000_000  # app.bsky.embed.video: maxSize
MAX_LANGS = 3  # app.bsky.feed.post: langs maxLength


def _refuse(message: str, rule: str, **kw: Any) -> InvalidContent:
    return InvalidContent(message, rule=rule, platform=PLATFORM, **kw)


def check(draft: Draft) -> None:
    """Raise `InvalidContent` for the first thing in ``draft`` Bluesky cannot publish."""
    unknown = set(draft.options) - OPTIONS
    if unknown:
        raise _refuse(
            f"unknown Bluesky option(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(OPTIONS))}", "options",
        )
    if draft.visibility not in (None, "public"):
        raise _refuse(
            f"every Bluesky post is public; cannot publish as {draft.visibility!r}", "visibility"
        )
    _check_langs(draft)
    card = draft.options.get("link_card")
    if card is not None:
        _check_card(card, draft)
    quote = draft.options.get("quote")
    if quote is not None and (not isinstance(quote, str) or not quote):
        raise _refuse("quote must be the id (at:// URI or bsky.app link) of a post", "quote")
    for upload in draft.media:
        check_media(upload)


def langs(draft: Draft) -> list[str]:
    """The post's ``langs``: the ``langs`` option, else the draft's language."""
    chosen = draft.options.get("langs") or ([draft.language] if draft.language else [])
    return [str(lang) for lang in chosen]


def _check_langs(draft: Draft) -> None:
    chosen = draft.options.get("langs")
    if chosen is not None and (
        not isinstance(chosen, Sequence) or isinstance(chosen, str) or len(chosen) > MAX_LANGS
    ):
        raise _refuse(f"langs must be a list of at most {MAX_LANGS} languages", "langs")
    for lang in [*(chosen or []), *([draft.language] if draft.language else [])]:
        if not isinstance(lang, str) or not is_language(lang):
            raise _refuse(f"{lang!r} is not a BCP 47 language tag (like en or pt-BR)", "langs")


def _check_card(card: object, draft: Draft) -> None:
    if not isinstance(card, Mapping) or not isinstance(card.get("uri"), str):
        raise _refuse('link_card must be {"uri": ..., "title": ..., "description": ...}',
                      "link_card")
    if draft.media:
        raise _refuse("a post carries either media or a link card, not both", "mixed_media")
    thumb = card.get("thumb")
    if thumb is not None and not (isinstance(thumb, MediaUpload) and thumb.kind == "image"):
        raise _refuse("link_card thumb must be an image MediaUpload", "link_card")
    if isinstance(thumb, MediaUpload):
        check_size(thumb, MAX_THUMB_BYTES, "max_thumb_bytes")


def check_media(upload: MediaUpload, data: bytes | None = None) -> None:
    """An image must fit 2 MB; a video must be an MP4 within 300 MB."""
    if upload.kind in ("image", "gif"):
        check_size(upload, MAX_IMAGE_BYTES, "max_image_bytes", data)
    elif upload.kind == "video":
        if upload.mime_type != "video/mp4":
            raise _refuse(f"Bluesky videos must be MP4, not {upload.mime_type}", "media_type")
        check_size(upload, MAX_VIDEO_BYTES, "max_video_bytes", data)


def _size(upload: MediaUpload) -> int | None:
    if upload.data is not None:
        return len(upload.data)
    if upload.path is not None:
        try:
            return upload.path.stat().st_size
        except OSError:
            return None
    return None  # a URL: measured once downloaded


def check_size(upload: MediaUpload, limit: int, rule: str, data: bytes | None = None) -> None:
    """Refuse a file over ``limit`` bytes (``data`` when already read, else its size on disk)."""
    size = len(data) if data is not None else _size(upload)
    if size is not None and size > limit:
        raise _refuse(f"{upload.filename} is {size} bytes; the limit is {limit}", rule,
                      count=size, limit=limit)
