"""What X accepts in a post, checked before any request, and the body of ``POST /2/tweets``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...errors import InvalidContent
from ...models import Draft, MediaUpload
from .media import MAX_BYTES, MEDIA_TYPES

__all__ = ["check_draft", "create_body"]

_POLL_CHOICES = (2, 4)
_POLL_CHOICE_LENGTH = 25
_POLL_MINUTES = (5, 10080)
_PASSTHROUGH_OPTIONS = ("reply_settings", "quote_tweet_id")


def check_draft(draft: Draft) -> None:
    """X's rules beyond length and media counts: a GIF goes alone, media must be local
    bytes of a supported type and size, a poll has 2-4 short choices and no media."""
    kinds = [m.kind for m in draft.media]
    if "gif" in kinds and len(kinds) > 1:
        raise InvalidContent(
            "a GIF must be the only media of an X post", rule="max_gifs", platform="x"
        )
    for upload in draft.media:
        _check_upload(upload)
    poll = draft.options.get("poll")
    if poll is not None:
        _check_poll(poll, has_media=bool(draft.media))


def create_body(draft: Draft, media_ids: Sequence[str]) -> dict[str, Any]:
    """The CreatePostsRequest for a draft whose media were uploaded as ``media_ids``.

    ``text`` is always sent (X rejects an absent one, even with media).
    """
    body: dict[str, Any] = {"text": draft.text}
    if draft.reply_to_id:
        body["reply"] = {"in_reply_to_tweet_id": draft.reply_to_id}
    if media_ids:
        body["media"] = {"media_ids": list(media_ids)}
    poll = draft.options.get("poll")
    if poll is not None:
        body["poll"] = {
            "options": list(poll["options"]),
            "duration_minutes": int(poll["duration_minutes"]),
        }
    body.update({k: draft.options[k] for k in _PASSTHROUGH_OPTIONS if k in draft.options})
    return body


def _size(upload: MediaUpload) -> int | None:
    if upload.data is not None:
        return len(upload.data)
    if upload.path is not None:
        try:
            return int(upload.path.stat().st_size)
        except OSError as exc:
            raise InvalidContent(
                f"cannot read {upload.path}: {exc.strerror}", rule="media_file", platform="x"
            ) from None
    return None


def _check_upload(upload: MediaUpload) -> None:
    size = _size(upload)
    if size is None:
        raise InvalidContent(
            f"X cannot fetch media from a URL ({upload.url}); download it and attach the bytes",
            rule="media_url",
            platform="x",
        )
    if upload.mime_type not in MEDIA_TYPES:
        raise InvalidContent(
            f"X does not accept {upload.mime_type} media", rule="media_type", platform="x"
        )
    limit = MAX_BYTES[upload.kind]
    if not 0 < size <= limit:
        raise InvalidContent(
            f"{upload.kind} is {size} bytes; X accepts 1 to {limit}",
            rule="media_size", count=size, limit=limit, platform="x",
        )


def _check_poll(poll: Any, *, has_media: bool) -> None:
    def refuse(why: str) -> InvalidContent:
        return InvalidContent(f"poll: {why}", rule="poll", platform="x")

    if has_media:
        raise refuse("X does not allow a poll and media in one post")
    if not isinstance(poll, Mapping) or "options" not in poll or "duration_minutes" not in poll:
        raise refuse('give {"options": [...], "duration_minutes": N}')
    choices = list(poll["options"])
    low, high = _POLL_CHOICES
    if not low <= len(choices) <= high:
        raise refuse(f"{len(choices)} choices; X allows {low} to {high}")
    if any(not isinstance(c, str) or not 0 < len(c) <= _POLL_CHOICE_LENGTH for c in choices):
        raise refuse(f"each choice must be 1 to {_POLL_CHOICE_LENGTH} characters")
    minutes = poll["duration_minutes"]
    shortest, longest = _POLL_MINUTES
    if not isinstance(minutes, int) or not shortest <= minutes <= longest:
        raise refuse(f"duration_minutes must be {shortest} to {longest}")
