"""LinkedIn settings: the token, the author URN, and the ``LinkedIn-Version`` month.

References: https://learn.microsoft.com/en-us/linkedin/marketing/versioning and
https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens
"""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from ...errors import ConfigError
from ...platform import PlatformSettings

__all__ = ["DEFAULT_API_VERSION", "TOKEN_ENDPOINT", "LinkedInSettings"]

DEFAULT_API_VERSION = "202608"
"""The ``LinkedIn-Version`` sent when none is set: a released month (see
`socialkit.providers.linkedin.versions`). LinkedIn supports each month for at least a year;
raise it to a newer released month as versions are sunset (LinkedIn answers 426
``NONEXISTENT_VERSION`` for a sunset month or one never released)."""

_VERSION = r"^20[0-9]{2}(0[1-9]|1[0-2])(\.[0-9]{2})?$"

TOKEN_ENDPOINT = "https://www.linkedin.com/oauth/v2/accessToken"
"""Where LinkedIn's programmatic refresh tokens are exchanged (OAuth 2.0 refresh grant)."""


class LinkedInSettings(PlatformSettings):
    """How to reach one LinkedIn member or organization page.

    Attributes:
        access_token: A 3-legged OAuth 2.0 member token (scopes: ``w_member_social`` or
            ``w_organization_social`` to publish, plus the read scopes in the docs).
        author: Who posts: ``urn:li:person:{id}`` or ``urn:li:organization:{id}``.
        api_version: The ``LinkedIn-Version`` header, ``YYYYMM`` (or ``YYYYMM.RR``).
        refresh_token: Renews ``access_token`` (apps approved for programmatic refresh
            tokens only); needs ``client_id`` and ``client_secret``.
        expires_at: When ``access_token`` expires (Unix time), so it is refreshed ahead.
    """

    access_token: SecretStr
    author: str = Field(pattern=r"^urn:li:(person|organization):[A-Za-z0-9_-]+$")
    api_version: str = Field(default=DEFAULT_API_VERSION, pattern=_VERSION)
    refresh_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    expires_at: float | None = None
    token_endpoint: str = TOKEN_ENDPOINT

    @model_validator(mode="after")
    def _refresh_needs_client(self) -> LinkedInSettings:
        if self.refresh_token is not None and not (self.client_id and self.client_secret):
            raise ConfigError(
                "linkedin: refresh_token needs client_id and client_secret to refresh",
                field="client_id" if not self.client_id else "client_secret",
                platform="linkedin",
            )
        return self

    @property
    def is_organization(self) -> bool:
        """Whether the author is an organization (page) rather than a member."""
        return self.author.startswith("urn:li:organization:")
