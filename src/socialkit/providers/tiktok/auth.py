"""TikTok's token refresh: OAuth 2.0 with the app named ``client_key``, not ``client_id``.

``POST https://open.tiktokapis.com/v2/oauth/token/`` (form): ``client_key``,
``client_secret``, ``grant_type=refresh_token``, ``refresh_token``. The answer carries a
new ``access_token`` (24 hours) and possibly a new ``refresh_token`` (365 days).

Reference: https://developers.tiktok.com/doc/oauth-user-access-token-management
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...credentials.core import BearerToken, Credential, OAuth2Token
from ...errors import AuthError, InvalidContent
from ...platform import Call
from .settings import TikTokSettings

if TYPE_CHECKING:
    from ...platform import Flow

__all__ = ["TikTokToken", "credential_for"]


class TikTokToken(OAuth2Token):
    """An `OAuth2Token` whose refresh speaks TikTok's form (``client_key``)."""

    def refresh(self) -> Flow[None]:
        """Exchange the refresh token; a refused one raises `ReauthRequired`."""
        if self.refresh_token is None or self.token_endpoint is None:
            raise self._reauth("no refresh token or token endpoint to refresh with")
        form = {
            "client_key": self.client_id or "",
            "client_secret": self.client_secret.get_secret_value() if self.client_secret else "",
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token.get_secret_value(),
        }
        try:
            response = yield Call(
                "POST",
                self.token_endpoint,
                data=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                authenticated=False,
                idempotent=True,  # a lost answer is asked again; the old token stays stored
                bucket="oauth",
            )
        except (AuthError, InvalidContent) as error:  # invalid_grant / invalid_request
            raise self._reauth(error.message) from None
        assert response is not None
        self.update(response.json())


def credential_for(settings: TikTokSettings) -> Credential:
    """A refreshable token when the refresh settings are given, else a plain bearer token."""
    if settings.refresh_token is None:
        return BearerToken(settings.access_token)
    return TikTokToken(
        settings.access_token,
        refresh_token=settings.refresh_token,
        expires_at=settings.expires_at,
        token_endpoint=settings.token_endpoint,
        client_id=settings.client_key,
        client_secret=settings.client_secret,
        platform="tiktok",
    )
