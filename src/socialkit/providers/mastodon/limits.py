"""An instance's content limits and Mastodon's rate-limit buckets and headers."""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial

import attrs

from ...text import TextRules, count_mastodon
from .parse import parse_datetime

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "bucket",
    "header_int",
    "header_time",
]

DEFAULT_MAX_CHARACTERS = 500
DEFAULT_URL_LENGTH = 23
DEFAULT_MAX_MEDIA = 4

_DELETE_PATH = re.compile(r"^/api/v1/statuses/[^/]+$")
_UNREBLOG_PATH = re.compile(r"^/api/v1/statuses/[^/]+/unreblog$")


@attrs.frozen
class Limits:
    """What ``GET /api/v2/instance`` says under ``configuration.statuses``."""

    max_characters: int = DEFAULT_MAX_CHARACTERS
    url_length: int = DEFAULT_URL_LENGTH
    max_media: int = DEFAULT_MAX_MEDIA

    def rules(self) -> TextRules:
        """These limits as text rules: Mastodon's count, one video, no mixing."""
        return TextRules(
            max_length=self.max_characters,
            count=partial(count_mastodon, url_length=self.url_length),
            max_images=self.max_media,
            max_videos=1,
            mixed_media=False,
        )


DEFAULT_LIMITS = Limits()
"""Mastodon's stock limits: 500 characters, URLs count 23, 4 attachments."""


def bucket(method: str, path: str) -> str:
    """The rate-limit bucket of a request; Mastodon limits these separately.

    ``media``: uploads (30 per 30 min); ``statuses``: posting (300 per 3 h);
    ``deletes``: deleting and un-boosting (30 per 30 min); ``default``: every other
    call (300 per 5 min per account). See docs.joinmastodon.org/api/rate-limits/.
    """
    method = method.upper()
    if method == "POST" and path in ("/api/v1/media", "/api/v2/media"):
        return "media"
    if method == "POST" and path == "/api/v1/statuses":
        return "statuses"
    if (method == "DELETE" and _DELETE_PATH.match(path)) or (
        method == "POST" and _UNREBLOG_PATH.match(path)
    ):
        return "deletes"
    return "default"


def header_int(value: str | None) -> int | None:
    """An integer header, or ``None`` when absent or garbled."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def header_time(value: str | None) -> datetime | None:
    """An ISO 8601 header (``X-RateLimit-Reset``) as aware UTC, or ``None``."""
    try:
        return parse_datetime(value)
    except ValueError:
        return None
