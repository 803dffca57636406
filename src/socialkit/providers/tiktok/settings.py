"""TikTok settings: the user token (and how to refresh it), and how posts are sent.

References: https://developers.tiktok.com/doc/oauth-user-access-token-management,
https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide (chunk sizes) and
https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info (privacy levels)
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator

from ...errors import ConfigError
from ...platform import PlatformSettings

__all__ = ["MB", "PRIVACY_LEVELS", "TOKEN_ENDPOINT", "PrivacyLevel", "TikTokSettings"]

TOKEN_ENDPOINT = "https://open.tiktokapis.com/v2/oauth/token/"
"""Where TikTok's user access tokens are refreshed (``grant_type=refresh_token``)."""

MB = 1024 * 1024

PrivacyLevel = Literal[
    "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"
]
PRIVACY_LEVELS: tuple[str, ...] = (
    "PUBLIC_TO_EVERYONE",
    "MUTUAL_FOLLOW_FRIENDS",
    "FOLLOWER_OF_CREATOR",
    "SELF_ONLY",
)
"""The ``privacy_level`` values of the Content Posting API."""


class TikTokSettings(PlatformSettings):
    """How to reach one TikTok creator.

    Attributes:
        access_token: A user access token (``act.…``) with the scopes of the docs.
        refresh_token: Renews ``access_token`` (valid 24 hours) at ``token_endpoint``;
            needs ``client_key`` and ``client_secret``.
        client_key, client_secret: The app's credentials, for the refresh.
        expires_at: When ``access_token`` expires (Unix time), so it is refreshed ahead.
        privacy_level: Who sees new posts when a draft does not say (TikTok wants the
            user to choose; there is no default).
        chunk_size: Bytes per video upload chunk (TikTok: 5 to 64 MB).
        chunk_resumes: How many times a chunk that failed in transit or with a 5xx
            (after the driver's own retries) is sent again before the publish fails.
        chunk_resume_delay: Seconds before a chunk is sent again, times its failures.
        poll_interval: Seconds between publish status checks.
        publish_timeout: The most seconds to wait for TikTok to finish a post.
        moderation_wait: After ``PUBLISH_COMPLETE``, how long to keep asking for the
            public post id (TikTok gives it once moderation has passed).
    """

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    client_key: str | None = None
    client_secret: SecretStr | None = None
    expires_at: float | None = None
    token_endpoint: str = TOKEN_ENDPOINT
    privacy_level: PrivacyLevel | None = None
    chunk_size: int = Field(default=10 * MB, ge=5 * MB, le=64 * MB)
    chunk_resumes: int = Field(default=3, ge=0)
    chunk_resume_delay: float = Field(default=2.0, ge=0)
    poll_interval: float = Field(default=5.0, gt=0)
    publish_timeout: float = Field(default=600.0, gt=0)
    moderation_wait: float = Field(default=60.0, ge=0)

    @model_validator(mode="after")
    def _refresh_needs_client(self) -> TikTokSettings:
        if self.refresh_token is not None and not (self.client_key and self.client_secret):
            raise ConfigError(
                "tiktok: refresh_token needs client_key and client_secret to refresh",
                field="client_key" if not self.client_key else "client_secret",
                platform="tiktok",
            )
        return self
