"""Douyin settings: the user's token and ``open_id``, how to renew them, how videos go up.

References (抖音开放平台, developer.open-douyin.com, docs/resource/zh-CN/dop/develop/openapi):
account-permission/get-access-token, refresh-access-token, refresh-token (renew), and
video-management/douyin/create-video/upload-video (sizes: parts of 5 to 20 MB, required
above 128 MB, 4 GB in all).
"""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from ...errors import ConfigError
from ...platform import PlatformSettings

__all__ = ["API", "MAX_PART", "MAX_VIDEO", "MB", "MIN_PART", "SINGLE_LIMIT", "DouyinSettings"]

API = "https://open.douyin.com"
MB = 1024 * 1024
MIN_PART = 5 * MB
"""The smallest part of a part upload (every part but the last)."""
MAX_PART = 20 * MB
"""The largest part Douyin recommends."""
SINGLE_LIMIT = 128 * MB
"""Above this, a video must go up in parts."""
MAX_VIDEO = 4 * 1024 * MB
"""The largest video Douyin takes (4 GB)."""


class DouyinSettings(PlatformSettings):
    """How to reach one Douyin (抖音) account.

    Attributes:
        access_token: The user's access token (``act.…``, valid 15 days), sent in the
            ``access-token`` header.
        open_id: The user's ``open_id``, from the token answer; every call names it.
        refresh_token: Renews ``access_token`` (``rft.…``, valid 30 days; renewed itself
            with ``/oauth/renew_refresh_token/`` a limited number of times); needs
            ``client_key``.
        client_key, client_secret: The app's credentials (the secret is needed for the
            app-level ``client_token`` only).
        expires_at: When ``access_token`` expires (Unix time), so it is refreshed ahead.
        refresh_expires_at: When ``refresh_token`` expires; a day before, it is renewed.
        scope: The scopes the user granted (the token answer's ``scope``, comma-separated);
            capabilities whose scope is missing are reported as unsupported.
        part_size: Bytes per part of a part upload (5 to 20 MB).
        part_threshold: Videos larger than this go up in parts (at most 128 MB, above
            which Douyin requires parts).
    """

    access_token: SecretStr
    open_id: str = Field(min_length=1)
    refresh_token: SecretStr | None = None
    client_key: str | None = None
    client_secret: SecretStr | None = None
    expires_at: float | None = None
    refresh_expires_at: float | None = None
    scope: str | None = None
    part_size: int = Field(default=MAX_PART, ge=MIN_PART, le=MAX_PART)
    part_threshold: int = Field(default=50 * MB, ge=1, le=SINGLE_LIMIT)

    @model_validator(mode="after")
    def _refresh_needs_the_app(self) -> DouyinSettings:
        if self.refresh_token is not None and not self.client_key:
            raise ConfigError(
                "douyin: refresh_token needs client_key to refresh", field="client_key",
                platform="douyin",
            )
        return self
