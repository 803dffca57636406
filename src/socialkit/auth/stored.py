"""What a token store keeps per profile: the platform, its settings and the OAuth token.

Secrets are `SecretStr` in memory (never in a repr); only a store's own
serialisation (`StoredProfile.to_json`) reveals them, to write them to disk or
the OS keyring.
"""

from __future__ import annotations

import re
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from ..credentials.core import ClientAuthMethod, OAuth2Token
from ..errors import ConfigError

__all__ = ["SECRET_SETTINGS", "StoredProfile", "StoredToken", "check_profile_name"]

SECRET_SETTINGS = frozenset(
    {
        "access_token",
        "app_password",
        "app_secret",
        "bearer_token",
        "client_secret",
        "consumer_secret",
        "password",
        "refresh_token",
        "token",
        "token_secret",
    }
)
"""Setting names whose values are secrets, kept as `SecretStr`."""

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:/+-]{0,127}$")


def check_profile_name(name: str) -> str:
    """``name`` when it is a valid profile name, else `ConfigError`."""
    if not isinstance(name, str) or not _PROFILE_NAME.match(name):
        raise ConfigError(
            f"invalid profile name {name!r}: use letters, digits and . _ @ : / + -",
            field="profile",
        )
    return name


class StoredToken(BaseModel):
    """The fields of an OAuth 2 token that survive a restart."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    access_token: SecretStr | None = None
    refresh_token: SecretStr | None = None
    expires_at: float | None = None
    token_endpoint: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    scope: str | None = None
    auth_method: ClientAuthMethod = "client_secret_post"

    @classmethod
    def of(cls, token: OAuth2Token) -> StoredToken:
        """The storable fields of a live token."""
        return cls(
            access_token=token.access_token,
            refresh_token=token.refresh_token,
            expires_at=token.expires_at,
            token_endpoint=token.token_endpoint,
            client_id=token.client_id,
            client_secret=token.client_secret,
            scope=token.scope,
            auth_method=token.auth_method,
        )

    @property
    def refreshable(self) -> bool:
        """Whether the token can be renewed without the user."""
        return self.refresh_token is not None and self.token_endpoint is not None

    def credential(self, platform: str | None = None) -> OAuth2Token:
        """A live `OAuth2Token` with these fields."""
        return OAuth2Token(
            self.access_token,
            refresh_token=self.refresh_token,
            expires_at=self.expires_at,
            token_endpoint=self.token_endpoint,
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=self.scope,
            platform=platform,
            auth_method=self.auth_method,
        )


class StoredProfile(BaseModel):
    """One saved login: which platform, its settings (secrets included) and its token.

    Attributes:
        platform: The platform name (``"mastodon"``).
        settings: Settings for `socialkit.connect`; secret ones are `SecretStr`.
        token: The OAuth 2 token, when the login produced a renewable one.
        kind: ``"profile"`` for a user login, ``"app"`` for a cached app registration.
        updated_at: When it was last written (Unix time).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    platform: str
    settings: dict[str, Any] = Field(default_factory=dict)
    token: StoredToken | None = None
    kind: str = "profile"
    updated_at: float = Field(default_factory=time.time)

    @field_validator("settings")
    @classmethod
    def _hide_secrets(cls, value: dict[str, Any]) -> dict[str, Any]:
        return {
            key: SecretStr(item) if key in SECRET_SETTINGS and isinstance(item, str) else item
            for key, item in value.items()
        }

    def with_token(self, token: OAuth2Token) -> StoredProfile:
        """This profile after a refresh: the new token, also as the ``access_token`` setting
        and in the token settings the profile keeps (`OAuth2Token.saved_settings`: a
        refresh token or its expiry saved as settings must not go stale)."""
        settings = dict(self.settings)
        for key, value in token.saved_settings().items():
            if value is not None and (key == "access_token" or key in settings):
                settings[key] = value
        return self.model_copy(
            update={"token": StoredToken.of(token), "settings": settings, "updated_at": time.time()}
        )

    def plain_settings(self) -> dict[str, Any]:
        """The settings with secrets revealed, for validation by a platform's settings model."""
        return {key: _reveal(value) for key, value in self.settings.items()}

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, secrets revealed: for a token store to write, never to log."""
        token = self.token
        return {
            "platform": self.platform,
            "kind": self.kind,
            "updated_at": self.updated_at,
            "settings": self.plain_settings(),
            "token": None
            if token is None
            else {key: _reveal(value) for key, value in token if value is not None},
        }

    @classmethod
    def from_json(cls, data: Any) -> StoredProfile:
        """Read what `to_json` wrote; `ConfigError` when it is not a profile."""
        try:
            return cls.model_validate(data)
        except ValueError:
            raise ConfigError("a stored profile is malformed", field="profile") from None


def _reveal(value: Any) -> Any:
    return value.get_secret_value() if isinstance(value, SecretStr) else value
