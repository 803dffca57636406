"""Errors specific to the Mastodon provider (all `SocialkitError` subclasses)."""

from __future__ import annotations

from ...errors import PlatformError

__all__ = ["MediaNotReady"]


class MediaNotReady(PlatformError):
    """An uploaded media attachment was still being processed when the wait ran out.

    Attributes:
        media_id: The attachment's id; it may still become usable later.
    """

    def __init__(self, message: str, *, media_id: str, platform: str | None = None) -> None:
        super().__init__(message, platform=platform)
        self.media_id = media_id
