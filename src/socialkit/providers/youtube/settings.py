"""YouTube settings: the Google OAuth token (and how to refresh it), upload and quota knobs.

Quota defaults follow the YouTube Data API's quota calculator
(https://developers.google.com/youtube/v3/determine_quota_cost, read December 2026):
``search.list`` and ``videos.insert`` each have their own daily bucket of 100 calls at one
unit per call; every other method draws on a shared 10,000-unit daily pool (reads 1 unit,
writes 50). Older projects were documented with one 10,000-unit pool in which
``search.list`` cost 100 and ``videos.insert`` 1,600: set `LEGACY_QUOTA` for those.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pydantic import Field, SecretStr, model_validator

from ...credentials.configs import YOUTUBE_SCOPES
from ...errors import ConfigError
from ...platform import PlatformSettings

__all__ = [
    "CHUNK_MULTIPLE",
    "DAILY_QUOTA",
    "LEGACY_QUOTA",
    "QUOTA_COSTS",
    "QUOTA_POOLS",
    "SCOPES",
    "TOKEN_ENDPOINT",
    "YouTubeSettings",
]

TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token"
"""Google's OAuth 2 token endpoint (code exchange and ``grant_type=refresh_token``)."""

SCOPES = YOUTUBE_SCOPES
"""Upload videos; read, edit, delete, rate and moderate; read YouTube Analytics."""

CHUNK_MULTIPLE = 256 * 1024
"""Resumable upload chunks (all but the last) are multiples of 256 KiB."""

QUOTA_COSTS: Mapping[str, int] = MappingProxyType({
    "channels.list": 1,
    "commentThreads.list": 1,
    "commentThreads.insert": 50,
    "comments.list": 1,
    "comments.insert": 50,
    "comments.setModerationStatus": 50,
    "comments.delete": 50,
    "playlistItems.list": 1,
    "search.list": 1,
    "thumbnails.set": 50,
    "videos.list": 1,
    "videos.insert": 1,
    "videos.update": 50,
    "videos.rate": 50,
    "videos.delete": 50,
})
"""Units each Data API method costs (the current quota calculator)."""

QUOTA_POOLS: Mapping[str, str] = MappingProxyType({
    "search.list": "search",
    "videos.insert": "uploads",
})
"""Methods with their own daily bucket; every other method draws on ``"default"``."""

DAILY_QUOTA: Mapping[str, int] = MappingProxyType({
    "default": 10_000,
    "search": 100,
    "uploads": 100,
})
"""The daily budget of each bucket, in units."""

LEGACY_QUOTA: Mapping[str, Any] = MappingProxyType({
    "quota_costs": {**QUOTA_COSTS, "search.list": 100, "videos.insert": 1600},
    "quota_pools": {},
    "daily_quota": {"default": 10_000},
})
"""Settings for projects on the older single 10,000-unit pool:
``sk.connect("youtube", access_token=..., **LEGACY_QUOTA)``."""

MB = 1024 * 1024


class YouTubeSettings(PlatformSettings):
    """How to reach one YouTube channel.

    Attributes:
        access_token: A Google OAuth 2 access token with the scopes of `SCOPES`.
        refresh_token: Renews ``access_token`` (valid one hour) at ``token_endpoint``;
            needs ``client_id`` (and ``client_secret`` for a web or desktop client).
        client_id, client_secret: The Google Cloud project's OAuth client.
        expires_at: When ``access_token`` expires (Unix time), so it is refreshed ahead.
        analytics_url: The YouTube Analytics API root.
        upload_url: The root of the media upload endpoints.
        chunk_size: Bytes per resumable-upload chunk (a multiple of 256 KiB).
        privacy_status: ``private``, ``unlisted`` or ``public`` when a draft does not say.
        category_id: The ``snippet.categoryId`` of new videos (22, People & Blogs).
        poll_interval: Seconds between processing-status checks after an upload.
        processing_timeout: The most seconds to wait for processing; 0 does not wait.
        quota_costs: Units per method (see `QUOTA_COSTS`).
        quota_pools: Methods with their own daily bucket (see `QUOTA_POOLS`).
        daily_quota: Units per bucket per day (see `DAILY_QUOTA`); the budget resets at
            midnight Pacific Time.
    """

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    expires_at: float | None = None
    token_endpoint: str = TOKEN_ENDPOINT
    analytics_url: str = "https://youtubeanalytics.googleapis.com"
    upload_url: str = "https://www.googleapis.com/upload/youtube/v3"
    chunk_size: int = Field(default=8 * MB, ge=CHUNK_MULTIPLE, le=256 * MB)
    privacy_status: str = Field(default="private", pattern="^(private|unlisted|public)$")
    category_id: str = Field(default="22", pattern=r"^[0-9]+$")
    poll_interval: float = Field(default=10.0, gt=0)
    processing_timeout: float = Field(default=600.0, ge=0)
    quota_costs: Mapping[str, int] = Field(default_factory=lambda: dict(QUOTA_COSTS))
    quota_pools: Mapping[str, str] = Field(default_factory=lambda: dict(QUOTA_POOLS))
    daily_quota: Mapping[str, int] = Field(default_factory=lambda: dict(DAILY_QUOTA))

    @model_validator(mode="after")
    def _check(self) -> YouTubeSettings:
        if self.refresh_token is not None and not self.client_id:
            raise ConfigError(
                "youtube: refresh_token needs client_id (the OAuth client of the project)",
                field="client_id",
                platform="youtube",
            )
        if self.chunk_size % CHUNK_MULTIPLE:
            raise ConfigError(
                f"youtube: chunk_size must be a multiple of {CHUNK_MULTIPLE} bytes (256 KiB)",
                field="chunk_size",
                platform="youtube",
            )
        pools = {"default", *self.quota_pools.values()}
        missing = sorted(pools - set(self.daily_quota))
        if missing:
            raise ConfigError(
                f"youtube: daily_quota has no budget for bucket(s) {', '.join(missing)}",
                field="daily_quota",
                platform="youtube",
            )
        return self
