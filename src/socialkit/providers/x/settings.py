"""X settings: one of three ways to authenticate, plus the post length the account allows."""

from __future__ import annotations

import enum

from pydantic import Field, SecretStr, model_validator

from ...errors import ConfigError
from ...platform import PlatformSettings

__all__ = ["AuthMode", "XSettings"]

TOKEN_ENDPOINT = "https://api.x.com/2/oauth2/token"
"""Where X's OAuth 2.0 user tokens are refreshed."""

OAUTH1_FIELDS = ("consumer_key", "consumer_secret", "token", "token_secret")
OAUTH2_FIELDS = ("access_token", "refresh_token")
APP_ONLY_FIELDS = ("bearer_token",)
_OAUTH2_EXTRAS = ("client_id", "client_secret", "expires_at")


class AuthMode(enum.StrEnum):
    """How requests are authenticated."""

    OAUTH2 = "oauth2"
    """OAuth 2.0 user context (``Authorization: Bearer`` with a user access token)."""
    OAUTH1 = "oauth1"
    """OAuth 1.0a user context (an ``Authorization: OAuth ...`` signature)."""
    APP_ONLY = "app_only"
    """OAuth 2.0 app-only bearer token: public reads and search, no writes."""


class XSettings(PlatformSettings):
    """How to reach one X account. Give exactly one auth mode.

    Attributes:
        access_token: OAuth 2.0 user access token (scopes ``tweet.read tweet.write
            users.read like.write media.write tweet.moderate.write``, plus
            ``offline.access`` for a refresh token).
        refresh_token: Renews ``access_token`` (valid two hours) at ``token_endpoint``.
        client_id: The app's OAuth 2.0 client id, needed to refresh.
        client_secret: The app's client secret, for confidential clients (sent as HTTP Basic).
        expires_at: When ``access_token`` expires (Unix time), so it is refreshed ahead.
        consumer_key, consumer_secret, token, token_secret: OAuth 1.0a user context.
        bearer_token: App-only bearer token: read and search only.
        user_id: The account's numeric id; saves the ``/2/users/me`` lookup and is required
            for ``posts()`` / ``mentions()`` with an app-only token.
        max_length: The weighted length a post may have (280; more on paid accounts).
        upload_chunk_size: Bytes per media APPEND segment (X accepts up to 5 MB).
        stream_backfill_minutes: ``backfill_minutes`` of the filtered stream (0-5): what
            was posted while `watch(kinds={"keyword"})` was disconnected, re-sent on
            reconnect (on the tiers that have it).
    """

    refresh_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    expires_at: float | None = None
    token_endpoint: str = TOKEN_ENDPOINT

    consumer_key: str | None = None
    consumer_secret: SecretStr | None = None
    token: SecretStr | None = None
    token_secret: SecretStr | None = None

    bearer_token: SecretStr | None = None

    user_id: str | None = Field(default=None, pattern=r"^[0-9]{1,19}$")
    max_length: int = Field(default=280, gt=0, le=25_000)
    upload_chunk_size: int = Field(default=4 * 1024 * 1024, gt=0, le=5 * 1024 * 1024)
    stream_backfill_minutes: int = Field(default=0, ge=0, le=5)

    @model_validator(mode="after")
    def _one_auth_mode(self) -> XSettings:
        given = {name for name in (*OAUTH2_FIELDS, *OAUTH1_FIELDS, *APP_ONLY_FIELDS)
                 if getattr(self, name) is not None}
        modes = [
            mode
            for mode, fields in (
                (AuthMode.OAUTH2, OAUTH2_FIELDS),
                (AuthMode.OAUTH1, OAUTH1_FIELDS),
                (AuthMode.APP_ONLY, APP_ONLY_FIELDS),
            )
            if given & set(fields)
        ]
        if len(modes) != 1:
            found = f"got {', '.join(sorted(given))}" if given else "got none"
            raise ConfigError(
                "x: give exactly one auth mode: access_token (OAuth 2.0 user context), "
                "or consumer_key, consumer_secret, token and token_secret (OAuth 1.0a), "
                f"or bearer_token (app-only); {found}",
                field=sorted(given)[0] if given else "access_token",
                platform="x",
            )
        if modes[0] is AuthMode.OAUTH1:
            missing = [name for name in OAUTH1_FIELDS if name not in given]
            if missing:
                raise ConfigError(
                    f"x: OAuth 1.0a needs {', '.join(OAUTH1_FIELDS)}; missing {', '.join(missing)}",
                    field=missing[0],
                    platform="x",
                )
        if self.refresh_token is not None and not self.client_id:
            raise ConfigError(
                "x: refresh_token needs client_id (the app's OAuth 2.0 client id) to refresh",
                field="client_id",
                platform="x",
            )
        extras = [name for name in _OAUTH2_EXTRAS if getattr(self, name) is not None]
        if extras and modes[0] is not AuthMode.OAUTH2:
            raise ConfigError(
                f"x: {', '.join(extras)} only apply to OAuth 2.0 user context (access_token)",
                field=extras[0],
                platform="x",
            )
        return self

    @property
    def auth_mode(self) -> AuthMode:
        """The auth mode these settings select."""
        if self.bearer_token is not None:
            return AuthMode.APP_ONLY
        if self.consumer_key is not None:
            return AuthMode.OAUTH1
        return AuthMode.OAUTH2
